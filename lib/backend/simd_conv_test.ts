import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { fileURLToPath } from "node:url";
import {
  readFloat32Into,
  registerCpuGradientKernels,
  setOneDnnKernels,
  setSimdConvKernels,
  setupBackend,
  SIMD_CONV_WASM_URL,
  simdConvKernelsActive,
} from "./mod.ts";
import {
  assertClose,
  CASES,
  checkBackpropCases,
  checkForwardCases,
  checkMatMulCases,
  randomInputs,
  runOn,
} from "./_conv_testing.ts";

// The WASM SIMD convolution kernels (kernels/conv.c) against tfjs' reference
// "cpu" backend (the cases and tolerance are in _conv_testing.ts), with the
// oneDNN route (onednn_test.ts) switched off so that these kernels run.
await setupBackend("wasm", { quiet: true });
registerCpuGradientKernels();
setOneDnnKernels(false);

Deno.test("the SIMD convolution kernels are loaded and on after setupBackend('wasm')", () => {
  assert.equal(simdConvKernelsActive(), true);
});

Deno.test("SIMD Conv2D and FusedConv2D (bias, ReLU) match the cpu backend", checkForwardCases);

Deno.test(
  "SIMD Conv2DBackpropFilter and Conv2DBackpropInput match the cpu backend",
  checkBackpropCases,
);

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

Deno.test(
  "SIMD BatchMatMul matches the cpu backend (blocks of k, odd sizes, the dense layer)",
  checkMatMulCases,
);

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

Deno.test("SIMD convolutions with no input channels give zeros, or ReLU(bias) when fused", async () => {
  // Nothing to sum: the kernels must fill their output rather than leave the memory they were given.
  const x = { data: new Float32Array(0), shape: [1, 4, 4, 0] };
  const filter = { data: new Float32Array(0), shape: [3, 3, 0, 2] };
  const attrs = { strides: [1, 1], pad: "same", dataFormat: "NHWC", dilations: [1, 1] };
  const plain = await runOn("wasm", "Conv2D", { x, filter }, attrs);
  assert.deepEqual(plain.shape, [1, 4, 4, 2]);
  assert.ok(plain.data.every((v) => v === 0));
  const bias = { data: Float32Array.from([0.5, -0.5]), shape: [2] };
  const fused = await runOn("wasm", "FusedConv2D", { x, filter, bias }, {
    ...attrs,
    dimRoundingMode: undefined,
    activation: "relu",
    leakyreluAlpha: 0,
  } as unknown as tf.NamedAttrMap);
  assert.deepEqual(Array.from(fused.data.slice(0, 4)), [0.5, 0, 0.5, 0]);
  const dy = { data: new Float32Array(32).fill(1), shape: [1, 4, 4, 2] };
  const dx = await runOn("wasm", "Conv2DBackpropInput", { dy, filter }, {
    ...attrs,
    inputShape: [1, 4, 4, 0],
  });
  assert.equal(dx.data.length, 0);
  const dw = await runOn("wasm", "Conv2DBackpropFilter", { x, dy }, {
    ...attrs,
    filterShape: [3, 3, 0, 2],
  });
  assert.equal(dw.data.length, 0);
});
