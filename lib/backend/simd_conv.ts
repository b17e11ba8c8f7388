/**
 * Hand-written WASM SIMD convolution kernels (`kernels/conv.c`, built to the
 * committed `kernels/conv.wasm` by `scripts/build_kernels.sh`) registered as
 * TensorFlow.js kernels on the "wasm" backend: `Conv2D` and `FusedConv2D`
 * (bias and ReLU fused), `Conv2DBackpropFilter` and `Conv2DBackpropInput`,
 * for stride 1 and dilation 1 (other cases keep the previous kernels).
 *
 * The module imports the tfjs-backend-wasm module's own `WebAssembly.Memory`,
 * so kernels read and write tensors where tfjs keeps them (no copies, no
 * transposes): a tensor's address is its `memoryOffset` in the backend's
 * `dataIdMap`. Its shadow stack is pointed at a block malloc'ed from the tfjs
 * heap, so it never touches memory it does not own.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";

type TensorInfo = tf.TensorInfo;

/** The parts of the tfjs wasm backend these kernels use. */
interface WasmBackend {
  wasm: {
    asm: { memory: WebAssembly.Memory };
    _malloc(bytes: number): number;
    _free(ptr: number): void;
  };
  dataIdMap: { get(id: object): { memoryOffset: number } };
  makeOutput(shape: number[], dtype: "float32"): TensorInfo;
}

interface ConvExports {
  __stack_pointer: WebAssembly.Global;
  conv2d_forward(...args: number[]): void;
  conv2d_backprop_input(...args: number[]): void;
  conv2d_backprop_filter(...args: number[]): void;
  avg_pool_grad_tiled(...args: number[]): void;
  sum_rows(...args: number[]): void;
  matmul_nn(...args: number[]): void;
  matmul_nt(...args: number[]): void;
}

const STACK_BYTES = 1 << 16;

let compiled: WebAssembly.Module | undefined;
const instances = new WeakMap<object, ConvExports>();

/** URL of the committed kernel binary. */
export const SIMD_CONV_WASM_URL: URL = new URL("./kernels/conv.wasm", import.meta.url);

/**
 * Compile the kernel module once per process (worker); later calls return at
 * once. Reads the local file (or fetches a remote URL).
 */
export async function loadSimdConvKernels(): Promise<void> {
  if (compiled !== undefined) return;
  const bytes = SIMD_CONV_WASM_URL.protocol === "file:"
    ? await Deno.readFile(SIMD_CONV_WASM_URL)
    : new Uint8Array(await (await fetch(SIMD_CONV_WASM_URL)).arrayBuffer());
  compiled = await WebAssembly.compile(bytes);
}

/** Whether {@linkcode loadSimdConvKernels} has run (the kernels can be used). */
export function simdConvKernelsLoaded(): boolean {
  return compiled !== undefined;
}

function exportsFor(backend: WasmBackend): ConvExports {
  let ex = instances.get(backend);
  if (ex !== undefined) return ex;
  if (compiled === undefined) {
    throw new TypeError("WASM SIMD convolution kernels used before loadSimdConvKernels()");
  }
  const memory = backend.wasm.asm.memory;
  const inst = new WebAssembly.Instance(compiled, { env: { memory } });
  ex = inst.exports as unknown as ConvExports;
  const stack = backend.wasm._malloc(STACK_BYTES + 16) >>> 0;
  ex.__stack_pointer.value = (stack + STACK_BYTES) & ~15;
  instances.set(backend, ex);
  return ex;
}

function ptr(backend: WasmBackend, t: TensorInfo): number {
  return backend.dataIdMap.get(t.dataId).memoryOffset;
}

/** Geometry of a stride-1 convolution: input [n, h, w, c], output [n, ho, wo, co], kernel kh x kw. */
export interface ConvGeometry {
  n: number;
  h: number;
  w: number;
  c: number;
  ho: number;
  wo: number;
  co: number;
  kh: number;
  kw: number;
  top: number;
  left: number;
}

/**
 * The geometry when the kernels here cover the convolution (NHWC, stride 1,
 * dilation 1), else undefined.
 */
