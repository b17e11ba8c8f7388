import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { fileURLToPath } from "node:url";
import {
  readFloat32Into,
  registerCpuGradientKernels,
  setSimdConvKernels,
  setupBackend,
  SIMD_CONV_WASM_URL,
  simdConvKernelsActive,
} from "./mod.ts";
import { Rng } from "../random/mod.ts";

// The WASM SIMD convolution kernels (kernels/conv.c) against tfjs' reference
// "cpu" backend (plain JavaScript loops) on the same inputs. Tolerance: the
// largest absolute difference below 1e-4 times the largest absolute reference
// value (float32 sums of up to ~600 terms, fused multiply-adds in another
// order, agree to ~1e-6 relative).
const REL_TOL = 1e-4;

await setupBackend("wasm", { quiet: true });
registerCpuGradientKernels();

type Inputs = Record<string, { shape: number[]; data: Float32Array }>;

function randomInputs(seed: number, shapes: Record<string, number[]>): Inputs {
  const rng = new Rng(seed);
  const out: Inputs = {};
  for (const [k, shape] of Object.entries(shapes)) {
    const a = new Float32Array(shape.reduce((p, q) => p * q, 1));
    for (let i = 0; i < a.length; i++) a[i] = rng.normal();
    out[k] = { shape, data: a };
  }
  return out;
}

