/**
 * Optional native kernels: oneDNN (Intel's deep-learning kernel library,
 * Debian package `libdnnl2`, the library PyTorch's CPU convolutions run on)
 * called through Deno's FFI from the TensorFlow.js WASM backend's kernels
 * (registered in `wasm_kernels.ts`): `Conv2D`, `FusedConv2D`,
 * `Conv2DBackpropInput` and `Conv2DBackpropFilter` for stride 1 and dilation
 * 1; `BatchMatMul` of single matrices (`dnnl_sgemm`); the bias `Add`
 * ([n, h, w, c] + [c]); `AvgPool` and `AvgPoolGrad` without padding; and the
 * ReLU gradient (oneDNN's eltwise backward, one pass).
 *
 * Found at run time: {@linkcode loadOneDnn} opens `libdnnl.so.2` (or the file
 * named by `CLUSTER_CNN_ONEDNN`), checks that it is oneDNN 2.x (the C API of
 * operation descriptors used here was replaced in 3.0) and creates a CPU engine.
 * When the library is missing, of another major version, FFI is not
 * permitted, or `CLUSTER_CNN_ONEDNN=off`, nothing is loaded and the kernels
 * stay on the hand-written WASM SIMD route (`simd_conv.ts`), with the reason
 * kept in {@linkcode oneDnnStatus}.
 *
 * Memory: the tensors stay where tfjs keeps them, on the WASM backend's heap;
 * oneDNN reads and writes them there through a pointer to the heap plus the
 * tensor's offset. tfjs stores activations channels-last (NHWC) and filters as
 * [kh, kw, in, out] (HWIO), which oneDNN describes by strides. Its fast AVX-512
 * convolutions want channel-blocked layouts (16 channels innermost), so each
 * primitive is created with "any" layouts, and where the chosen layout differs
 * from tfjs' a oneDNN reorder copies into (or out of) a buffer oneDNN owns,
 * kept with the primitive. For 16 channels the blocked layout is NHWC itself
 * and no copy is made (checked from the layout oneDNN reports, see
 * {@linkcode layoutsMatch}). The other primitives work on tfjs' layouts
 * directly. Primitives are built once per shape and kept.
 *
 * Threads: oneDNN's Debian build runs on OpenMP; each calling thread (Deno
 * worker) is set to one OpenMP thread, because training already puts one
 * worker on each core, and one thread keeps every result independent of the
 * number of workers (bit-identical for a seed).
 *
 * The hand-written part is only this binding; the numerics are oneDNN's.
 * It is split by layer: `_onednn_ffi.ts` (the C API and opening the
 * library), `_onednn_layout.ts` (memory descriptors and layouts),
 * `_onednn_plans.ts` (primitives built per shape and their cache),
 * `_onednn_state.ts` (all of a thread's oneDNN state) and this file (loading
 * and status, and the kernels).
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import { check, openOneDnn, type TensorInfo, type WasmBackend } from "./_onednn_ffi.ts";
import { checkLayoutReader } from "./_onednn_layout.ts";
import {
  address,
  buildAvgPool,
  buildAvgPoolGrad,
  buildBackpropFilter,
  buildBackpropInput,
  buildBiasAdd,
  buildForward,
  buildReluGrad,
  geometryKey,
  nonEmpty,
  planFor,
  type PoolGeometry,
  runPlan,
  runPlanOutputs,
} from "./_onednn_plans.ts";
import { oneDnnKernelsActive, thread } from "./_onednn_state.ts";
import type { ConvForwardArgs, ConvGeometry } from "./simd_conv.ts";

export { oneDnnKernelsActive };
export { type Layout, layoutsMatch } from "./_onednn_layout.ts";
export { MAX_PLANS, oneDnnPlanCount, type PoolGeometry } from "./_onednn_plans.ts";

/** The oneDNN 2.x library file opened unless `CLUSTER_CNN_ONEDNN` names another. */
export const ONEDNN_LIBRARY = "libdnnl.so.2";