export function simdConvGeometry(
  info: tf.backend_util.Conv2DInfo,
): ConvGeometry | undefined {
  if (
    info.strideHeight !== 1 || info.strideWidth !== 1 || info.dilationHeight !== 1 ||
    info.dilationWidth !== 1 || info.dataFormat !== "channelsLast"
  ) return undefined;
  return {
    n: info.batchSize,
    h: info.inHeight,
    w: info.inWidth,
    c: info.inChannels,
    ho: info.outHeight,
    wo: info.outWidth,
    co: info.outChannels,
    kh: info.filterHeight,
    kw: info.filterWidth,
    top: info.padInfo.top,
    left: info.padInfo.left,
  };
}

function dims(g: ConvGeometry): number[] {
  return [g.n, g.h, g.w, g.c, g.ho, g.wo, g.co, g.kh, g.kw, g.top, g.left];
}

function empty(g: ConvGeometry): boolean {
  return g.n * g.h * g.w * g.c * g.ho * g.wo * g.co * g.kh * g.kw === 0;
}

/** Set the `size` floats of `out` to zero (a convolution with no terms to sum). */
function fillZero(b: WasmBackend, out: TensorInfo, size: number): void {
  new Float32Array(b.wasm.asm.memory.buffer, ptr(b, out), size).fill(0);
}

/** A forward convolution's inputs (the SIMD and oneDNN routes take the same). */
export interface ConvForwardArgs {
  x: TensorInfo;
  filter: TensorInfo;
  bias?: TensorInfo;
  /** Apply ReLU to the output. */
  relu: boolean;
  geometry: ConvGeometry;
}

/** y = conv(x, filter) (+ bias) (then ReLU when `relu`), as a new tensor [n, ho, wo, co]. */
export function simdConvForward(backend: tf.KernelBackend, args: ConvForwardArgs): TensorInfo {
  const b = backend as unknown as WasmBackend;
  const g = args.geometry;
  const out = b.makeOutput([g.n, g.ho, g.wo, g.co], "float32");
  if (g.n * g.ho * g.wo * g.co === 0) return out;
  if (empty(g)) {
    // No terms to sum: bias (or zero), through ReLU.
    fillZero(b, out, g.n * g.ho * g.wo * g.co);
    if (args.bias === undefined) return out;
  }
  const ex = exportsFor(b);
  const bias = args.bias === undefined ? 0 : ptr(b, args.bias);
  ex.conv2d_forward(
    ptr(b, args.x),
    ptr(b, args.filter),
    bias,
    ptr(b, out),
    ...dims(g),
    args.bias === undefined ? 0 : 1,
    args.relu ? 1 : 0,
  );
  return out;
}

/** dx of a stride-1 convolution, [n, h, w, c], from dy [n, ho, wo, co] and the filter. */
export function simdConvBackpropInput(
  backend: tf.KernelBackend,
  args: { dy: TensorInfo; filter: TensorInfo; geometry: ConvGeometry },
): TensorInfo {
  const b = backend as unknown as WasmBackend;
  const g = args.geometry;
  const out = b.makeOutput([g.n, g.h, g.w, g.c], "float32");
  if (g.n * g.h * g.w * g.c === 0) return out;
  if (empty(g)) {
    fillZero(b, out, g.n * g.h * g.w * g.c);
    return out;
  }
  const ex = exportsFor(b);
  const scratch = b.wasm._malloc(g.kh * g.kw * g.c * g.co * 4) >>> 0;
  try {
    ex.conv2d_backprop_input(
      ptr(b, args.dy),
      ptr(b, args.filter),
      ptr(b, out),
      scratch,
      ...dims(g),
    );
  } finally {
    b.wasm._free(scratch);
  }
  return out;
}

/** dw of a stride-1 convolution, [kh, kw, c, co], from x [n, h, w, c] and dy [n, ho, wo, co]. */
export function simdConvBackpropFilter(
  backend: tf.KernelBackend,
  args: { x: TensorInfo; dy: TensorInfo; geometry: ConvGeometry },
): TensorInfo {
  const b = backend as unknown as WasmBackend;
  const g = args.geometry;
  const out = b.makeOutput([g.kh, g.kw, g.c, g.co], "float32");
  const size = g.kh * g.kw * g.c * g.co;
  if (size === 0) return out;
  if (empty(g)) {
    fillZero(b, out, size);
    return out;
  }
  exportsFor(b).conv2d_backprop_filter(ptr(b, args.x), ptr(b, args.dy), ptr(b, out), ...dims(g));
  return out;
}

