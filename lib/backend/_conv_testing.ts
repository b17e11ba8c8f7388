/**
 * Test helpers shared by simd_conv_test.ts and onednn_test.ts: the WASM
 * backend's convolution kernels (whichever route is on) against tfjs'
 * reference "cpu" backend (plain JavaScript loops) on the same inputs.
 * Tolerance: the largest absolute difference below 1e-4 times the largest
 * absolute reference value (float32 sums of up to ~600 terms, fused
 * multiply-adds in another order, agree to ~1e-6 relative).
 *
 * @module
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { Rng } from "../random/mod.ts";

export const REL_TOL = 1e-4;

export type Inputs = Record<string, { shape: number[]; data: Float32Array }>;

export function randomInputs(seed: number, shapes: Record<string, number[]>): Inputs {
  const rng = new Rng(seed);
  const out: Inputs = {};
  for (const [k, shape] of Object.entries(shapes)) {
    const a = new Float32Array(shape.reduce((p, q) => p * q, 1));
    for (let i = 0; i < a.length; i++) a[i] = rng.normal();
    out[k] = { shape, data: a };
  }
  return out;
}

export async function runOn(
  backend: "cpu" | "wasm",
  kernelName: string,
  inputs: Inputs,
  attrs: tf.NamedAttrMap,
): Promise<{ shape: number[]; data: Float32Array }> {
  await tf.setBackend(backend);
  const tensors: tf.NamedTensorMap = {};
  for (const [k, v] of Object.entries(inputs)) tensors[k] = tf.tensor(v.data, v.shape);
  const out = tf.engine().runKernel(kernelName, tensors, attrs) as tf.Tensor;
  const result = { shape: out.shape, data: (await out.data()) as Float32Array };
  tf.dispose([out, ...Object.values(tensors)]);
  return result;
}

export function assertClose(got: Float32Array, want: Float32Array, what: string): void {
  assert.equal(got.length, want.length, `${what}: length`);
  let scale = 0;
  let worst = 0;
  for (let i = 0; i < want.length; i++) {
    scale = Math.max(scale, Math.abs(want[i]));
    const d = Math.abs(got[i] - want[i]);
    worst = Number.isNaN(d) ? Infinity : Math.max(worst, d);
  }
  assert.ok(scale > 0, `${what}: reference is all zeros`);
  assert.ok(
    worst <= REL_TOL * scale,
    `${what}: max |wasm - cpu| = ${worst} exceeds ${REL_TOL} x ${scale}`,
  );
}

export async function compareKernel(
  kernelName: string,
  inputs: Inputs,
  attrs: tf.NamedAttrMap,
  what: string,
): Promise<void> {
  const want = await runOn("cpu", kernelName, inputs, attrs);
  const got = await runOn("wasm", kernelName, inputs, attrs);
  assert.deepEqual(got.shape, want.shape, `${what}: shape`);
  assertClose(got.data, want.data, what);
}

function outSize(n: number, k: number, pad: "same" | "valid"): number {
  return pad === "same" ? n : n - k + 1;
}

/** Stride-1 cases: odd sizes, channel counts off multiples of 4, 8 and 16, both paddings. */
export const CASES: { x: number[]; k: [number, number]; cout: number; pad: "same" | "valid" }[] = [
  // The paper's network, at batch 2.
  { x: [2, 120, 120, 1], k: [3, 3], cout: 16, pad: "same" },
  { x: [2, 60, 60, 16], k: [3, 3], cout: 32, pad: "same" },
  { x: [2, 30, 30, 32], k: [3, 3], cout: 64, pad: "same" },
  // Odd sizes and channel counts.
  { x: [1, 7, 5, 3], k: [3, 3], cout: 7, pad: "same" },
  { x: [3, 9, 11, 5], k: [3, 3], cout: 13, pad: "valid" },
  { x: [2, 13, 6, 9], k: [5, 3], cout: 20, pad: "same" },
  { x: [1, 6, 9, 2], k: [2, 3], cout: 12, pad: "same" }, // asymmetric padding
  { x: [2, 8, 7, 1], k: [3, 3], cout: 9, pad: "valid" },
  { x: [1, 5, 5, 17], k: [1, 1], cout: 24, pad: "same" },
  { x: [2, 4, 3, 6], k: [5, 5], cout: 8, pad: "same" }, // kernel larger than the image
  { x: [1, 10, 10, 12], k: [3, 3], cout: 3, pad: "same" },
  { x: [2, 12, 12, 33], k: [3, 3], cout: 40, pad: "same" },
];

