import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import {
  conv2dBiasRelu,
  conv2dBiasReluWeightsOnly,
  fusableConvConfig,
  fuseConvLayersForTraining,
  oneDnnKernelsActive,
  setOneDnnKernels,
  setupBackend,
} from "./mod.ts";
import { assertClose, type Inputs, randomInputs } from "./_conv_testing.ts";
import { buildModel } from "../model/mod.ts";

// The fused op on "wasm" (oneDNN convolution with a ReLU post-op, or the WASM
// SIMD kernel) against tfjs' unfused ops, relu(conv2d(x, w) + b), and their
// tape gradients on the reference "cpu" backend. Loss: sum(y * r) with a
// fixed random r, so every output's gradient is exercised with its own
// weight. Tolerance (_conv_testing.ts): max |difference| <= 1e-4 x max |reference|.

await setupBackend("wasm", { quiet: true });

const CASES = [
  { x: [2, 9, 9, 3], w: [3, 3, 3, 4] },
  { x: [2, 12, 10, 1], w: [3, 3, 1, 16] }, // as the paper's first layer (1 -> 16)
  { x: [3, 8, 8, 16], w: [3, 3, 16, 32] }, // as its second
];

type Result = { y: Float32Array; dx: Float32Array; dw: Float32Array; db: Float32Array };

async function fusedOn(op: typeof conv2dBiasRelu, v: Inputs): Promise<Result> {
  await tf.setBackend("wasm");
  return await evaluate(v, (x, w, b) => op(x, w, b));
}

async function referenceOnCpu(v: Inputs): Promise<Result> {
  await tf.setBackend("cpu");
  return await evaluate(v, (x, w, b) => tf.relu(tf.add(tf.conv2d(x, w, 1, "same"), b)));
}

async function evaluate(
  v: Inputs,
  f: (x: tf.Tensor4D, w: tf.Tensor4D, b: tf.Tensor1D) => tf.Tensor,
): Promise<Result> {
  const x = tf.tensor4d(v.x.data, v.x.shape as [number, number, number, number]);
  const w = tf.tensor4d(v.w.data, v.w.shape as [number, number, number, number]);
  const b = tf.tensor1d(v.b.data);
  const r = tf.tensor(v.r.data, v.r.shape);
  const y = f(x, w, b);
  const grad = tf.grads((xx, ww, bb) =>
    tf.sum(tf.mul(f(xx as tf.Tensor4D, ww as tf.Tensor4D, bb as tf.Tensor1D), r))
  );
  const [dx, dw, db] = grad([x, w, b]);
  const out = {
    y: (await y.data()) as Float32Array,
    dx: (await dx.data()) as Float32Array,
    dw: (await dw.data()) as Float32Array,
    db: (await db.data()) as Float32Array,
  };
  tf.dispose([x, w, b, r, y, dx, dw, db]);
  return out;
}

function inputsFor(c: { x: number[]; w: number[] }, seed: number): Inputs {
  const [n, h, wd] = c.x;
  const co = c.w[3];
  const v = randomInputs(seed, { x: c.x, w: c.w, b: [co], r: [n, h, wd, co] });
  // Biases of either sign, about a third of the pre-activations below zero.
  for (let i = 0; i < co; i++) v.b.data[i] *= 0.5;
  return v;
}

for (const route of ["oneDNN", "WASM SIMD"] as const) {
  Deno.test(`conv2dBiasRelu on wasm (${route}) matches relu(conv2d + b) and its gradients on cpu`, async () => {
    const was = oneDnnKernelsActive();
    if (route === "WASM SIMD") setOneDnnKernels(false);
    try {
      for (const [i, c] of CASES.entries()) {
        const v = inputsFor(c, 100 + i);
        const got = await fusedOn(conv2dBiasRelu, v);
        const want = await referenceOnCpu(v);
        const what = `${route} ${c.x.join("x")} * ${c.w.join("x")}`;
        assertClose(got.y, want.y, `${what} y`);
        assertClose(got.dx, want.dx, `${what} dx`);
        assertClose(got.dw, want.dw, `${what} dw`);
        assertClose(got.db, want.db, `${what} db`);
        // Some outputs are clipped and some not, so the mask is tested.
        const zeros = want.y.filter((y) => y === 0).length / want.y.length;
        assert.ok(zeros > 0.1 && zeros < 0.9, `${what}: ${zeros} of the outputs are 0`);
      }
    } finally {
      setOneDnnKernels(was);
      await tf.setBackend("wasm");
    }
  });
}

