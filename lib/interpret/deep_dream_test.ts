import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { deepDream, type PredictFn } from "./mod.ts";

await tf.setBackend("cpu");

/**
 * A small smooth network (conv 3x3 -> tanh -> avg-pool -> dense -> tanh ->
 * dense) with fixed seeded weights, mapping [n, 12, 12, 1] to a mass-like
 * output. Smooth activations keep central differences accurate.
 */
function smallNetwork(): { predict: PredictFn; dispose: () => void } {
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({
        inputShape: [12, 12, 1],
        filters: 4,
        kernelSize: 3,
        padding: "same",
        activation: "tanh",
        kernelInitializer: tf.initializers.glorotNormal({ seed: 1 }),
        biasInitializer: tf.initializers.randomNormal({ seed: 2, stddev: 0.1 }),
      }),
      tf.layers.averagePooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({
        units: 8,
        activation: "tanh",
        kernelInitializer: tf.initializers.glorotNormal({ seed: 3 }),
      }),
      tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.glorotNormal({ seed: 4 }) }),
    ],
  });
  // Scale the output to "Msun" as a trained model's predictMassMsun would.
  const predict: PredictFn = (x) =>
    (model.apply(x) as tf.Tensor2D).reshape([-1]).add(1).mul(1e14) as tf.Tensor1D;
  return { predict, dispose: () => model.dispose() };
}

function imageValues(): Float32Array {
  const v = new Float32Array(144);
  for (let i = 0; i < 144; i++) v[i] = 0.5 + 0.4 * Math.sin(0.37 * i) * Math.cos(0.11 * i);
  return v;
}

Deno.test("deepDream() gradient matches central finite differences of a small network", async () => {
  const net = smallNetwork();
  const values = imageValues();
  const img = tf.tensor4d(values, [1, 12, 12, 1]);
  const res = await deepDream(net.predict, img, { alpha: 1e-16 });
  const mOf = (v: Float32Array) => {
    return tf.tidy(() => net.predict(tf.tensor4d(v, [1, 12, 12, 1])).dataSync()[0]);
  };
  // Float32 forward passes: M ~ 1e14 is resolved to ~1e7 (6e-8 relative); with
  // eps = 0.02 the rounding error of the difference quotient is ~ 1e7 / 0.04
  // = 2.5e8 per pixel and the truncation error (eps^2 f''' / 6) is smaller.
  // The largest gradient component is ~7e12 (measured worst error over all 144
  // pixels: 4e-5 of it), so we ask for agreement within 1e-3 of it.
  const eps = 0.02;
  const gMax = Math.max(...Array.from(res.gradient, Math.abs));
  assert.ok(gMax > 1e11, `gradient should be non-trivial, got max ${gMax}`);
  for (const p of [0, 13, 30, 66, 77, 100, 143]) {
    const up = Float32Array.from(values), dn = Float32Array.from(values);
    up[p] += eps;
    dn[p] -= eps;
    const fd = (mOf(up) - mOf(dn)) / (2 * eps);
    assert.ok(
      Math.abs(res.gradient[p] - fd) < 1e-3 * gMax,
      `pixel ${p}: autodiff ${res.gradient[p]} vs finite difference ${fd}`,
    );
  }
  img.dispose();
  net.dispose();
});

Deno.test("deepDream() change is alpha times the gradient after one iteration", async () => {
  const net = smallNetwork();
  const img = tf.tensor4d(imageValues(), [1, 12, 12, 1]);
  const res = await deepDream(net.predict, img, { iterations: 1, step: 0.05 });
  const gMax = Math.max(...Array.from(res.gradient, Math.abs));
  // Normalised step: the largest pixel change is step * max|I| (max|I| <= 0.9).
  const iMax = Math.max(...Array.from(imageValues(), Math.abs));
  assert.ok(Math.abs(res.alpha * gMax - 0.05 * iMax) < 1e-6 * iMax);
  for (let i = 0; i < res.change.length; i++) {
    assert.ok(Math.abs(res.change[i] - res.alpha * res.gradient[i]) <= 1e-6 * 0.05 * iMax);
  }
  // Gradient ascent raises the prediction.
  assert.ok(res.mPredFinalMsun > res.mPredMsun);
  img.dispose();
  net.dispose();
});

Deno.test("deepDream() second iteration adds alpha times the gradient at the first iterate", async () => {
  const net = smallNetwork();
  const values = imageValues();
  const img = tf.tensor4d(values, [1, 12, 12, 1]);
  const one = await deepDream(net.predict, img, { iterations: 1, alpha: 2e-14 });
  const two = await deepDream(net.predict, img, { iterations: 2, alpha: 2e-14 });
  const mid = tf.tensor4d(values.map((v, i) => v + one.change[i]), [1, 12, 12, 1]);
  const atMid = await deepDream(net.predict, mid, { iterations: 1, alpha: 2e-14 });
  const scale = Math.max(...Array.from(two.change, Math.abs));
  for (let i = 0; i < values.length; i++) {
    const expected = one.change[i] + atMid.change[i];
    assert.ok(Math.abs(two.change[i] - expected) < 1e-4 * scale, `pixel ${i}`);
  }
  img.dispose();
  mid.dispose();
  net.dispose();
});

Deno.test("deepDream() rejects bad iterations and image shapes, and leaks no tensors", async () => {
  const net = smallNetwork();
  const img = tf.tensor4d(imageValues(), [1, 12, 12, 1]);
  const before = tf.memory().numTensors;
  await deepDream(net.predict, img, { iterations: 2 });
  assert.equal(tf.memory().numTensors, before);
  await assert.rejects(() => deepDream(net.predict, img, { iterations: 3 }), RangeError);
  const two = tf.zeros([2, 12, 12, 1]) as tf.Tensor4D;
  await assert.rejects(() => deepDream(net.predict, two), /shape \[1, H, W, C\]/);
  two.dispose();
  img.dispose();
  net.dispose();
});
