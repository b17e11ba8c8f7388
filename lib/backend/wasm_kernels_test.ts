import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { registerCpuGradientKernels, setupBackend } from "./mod.ts";
import {
  assertClose,
  compareKernel,
  compareMatMulCases,
  randomInputs,
  runOn,
} from "./_conv_testing.ts";
import { smallNetworkGradients } from "./_small_network_test_util.ts";

// Every kernel result on "wasm" is compared with tfjs' reference "cpu" backend
// (plain JavaScript loops) on the same inputs; the filter gradient, which this
// toolkit also replaces on "cpu", with its definition in float64 loops. Tolerance: the largest absolute
// difference must be below 1e-4 times the largest absolute reference value
// (float32 sums of up to ~1000 terms agree to ~1e-6 relative); the helpers
// and that tolerance are shared with the kernel tests (_conv_testing.ts).

await setupBackend("wasm", { quiet: true });

/** Output size of a convolution/pooling along one axis (tfjs' rules). */
function outSize(n: number, k: number, s: number, pad: "same" | "valid"): number {
  return pad === "same" ? Math.ceil(n / s) : Math.ceil((n - k + 1) / s);
}

const CONV_CASES: {
  x: number[];
  k: [number, number];
  cout: number;
  s: number;
  pad: "same" | "valid";
}[] = [
  { x: [2, 9, 9, 3], k: [3, 3], cout: 4, s: 1, pad: "same" }, // the paper's layers
  { x: [2, 9, 9, 3], k: [3, 3], cout: 4, s: 1, pad: "valid" },
  { x: [2, 9, 8, 2], k: [3, 3], cout: 3, s: 2, pad: "same" },
  { x: [1, 10, 10, 2], k: [3, 3], cout: 3, s: 2, pad: "valid" }, // last row unused
  { x: [2, 7, 6, 1], k: [2, 3], cout: 5, s: 1, pad: "same" }, // asymmetric padding
  { x: [3, 12, 12, 16], k: [3, 3], cout: 8, s: 1, pad: "same" },
  // Few input channels, as the paper's conv1 (1 -> 16).
  { x: [2, 9, 9, 1], k: [3, 3], cout: 16, s: 1, pad: "same" },
  { x: [2, 8, 7, 1], k: [3, 3], cout: 9, s: 1, pad: "valid" },
  { x: [1, 7, 6, 2], k: [2, 3], cout: 12, s: 1, pad: "same" },
];

/**
 * Filter gradient by its definition, in float64 loops (independent of tfjs):
 * dw[a, b, ci, co] = sum_{n,i,j} x[n, s i + a - top, s j + b - left, ci] dy[n, i, j, co],
 * with tfjs' (TensorFlow's) padding: "same" pads max((out - 1) s + k - in, 0)
 * in total, the smaller half on top/left; "valid" pads nothing.
 */
function naiveFilterGradient(
  x: { shape: number[]; data: Float32Array },
  dy: { shape: number[]; data: Float32Array },
  k: [number, number],
  s: number,
  pad: "same" | "valid",
): Float32Array {
  const [n, h, w, cin] = x.shape;
  const [, ho, wo, cout] = dy.shape;
  const top = pad === "same" ? Math.floor(Math.max((ho - 1) * s + k[0] - h, 0) / 2) : 0;
  const left = pad === "same" ? Math.floor(Math.max((wo - 1) * s + k[1] - w, 0) / 2) : 0;
  const out = new Float32Array(k[0] * k[1] * cin * cout);
  for (let a = 0; a < k[0]; a++) {
    for (let b = 0; b < k[1]; b++) {
      for (let ci = 0; ci < cin; ci++) {
        for (let co = 0; co < cout; co++) {
          let sum = 0;
          for (let m = 0; m < n; m++) {
            for (let i = 0; i < ho; i++) {
              const r = s * i + a - top;
              if (r < 0 || r >= h) continue;
              for (let j = 0; j < wo; j++) {
                const c = s * j + b - left;
                if (c < 0 || c >= w) continue;
                sum += x.data[((m * h + r) * w + c) * cin + ci] *
                  dy.data[((m * ho + i) * wo + j) * cout + co];
              }
            }
          }
          out[((a * k[1] + b) * cin + ci) * cout + co] = sum;
        }
      }
    }
  }
  return out;
}

for (const backend of ["wasm", "cpu"] as const) {
  Deno.test(`${backend} Conv2DBackpropFilter matches its definition for strides 1-2, same/valid padding`, async () => {
    registerCpuGradientKernels();
    let seed = 1;
    for (const c of CONV_CASES) {
      const ho = outSize(c.x[1], c.k[0], c.s, c.pad);
      const wo = outSize(c.x[2], c.k[1], c.s, c.pad);
      const inputs = randomInputs(seed++, { x: c.x, dy: [c.x[0], ho, wo, c.cout] });
      const got = await runOn(backend, "Conv2DBackpropFilter", inputs, {
        strides: [c.s, c.s],
        pad: c.pad,
        dataFormat: "NHWC",
        filterShape: [c.k[0], c.k[1], c.x[3], c.cout],
      });
      assert.deepEqual(got.shape, [c.k[0], c.k[1], c.x[3], c.cout]);
      const want = naiveFilterGradient(inputs.x, inputs.dy, c.k, c.s, c.pad);
      assertClose(got.data, want, `${backend} dW ${JSON.stringify(c)}`);
    }
  });
}

