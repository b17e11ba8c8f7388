import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import {
  convolutionRoute,
  FILTER_BIAS_GRAD_KERNEL,
  oneDnnImplementation,
  oneDnnKernelsActive,
  oneDnnStatus,
  registerCpuGradientKernels,
  setOneDnnKernels,
  setupBackend,
} from "./mod.ts";
import { type Layout, layoutsMatch, MAX_PLANS, oneDnnPlanCount } from "./onednn.ts";
import * as tf from "@tensorflow/tfjs";
import {
  assertClose,
  checkBackpropCases,
  checkForwardCases,
  checkMatMulCases,
  compareKernel,
  randomInputs,
  runOn,
} from "./_conv_testing.ts";

// The oneDNN route (onednn.ts) against tfjs' reference "cpu" backend on the
// same cases and tolerance as the SIMD kernels (_conv_testing.ts). CI installs
// Debian's libdnnl2, so there these tests run; without the library they are
// ignored, and the first test checks that a present library is not skipped.
await setupBackend("wasm", { quiet: true });
registerCpuGradientKernels();
setOneDnnKernels(true);
const active = oneDnnKernelsActive();

const DEBIAN_LIB = "/usr/lib/x86_64-linux-gnu/libdnnl.so.2";
const installed = await Deno.stat(DEBIAN_LIB).then(() => true, () => false);

Deno.test("oneDNN is used whenever Debian's libdnnl2 is installed", () => {
  if (installed) {
    assert.equal(active, true, oneDnnStatus().detail);
    assert.match(oneDnnStatus().detail, /^oneDNN 2\.\d+\.\d+ /);
    assert.match(convolutionRoute(), /^oneDNN 2\.\d+\.\d+ \+ WASM SIMD$/);
  } else {
    assert.equal(active, false);
    assert.equal(convolutionRoute(), "WASM SIMD");
  }
});

Deno.test({
  name: "oneDNN Conv2D and FusedConv2D (bias, ReLU) match the cpu backend",
  ignore: !active,
  fn: checkForwardCases,
});

Deno.test({
  name: "oneDNN Conv2DBackpropFilter and Conv2DBackpropInput match the cpu backend",
  ignore: !active,
  fn: checkBackpropCases,
});

Deno.test({
  name: "oneDNN sgemm BatchMatMul matches the cpu backend (every transpose, the dense layer)",
  ignore: !active,
  fn: checkMatMulCases,
});

Deno.test({
  name: "oneDNN runs the paper's layers on a JIT kernel, not a reference loop",
  ignore: !active,
  fn: () => {
    const layers = [[120, 1, 16], [60, 16, 32], [30, 32, 64]];
    for (const [h, c, co] of layers) {
      const g = { n: 50, h, w: h, c, ho: h, wo: h, co, kh: 3, kw: 3, top: 1, left: 1 };
      for (
        const kind of [
          "forward",
          "backprop_input",
          "backprop_filter",
          "backprop_filter_bias",
        ] as const
      ) {
        const got = oneDnnImplementation(kind, g);
        assert.ok(got !== undefined, `${kind} ${h}x${c}->${co}: no plan`);
        // "jit:..." (x86 JIT) or "brg:..." (brgemm); "ref:..." would be a plain loop.
        assert.doesNotMatch(got.impl, /^ref/, `${kind} ${h}x${c}->${co}: ${got.impl}`);
        assert.ok(got.reorders <= 3, `${kind}: ${got.reorders} reorders`);
      }
    }
  },
});

Deno.test({
  name: "oneDNN bias Add, AvgPool and AvgPoolGrad match the cpu backend",
  ignore: !active,
  fn: async () => {
    let seed = 700;
    for (const shape of [[2, 7, 5, 13], [3, 120, 120, 16], [1, 1, 1, 1]]) {
      const c = shape[3];
      for (const bShape of [[c], [1, 1, 1, c]]) {
        const inputs = randomInputs(seed++, { a: shape, b: bShape });
        await compareKernel("Add", inputs, {}, `bias add ${shape} + ${bShape}`);
      }
    }
    // A plain broadcast that is not a bias keeps the native kernel; still right.
    await compareKernel("Add", randomInputs(seed++, { a: [2, 3, 4, 5], b: [4, 1] }), {}, "add");
    const pools: { x: number[]; k: number; s: number }[] = [
      { x: [2, 12, 10, 6], k: 2, s: 2 }, // tiling, as in the paper
      { x: [2, 11, 9, 5], k: 3, s: 2 }, // windows that leave a remainder
      { x: [50, 120, 120, 16], k: 2, s: 2 }, // the paper's first pooling layer
    ];
    for (const p of pools) {
      const attrs = { filterSize: [p.k, p.k], strides: [p.s, p.s], pad: "valid" };
      const inputs = randomInputs(seed++, { x: p.x });
      await compareKernel("AvgPool", inputs, attrs, `avg pool ${JSON.stringify(p)}`);
      if (p.k === p.s) {
        const [n, h, w, c] = p.x;
        const dy = randomInputs(seed++, { dy: [n, h / p.s, w / p.s, c], input: p.x });
        await compareKernel("AvgPoolGrad", dy, attrs, `avg pool grad ${JSON.stringify(p)}`);
      }
    }
  },
});