/** Whether oneDNN is loaded in this thread, and its version, or why not. */
export interface OneDnnStatus {
  /** The kernels route stride-1 convolutions to oneDNN now. */
  active: boolean;
  /** "oneDNN 2.6.3 (libdnnl.so.2)", or why it is not used. */
  detail: string;
}

/** Whether the oneDNN convolutions are on in this thread, and what was loaded or why not. */
export function oneDnnStatus(): OneDnnStatus {
  return {
    active: oneDnnKernelsActive(),
    detail: thread.state === undefined
      ? thread.status
      : thread.enabled
      ? `oneDNN ${thread.state.version} (${thread.state.library})`
      : `oneDNN ${thread.state.version} loaded, switched off`,
  };
}

/**
 * Which kernels a WASM training step runs on, for logs and the bench: "oneDNN
 * 2.6.3 + WASM SIMD" (oneDNN for what it covers) or "WASM SIMD" (call {@linkcode loadOneDnn} first).
 */
export function convolutionRoute(): string {
  return oneDnnKernelsActive() ? `oneDNN ${thread.state!.version} + WASM SIMD` : "WASM SIMD";
}

/**
 * Route stride-1 convolutions to oneDNN (when loaded) or not; `deno task bench`
 * switches it to time both routes, tests to check both.
 */
export function setOneDnnKernels(on: boolean): void {
  thread.enabled = on;
}

/**
 * CPU milliseconds of the kernels of one training step of the single-channel
 * network, batch 50, on oneDNN and on the WASM SIMD kernels, measured by
 * `deno task bench` (lib/backend/kernels_bench.ts) on the 2-core x86-64 VM
 * of docs/performance.md, 2026-12-02 15:13 UTC (AVX-512, oneDNN 2.6.3).
 */
export const MEASURED_STEP_KERNEL_MS = { oneDnn: 106.6, wasmSimd: 292.1 } as const;

/**
 * What a user training on the WASM route without oneDNN should know, or
 * `null` when oneDNN is in use: which route runs, what oneDNN would change
 * (measured, {@linkcode MEASURED_STEP_KERNEL_MS}) and how to install it.
 * Call after {@linkcode loadOneDnn}.
 */
export function oneDnnAdvice(): string | null {
  if (oneDnnKernelsActive()) return null;
  const { oneDnn, wasmSimd } = MEASURED_STEP_KERNEL_MS;
  const why = oneDnnStatus().detail;
  const effect = `oneDNN would make a training step's kernels take ${oneDnn} instead of ` +
    `${wasmSimd} CPU ms per batch of 50 (${(wasmSimd / oneDnn).toFixed(1)}x; \`deno task bench\` ` +
    "on 2 cores, docs/performance.md)";
  if (thread.state !== undefined || why.startsWith("switched off")) {
    return `the convolutions run on the WASM SIMD kernels (oneDNN ${why}); ${effect}`;
  }
  return `the convolutions run on the WASM SIMD kernels: ${why}. ${effect}: ` +
    "`sudo apt-get install libdnnl2` on Debian or Ubuntu, or " +
    "CLUSTER_CNN_ONEDNN=/path/to/libdnnl.so.2 for another copy of oneDNN 2.x";
}

/**
 * Open oneDNN in this thread (idempotent) and say whether it is now used.
 * Never throws: on any failure the WASM SIMD route stays, and the reason is in
 * {@linkcode oneDnnStatus}.
 */
export function loadOneDnn(): boolean {
  if (thread.state !== undefined) return true;
  let env: string | undefined;
  try {
    env = Deno.env.get("CLUSTER_CNN_ONEDNN");
  } catch {
    env = undefined;
  }
  if (env === "off" || env === "0") {
    thread.status = "switched off by CLUSTER_CNN_ONEDNN";
    return false;
  }
  const library = env !== undefined && env !== "" && env !== "on" ? env : ONEDNN_LIBRARY;
  const opened = openOneDnn(library);
  if ("why" in opened) {
    thread.status = opened.why;
    return false;
  }
  thread.state = opened;
  thread.layoutReadable = checkLayoutReader(opened.lib);
  return true;
}