/**
 * The average-pooling gradient when windows tile the input (window = stride,
 * input = stride x output): dy [n, ho, wo, c] spread over each window, / (sh sw).
 */
export function simdAvgPoolGradTiled(
  backend: tf.KernelBackend,
  args: { dy: TensorInfo; sh: number; sw: number },
): TensorInfo {
  const b = backend as unknown as WasmBackend;
  const [n, ho, wo, c] = args.dy.shape;
  const out = b.makeOutput([n, ho * args.sh, wo * args.sw, c], "float32");
  if (n * ho * wo * c * args.sh * args.sw === 0) return out;
  exportsFor(b).avg_pool_grad_tiled(ptr(b, args.dy), ptr(b, out), n, ho, wo, c, args.sh, args.sw);
  return out;
}

/** Column sums of x viewed as [rows, cols], as a tensor of shape `shape` (cols values). */
export function simdSumRows(
  backend: tf.KernelBackend,
  args: { x: TensorInfo; rows: number; cols: number; shape: number[] },
): TensorInfo {
  const b = backend as unknown as WasmBackend;
  const out = b.makeOutput(args.shape, "float32");
  if (args.cols === 0) return out;
  exportsFor(b).sum_rows(ptr(b, args.x), ptr(b, out), args.rows, args.cols);
  return out;
}

/**
 * C = op(A) op(B) for rank-2 views a [ar, ac], b [br, bc] (op: transpose when
 * the flag is set), as a tensor of `shape` (m x n values); undefined for
 * transposeA with transposeB (the caller's other route).
 */
export function simdMatMul(
  backend: tf.KernelBackend,
  args: { a: TensorInfo; b: TensorInfo; transposeA: boolean; transposeB: boolean; shape: number[] },
): TensorInfo | undefined {
  const { a, b, transposeA: tA, transposeB: tB } = args;
  if (tA && tB) return undefined;
  const [ar, ac] = a.shape.slice(-2);
  const [br, bc] = b.shape.slice(-2);
  const m = tA ? ac : ar;
  const k = tA ? ar : ac;
  const n = tB ? br : bc;
  const w = backend as unknown as WasmBackend;
  const out = w.makeOutput(args.shape, "float32");
  if (m * n === 0) return out;
  const ex = exportsFor(w);
  if (tB) ex.matmul_nt(ptr(w, a), ptr(w, b), ptr(w, out), m, k, n);
  else ex.matmul_nn(ptr(w, a), tA ? 1 : k, tA ? m : 1, ptr(w, b), ptr(w, out), m, k, n);
  return out;
}

/** Options of {@linkcode readFloat32Into}. */
export interface ReadIntoOptions {
  /** Where the values go. */
  out: Float32Array;
  /** First index of `out` written. Default 0. */
  offset?: number;
}

/**
 * Copy a float32 tensor's values into `out` at `offset` without allocating:
 * on the WASM backend straight from the tfjs heap. `tensor.data()` returns a
 * fresh array each call, and on this toolkit's Linux VMs first-touch page
 * faults make fresh multi-megabyte arrays cost ~4 ms per MB (a 12 MB gradient
 * vector: ~50 ms, against ~1 ms for this copy). Other backends: `data()`.
 */
export async function readFloat32Into(tensor: tf.Tensor, options: ReadIntoOptions): Promise<void> {
  const offset = options.offset ?? 0;
  if (tensor.dtype !== "float32") {
    throw new TypeError(`Cannot read a ${tensor.dtype} tensor into a Float32Array`);
  }
  if (offset < 0 || offset + tensor.size > options.out.length) {
    throw new RangeError(
      `Cannot read ${tensor.size} values at offset ${offset} into an array of ${options.out.length}`,
    );
  }
  // Which backend holds the data (tfjs' engine records it per data id).
  const state = (tf.engine() as unknown as {
    state: { tensorInfo: { get(id: object): { backend: unknown } | undefined } };
  }).state;
  const b = state.tensorInfo.get(tensor.dataId)?.backend as Partial<WasmBackend> | undefined;
  const entry = b?.dataIdMap?.get(tensor.dataId);
  if (b?.wasm !== undefined && entry !== undefined && entry.memoryOffset != null) {
    const view = new Float32Array(b.wasm.asm.memory.buffer, entry.memoryOffset, tensor.size);
    options.out.set(view, offset);
    return;
  }
  options.out.set((await tensor.data()) as Float32Array, offset);
}