/** Conv2D and FusedConv2D (bias, ReLU, linear) on wasm against cpu, for every case. */
export async function checkForwardCases(): Promise<void> {
  let seed = 1;
  for (const c of CASES) {
    const filter = [c.k[0], c.k[1], c.x[3], c.cout];
    const inputs = randomInputs(seed++, { x: c.x, filter, bias: [c.cout] });
    const base = { strides: [1, 1], pad: c.pad, dataFormat: "NHWC", dilations: [1, 1] };
    const { x, filter: f, bias } = inputs;
    await compareKernel("Conv2D", { x, filter: f }, base, `conv ${JSON.stringify(c)}`);
    for (const activation of ["relu", "linear"]) {
      await compareKernel(
        "FusedConv2D",
        { x, filter: f, bias },
        { ...base, activation },
        `fused ${activation} ${JSON.stringify(c)}`,
      );
    }
    await compareKernel(
      "FusedConv2D",
      { x, filter: f },
      { ...base, activation: "relu" },
      `fused relu, no bias ${JSON.stringify(c)}`,
    );
  }
}

/** Conv2DBackpropFilter and Conv2DBackpropInput on wasm against cpu, for every case. */
export async function checkBackpropCases(): Promise<void> {
  let seed = 100;
  for (const c of CASES) {
    const ho = outSize(c.x[1], c.k[0], c.pad);
    const wo = outSize(c.x[2], c.k[1], c.pad);
    const filterShape = [c.k[0], c.k[1], c.x[3], c.cout];
    const inputs = randomInputs(seed++, {
      x: c.x,
      dy: [c.x[0], ho, wo, c.cout],
      filter: filterShape,
    });
    const base = { strides: [1, 1], pad: c.pad, dataFormat: "NHWC" };
    await compareKernel(
      "Conv2DBackpropFilter",
      { x: inputs.x, dy: inputs.dy },
      { ...base, filterShape },
      `dW ${JSON.stringify(c)}`,
    );
    await compareKernel(
      "Conv2DBackpropInput",
      { dy: inputs.dy, filter: inputs.filter },
      { ...base, inputShape: c.x },
      `dx ${JSON.stringify(c)}`,
    );
  }
}

/**
 * BatchMatMul on wasm against cpu: k over several blocks, odd sizes, every
 * transpose combination, the paper's dense layer and its two gradients.
 */
export async function checkMatMulCases(): Promise<void> {
  await compareMatMulCases(500, [
    { a: [7, 600], b: [600, 37], tA: false, tB: false }, // k over several blocks
    { a: [600, 7], b: [600, 21], tA: true, tB: false },
    { a: [5, 301], b: [19, 301], tA: false, tB: true },
    { a: [1, 3], b: [3, 1], tA: false, tB: false },
    { a: [9, 4], b: [6, 9], tA: true, tB: true },
    { a: [50, 14400], b: [14400, 200], tA: false, tB: false }, // the paper's dense layer
    { a: [50, 14400], b: [50, 200], tA: true, tB: false }, // its weight gradient
    { a: [50, 200], b: [14400, 200], tA: false, tB: true }, // its input gradient
  ]);
}

/** One BatchMatMul case: the shapes of a and b and whether each is transposed. */
export interface MatMulCase {
  a: number[];
  b: number[];
  tA: boolean;
  tB: boolean;
}

/** BatchMatMul on wasm against cpu for each case, with random inputs from seeds `seed`, `seed + 1`, ... */
export async function compareMatMulCases(seed: number, cases: MatMulCase[]): Promise<void> {
  for (const [i, c] of cases.entries()) {
    const inputs = randomInputs(seed + i, { a: c.a, b: c.b });
    await compareKernel(
      "BatchMatMul",
      inputs,
      { transposeA: c.tA, transposeB: c.tB },
      `matMul ${JSON.stringify(c)}`,
    );
  }
}