/**
 * y = conv(x, filter) (+ bias) (then ReLU) on oneDNN, as a new tensor
 * [n, ho, wo, co]; undefined when oneDNN is off or does not take the case.
 */
export function oneDnnConvForward(
  backend: tf.KernelBackend,
  args: ConvForwardArgs,
): TensorInfo | undefined {
  const g = args.geometry;
  if (!nonEmpty(g)) return undefined;
  const bias = args.bias !== undefined;
  const inputs: Record<string, TensorInfo> = { x: args.x, filter: args.filter };
  if (args.bias !== undefined) inputs.bias = args.bias;
  return runPlan(
    backend,
    geometryKey(`fwd${bias ? "b" : ""}${args.relu ? "r" : ""}`, g),
    (s) => buildForward(s, g, bias, args.relu),
    inputs,
    "y",
    [g.n, g.ho, g.wo, g.co],
  );
}

/** dx [n, h, w, c] of a stride-1 convolution on oneDNN; undefined when it does not take the case. */
export function oneDnnConvBackpropInput(
  backend: tf.KernelBackend,
  args: { dy: TensorInfo; filter: TensorInfo; geometry: ConvGeometry },
): TensorInfo | undefined {
  const g = args.geometry;
  if (!nonEmpty(g)) return undefined;
  return runPlan(
    backend,
    geometryKey("bwd_data", g),
    (s) => buildBackpropInput(s, g),
    { dy: args.dy, filter: args.filter },
    "dx",
    [g.n, g.h, g.w, g.c],
  );
}

/** dw [kh, kw, c, co] of a stride-1 convolution on oneDNN; undefined when it does not take the case. */
export function oneDnnConvBackpropFilter(
  backend: tf.KernelBackend,
  args: { x: TensorInfo; dy: TensorInfo; geometry: ConvGeometry },
): TensorInfo | undefined {
  const g = args.geometry;
  if (!nonEmpty(g)) return undefined;
  return runPlan(
    backend,
    geometryKey("bwd_weights", g),
    (s) => buildBackpropFilter(s, g),
    { x: args.x, dy: args.dy },
    "dw",
    [g.kh, g.kw, g.c, g.co],
  );
}

/**
 * dw [kh, kw, c, co] and the bias gradient db [co] (dy summed over batch,
 * rows and columns) of a stride-1 convolution from one oneDNN primitive;
 * undefined when it does not take the case.
 */
export function oneDnnConvBackpropFilterBias(
  backend: tf.KernelBackend,
  args: { x: TensorInfo; dy: TensorInfo; geometry: ConvGeometry },
): { dw: TensorInfo; db: TensorInfo } | undefined {
  const g = args.geometry;
  if (!nonEmpty(g)) return undefined;
  const r = runPlanOutputs(
    backend,
    geometryKey("bwd_weights_bias", g),
    (s) => buildBackpropFilter(s, g, true),
    { x: args.x, dy: args.dy },
    { dw: [g.kh, g.kw, g.c, g.co], db: [g.co] },
  );
  return r && { dw: r.dw, db: r.db };
}

/**
 * x + bias for x [n, h, w, c] (float32) and a bias of c values, on oneDNN;
 * undefined when off or refused.
 */
export function oneDnnBiasAdd(
  backend: tf.KernelBackend,
  args: { x: TensorInfo; bias: TensorInfo },
): TensorInfo | undefined {
  const [n, h, w, c] = args.x.shape;
  return runPlan(
    backend,
    `bias_add:${n},${h},${w},${c}`,
    (s) => buildBiasAdd(s, n, h, w, c),
    { x: args.x, bias: args.bias },
    "y",
    args.x.shape,
  );
}

function poolKey(kind: string, g: PoolGeometry): string {
  return `${kind}:${g.n},${g.h},${g.w},${g.c},${g.ho},${g.wo},${g.kh},${g.kw},${g.sh},${g.sw}`;
}