Deno.test({
  name: "the ReLU gradient on oneDNN (one pass) matches tfjs' dy * step(x) on the cpu backend",
  ignore: !active,
  fn: async () => {
    const { x, dy } = randomInputs(800, { x: [4, 9, 7, 16], dy: [4, 9, 7, 16] });
    // Exact zeros too: step(0) = 0 in tfjs, so no gradient passes there.
    for (let i = 0; i < x.data.length; i += 11) x.data[i] = 0;
    const grad = async (backend: string) => {
      await tf.setBackend(backend);
      const xt = tf.tensor(x.data, x.shape);
      const dyt = tf.tensor(dy.data, dy.shape);
      const g = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.relu(v), dyt)))(xt);
      const out = (await g.data()) as Float32Array;
      tf.dispose([xt, dyt, g]);
      return out;
    };
    const want = await grad("cpu");
    const got = await grad("wasm");
    assertClose(got, want, "relu gradient");
    // The gradient is a selection, not arithmetic: equal to the last bit (the
    // sign of zero aside: + 0 maps -0 to 0).
    assert.deepEqual(Array.from(got, (v) => v + 0), Array.from(want, (v) => v + 0));
    const zeros = Array.from(got).filter((v, i) => i % 11 === 0 && v !== 0);
    assert.deepEqual(zeros, []);
  },
});

Deno.test({
  name: "oneDNN keeps at most MAX_PLANS plans and rebuilds an evicted one correctly",
  ignore: !active,
  fn: async () => {
    let seed = 900;
    const first = randomInputs(seed++, { a: [1, 2, 3, 4], b: [4] });
    await compareKernel("Add", first, {}, "bias add before eviction");
    for (let k = 0; k < MAX_PLANS + 6; k++) {
      await compareKernel(
        "Add",
        randomInputs(seed++, { a: [1, 1, k + 1, 3], b: [3] }),
        {},
        `add ${k}`,
      );
    }
    assert.ok(oneDnnPlanCount() <= MAX_PLANS, `${oneDnnPlanCount()} plans`);
    await compareKernel("Add", first, {}, "bias add after eviction");
  },
});

// Hand-built layouts, in oneDNN's logical dim order (activations n, c, h, w;
// filters out, in, kh, kw), each checked against the plain layout tfjs uses.
const N = 2, H = 3, W = 5;
function plain(dims: number[], strides: number[]): Layout {
  return { dims, padded: dims, offset0: 0, blocked: true, strides, blocks: [] };
}
function nhwc(c: number): Layout {
  return plain([N, c, H, W], [H * W * c, 1, W * c, c]);
}
/** nChw16c: channels split into blocks of 16, the block innermost. */
function nChw16c(c: number): Layout {
  const cb = Math.ceil(c / 16);
  const padded = [N, cb * 16, H, W];
  return {
    dims: [N, c, H, W],
    padded,
    offset0: 0,
    blocked: true,
    strides: [cb * H * W * 16, H * W * 16, W * 16, 16],
    blocks: [{ size: 16, dim: 1 }],
  };
}
/** tfjs' HWIO filter [kh, kw, ci, co] in logical order (co, ci, kh, kw). */
function hwio(co: number, ci: number): Layout {
  return plain([co, ci, 3, 3], [1, co, 3 * ci * co, ci * co]);
}

Deno.test("layoutsMatch: channel blocks of 16 are channels-last exactly when there are 16 channels", () => {
  assert.equal(layoutsMatch(nhwc(16), nChw16c(16)), true);
  assert.equal(layoutsMatch(nhwc(32), nChw16c(32)), false);
  // 8 channels padded to a block of 16: a bigger buffer, not the same places.
  assert.equal(layoutsMatch(nhwc(8), nChw16c(8)), false);
  // One channel: NCHW and NHWC coincide although their channel strides differ.
  assert.equal(layoutsMatch(nhwc(1), plain([N, 1, H, W], [H * W, H * W, W, 1])), true);
  assert.equal(layoutsMatch(nhwc(2), plain([N, 2, H, W], [2 * H * W, H * W, W, 1])), false);
  // Same layout, other dims.
  assert.equal(layoutsMatch(nhwc(16), { ...nChw16c(16), dims: [N, 16, H, W + 1] }), false);
});