async function runOn(
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

function assertClose(got: Float32Array, want: Float32Array, what: string): void {
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

async function compareKernel(
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
const CASES: { x: number[]; k: [number, number]; cout: number; pad: "same" | "valid" }[] = [
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

Deno.test("the SIMD convolution kernels are loaded and on after setupBackend('wasm')", () => {
  assert.equal(simdConvKernelsActive(), true);
});

Deno.test("SIMD Conv2D and FusedConv2D (bias, ReLU) match the cpu backend", async () => {
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
});

Deno.test("SIMD Conv2DBackpropFilter and Conv2DBackpropInput match the cpu backend", async () => {
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
});

Deno.test("SIMD kernels and the previous route give the same results", async () => {
  const c = CASES[1];
  const inputs = randomInputs(7, {
    x: c.x,
    dy: [c.x[0], c.x[1], c.x[2], c.cout],
    filter: [3, 3, c.x[3], c.cout],
  });
  const attrs = { strides: [1, 1], pad: "same", dataFormat: "NHWC" };
  const both = async () => [
    await runOn("wasm", "Conv2DBackpropFilter", { x: inputs.x, dy: inputs.dy }, {
      ...attrs,
      filterShape: inputs.filter.shape,
    }),
    await runOn("wasm", "Conv2DBackpropInput", { dy: inputs.dy, filter: inputs.filter }, {
      ...attrs,
      inputShape: c.x,
    }),
    await runOn("wasm", "Conv2D", { x: inputs.x, filter: inputs.filter }, {
      ...attrs,
      dilations: [1, 1],
    }),
  ];
  const simd = await both();
  setSimdConvKernels(false);
  try {
    assert.equal(simdConvKernelsActive(), false);
    const old = await both();
    simd.forEach((r, i) => assertClose(r.data, old[i].data, `kernel ${i}`));
  } finally {
    setSimdConvKernels(true);
  }
});

async function sha256(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(d, (b) => b.toString(16).padStart(2, "0")).join("");
}

Deno.test("the committed conv.wasm was built from the committed conv.c", async () => {
  const dir = new URL("./kernels/", import.meta.url);
  const recorded = (await Deno.readTextFile(new URL("conv.wasm.sha256", dir))).trim().split(/\s+/);
  const source = await sha256(await Deno.readFile(new URL("conv.c", dir)));
  const binary = await sha256(await Deno.readFile(SIMD_CONV_WASM_URL));
  assert.deepEqual(
    recorded,
    [source, binary],
    "kernels/conv.c or conv.wasm changed without a rebuild: run scripts/build_kernels.sh",
  );
});

Deno.test("conv.wasm imports only the tfjs memory and has no data segments", async () => {
  const mod = await WebAssembly.compile(await Deno.readFile(SIMD_CONV_WASM_URL));
  assert.deepEqual(WebAssembly.Module.imports(mod), [
    { module: "env", name: "memory", kind: "memory" },
  ]);
  // A data segment would be written into the tfjs heap at instantiation.
  const bytes = await Deno.readFile(SIMD_CONV_WASM_URL);
  let p = 8;
  const ids: number[] = [];
  while (p < bytes.length) {
    const id = bytes[p++];
    let size = 0;
    for (let shift = 0;; shift += 7) {
      const b = bytes[p++];
      size |= (b & 0x7f) << shift;
      if ((b & 0x80) === 0) break;
    }
    ids.push(id);
    p += size;
  }
  assert.ok(!ids.includes(11), `data section present (sections ${ids})`);
});

const clang = await (async () => {
  for (const c of ["clang-16", "/usr/lib/llvm-16/bin/clang"]) {
    try {
      const { success } = await new Deno.Command(c, { args: ["--version"], stdout: "null" })
        .output();
      if (success) return c;
    } catch {
      // not installed
    }
  }
  return undefined;
})();

Deno.test({
  name: "scripts/build_kernels.sh rebuilds conv.wasm byte for byte (when clang 16 is installed)",
  ignore: clang === undefined,
  fn: async () => {
    const out = await Deno.makeTempDir({ prefix: "build_kernels_" });
    try {
      const script = fileURLToPath(new URL("../../scripts/build_kernels.sh", import.meta.url));
      const res = await new Deno.Command("bash", {
        args: [script],
        env: { CLANG: clang!, KERNELS_OUT: out },
        stdout: "piped",
        stderr: "piped",
      }).output();
      assert.ok(res.success, new TextDecoder().decode(res.stderr));
      assert.deepEqual(
        await Deno.readFile(`${out}/conv.wasm`),
        await Deno.readFile(SIMD_CONV_WASM_URL),
      );
    } finally {
      await Deno.remove(out, { recursive: true });
    }
  },
});

Deno.test("wasm Cast to the same dtype shares the buffer; other casts still convert", async () => {
  await tf.setBackend("wasm");
  const x = tf.tensor([1.5, -2.25, 0, 3]);
  const same = tf.cast(x, "float32");
  const toInt = tf.cast(x, "int32");
  x.dispose(); // the shared buffer outlives x
  assert.deepEqual(Array.from(await same.data()), [1.5, -2.25, 0, 3]);
  assert.deepEqual(Array.from(await toInt.data()), [1, -2, 0, 3]);
  tf.dispose([same, toInt]);
});

Deno.test("SIMD BatchMatMul matches the cpu backend (blocks of k, odd sizes, the dense layer)", async () => {
  let seed = 500;
  const cases: { a: number[]; b: number[]; tA: boolean; tB: boolean }[] = [
    { a: [7, 600], b: [600, 37], tA: false, tB: false }, // k over several blocks
    { a: [600, 7], b: [600, 21], tA: true, tB: false },
    { a: [5, 301], b: [19, 301], tA: false, tB: true },
    { a: [1, 3], b: [3, 1], tA: false, tB: false },
    { a: [50, 14400], b: [14400, 200], tA: false, tB: false }, // the paper's dense layer
    { a: [50, 14400], b: [50, 200], tA: true, tB: false }, // its weight gradient
    { a: [50, 200], b: [14400, 200], tA: false, tB: true }, // its input gradient
  ];
  for (const c of cases) {
    const inputs = randomInputs(seed++, { a: c.a, b: c.b });
    await compareKernel(
      "BatchMatMul",
      inputs,
      { transposeA: c.tA, transposeB: c.tB },
      `matMul ${JSON.stringify(c)}`,
    );
  }
});

Deno.test("readFloat32Into copies a tensor's values into an array at an offset (wasm and cpu)", async () => {
  for (const backend of ["wasm", "cpu"]) {
    await tf.setBackend(backend);
    const t = tf.tensor([[1, 2, 3], [4, 5, 6]]);
    const out = new Float32Array(9).fill(-1);
    await readFloat32Into(t, { out, offset: 2 });
    assert.deepEqual(Array.from(out), [-1, -1, 1, 2, 3, 4, 5, 6, -1], backend);
    await assert.rejects(() => readFloat32Into(t, { out, offset: 4 }), RangeError);
    t.dispose();
  }
  await tf.setBackend("wasm");
});
