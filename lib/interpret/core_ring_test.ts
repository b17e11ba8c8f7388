import assert from "node:assert/strict";
import { Rng } from "../random/mod.ts";
import {
  coreRingCorrelation,
  integrateCoreRing,
  PAPER_CORE_RING_CORRELATION,
  pearson,
} from "./mod.ts";

Deno.test("pearson() gives 1, -1 and a hand-computed value", () => {
  assert.equal(pearson([1, 2, 3], [2, 4, 6]), 1);
  assert.equal(pearson([1, 2, 3], [3, 2, 1]), -1);
  // x = [1,2,3,4], y = [1,3,2,4]: sxy = 4, sxx = syy = 5 -> r = 0.8.
  assert.ok(Math.abs(pearson([1, 2, 3, 4], [1, 3, 2, 4]) - 0.8) < 1e-15);
  assert.ok(Number.isNaN(pearson([1, 1], [1, 2])));
});

Deno.test("integrateCoreRing() assigns pixels by their centres around (W/2, H/2)", () => {
  // 6x6 image, pixel value = 1 + index. Centre (3, 3). Core r < 1: the four
  // central pixels (centres at distance 0.707): indices 14, 15, 20, 21.
  // Ring 1 <= r < 2: pixels at distance 1.58 (the 8 edge neighbours):
  // indices 8, 9, 13, 16, 19, 22, 26, 27; corners of the 4x4 block are 2.12 away.
  const img = Float64Array.from({ length: 36 }, (_, i) => 1 + i);
  const s = integrateCoreRing(img, { shape: [6, 6], rCorePix: 1, rOuterPix: 2 });
  assert.equal(s.core, [14, 15, 20, 21].reduce((a, i) => a + 1 + i, 0));
  assert.equal(s.ring, [8, 9, 13, 16, 19, 22, 26, 27].reduce((a, i) => a + 1 + i, 0));
});

Deno.test("coreRingCorrelation() gives ~1 for a ring proportional to mass and ~0 for a noise core", () => {
  const rng = new Rng(20201);
  const n = 300, size = 120;
  const data = new Float32Array(n * size * size);
  const m200Msun: number[] = [], r200Pix: number[] = [];
  for (let k = 0; k < n; k++) {
    const m = 10 ** rng.uniform(13, 15);
    const r200 = rng.uniform(15, 55);
    m200Msun.push(m);
    r200Pix.push(r200);
    // Independent ring area per image, computed by this test's own loop.
    let ringPixels = 0;
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const r = Math.hypot(x + 0.5 - 60, y + 0.5 - 60);
        if (r >= 0.15 * r200 && r < r200) ringPixels++;
      }
    }
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const r = Math.hypot(x + 0.5 - 60, y + 0.5 - 60);
        const i = k * size * size + y * size + x;
        if (r < 0.15 * r200) data[i] = rng.uniform(1, 2) * 1e-14; // noise core, independent of M
        else if (r < r200) data[i] = (m / 1e14) / ringPixels * 1e-13; // F_ring = 1e-13 M / 1e14
        else data[i] = rng.uniform(0, 5) * 1e-14; // unrelated outskirts
      }
    }
  }
  const res = coreRingCorrelation({ data, shape: [n, size, size] }, { r200Pix, m200Msun });
  assert.equal(res.n, n);
  assert.equal(res.nRingTruncated, 0, "r200 <= 55 px fits in the 60 px half-width");
  // F_ring = 1e-13 * M / 1e14 up to float32 rounding of the pixel values (~1e-7).
  for (let k = 0; k < n; k++) {
    assert.ok(Math.abs(res.fRing[k] / (1e-13 * m200Msun[k] / 1e14) - 1) < 1e-4, `image ${k}`);
  }
  assert.ok(res.log.ring > 0.99999, `log ring r = ${res.log.ring}`);
  assert.ok(res.linear.ring > 0.99999, `linear ring r = ${res.linear.ring}`);
  // n = 300 independent draws: |r| < 0.2 is a > 3.4 sigma bound (sigma_r ~ 1/sqrt(n) = 0.058).
  assert.ok(Math.abs(res.log.core) < 0.2, `log core r = ${res.log.core}`);
  assert.ok(Math.abs(res.linear.core) < 0.2, `linear core r = ${res.linear.core}`);
  assert.equal(res.log.nCore, n);
});

Deno.test("coreRingCorrelation() uses only the given indices and skips non-positive fluxes in log", () => {
  // Four 4x4 images; use images 1 and 3 (masses 2 and 4) and 2 (flux <= 0 everywhere).
  const data = new Float32Array(4 * 16);
  data.fill(1, 0, 16);
  data.fill(2, 16, 32);
  data.fill(-1, 32, 48);
  data.fill(4, 48, 64);
  const res = coreRingCorrelation({ data, shape: [4, 4, 4] }, {
    indices: [1, 2, 3],
    r200Pix: [2, 2, 2],
    m200Msun: [2, 3, 4],
    coreFraction: 0.5,
  });
  assert.deepEqual(Array.from(res.fCore), [8, -4, 16]);
  assert.deepEqual(Array.from(res.fRing), [16, -8, 32]);
  assert.equal(res.log.nRing, 2);
  assert.equal(res.nRingTruncated, 0, "r200 = 2 px just reaches the edge of a 4 px image");
  const wide = coreRingCorrelation({ data, shape: [4, 4, 4] }, {
    indices: [1, 2, 3],
    r200Pix: [3, 3, 3],
    m200Msun: [2, 3, 4],
  });
  assert.equal(wide.nRingTruncated, 3, "r200 = 3 px reaches past it");
  assert.equal(res.log.ring, 1);
  assert.throws(
    () => coreRingCorrelation({ data, shape: [4, 4, 4] }, { r200Pix: [1], m200Msun: [1] }),
    /one r200Pix and m200Msun per image/,
  );
});

Deno.test("PAPER_CORE_RING_CORRELATION holds the paper's X-ray numbers (§4.2)", () => {
  assert.deepEqual(PAPER_CORE_RING_CORRELATION.fxs, { core: 0.58, ring: 0.94 });
  assert.deepEqual(PAPER_CORE_RING_CORRELATION.fxb, { core: 0.58, ring: 0.94 });
});
