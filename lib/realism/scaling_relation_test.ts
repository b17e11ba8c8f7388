import assert from "node:assert/strict";
import { join } from "node:path";
import { writeSyntheticDataset } from "../dataset/mod.ts";
import { angularDiameterDistanceMpc, WMAP9_BAHAMAS } from "../cosmology/mod.ts";
import { readCsv, readNpy } from "../io/mod.ts";
import { duffy08Concentration } from "../halo/mod.ts";
import { derivedHalo } from "../particles/mod.ts";
import {
  apertureSums,
  fitScalingRelation,
  predictScalingRelation,
  scalingRelationBaseline,
  scalingRelationRows,
} from "./scaling_relation.ts";

Deno.test("apertureSums() counts the pixels whose centre lies in the circle about the image centre", () => {
  const ones = new Float32Array(2 * 120 * 120).fill(1);
  // Reference counts from a direct double loop over pixel centres (x + 0.5 - 60)^2 + (y + 0.5 - 60)^2 <= r^2,
  // run separately in Python: r = 10 -> 316, r = 30 -> 2828.
  assert.deepEqual([...apertureSums(ones, { radiusPx: 10 })], [316, 316]);
  assert.deepEqual([...apertureSums(ones, { radiusPx: 30 })], [2828, 2828]);
  assert.deepEqual([...apertureSums(ones)], [14400, 14400]);
  // A point source at a corner pixel falls outside a 10-pixel aperture.
  const img = new Float32Array(120 * 120);
  img[0] = 5;
  img[60 * 120 + 60] = 2;
  assert.deepEqual([...apertureSums(img, { radiusPx: 10 })], [2]);
  assert.throws(() => apertureSums(new Float32Array(100)), RangeError);
  assert.throws(() => apertureSums(ones, { radiusPx: 0 }), RangeError);
});

Deno.test("fitScalingRelation() matches a least-squares line worked by hand", () => {
  // x = log10 S = 0, 1, 2; y = log10 M = 1, 2, 4: slope = Sxy/Sxx = 3/2, intercept = 7/3 - 3/2,
  // residuals 1/6, -1/3, 1/6, so the scatter is sqrt((1/36 + 1/9 + 1/36) / (3 - 2)) = sqrt(1/6).
  const fit = fitScalingRelation([1, 10, 100], [10, 100, 1e4]);
  assert.ok(Math.abs(fit.slope - 1.5) < 1e-12);
  assert.ok(Math.abs(fit.interceptLog10Msun - (7 / 3 - 1.5)) < 1e-12);
  assert.ok(Math.abs(fit.scatterDex - Math.sqrt(1 / 6)) < 1e-12);
  assert.equal(fit.n, 3);
  assert.equal(fit.dropped, 0);
});

Deno.test("fitScalingRelation() recovers an exact power law and leaves out non-positive signals", () => {
  const m = [1e13, 3e13, 1e14, 3e14, 1e15];
  // S = 2e-14 (M / 1e14)^1.6, i.e. log10 M = 14 + (log10 S - log10 2e-14) / 1.6.
  const s = m.map((x) => 2e-14 * (x / 1e14) ** 1.6);
  const fit = fitScalingRelation([...s, -1e-15, 0], [...m, 5e13, 5e13]);
  assert.ok(Math.abs(fit.slope - 1 / 1.6) < 1e-9);
  assert.ok(Math.abs(fit.interceptLog10Msun - (14 - Math.log10(2e-14) / 1.6)) < 1e-9);
  assert.ok(fit.scatterDex < 1e-9);
  assert.equal(fit.dropped, 2);
  const pred = predictScalingRelation(fit, [s[2], -1]);
  assert.ok(Math.abs(pred[0] / 1e14 - 1) < 1e-9);
  assert.ok(Number.isNaN(pred[1]));
  assert.throws(() => fitScalingRelation([1, 2], [1e14, 2e14]), {
    name: "RangeError",
    message: /need 3/,
  });
  assert.throws(() => fitScalingRelation([1, 2, 3], [1e14, 2e14]), RangeError);
});