/** Average pooling without padding, x [n, h, w, c] -> [n, ho, wo, c], on oneDNN. */
export function oneDnnAvgPool(
  backend: tf.KernelBackend,
  args: { x: TensorInfo; geometry: PoolGeometry },
): TensorInfo | undefined {
  const g = args.geometry;
  if (g.h * g.w === 0) return undefined;
  return runPlan(
    backend,
    poolKey("avg_pool", g),
    (s) => buildAvgPool(s, g),
    { x: args.x },
    "y",
    [g.n, g.ho, g.wo, g.c],
  );
}

/** The gradient of {@linkcode oneDnnAvgPool}: dy [n, ho, wo, c] -> dx [n, h, w, c]. */
export function oneDnnAvgPoolGrad(
  backend: tf.KernelBackend,
  args: { dy: TensorInfo; geometry: PoolGeometry },
): TensorInfo | undefined {
  const g = args.geometry;
  if (g.ho * g.wo === 0) return undefined;
  return runPlan(
    backend,
    poolKey("avg_pool_grad", g),
    (s) => buildAvgPoolGrad(s, g),
    { dy: args.dy },
    "dx",
    [g.n, g.h, g.w, g.c],
  );
}

/** dy where x > 0, else 0 (float32 tensors of one shape), on oneDNN; undefined when off. */
export function oneDnnReluGrad(
  backend: tf.KernelBackend,
  args: { dy: TensorInfo; x: TensorInfo },
): TensorInfo | undefined {
  const size = args.x.shape.reduce((a, b) => a * b, 1);
  return runPlan(
    backend,
    `relu_grad:${size}`,
    (s) => buildReluGrad(s, size),
    { x: args.x, dy: args.dy },
    "dx",
    args.x.shape,
  );
}

const CHAR_N = 78;
const CHAR_T = 84;

/**
 * C = op(A) op(B) for rank-2 views a [ar, ac], b [br, bc] (op: transpose when
 * the flag is set; every leading dim 1) on oneDNN's `dnnl_sgemm`, as a tensor
 * of `shape`; undefined when oneDNN is off or the product is empty.
 */
export function oneDnnMatMul(
  backend: tf.KernelBackend,
  args: { a: TensorInfo; b: TensorInfo; transposeA: boolean; transposeB: boolean; shape: number[] },
): TensorInfo | undefined {
  if (!oneDnnKernelsActive()) return undefined;
  const { a, b, transposeA: tA, transposeB: tB } = args;
  const [ar, ac] = a.shape.slice(-2);
  const [br, bc] = b.shape.slice(-2);
  const m = tA ? ac : ar;
  const k = tA ? ar : ac;
  const n = tB ? br : bc;
  if (m * n * k === 0) return undefined;
  const w = backend as unknown as WasmBackend;
  const c = w.makeOutput(args.shape, "float32");
  check(
    thread.state!.lib.dnnl_sgemm(
      tA ? CHAR_T : CHAR_N,
      tB ? CHAR_T : CHAR_N,
      BigInt(m),
      BigInt(n),
      BigInt(k),
      1,
      address(w, a),
      BigInt(ac),
      address(w, b),
      BigInt(bc),
      0,
      address(w, c),
      BigInt(n),
    ),
    "sgemm",
  );
  return c;
}

/**
 * oneDNN's name for the implementation it chose for a case (for example
 * "jit:avx512_core") and the layout copies (reorders, of tensors or filters)
 * around it, building the plan if needed; undefined when off or refused.
 */
export function oneDnnImplementation(
  kind: "forward" | "backprop_input" | "backprop_filter" | "backprop_filter_bias",
  geometry: ConvGeometry,
): { impl: string; reorders: number } | undefined {
  const g = geometry;
  const plan = kind === "forward"
    ? planFor(geometryKey("fwdbr", g), (s) => buildForward(s, g, true, true))
    : kind === "backprop_input"
    ? planFor(geometryKey("bwd_data", g), (s) => buildBackpropInput(s, g))
    : kind === "backprop_filter"
    ? planFor(geometryKey("bwd_weights", g), (s) => buildBackpropFilter(s, g))
    : planFor(geometryKey("bwd_weights_bias", g), (s) => buildBackpropFilter(s, g, true));
  return plan === undefined ? undefined : { impl: plan.impl, reorders: plan.reorders };
}
