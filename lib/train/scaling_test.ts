import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { setupBackend } from "../backend/mod.ts";
import { Rng } from "../random/mod.ts";
import { applyInputScaling, makeInputScaler, scalePixels } from "./mod.ts";

Deno.test("makeInputScaler() finds the noise rms of Gaussian noise and standardises", () => {
  const rng = new Rng(5);
  const x = new Float32Array(200_000);
  for (let i = 0; i < x.length; i++) x[i] = rng.normal(0, 1e-8);
  // A few bright "cluster" pixels must not move the robust scale.
  for (let i = 0; i < 2000; i++) x[i] = 1e-5;
  const sc = makeInputScaler([x], { channels: ["ypar"] });
  const ch = sc.channels[0];
  // 1.4826 MAD of a normal sample estimates sigma to ~0.3% at n = 2e5; 1% bright pixels bias it ~1%.
  assert.ok(Math.abs(ch.softeningScale / 1e-8 - 1) < 0.03, `${ch.softeningScale}`);
  const y = scalePixels(x, ch);
  let m = 0, v = 0;
  for (const t of y) m += t;
  m /= y.length;
  for (const t of y) v += (t - m) ** 2;
  assert.ok(Math.abs(m) < 1e-4 && Math.abs(Math.sqrt(v / y.length) - 1) < 1e-3);
});

Deno.test("makeInputScaler() with softeningFactor 100 scales the noise rms 100-fold and still standardises", () => {
  const rng = new Rng(6);
  const x = new Float32Array(100_000);
  for (let i = 0; i < x.length; i++) x[i] = rng.normal(0, 1e-8);
  const base = makeInputScaler([x], { channels: ["star"] }).channels[0];
  const soft = makeInputScaler([x], { channels: ["star"], softeningFactor: 100 }).channels[0];
  assert.equal(soft.softeningScale, base.softeningScale * 100);
  // Noise at 1/100 of s is in asinh's linear range (its standardised spread is 1 for
  // std(asinh(n / s)) = 0.01), and a 50-sigma "particle" sits at asinh(0.5) / 0.01 = 48.1, nearly
  // linear still, where the default scaling puts it at asinh(50) / std = ~4.6 / ~0.9.
  const y = scalePixels(new Float32Array([50e-8]), soft)[0];
  assert.ok(Math.abs(y - 100 * Math.asinh(0.5)) < 1, `${y}`);
  assert.ok(scalePixels(new Float32Array([50e-8]), base)[0] < 10);
  assert.throws(() => makeInputScaler([x], { channels: ["star"], softeningFactor: 0 }), /> 0/);
});

Deno.test("makeInputScaler() falls back to the median |I| of non-zero pixels for noise-free images", () => {
  const x = new Float32Array(1000);
  x[1] = 2;
  x[2] = 4;
  x[3] = 6;
  assert.equal(makeInputScaler([x], { channels: ["star"] }).channels[0].softeningScale, 4);
  assert.equal(
    makeInputScaler([new Float32Array(10)], { channels: ["star"] }).channels[0].softeningScale,
    1,
  );
});

Deno.test("applyInputScaling() equals scalePixels() and has the analytic gradient", async () => {
  await setupBackend("cpu", { quiet: true });
  const scaling = {
    method: "asinh-standardise" as const,
    formula: "",
    channels: [
      { tracer: "star" as const, softeningScale: 2e11, mean: 0.3, std: 1.7 },
      { tracer: "ypar" as const, softeningScale: 1e-8, mean: -0.1, std: 0.9 },
    ],
  };
  const raw = [new Float32Array([3e11, -1e11, 5e13]), new Float32Array([2e-8, 0, -4e-7])];
  const inter = new Float32Array(6);
  for (let i = 0; i < 3; i++) for (let c = 0; c < 2; c++) inter[i * 2 + c] = raw[c][i];
  const x = tf.tensor4d(inter, [1, 3, 1, 2]);
  const y = applyInputScaling(x, scaling).dataSync();
  for (let c = 0; c < 2; c++) {
    const ref = scalePixels(raw[c], scaling.channels[c]);
    for (let i = 0; i < 3; i++) assert.ok(Math.abs(y[i * 2 + c] - ref[i]) < 1e-5);
  }
  // d/dI [(asinh(I/s) - mu)/sd] = 1 / (sd sqrt(s^2 + I^2)).
  const g = tf.grad((t: tf.Tensor) => applyInputScaling(t as tf.Tensor4D, scaling).sum())(x)
    .dataSync();
  for (let c = 0; c < 2; c++) {
    const { softeningScale: s, std } = scaling.channels[c];
    for (let i = 0; i < 3; i++) {
      const want = 1 / (std * Math.hypot(s, raw[c][i]));
      assert.ok(Math.abs(g[i * 2 + c] / want - 1) < 1e-4, `${g[i * 2 + c]} vs ${want}`);
    }
  }
  assert.throws(
    () => applyInputScaling(tf.zeros([1, 2, 2, 3]) as tf.Tensor4D, scaling),
    /3 channels/,
  );
  tf.disposeVariables();
});