Deno.test("layoutsMatch: blocked filter layouts against tfjs' HWIO", () => {
  // Acdb16a (16 outputs innermost, then input, kw, kh): HWIO for 16 outputs.
  const acdb16a = (co: number): Layout => ({
    dims: [co, 1, 3, 3],
    padded: [Math.ceil(co / 16) * 16, 1, 3, 3],
    offset0: 0,
    blocked: true,
    strides: [9 * 16, 16, 3 * 16, 16],
    blocks: [{ size: 16, dim: 0 }],
  });
  assert.equal(layoutsMatch(hwio(16, 1), acdb16a(16)), true);
  assert.equal(
    layoutsMatch(hwio(32, 1), { ...acdb16a(32), strides: [9 * 16, 16, 3 * 16, 16] }),
    false,
  );
  // ABcd16b16a (input block outer, output block inner): HWIO for 16 x 16.
  const abcd16b16a: Layout = {
    dims: [16, 16, 3, 3],
    padded: [16, 16, 3, 3],
    offset0: 0,
    blocked: true,
    strides: [9 * 256, 9 * 256, 3 * 256, 256],
    blocks: [{ size: 16, dim: 1 }, { size: 16, dim: 0 }],
  };
  assert.equal(layoutsMatch(hwio(16, 16), abcd16b16a), true);
  // ABcd16a16b (output block outer): input and output swap places, not HWIO.
  const abcd16a16b: Layout = {
    ...abcd16b16a,
    blocks: [{ size: 16, dim: 0 }, { size: 16, dim: 1 }],
  };
  assert.equal(layoutsMatch(hwio(16, 16), abcd16a16b), false);
});

async function statusWithEnv(
  value: string,
): Promise<{ active: boolean; detail: string; advice: string | null }> {
  const mod = fileURLToPath(new URL("./mod.ts", import.meta.url));
  const code = `import { loadOneDnn, oneDnnAdvice, oneDnnStatus } from ${JSON.stringify(mod)};\n` +
    `loadOneDnn(); console.log(JSON.stringify({ ...oneDnnStatus(), advice: oneDnnAdvice() }));`;
  const res = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--quiet", code],
    env: { CLUSTER_CNN_ONEDNN: value },
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.ok(res.success, new TextDecoder().decode(res.stderr));
  return JSON.parse(new TextDecoder().decode(res.stdout));
}

Deno.test("CLUSTER_CNN_ONEDNN=off keeps the WASM SIMD route; a missing library says what to install", async () => {
  const off = await statusWithEnv("off");
  assert.equal(off.active, false);
  assert.equal(off.detail, "switched off by CLUSTER_CNN_ONEDNN");
  assert.match(off.advice!, /WASM SIMD kernels \(oneDNN switched off by CLUSTER_CNN_ONEDNN\)/);
  assert.doesNotMatch(off.advice!, /apt-get/, "no install advice when the user switched it off");
  const missing = await statusWithEnv("/nonexistent/libdnnl.so.2");
  assert.equal(missing.active, false);
  assert.match(
    missing.detail,
    /^\/nonexistent\/libdnnl\.so\.2 not loaded .*install Debian's libdnnl2/,
  );
  // The train task's one note: the route, what oneDNN would change (measured) and how to get it.
  assert.match(missing.advice!, /106\.6 instead of 292\.1 CPU ms per batch of 50/);
  assert.match(missing.advice!, /sudo apt-get install libdnnl2/);
});

Deno.test({
  name:
    "the filter + bias gradient kernel (one oneDNN primitive) matches Conv2DBackpropFilter and sum(dy) on cpu",
  ignore: !active,
  fn: async () => {
    let seed = 900;
    for (
      const c of [
        { x: [2, 9, 9, 3], co: 4 },
        { x: [3, 120, 120, 1], co: 16 }, // the paper's first layer
        { x: [2, 30, 30, 32], co: 64 }, // its third
      ]
    ) {
      const [n, h, w, ci] = c.x;
      const v = randomInputs(seed++, { x: c.x, dy: [n, h, w, c.co] });
      const attrs = {
        strides: [1, 1],
        pad: "same",
        dataFormat: "NHWC",
        dimRoundingMode: undefined,
        filterShape: [3, 3, ci, c.co],
      } as unknown as tf.NamedAttrMap;
      await tf.setBackend("wasm");
      const x = tf.tensor(v.x.data, v.x.shape);
      const dy = tf.tensor(v.dy.data, v.dy.shape);
      const [dw, db] = tf.engine().runKernel(
        FILTER_BIAS_GRAD_KERNEL,
        { x, dy },
        attrs,
      ) as tf.Tensor[];
      const got = { dw: (await dw.data()) as Float32Array, db: (await db.data()) as Float32Array };
      assert.deepEqual(dw.shape, [3, 3, ci, c.co]);
      assert.deepEqual(db.shape, [c.co]);
      const g = { n, h, w, c: ci, ho: h, wo: w, co: c.co, kh: 3, kw: 3, top: 1, left: 1 };
      assert.ok(oneDnnImplementation("backprop_filter_bias", g), "oneDNN takes the case");
      tf.dispose([x, dy, dw, db]);
      const want = await runOn("cpu", "Conv2DBackpropFilter", v, attrs);
      assertClose(got.dw, want.data, `dw ${c.x}`);
      await tf.setBackend("cpu");
      const s = tf.sum(tf.tensor(v.dy.data, v.dy.shape), [0, 1, 2]);
      assertClose(got.db, (await s.data()) as Float32Array, `db ${c.x}`);
      s.dispose();
      await tf.setBackend("wasm");
    }
  },
});