Deno.test("conv2dBiasReluWeightsOnly: zero input gradient, the same output and weight gradients", async () => {
  const v = inputsFor(CASES[1], 7);
  const got = await fusedOn(conv2dBiasReluWeightsOnly, v);
  const full = await fusedOn(conv2dBiasRelu, v);
  assert.ok(got.dx.every((d) => d === 0), "dx is all zeros");
  assert.deepEqual(got.y, full.y);
  assert.deepEqual(got.dw, full.dw);
  assert.deepEqual(got.db, full.db);
});

Deno.test("fusableConvConfig takes stride-1 'same' conv + bias + ReLU, channels last, only", () => {
  const base = {
    strides: [1, 1],
    padding: "same",
    dataFormat: "channelsLast",
    dilationRate: [1, 1],
    activation: "relu",
    useBias: true,
  };
  assert.equal(fusableConvConfig(base), true);
  assert.equal(fusableConvConfig({ ...base, dilationRate: 1 }), true);
  assert.equal(fusableConvConfig({ ...base, padding: "valid" }), false);
  assert.equal(fusableConvConfig({ ...base, strides: [2, 2] }), false);
  assert.equal(fusableConvConfig({ ...base, dilationRate: [2, 2] }), false);
  assert.equal(fusableConvConfig({ ...base, activation: "linear" }), false);
  assert.equal(fusableConvConfig({ ...base, useBias: false }), false);
  assert.equal(fusableConvConfig({ ...base, dataFormat: "channelsFirst" }), false);
});

Deno.test("fuseConvLayersForTraining: the paper's network, same outputs and weight gradients as unfused", async () => {
  await tf.setBackend("wasm");
  const fused = buildModel("ypar", { seed: 3 });
  const plain = buildModel("ypar", { seed: 3 });
  assert.equal(fuseConvLayersForTraining(fused, { inputGradient: false }), 3);
  const x = tf.randomNormal([2, 120, 120, 1], 0, 1, "float32", 11) as tf.Tensor4D;
  const y = tf.tensor2d([[0.3], [-0.2]]);
  const run = async (model: tf.LayersModel) => {
    const vars = model.trainableWeights.map((w) =>
      (w as unknown as { read(): tf.Variable }).read()
    );
    const { value, grads } = tf.variableGrads(
      () => tf.sum(tf.square(tf.sub(model.apply(x, { training: true }) as tf.Tensor, y))),
      vars,
    );
    const g = await Promise.all(vars.map((v) => grads[v.name].data() as Promise<Float32Array>));
    const inference = (await (model.predict(x) as tf.Tensor).data()) as Float32Array;
    const loss = (await value.data())[0];
    tf.dispose([value, ...Object.values(grads)]);
    return { g, inference, loss };
  };
  const a = await run(fused);
  const b = await run(plain);
  // Inference keeps the layers' own call: bit for bit the same.
  assert.deepEqual(a.inference, b.inference);
  assert.ok(Math.abs(a.loss - b.loss) <= 1e-5 * Math.abs(b.loss), `loss ${a.loss} vs ${b.loss}`);
  assert.equal(a.g.length, 16);
  a.g.forEach((g, i) => assertClose(g, b.g[i], `weight ${i} (${plain.trainableWeights[i].name})`));
  tf.dispose([x, y]);
});
