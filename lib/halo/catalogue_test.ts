import assert from "node:assert/strict";
import { WMAP9_BAHAMAS } from "../cosmology/mod.ts";
import { Rng } from "../random/mod.ts";
import { buildHaloCatalogue, expectedHaloCounts } from "./catalogue.ts";
import { fieldHaloNumberDensity } from "./mass_sampler.ts";
import { r200cMpc } from "./nfw.ts";
import { velliscig14MassShift } from "./velliscig14.ts";

const C = WMAP9_BAHAMAS;

Deno.test("buildHaloCatalogue() reproduces the shape of Yan et al. (2020) Fig. 1", () => {
  const cat = buildHaloCatalogue(new Rng(2020), { cosmology: C });
  const counts = new Array(10).fill(0);
  for (const h of cat) counts[h.bin]++;
  for (const n of counts) assert.ok(n <= 200);
  // the eight lower bins are full, the top two fall short (a (571 Mpc)^3 box holds
  // ~160 and ~50 haloes above 10^14.5 and 10^14.75 Msun)
  for (let b = 0; b < 8; b++) assert.equal(counts[b], 200, `bin ${b}: ${counts[b]}`);
  assert.ok(counts[8] < 200 && counts[9] < 100, `top bins ${counts[8]}, ${counts[9]}`);
  assert.ok(cat.length >= 1500 && cat.length <= 2000, `total ${cat.length}`);
  cat.forEach((h, i) => assert.equal(h.id, i));
});

Deno.test("expectedHaloCounts() are the box volume times the mass-function integral", () => {
  const expected = expectedHaloCounts({ cosmology: C });
  const volume = (400 / C.h) ** 3;
  const top = volume * fieldHaloNumberDensity(14.75, 15, 0, C);
  assert.ok(Math.abs(expected[9] / top - 1) < 1e-3, `${expected[9]} vs ${top}`);
  for (let b = 1; b < 10; b++) assert.ok(expected[b] < expected[b - 1]);
});

Deno.test("buildHaloCatalogue() hydro masses sit below DMO masses by the Velliscig shift", () => {
  const cat = buildHaloCatalogue(new Rng(11), { cosmology: C });
  for (let b = 0; b < 10; b++) {
    const inBin = cat.filter((h) => h.bin === b);
    const lo = 12.5 + 0.25 * b;
    for (const h of inBin) {
      const lm = Math.log10(h.m200DmoMsun);
      assert.ok(lm >= lo - 1e-9 && lm <= lo + 0.25 + 1e-9, `halo ${h.id} outside bin ${b}`);
    }
    const meanLogRatio = inBin.reduce((s, h) => s + Math.log10(h.m200Msun / h.m200DmoMsun), 0) /
      inBin.length;
    const meanExpected = inBin.reduce((s, h) =>
      s + Math.log10(1 + velliscig14MassShift(h.m200DmoMsun)), 0) /
      inBin.length;
    // 0.013 dex scatter: standard error <= 0.013/sqrt(40); allow 5 sigma
    const tol = (5 * 0.013) / Math.sqrt(inBin.length);
    assert.ok(
      Math.abs(meanLogRatio - meanExpected) < tol,
      `bin ${b}: ${meanLogRatio} vs ${meanExpected}`,
    );
  }
  const meanShift = cat.reduce((s, h) => s + h.m200Msun / h.m200DmoMsun - 1, 0) / cat.length;
  assert.ok(meanShift < -0.03 && meanShift > -0.2, `mean Delta_b ${meanShift}`);
});

Deno.test("buildHaloCatalogue() derives consistent radii and M500 from the hydro mass", () => {
  const cat = buildHaloCatalogue(new Rng(3), { cosmology: C, perBin: 20 });
  for (const h of cat) {
    assert.ok(Math.abs(h.r200Mpc / r200cMpc(h.m200Msun, 0, C) - 1) < 1e-12);
    assert.ok(h.m500Msun < h.m200Msun && h.m500Msun > 0.5 * h.m200Msun);
    assert.ok(h.r500Mpc < h.r200Mpc && h.c200 > 1 && h.c200 < 20);
  }
  // concentration scatter of 0.13 dex about Duffy et al. (2008)
  const logs = cat.map((h) => Math.log10(h.c200));
  const mean = logs.reduce((a, b) => a + b, 0) / logs.length;
  const sd = Math.sqrt(logs.reduce((a, b) => a + (b - mean) ** 2, 0) / logs.length);
  assert.ok(sd > 0.1 && sd < 0.17, `sd(log c) = ${sd}`);
});

Deno.test("buildHaloCatalogue() is deterministic for a seed", () => {
  const a = buildHaloCatalogue(new Rng(42), { cosmology: C, perBin: 30 });
  const b = buildHaloCatalogue(new Rng(42), { cosmology: C, perBin: 30 });
  assert.deepEqual(a, b);
  const c = buildHaloCatalogue(new Rng(43), { cosmology: C, perBin: 30 });
  assert.notDeepEqual(a, c);
});

Deno.test("buildHaloCatalogue() validates its options", () => {
  const rng = new Rng(1);
  assert.throws(() => buildHaloCatalogue(rng, { cosmology: C, binDex: 0.3 }), /whole number/);
  assert.throws(() => buildHaloCatalogue(rng, { cosmology: C, perBin: -1 }), RangeError);
  assert.throws(() => buildHaloCatalogue(rng, { cosmology: C, boxMpcPerH: 0 }), RangeError);
  assert.throws(
    () => buildHaloCatalogue(rng, { cosmology: C, log10MMin: 15, log10MMax: 14 }),
    RangeError,
  );
  // deno-lint-ignore no-explicit-any
  assert.throws(() => buildHaloCatalogue(rng, {} as any), TypeError);
});