Deno.test("wasm Conv2DBackpropInput matches the cpu backend (fast path at stride 1, native otherwise)", async () => {
  let seed = 100;
  for (const c of CONV_CASES) {
    const ho = outSize(c.x[1], c.k[0], c.s, c.pad);
    const wo = outSize(c.x[2], c.k[1], c.s, c.pad);
    const inputs = randomInputs(seed++, {
      dy: [c.x[0], ho, wo, c.cout],
      filter: [c.k[0], c.k[1], c.x[3], c.cout],
    });
    await compareKernel("Conv2DBackpropInput", inputs, {
      strides: [c.s, c.s],
      pad: c.pad,
      dataFormat: "NHWC",
      inputShape: c.x,
    }, `dx ${JSON.stringify(c)}`);
  }
});

Deno.test("wasm BatchMatMul matches the cpu backend with every transpose combination", async () => {
  await compareMatMulCases(200, [
    { a: [7, 5], b: [7, 3], tA: true, tB: false }, // dense dW = x^T dy
    { a: [4, 3], b: [6, 3], tA: false, tB: true }, // dense dx = dy W^T
    { a: [300, 4], b: [6, 4], tA: false, tB: true }, // takes the C^T route
    { a: [5, 4], b: [3, 5], tA: true, tB: true },
    { a: [1, 5, 4], b: [1, 5, 3], tA: true, tB: false }, // rank 3, batch 1
    { a: [2, 5, 4], b: [2, 3, 4], tA: false, tB: true }, // batch 2: native kernel
    { a: [4, 5], b: [5, 3], tA: false, tB: false },
    { a: [2, 50], b: [50, 300], tA: false, tB: false }, // fresh wide weights: C^T route
  ]);
});

Deno.test("wasm BatchMatMul gives the same product when the same weights come again", async () => {
  const { a, b } = randomInputs(250, { a: [3, 40], b: [40, 200] });
  const want = await runOn("cpu", "BatchMatMul", { a, b }, {
    transposeA: false,
    transposeB: false,
  });
  await tf.setBackend("wasm");
  const w = tf.tensor(b.data, b.shape);
  for (let i = 0; i < 3; i++) {
    const x = tf.tensor(a.data, a.shape);
    const out = tf.matMul(x, w);
    assertClose(out.dataSync() as Float32Array, want.data, `call ${i + 1} with the same weights`);
    tf.dispose([x, out]);
  }
  w.dispose();
});

Deno.test("wasm AvgPoolGrad matches the cpu backend for tiling and non-tiling windows", async () => {
  let seed = 300;
  const cases: { x: number[]; f: number; s: number; pad: "same" | "valid" }[] = [
    { x: [2, 8, 6, 3], f: 2, s: 2, pad: "valid" }, // the paper's pooling: fast path
    { x: [2, 8, 6, 3], f: 2, s: 2, pad: "same" },
    { x: [1, 9, 9, 2], f: 3, s: 3, pad: "valid" },
    { x: [2, 7, 7, 3], f: 2, s: 2, pad: "valid" }, // odd size: native kernel
    { x: [1, 6, 6, 2], f: 3, s: 1, pad: "same" }, // overlapping windows: native
  ];
  for (const c of cases) {
    const ho = outSize(c.x[1], c.f, c.s, c.pad);
    const wo = outSize(c.x[2], c.f, c.s, c.pad);
    const inputs = randomInputs(seed++, { dy: [c.x[0], ho, wo, c.x[3]], input: c.x });
    await compareKernel(
      "AvgPoolGrad",
      inputs,
      { filterSize: [c.f, c.f], strides: [c.s, c.s], pad: c.pad },
      `avgPoolGrad ${JSON.stringify(c)}`,
    );
  }
});

Deno.test("wasm Sum matches the cpu backend over leading and other axes", async () => {
  let seed = 400;
  const cases: { x: number[]; axis: number | number[]; keepDims: boolean }[] = [
    { x: [4, 6, 5, 3], axis: [0, 1, 2], keepDims: false }, // a conv bias gradient
    { x: [4, 6, 5, 3], axis: [2, 0, 1], keepDims: true },
    { x: [3, 4, 5], axis: [-3, -2], keepDims: false },
    { x: [4, 6, 5, 3], axis: [1, 2], keepDims: false }, // not leading: native kernel
    { x: [7, 3], axis: 0, keepDims: false },
  ];
  for (const c of cases) {
    const inputs = randomInputs(seed++, { x: c.x });
    await compareKernel(
      "Sum",
      inputs,
      { axis: c.axis, keepDims: c.keepDims },
      `sum ${JSON.stringify(c)}`,
    );
  }
});

Deno.test("a small conv/pool/dense network has the same gradients on wasm as on cpu", async () => {
  const want = await smallNetworkGradients("cpu");
  const got = await smallNetworkGradients("wasm");
  want.forEach((w, i) => assertClose(got[i], w, `gradient of weight ${i}`));
});