Deno.test("scalingRelationBaseline() fits on the training split and scores the test split of a dataset", async () => {
  const dir = await Deno.makeTempDir({ prefix: "baseline_test_" });
  try {
    const data = join(dir, "data");
    await writeSyntheticDataset(data, { clusters: 20, seed: 3, tracers: ["fxb"] });
    const b = await scalingRelationBaseline(data, { tracer: "fxb", radiusPx: 30 });
    // The fixture's peak flux grows as M^1.5 and its size as M^(1/3): the relation is steep and positive.
    assert.ok(b.fit.slope > 0.2 && b.fit.slope < 1, `slope ${b.fit.slope}`);
    assert.equal(b.fit.n + b.fit.dropped, 12 * 4);
    assert.equal(b.test.image.length + b.droppedTest, 4 * 4);
    assert.ok(b.table2.n <= b.test.image.length);
    assert.ok(Number.isFinite(b.table2.rmsScatterPct));
    await assert.rejects(scalingRelationBaseline(data, { tracer: "star" }), /images_star\.npy/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("scalingRelationRows() fixed-aperture fit equals one built from apertureSums() and the distances", async () => {
  const dir = await Deno.makeTempDir({ prefix: "baseline_rows_test_" });
  try {
    const data = join(dir, "data");
    await writeSyntheticDataset(data, { clusters: 20, seed: 5, tracers: ["ypar"] });
    const rows = await scalingRelationRows(data, { tracers: ["ypar"] });
    assert.deepEqual(rows.map((r) => r.aperture), ["fixed", "r500", "r500-true"]);
    // Independent route: pixel sums inside 30 px (5 arcmin) times (D_A theta_pix)^2.
    const catalog = (await readCsv(join(data, "catalog.csv"))).filter((r) => r.split === "train");
    const stack = await readNpy(join(data, "images_ypar.npy"));
    const pixRad = (10 / 3600) * Math.PI / 180;
    const signal = catalog.map((r) => {
      const i = Number(r.image);
      const one = (stack.data as Float32Array).subarray(i * 14400, (i + 1) * 14400);
      const dA = angularDiameterDistanceMpc(Number(r.redshift), WMAP9_BAHAMAS);
      return apertureSums(one, { radiusPx: 30 })[0] * (dA * pixRad) ** 2;
    });
    const fit = fitScalingRelation(signal, catalog.map((r) => Number(r.m200_msun)));
    assert.ok(
      Math.abs(rows[0].fit.slope - fit.slope) < 1e-9,
      `${rows[0].fit.slope} vs ${fit.slope}`,
    );
    assert.ok(Math.abs(rows[0].fit.interceptLog10Msun - fit.interceptLog10Msun) < 1e-9);
    // The iterated R500 estimate converges to a finite mass for every test image.
    assert.equal(rows[1].test.image.length + rows[1].droppedTest, 16);
    assert.ok(rows[1].test.mPredMsun.every((m) => m > 1e11 && m < 1e17));
    // The ceiling row: the R500 relation applied in R500 of each test image's true mass.
    const test = (await readCsv(join(data, "catalog.csv"))).filter((r) => r.split === "test");
    const r500Sum = (r: (typeof test)[number]) => {
      const i = Number(r.image);
      const m200 = Number(r.m200_msun);
      const one = (stack.data as Float32Array).subarray(i * 14400, (i + 1) * 14400);
      const dA = angularDiameterDistanceMpc(Number(r.redshift), WMAP9_BAHAMAS);
      const r500 = derivedHalo(m200, duffy08Concentration(m200, 0, WMAP9_BAHAMAS), {
        cosmology: WMAP9_BAHAMAS,
      })
        .r500Mpc;
      return apertureSums(one, { radiusPx: r500 / (dA * pixRad) })[0] * (dA * pixRad) ** 2;
    };
    const ceiling = predictScalingRelation(rows[1].fit, test.map(r500Sum));
    assert.equal(rows[2].test.image.length + rows[2].droppedTest, 16);
    rows[2].test.mPredMsun.forEach((m, k) => {
      const j = test.findIndex((r) => Number(r.image) === rows[2].test.image[k]);
      assert.ok(Math.abs(Math.log10(m / ceiling[j])) < 1e-6, `${m} vs ${ceiling[j]}`);
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
