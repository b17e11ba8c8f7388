import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { gaussianMask, maskCentrePx, maskSweep, type PredictFn } from "./mod.ts";

await tf.setBackend("cpu");

/** A fixed "network" whose answer is the sum of the pixels in one 10x10 patch. */
function patchSum(size: number, rows: [number, number], cols: [number, number]) {
  const w = new Float32Array(size * size);
  for (let i = rows[0]; i < rows[1]; i++) {
    for (let j = cols[0]; j < cols[1]; j++) w[i * size + j] = 1;
  }
  const weights = tf.tensor4d(w, [1, size, size, 1]);
  const predict: PredictFn = (x) => x.mul(weights).sum([1, 2, 3]) as tf.Tensor1D;
  return { predict, dispose: () => weights.dispose() };
}

/** Exact Delta M for the patch-sum network on an image of ones (float64). */
function exactDelta(
  size: number,
  rows: [number, number],
  cols: [number, number],
  a: number,
  b: number,
  sigma: number,
): number {
  const mask = gaussianMask([size, size], { aPx: a, bPx: b, sigmaPx: sigma });
  let d = 0;
  for (let i = rows[0]; i < rows[1]; i++) {
    for (let j = cols[0]; j < cols[1]; j++) d += mask[i * size + j] - 1;
  }
  return d;
}

Deno.test("maskSweep() of a one-patch network lights up only near the patch (stride 1)", async () => {
  const size = 40, rows: [number, number] = [5, 15], cols: [number, number] = [22, 32];
  const net = patchSum(size, rows, cols);
  const img = tf.ones([1, size, size, 1]) as tf.Tensor4D;
  let calls = 0;
  const res = await maskSweep(net.predict, img, {
    sigmaPx: 5,
    batchSize: 128,
    onProgress: () => calls++,
  });
  assert.equal(res.evaluations, size * size);
  assert.equal(calls, Math.ceil((size * size) / 128));
  assert.equal(res.mPredMsun, 100);
  const peak = Math.min(...res.map);
  // Masking the patch centre removes a Gaussian's worth of its 100 pixels:
  // sum over the patch of exp(-r^2/50), about 60.
  assert.ok(peak < -50 && peak > -100, `peak ${peak}`);
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) {
      const v = res.map[i * size + j];
      // Float32 sums of 100 values near 1: absolute error well below 1e-3.
      assert.ok(Math.abs(v - exactDelta(size, rows, cols, i, j, 5)) < 1e-3, `(${i},${j})`);
      // Distance from the patch > 5 sigma: exp(-12.5) * 100 px < 4e-4, so ~0.
      const di = Math.max(rows[0] - i, 0, i - (rows[1] - 1));
      const dj = Math.max(cols[0] - j, 0, j - (cols[1] - 1));
      if (Math.hypot(di, dj) > 25) {
        assert.ok(Math.abs(v) < 1e-3 * Math.abs(peak), `far (${i},${j}) = ${v}`);
      }
      // Inside the patch, masking always costs more than 40 per cent of the peak.
      if (di === 0 && dj === 0) assert.ok(v < 0.4 * peak, `inside (${i},${j}) = ${v}`);
    }
  }
  img.dispose();
  net.dispose();
});

Deno.test("maskSweep() at stride 12 on a 120-pixel image samples block centres and fills blocks", async () => {
  const size = 120, rows: [number, number] = [20, 30], cols: [number, number] = [70, 80];
  const net = patchSum(size, rows, cols);
  const img = tf.ones([1, size, size, 1]) as tf.Tensor4D;
  const before = tf.memory().numTensors;
  const res = await maskSweep(net.predict, img, { stride: 12, batchSize: 37 });
  assert.equal(tf.memory().numTensors, before, "no tensors leak");
  assert.deepEqual(res.gridShape, [10, 10]);
  assert.equal(maskCentrePx(0, 12), 5.5);
  assert.equal(maskCentrePx(9, 12), 113.5);
  for (let k = 0; k < 10; k++) {
    for (let l = 0; l < 10; l++) {
      const expected = exactDelta(size, rows, cols, maskCentrePx(k, 12), maskCentrePx(l, 12), 5);
      assert.ok(Math.abs(res.grid[k * 10 + l] - expected) < 1e-3, `grid (${k},${l})`);
      // Every pixel of the block carries the block's value.
      assert.equal(res.map[(k * 12 + 7) * size + l * 12 + 3], res.grid[k * 10 + l]);
    }
  }
  // The most negative block centre is the one nearest the patch centre (24.5, 74.5):
  // rows 29.5 (block 2, 5 px away; block 1 at 17.5 is 7 px away), columns 77.5 (block 6).
  const minIdx = res.grid.indexOf(Math.min(...res.grid));
  assert.deepEqual([Math.floor(minIdx / 10), minIdx % 10], [2, 6]);
  img.dispose();
  net.dispose();
});

Deno.test("maskSweep() rejects a stride that does not divide the image", async () => {
  const img = tf.ones([1, 120, 120, 1]) as tf.Tensor4D;
  const predict: PredictFn = (x) => x.sum([1, 2, 3]) as tf.Tensor1D;
  await assert.rejects(
    () => maskSweep(predict, img, { stride: 7 }),
    /stride must be a positive integer dividing/,
  );
  await assert.rejects(() => maskSweep(predict, img, { sigmaPx: 0 }), RangeError);
  img.dispose();
});
