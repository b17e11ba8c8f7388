import assert from "node:assert/strict";
import { join } from "node:path";
import { encodeNpy, formatCsv } from "../io/mod.ts";
import { readNpyRows } from "./_npy_rows.ts";
import { WMAP9_BAHAMAS } from "../cosmology/mod.ts";
import { buildHaloCatalogue } from "../halo/mod.ts";
import { Rng } from "../random/mod.ts";
import { CATALOG_COLUMNS } from "../dataset/format.ts";
import {
  readFig01Clusters,
  readLearningCurve,
  readLearningCurves,
  readMassPairs,
  readTracerUnits,
  recoverDmoBins,
  shortUnit,
} from "./load.ts";

Deno.test("readNpyRows() returns exactly the requested images of a stack, in the order asked", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const data = Float32Array.from({ length: 5 * 3 * 2 }, (_, i) => i * 0.5);
    await Deno.writeFile(join(dir, "a.npy"), encodeNpy({ shape: [5, 3, 2], data }));
    const { shape, rows } = await readNpyRows(join(dir, "a.npy"), [4, 1]);
    assert.deepEqual(shape, [5, 3, 2]);
    assert.deepEqual([...rows[0]], [...data.subarray(24, 30)]);
    assert.deepEqual([...rows[1]], [...data.subarray(6, 12)]);
    await assert.rejects(() => readNpyRows(join(dir, "a.npy"), [5]), /has 5 rows/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("readFig01Clusters() keeps one row per cluster, with the DMO bins rebuilt from the manifest", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const haloes = buildHaloCatalogue(new Rng(5).fork(1), { cosmology: WMAP9_BAHAMAS });
    const picked = [haloes[3], haloes[400]];
    const rows = picked.flatMap((h, k) =>
      [0, 1, 2, 3].map((p) => ({
        image: 4 * k + p,
        cluster: h.id,
        projection: p,
        redshift: 0.05,
        m200_msun: h.m200Msun.toPrecision(8),
        r200_mpc: h.r200Mpc.toPrecision(8),
        r200_arcmin: 5,
        split: "train",
      }))
    );
    await Deno.writeTextFile(join(dir, "catalog.csv"), formatCsv(rows, [...CATALOG_COLUMNS]));
    const noBins = await readFig01Clusters(dir);
    assert.deepEqual(noBins.map((c) => c.dmoBin), [undefined, undefined], "no manifest, no bins");
    await Deno.writeTextFile(
      join(dir, "manifest.json"),
      JSON.stringify({ seed: 5, cosmology: WMAP9_BAHAMAS }),
    );
    const clusters = await readFig01Clusters(dir);
    assert.deepEqual(clusters.map((c) => c.dmoBin), picked.map((h) => h.bin));
    assert.deepEqual(
      clusters.map((c) => c.m200Msun),
      picked.map((h) => Number(h.m200Msun.toPrecision(8))),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("readLearningCurves() and readMassPairs() read only the networks whose files exist", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.mkdir(join(dir, "fxs"));
    await Deno.writeTextFile(
      join(dir, "fxs", "history.csv"),
      "epoch,loss,val_loss,lr,seconds,images_per_s\n1,0.5,0.4,0.01,2,100\n2,0.3,0.2,0.01,2,100\n",
    );
    await Deno.writeTextFile(
      join(dir, "fxs", "predictions.csv"),
      "image,cluster,m_true_msun,m_pred_msun\n3,1,1e14,1.2e14\n",
    );
    const curves = await readLearningCurves(dir);
    assert.deepEqual(Object.keys(curves), ["fxs"]);
    assert.deepEqual(curves.fxs, { epoch: [1, 2], valLoss: [0.4, 0.2] });
    const pairs = await readMassPairs(dir);
    assert.deepEqual(Object.keys(pairs), ["fxs"]);
    assert.deepEqual([pairs.fxs!.mTrueMsun[0], pairs.fxs!.mPredMsun[0]], [1e14, 1.2e14]);
    await Deno.writeTextFile(join(dir, "bad.csv"), "epoch,loss\n1,0.5\n");
    await assert.rejects(() => readLearningCurve(join(dir, "bad.csv")), /no numeric val_loss/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("recoverDmoBins() rebuilds the DMO bins from the manifest's seed, and refuses when a mass does not match", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const haloes = buildHaloCatalogue(new Rng(5).fork(1), { cosmology: WMAP9_BAHAMAS });
    const picked = [haloes[3], haloes[400], haloes[1500]];
    await Deno.writeTextFile(
      join(dir, "manifest.json"),
      JSON.stringify({ seed: 5, cosmology: WMAP9_BAHAMAS }),
    );
    const masses = new Map(picked.map((h) => [h.id, h.m200Msun]));
    const bins = await recoverDmoBins(dir, masses);
    assert.deepEqual(bins, new Map(picked.map((h) => [h.id, h.bin])));
    masses.set(picked[1].id, picked[1].m200Msun * 1.001);
    assert.equal(await recoverDmoBins(dir, masses), undefined);
    await Deno.writeTextFile(
      join(dir, "manifest.json"),
      JSON.stringify({ seed: 6, cosmology: WMAP9_BAHAMAS }),
    );
    masses.set(picked[1].id, picked[1].m200Msun);
    assert.equal(await recoverDmoBins(dir, masses), undefined, "another seed gives other haloes");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("readTracerUnits() shortens the manifest's unit descriptions to their unit", async () => {
  assert.equal(shortUnit("Msun Mpc^-2: stellar surface density, paper eq. 2"), "Msun Mpc^-2");
  assert.equal(
    shortUnit("erg s^-1 cm^-2 per pixel, rest-frame 0.5-2 keV"),
    "erg s^-1 cm^-2 per pixel",
  );
  assert.equal(shortUnit("Compton y (dimensionless), sum of Upsilon / S"), "Compton y");
  const dir = await Deno.makeTempDir();
  try {
    assert.equal(await readTracerUnits(dir), undefined);
    await Deno.writeTextFile(
      join(dir, "manifest.json"),
      JSON.stringify({ units: { ypar: "Compton y (dimensionless)" } }),
    );
    assert.deepEqual(await readTracerUnits(dir), { ypar: "Compton y" });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
