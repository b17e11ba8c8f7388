/**
 * Optional native kernels: oneDNN (Intel's deep-learning kernel library,
 * Debian package `libdnnl2`, the library PyTorch's CPU convolutions run on)
 * called through Deno's FFI from the TensorFlow.js WASM backend's kernels
 * (registered in `wasm_gradients.ts`): `Conv2D`, `FusedConv2D`,
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
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import type { ConvForwardArgs, ConvGeometry } from "./simd_conv.ts";

type TensorInfo = tf.TensorInfo;

/** The parts of the tfjs wasm backend these kernels use. */
interface WasmBackend {
  wasm: { asm: { memory: WebAssembly.Memory } };
  dataIdMap: { get(id: object): { memoryOffset: number } };
  makeOutput(shape: number[], dtype: "float32"): TensorInfo;
}

// oneDNN 2.x C API constants (dnnl_types.h; unchanged through the 2.x series).
const DNNL_SUCCESS = 0;
const DNNL_CPU = 1;
const DNNL_F32 = 3;
const DNNL_FORMAT_TAG_ANY = 1;
const DNNL_FORWARD_TRAINING = 64;
const DNNL_CONVOLUTION_DIRECT = 1;
const DNNL_FORWARD_INFERENCE = 96;
const DNNL_ELTWISE_RELU = 31;
const DNNL_BINARY_ADD = 0x1fff0;
const DNNL_POOLING_AVG_EXCLUDE_PADDING = 0x3ff;
const DNNL_STREAM_DEFAULT_FLAGS = 1;
const ARG = {
  src: 1,
  dst: 17,
  weights: 33,
  bias: 41,
  diffSrc: 129,
  diffDst: 145,
  diffWeights: 161,
  diffBias: 169,
  src1: 2,
  from: 1,
  to: 17,
} as const;
const QUERY = {
  implInfo: 8,
  src: 129,
  diffSrc: 130,
  weights: 131,
  diffWeights: 132,
  dst: 133,
  diffDst: 134,
} as const;
/** `DNNL_MEMORY_ALLOCATE`: oneDNN allocates the buffer. */
const MEMORY_ALLOCATE = 0xffffffffffffffffn;
/**
 * Bytes reserved for a `dnnl_memory_desc_t` (696 in 2.6) and an operation
 * descriptor (`dnnl_convolution_desc_t`: 5976 in 2.6); only pointers to them
 * cross the FFI, so room to spare is all that is needed.
 */
const MD_BYTES = 4096;
const OP_DESC_BYTES = 16384;

const SYMBOLS = {
  dnnl_version: { parameters: [], result: "pointer" },
  dnnl_engine_create: { parameters: ["buffer", "i32", "usize"], result: "i32" },
  dnnl_stream_create: { parameters: ["buffer", "pointer", "u32"], result: "i32" },
  dnnl_memory_desc_init_by_strides: {
    parameters: ["buffer", "i32", "buffer", "i32", "buffer"],
    result: "i32",
  },
  dnnl_memory_desc_init_by_tag: {
    parameters: ["buffer", "i32", "buffer", "i32", "i32"],
    result: "i32",
  },
  dnnl_memory_desc_equal: { parameters: ["pointer", "pointer"], result: "i32" },
  dnnl_convolution_forward_desc_init: {
    parameters: [
      "buffer",
      "i32",
      "i32",
      "buffer",
      "buffer",
      "pointer",
      "buffer",
      "buffer",
      "buffer",
      "buffer",
    ],
    result: "i32",
  },
  dnnl_convolution_backward_data_desc_init: {
    parameters: ["buffer", "i32", "buffer", "buffer", "buffer", "buffer", "buffer", "buffer"],
    result: "i32",
  },
  dnnl_convolution_backward_weights_desc_init: {
    parameters: [
      "buffer",
      "i32",
      "buffer",
      "buffer",
      "pointer",
      "buffer",
      "buffer",
      "buffer",
      "buffer",
    ],
    result: "i32",
  },
  dnnl_binary_desc_init: {
    parameters: ["buffer", "i32", "buffer", "buffer", "buffer"],
    result: "i32",
  },
  dnnl_pooling_forward_desc_init: {
    parameters: [
      "buffer",
      "i32",
      "i32",
      "buffer",
      "buffer",
      "buffer",
      "buffer",
      "buffer",
      "buffer",
    ],
    result: "i32",
  },
  dnnl_pooling_backward_desc_init: {
    parameters: ["buffer", "i32", "buffer", "buffer", "buffer", "buffer", "buffer", "buffer"],
    result: "i32",
  },
  dnnl_eltwise_forward_desc_init: {
    parameters: ["buffer", "i32", "i32", "buffer", "f32", "f32"],
    result: "i32",
  },
  dnnl_eltwise_backward_desc_init: {
    parameters: ["buffer", "i32", "buffer", "buffer", "f32", "f32"],
    result: "i32",
  },
  dnnl_post_ops_create: { parameters: ["buffer"], result: "i32" },
  dnnl_post_ops_append_eltwise: {
    parameters: ["pointer", "f32", "i32", "f32", "f32"],
    result: "i32",
  },
  dnnl_primitive_attr_create: { parameters: ["buffer"], result: "i32" },
  dnnl_primitive_attr_set_post_ops: { parameters: ["pointer", "pointer"], result: "i32" },
  dnnl_primitive_desc_create: {
    parameters: ["buffer", "buffer", "pointer", "pointer", "pointer"],
    result: "i32",
  },
  dnnl_primitive_desc_query_md: { parameters: ["pointer", "i32", "i32"], result: "pointer" },
  dnnl_primitive_desc_query: {
    parameters: ["pointer", "i32", "i32", "buffer"],
    result: "i32",
  },
  dnnl_reorder_primitive_desc_create: {
    parameters: ["buffer", "pointer", "pointer", "pointer", "pointer", "pointer"],
    result: "i32",
  },
  dnnl_primitive_create: { parameters: ["buffer", "pointer"], result: "i32" },
  dnnl_primitive_execute: {
    parameters: ["pointer", "pointer", "i32", "buffer"],
    result: "i32",
  },
  dnnl_memory_create: {
    parameters: ["buffer", "pointer", "pointer", "pointer"],
    result: "i32",
  },
  dnnl_memory_set_data_handle: { parameters: ["pointer", "pointer"], result: "i32" },
  dnnl_stream_wait: { parameters: ["pointer"], result: "i32" },
  dnnl_primitive_desc_destroy: { parameters: ["pointer"], result: "i32" },
  dnnl_primitive_attr_destroy: { parameters: ["pointer"], result: "i32" },
  dnnl_post_ops_destroy: { parameters: ["pointer"], result: "i32" },
  dnnl_primitive_destroy: { parameters: ["pointer"], result: "i32" },
  dnnl_memory_destroy: { parameters: ["pointer"], result: "i32" },
  dnnl_sgemm: {
    parameters: [
      "u8",
      "u8",
      "i64",
      "i64",
      "i64",
      "f32",
      "pointer",
      "i64",
      "pointer",
      "i64",
      "f32",
      "pointer",
      "i64",
    ],
    result: "i32",
  },
} as const;

type Lib = Deno.DynamicLibrary<typeof SYMBOLS>["symbols"];
type Ptr = Deno.PointerValue;

interface State {
  lib: Lib;
  engine: Ptr;
  stream: Ptr;
  version: string;
  library: string;
}

let state: State | undefined;
let status = "not loaded (call loadOneDnn)";
let enabled = true;

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
    detail: state === undefined
      ? status
      : enabled
      ? `oneDNN ${state.version} (${state.library})`
      : `oneDNN ${state.version} loaded, switched off`,
  };
}

/**
 * Which kernels a WASM training step runs on, for logs and the bench: "oneDNN
 * 2.6.3 + WASM SIMD" (oneDNN for what it covers) or "WASM SIMD" (call {@linkcode loadOneDnn} first).
 */
export function convolutionRoute(): string {
  return oneDnnKernelsActive() ? `oneDNN ${state!.version} + WASM SIMD` : "WASM SIMD";
}

/** Whether stride-1 convolutions go to oneDNN in this thread. */
export function oneDnnKernelsActive(): boolean {
  return enabled && state !== undefined;
}

/**
 * Route stride-1 convolutions to oneDNN (when loaded) or not; `deno task bench`
 * switches it to time both routes, tests to check both.
 */
export function setOneDnnKernels(on: boolean): void {
  enabled = on;
}

function check(code: number, what: string): void {
  if (code !== DNNL_SUCCESS) throw new Error(`oneDNN ${what} failed with status ${code}`);
}

function out(): BigUint64Array {
  return new BigUint64Array(1);
}

function ptrOf(cell: BigUint64Array): Ptr {
  return Deno.UnsafePointer.create(cell[0]);
}

/** Set this thread's OpenMP team to `threads` (oneDNN's Debian build uses libgomp). */
function setOmpThreads(threads: number): void {
  try {
    const gomp = Deno.dlopen("libgomp.so.1", {
      omp_set_num_threads: { parameters: ["i32"], result: "void" },
    });
    gomp.symbols.omp_set_num_threads(threads);
  } catch {
    // Not an OpenMP build: oneDNN's own threading decides.
  }
}

/**
 * Open oneDNN in this thread (idempotent) and say whether it is now used.
 * Never throws: on any failure the WASM SIMD route stays, and the reason is in
 * {@linkcode oneDnnStatus}.
 */
export function loadOneDnn(): boolean {
  if (state !== undefined) return true;
  let env: string | undefined;
  try {
    env = Deno.env.get("CLUSTER_CNN_ONEDNN");
  } catch {
    env = undefined;
  }
  if (env === "off" || env === "0") {
    status = "switched off by CLUSTER_CNN_ONEDNN";
    return false;
  }
  const library = env !== undefined && env !== "" && env !== "on" ? env : ONEDNN_LIBRARY;
  let dl: Deno.DynamicLibrary<typeof SYMBOLS>;
  try {
    dl = Deno.dlopen(library, SYMBOLS);
  } catch (e) {
    status = `${library} not loaded (${(e as Error).message.split("\n")[0]}); ` +
      "install Debian's libdnnl2 for the native kernels";
    return false;
  }
  const lib = dl.symbols;
  const v = new Deno.UnsafePointerView(lib.dnnl_version()!);
  const version = `${v.getInt32(0)}.${v.getInt32(4)}.${v.getInt32(8)}`;
  if (v.getInt32(0) !== 2) {
    status = `${library} is oneDNN ${version}; these kernels use the 2.x C API`;
    dl.close();
    return false;
  }
  try {
    setOmpThreads(1);
    const e = out();
    check(lib.dnnl_engine_create(e, DNNL_CPU, 0n), "engine_create");
    const engine = ptrOf(e);
    const s = out();
    check(lib.dnnl_stream_create(s, engine, DNNL_STREAM_DEFAULT_FLAGS), "stream_create");
    state = { lib, engine, stream: ptrOf(s), version, library };
    layoutReadable = checkLayoutReader(lib);
    return true;
  } catch (err) {
    status = `${library} (oneDNN ${version}) failed to start: ${(err as Error).message}`;
    dl.close();
    return false;
  }
}

// ---------------------------------------------------------------------------
// Memory descriptors and plans.

type Md = Uint8Array;

function dims64(values: number[]): BigInt64Array {
  const a = new BigInt64Array(12);
  values.forEach((v, i) => (a[i] = BigInt(v)));
  return a;
}

/** A plain f32 memory descriptor from dims and strides (in elements). */
function stridedMd(lib: Lib, dims: number[], strides: number[]): Md {
  const md = new Uint8Array(MD_BYTES);
  check(
    lib.dnnl_memory_desc_init_by_strides(md, dims.length, dims64(dims), DNNL_F32, dims64(strides)),
    "memory_desc_init_by_strides",
  );
  return md;
}

/** An f32 memory descriptor with the layout left to the primitive ("any"). */
function anyMd(lib: Lib, dims: number[]): Md {
  const md = new Uint8Array(MD_BYTES);
  check(
    lib.dnnl_memory_desc_init_by_tag(md, dims.length, dims64(dims), DNNL_F32, DNNL_FORMAT_TAG_ANY),
    "memory_desc_init_by_tag",
  );
  return md;
}

/** NHWC activations [n, h, w, c] described in oneDNN's logical order (n, c, h, w). */
function nhwcMd(lib: Lib, n: number, h: number, w: number, c: number): Md {
  return stridedMd(lib, [n, c, h, w], [h * w * c, 1, w * c, c]);
}

/** HWIO filters [kh, kw, ci, co] described in oneDNN's logical order (co, ci, kh, kw). */
function hwioMd(lib: Lib, g: ConvGeometry): Md {
  return stridedMd(lib, [g.co, g.c, g.kh, g.kw], [1, g.co, g.kw * g.c * g.co, g.c * g.co]);
}

/**
 * Offsets of the fields of `dnnl_memory_desc_t` read here (oneDNN 1.x-2.x,
 * x86-64): ndims, dims[12], padded_dims[12], offset0, format_kind and the
 * blocking descriptor (strides[12], inner_nblks, inner_blks[12], inner_idxs[12]).
 * {@linkcode loadOneDnn} checks them on a descriptor it made before trusting them.
 */
const MD = {
  ndims: 0,
  dims: 8,
  paddedDims: 112,
  offset0: 304,
  formatKind: 312,
  strides: 320,
  innerNblks: 416,
  innerBlks: 424,
  innerIdxs: 520,
} as const;
const DNNL_BLOCKED = 2;
let layoutReadable = false;

/** A `dnnl_memory_desc_t` of the blocked kind, as read from oneDNN. */
export interface Layout {
  /** Logical dims (activations: n, c, h, w; filters: out, in, kh, kw). */
  dims: number[];
  /** Dims padded up to whole blocks. */
  padded: number[];
  /** Offset of the first element. */
  offset0: number;
  /** format_kind is "blocked" (strides and inner blocks describe it). */
  blocked: boolean;
  /** Stride of each dim's outer index, in elements. */
  strides: number[];
  /** Inner blocks, outermost first: block size and the dim it splits. */
  blocks: { size: number; dim: number }[];
}

function readLayout(md: Ptr | Md): Layout {
  const v = md instanceof Uint8Array
    ? new Deno.UnsafePointerView(Deno.UnsafePointer.of(md)!)
    : new Deno.UnsafePointerView(md!);
  const nd = v.getInt32(MD.ndims);
  const i64 = (off: number, k: number) => Number(v.getBigInt64(off + 8 * k));
  const range = (n: number) => [...Array(Math.max(0, Math.min(n, 12))).keys()];
  const nblks = v.getInt32(MD.innerNblks);
  return {
    dims: range(nd).map((k) => i64(MD.dims, k)),
    padded: range(nd).map((k) => i64(MD.paddedDims, k)),
    offset0: i64(MD.offset0, 0),
    blocked: v.getInt32(MD.formatKind) === DNNL_BLOCKED,
    strides: range(nd).map((k) => i64(MD.strides, k)),
    blocks: range(nblks).map((k) => ({ size: i64(MD.innerBlks, k), dim: i64(MD.innerIdxs, k) })),
  };
}

/**
 * Element offset along dimension `d` at index `i` in a blocked layout (the
 * offset is a sum over dimensions of such terms: outer index times the
 * dimension's stride, plus its digits within the inner blocks).
 */
function dimOffset(l: Layout, d: number, i: number): number {
  const sizes = l.blocks.map((b) => b.size);
  const innerStride = (k: number) => sizes.slice(k + 1).reduce((a, b) => a * b, 1);
  const mine = l.blocks.map((b, k) => ({ ...b, k })).filter((b) => b.dim === d);
  const total = mine.reduce((a, b) => a * b.size, 1);
  let off = Math.floor(i / total) * l.strides[d];
  let rem = i % total;
  let below = total;
  for (const b of mine) {
    below /= b.size;
    off += Math.floor(rem / below) * innerStride(b.k);
    rem %= below;
  }
  return off;
}

/**
 * Whether the layout `wanted` (a primitive's choice) puts every element where
 * the plain (strided, unblocked) layout `user` does, e.g. 16 channels blocked
 * by 16 (nChw16c) and channels-last (NHWC), so a tensor can be used in place.
 */
export function layoutsMatch(user: Layout, wanted: Layout): boolean {
  const u = user;
  const w = wanted;
  if (!w.blocked || !u.blocked || u.blocks.length > 0 || w.offset0 !== 0 || u.offset0 !== 0) {
    return false;
  }
  if (w.dims.length !== u.dims.length || w.dims.some((x, k) => x !== u.dims[k])) return false;
  if (w.padded.some((x, k) => x !== w.dims[k])) return false;
  for (let d = 0; d < u.dims.length; d++) {
    for (let i = 0; i < u.dims[d]; i++) {
      if (dimOffset(w, d, i) !== i * u.strides[d]) return false;
    }
  }
  return true;
}

function samePlaces(user: Md, wanted: Ptr): boolean {
  return layoutReadable && layoutsMatch(readLayout(user), readLayout(wanted));
}

/** Check the field offsets in {@linkcode MD} on a descriptor made here with known values. */
function checkLayoutReader(lib: Lib): boolean {
  try {
    const md = stridedMd(lib, [5, 3, 7, 2], [42, 1, 6, 3]);
    const l = readLayout(md);
    return l.blocked && l.offset0 === 0 && l.blocks.length === 0 &&
      JSON.stringify([l.dims, l.padded, l.strides]) ===
        JSON.stringify([[5, 3, 7, 2], [5, 3, 7, 2], [42, 1, 6, 3]]);
  } catch {
    return false;
  }
}

interface Step {
  prim: Ptr;
  args: BigUint64Array;
  nargs: number;
}

/** A built convolution: the user-facing memories (data handles set per call) and its steps. */
/**
 * What a plan's build creates: descriptors and attributes (destroyed when the
 * build ends: the primitives keep copies) and the primitives and memories the
 * plan owns (destroyed with the plan, or at once when the build fails).
 */
interface BuildScope {
  transient: { ptr: Ptr; kind: "pd" | "attr" | "postOps" }[];
  prims: Ptr[];
  mems: Ptr[];
}
let scope: BuildScope | undefined;

function transient(ptr: Ptr, kind: "pd" | "attr" | "postOps"): Ptr {
  scope?.transient.push({ ptr, kind });
  return ptr;
}

interface Plan {
  /** Primitives and memories to destroy with the plan. */
  owned: { prims: Ptr[]; mems: Ptr[] };
  user: Record<string, Ptr>;
  steps: Step[];
  /** oneDNN's name for the implementation, e.g. "jit:avx512_core". */
  impl: string;
  /** Layout copies around the convolution (0 when every tensor is used in place). */
  reorders: number;
}

class Builder {
  steps: Step[] = [];
  after: Step[] = [];
  user: Record<string, Ptr> = {};
  constructor(readonly s: State) {}

  memory(md: Ptr, handle: bigint): Ptr {
    const m = out();
    check(
      this.s.lib.dnnl_memory_create(m, md, this.s.engine, Deno.UnsafePointer.create(handle)),
      "memory_create",
    );
    scope?.mems.push(ptrOf(m));
    return ptrOf(m);
  }

  step(pd: Ptr, args: [number, Ptr][], list: Step[]): void {
    const p = out();
    check(this.s.lib.dnnl_primitive_create(p, pd), "primitive_create");
    scope?.prims.push(ptrOf(p));
    const a = new BigUint64Array(2 * args.length);
    args.forEach(([k, mem], i) => {
      a[2 * i] = BigInt(k);
      a[2 * i + 1] = BigInt(Deno.UnsafePointer.value(mem));
    });
    list.push({ prim: ptrOf(p), args: a, nargs: args.length });
  }

  reorder(from: Ptr, fromMd: Ptr, to: Ptr, toMd: Ptr, list: Step[]): void {
    const pd = out();
    const e = this.s.engine;
    check(
      this.s.lib.dnnl_reorder_primitive_desc_create(pd, fromMd, e, toMd, e, null),
      "reorder_primitive_desc_create",
    );
    this.step(transient(ptrOf(pd), "pd"), [[ARG.from, from], [ARG.to, to]], list);
  }

  /**
   * The memory the primitive reads (input) or writes (output) for the tensor
   * `name`, whose tfjs layout is `userMd`: a memory on the tensor itself when
   * the primitive's layout `wanted` puts every element at the same place
   * (described as `wanted`, so the primitive accepts it), else a oneDNN-owned
   * buffer with a reorder before (input) or after (output) the primitive.
   */
  stage(name: string, userMd: Md, wanted: Ptr, input: boolean): Ptr {
    const lib = this.s.lib;
    const u = Deno.UnsafePointer.of(userMd);
    if (lib.dnnl_memory_desc_equal(u, wanted) !== 0 || samePlaces(userMd, wanted)) {
      this.user[name] = this.memory(wanted, 0n);
      return this.user[name];
    }
    const userMem = this.memory(u, 0n);
    this.user[name] = userMem;
    const inner = this.memory(wanted, MEMORY_ALLOCATE);
    if (input) this.reorder(userMem, u, inner, wanted, this.steps);
    else this.reorder(inner, wanted, userMem, u, this.after);
    return inner;
  }

  /** A memory on the tensor `name` in the plain layout `md` (no reorder). */
  plain(name: string, md: Md): Ptr {
    this.user[name] = this.memory(Deno.UnsafePointer.of(md), 0n);
    return this.user[name];
  }

  finish(pd: Ptr, args: [number, Ptr][]): Plan {
    this.step(pd, args, this.steps);
    const cell = out();
    let impl = "?";
    if (this.s.lib.dnnl_primitive_desc_query(pd, QUERY.implInfo, 0, cell) === DNNL_SUCCESS) {
      impl = new Deno.UnsafePointerView(ptrOf(cell)!).getCString();
    }
    return {
      owned: { prims: [], mems: [] },
      user: this.user,
      steps: [...this.steps, ...this.after],
      impl,
      reorders: this.steps.length + this.after.length - 1,
    };
  }
}

function strides2(): BigInt64Array {
  return dims64([1, 1]);
}

function padding(g: ConvGeometry): { l: BigInt64Array; r: BigInt64Array } {
  const bottom = g.ho - 1 + g.kh - g.h - g.top;
  const right = g.wo - 1 + g.kw - g.w - g.left;
  return { l: dims64([g.top, g.left]), r: dims64([bottom, right]) };
}

function primitiveDesc(s: State, op: Uint8Array, attr: Ptr, hint: Ptr): Ptr {
  const pd = out();
  check(s.lib.dnnl_primitive_desc_create(pd, op, attr, s.engine, hint), "primitive_desc_create");
  return transient(ptrOf(pd), "pd");
}

function query(s: State, pd: Ptr, what: number): Ptr {
  const md = s.lib.dnnl_primitive_desc_query_md(pd, what, 0);
  if (md === null) throw new Error(`oneDNN primitive has no memory descriptor ${what}`);
  return md;
}

/** The forward primitive descriptor of `g` (also the hint for the backward ones). */
function forwardDesc(s: State, g: ConvGeometry, bias: boolean, relu: boolean): Ptr {
  const lib = s.lib;
  const op = new Uint8Array(OP_DESC_BYTES);
  const { l, r } = padding(g);
  const biasMd = bias ? stridedMd(lib, [g.co], [1]) : undefined;
  check(
    lib.dnnl_convolution_forward_desc_init(
      op,
      DNNL_FORWARD_TRAINING,
      DNNL_CONVOLUTION_DIRECT,
      anyMd(lib, [g.n, g.c, g.h, g.w]),
      anyMd(lib, [g.co, g.c, g.kh, g.kw]),
      biasMd === undefined ? null : Deno.UnsafePointer.of(biasMd),
      anyMd(lib, [g.n, g.co, g.ho, g.wo]),
      strides2(),
      l,
      r,
    ),
    "convolution_forward_desc_init",
  );
  let attr: Ptr = null;
  if (relu) {
    const po = out();
    check(lib.dnnl_post_ops_create(po), "post_ops_create");
    transient(ptrOf(po), "postOps");
    check(
      lib.dnnl_post_ops_append_eltwise(ptrOf(po), 1, DNNL_ELTWISE_RELU, 0, 0),
      "post_ops_append_eltwise",
    );
    const a = out();
    check(lib.dnnl_primitive_attr_create(a), "primitive_attr_create");
    transient(ptrOf(a), "attr");
    check(lib.dnnl_primitive_attr_set_post_ops(ptrOf(a), ptrOf(po)), "attr_set_post_ops");
    attr = ptrOf(a);
  }
  return primitiveDesc(s, op, attr, null);
}

function buildForward(s: State, g: ConvGeometry, bias: boolean, relu: boolean): Plan {
  const pd = forwardDesc(s, g, bias, relu);
  const b = new Builder(s);
  const lib = s.lib;
  const args: [number, Ptr][] = [
    [ARG.src, b.stage("x", nhwcMd(lib, g.n, g.h, g.w, g.c), query(s, pd, QUERY.src), true)],
    [ARG.weights, b.stage("filter", hwioMd(lib, g), query(s, pd, QUERY.weights), true)],
    [ARG.dst, b.stage("y", nhwcMd(lib, g.n, g.ho, g.wo, g.co), query(s, pd, QUERY.dst), false)],
  ];
  if (bias) {
    const biasMd = stridedMd(lib, [g.co], [1]);
    const mem = b.memory(Deno.UnsafePointer.of(biasMd), 0n);
    b.user.bias = mem;
    args.push([ARG.bias, mem]);
  }
  return b.finish(pd, args);
}

function buildBackpropInput(s: State, g: ConvGeometry): Plan {
  const lib = s.lib;
  const hint = forwardDesc(s, g, false, false);
  const op = new Uint8Array(OP_DESC_BYTES);
  const { l, r } = padding(g);
  check(
    lib.dnnl_convolution_backward_data_desc_init(
      op,
      DNNL_CONVOLUTION_DIRECT,
      anyMd(lib, [g.n, g.c, g.h, g.w]),
      anyMd(lib, [g.co, g.c, g.kh, g.kw]),
      anyMd(lib, [g.n, g.co, g.ho, g.wo]),
      strides2(),
      l,
      r,
    ),
    "convolution_backward_data_desc_init",
  );
  const pd = primitiveDesc(s, op, null, hint);
  const b = new Builder(s);
  return b.finish(pd, [
    [
      ARG.diffDst,
      b.stage("dy", nhwcMd(lib, g.n, g.ho, g.wo, g.co), query(s, pd, QUERY.diffDst), true),
    ],
    [ARG.weights, b.stage("filter", hwioMd(lib, g), query(s, pd, QUERY.weights), true)],
    [
      ARG.diffSrc,
      b.stage("dx", nhwcMd(lib, g.n, g.h, g.w, g.c), query(s, pd, QUERY.diffSrc), false),
    ],
  ]);
}

function buildBackpropFilter(s: State, g: ConvGeometry, withBias = false): Plan {
  const lib = s.lib;
  const hint = forwardDesc(s, g, withBias, false);
  const op = new Uint8Array(OP_DESC_BYTES);
  const { l, r } = padding(g);
  // With diff_bias, the bias gradient (dy summed over batch, rows and columns)
  // comes out of the same primitive, without a pass of its own over dy.
  const biasMd = withBias ? stridedMd(lib, [g.co], [1]) : null;
  check(
    lib.dnnl_convolution_backward_weights_desc_init(
      op,
      DNNL_CONVOLUTION_DIRECT,
      anyMd(lib, [g.n, g.c, g.h, g.w]),
      anyMd(lib, [g.co, g.c, g.kh, g.kw]),
      biasMd === null ? null : Deno.UnsafePointer.of(biasMd),
      anyMd(lib, [g.n, g.co, g.ho, g.wo]),
      strides2(),
      l,
      r,
    ),
    "convolution_backward_weights_desc_init",
  );
  const pd = primitiveDesc(s, op, null, hint);
  const b = new Builder(s);
  const args: [number, Ptr][] = [
    [ARG.src, b.stage("x", nhwcMd(lib, g.n, g.h, g.w, g.c), query(s, pd, QUERY.src), true)],
    [
      ARG.diffDst,
      b.stage("dy", nhwcMd(lib, g.n, g.ho, g.wo, g.co), query(s, pd, QUERY.diffDst), true),
    ],
    [ARG.diffWeights, b.stage("dw", hwioMd(lib, g), query(s, pd, QUERY.diffWeights), false)],
  ];
  if (biasMd !== null) {
    const mem = b.memory(Deno.UnsafePointer.of(biasMd), 0n);
    b.user.db = mem;
    args.push([ARG.diffBias, mem]);
  }
  return b.finish(pd, args);
}

/** y = x + bias over the last axis of x [n, h, w, c] (oneDNN binary add, broadcast). */
function buildBiasAdd(s: State, n: number, h: number, w: number, c: number): Plan {
  const lib = s.lib;
  const x = nhwcMd(lib, n, h, w, c);
  const bias = stridedMd(lib, [1, c, 1, 1], [c, 1, c, c]);
  const op = new Uint8Array(OP_DESC_BYTES);
  check(lib.dnnl_binary_desc_init(op, DNNL_BINARY_ADD, x, bias, x), "binary_desc_init");
  const pd = primitiveDesc(s, op, null, null);
  const b = new Builder(s);
  return b.finish(pd, [
    [ARG.src, b.plain("x", x)],
    [ARG.src1, b.plain("bias", bias)],
    [ARG.dst, b.plain("y", x)],
  ]);
}

/** Geometry of a 2-D pooling without padding: x [n, h, w, c] -> [n, ho, wo, c]. */
export interface PoolGeometry {
  n: number;
  h: number;
  w: number;
  c: number;
  ho: number;
  wo: number;
  kh: number;
  kw: number;
  sh: number;
  sw: number;
}

function poolDesc(s: State, g: PoolGeometry, prop: number): Uint8Array {
  const lib = s.lib;
  const op = new Uint8Array(OP_DESC_BYTES);
  const bottom = (g.ho - 1) * g.sh + g.kh - g.h;
  const right = (g.wo - 1) * g.sw + g.kw - g.w;
  check(
    lib.dnnl_pooling_forward_desc_init(
      op,
      prop,
      DNNL_POOLING_AVG_EXCLUDE_PADDING,
      nhwcMd(lib, g.n, g.h, g.w, g.c),
      nhwcMd(lib, g.n, g.ho, g.wo, g.c),
      dims64([g.sh, g.sw]),
      dims64([g.kh, g.kw]),
      dims64([0, 0]),
      dims64([bottom, right]),
    ),
    "pooling_forward_desc_init",
  );
  return op;
}

function buildAvgPool(s: State, g: PoolGeometry): Plan {
  const lib = s.lib;
  const pd = primitiveDesc(s, poolDesc(s, g, DNNL_FORWARD_INFERENCE), null, null);
  const b = new Builder(s);
  return b.finish(pd, [
    [ARG.src, b.plain("x", nhwcMd(lib, g.n, g.h, g.w, g.c))],
    [ARG.dst, b.plain("y", nhwcMd(lib, g.n, g.ho, g.wo, g.c))],
  ]);
}

function buildAvgPoolGrad(s: State, g: PoolGeometry): Plan {
  const lib = s.lib;
  const hint = primitiveDesc(s, poolDesc(s, g, DNNL_FORWARD_TRAINING), null, null);
  const op = new Uint8Array(OP_DESC_BYTES);
  const bottom = (g.ho - 1) * g.sh + g.kh - g.h;
  const right = (g.wo - 1) * g.sw + g.kw - g.w;
  const dx = nhwcMd(lib, g.n, g.h, g.w, g.c);
  const dy = nhwcMd(lib, g.n, g.ho, g.wo, g.c);
  check(
    lib.dnnl_pooling_backward_desc_init(
      op,
      DNNL_POOLING_AVG_EXCLUDE_PADDING,
      dx,
      dy,
      dims64([g.sh, g.sw]),
      dims64([g.kh, g.kw]),
      dims64([0, 0]),
      dims64([bottom, right]),
    ),
    "pooling_backward_desc_init",
  );
  const pd = primitiveDesc(s, op, null, hint);
  const b = new Builder(s);
  return b.finish(pd, [[ARG.diffDst, b.plain("dy", dy)], [ARG.diffSrc, b.plain("dx", dx)]]);
}

/** dx = dy where x > 0, else 0 (the ReLU gradient), over `size` values. */
function buildReluGrad(s: State, size: number): Plan {
  const lib = s.lib;
  const md = stridedMd(lib, [size], [1]);
  const fwd = new Uint8Array(OP_DESC_BYTES);
  check(
    lib.dnnl_eltwise_forward_desc_init(fwd, DNNL_FORWARD_TRAINING, DNNL_ELTWISE_RELU, md, 0, 0),
    "eltwise_forward_desc_init",
  );
  const hint = primitiveDesc(s, fwd, null, null);
  const op = new Uint8Array(OP_DESC_BYTES);
  check(
    lib.dnnl_eltwise_backward_desc_init(op, DNNL_ELTWISE_RELU, md, md, 0, 0),
    "eltwise_backward_desc_init",
  );
  const pd = primitiveDesc(s, op, null, hint);
  const b = new Builder(s);
  return b.finish(pd, [
    [ARG.src, b.plain("x", md)],
    [ARG.diffDst, b.plain("dy", md)],
    [ARG.diffSrc, b.plain("dx", md)],
  ]);
}

/**
 * Built plans by kind and shape, most recently used last; `null`: oneDNN
 * refused this case (the SIMD route takes it). At most {@linkcode MAX_PLANS}
 * are kept: each holds primitives and, where layouts differ, buffers sized
 * by its batch, and inference or interpretation may see many batch sizes.
 */
const plans = new Map<string, Plan | null>();

/** Plans kept before the least recently used is destroyed. */
export const MAX_PLANS = 64;

function destroyOwned(s: State, owned: { prims: Ptr[]; mems: Ptr[] }): void {
  for (const p of owned.prims) s.lib.dnnl_primitive_destroy(p);
  for (const m of owned.mems) s.lib.dnnl_memory_destroy(m);
}

function planFor(key: string, build: (s: State) => Plan): Plan | undefined {
  const s = state;
  if (s === undefined) return undefined;
  let p = plans.get(key);
  if (p !== undefined) {
    // Most recently used goes last.
    plans.delete(key);
    plans.set(key, p);
    return p ?? undefined;
  }
  const sc: BuildScope = { transient: [], prims: [], mems: [] };
  scope = sc;
  try {
    p = build(s);
    p.owned = { prims: sc.prims, mems: sc.mems };
  } catch {
    p = null;
    destroyOwned(s, sc);
  } finally {
    scope = undefined;
    for (const t of sc.transient) {
      if (t.kind === "pd") s.lib.dnnl_primitive_desc_destroy(t.ptr);
      else if (t.kind === "attr") s.lib.dnnl_primitive_attr_destroy(t.ptr);
      else s.lib.dnnl_post_ops_destroy(t.ptr);
    }
  }
  plans.set(key, p);
  while (plans.size > MAX_PLANS) {
    const [oldest, plan] = plans.entries().next().value!;
    plans.delete(oldest);
    if (plan) destroyOwned(s, plan.owned);
  }
  return p ?? undefined;
}

/** Plans held now (for tests). */
export function oneDnnPlanCount(): number {
  return plans.size;
}

function geometryKey(kind: string, g: ConvGeometry): string {
  return `${kind}:${g.n},${g.h},${g.w},${g.c},${g.ho},${g.wo},${g.co},${g.kh},${g.kw},${g.top},${g.left}`;
}

/** Base address of the backend's heap, cached per `ArrayBuffer` (it changes when the heap grows). */
let heapBuffer: ArrayBuffer | undefined;
let heapBase: Ptr = null;

function address(b: WasmBackend, t: TensorInfo): Ptr {
  const buf = b.wasm.asm.memory.buffer;
  if (buf !== heapBuffer) {
    heapBuffer = buf;
    heapBase = Deno.UnsafePointer.of(buf);
  }
  return Deno.UnsafePointer.offset(heapBase!, b.dataIdMap.get(t.dataId).memoryOffset);
}

function run(plan: Plan, b: WasmBackend, tensors: Record<string, TensorInfo>): void {
  const s = state!;
  for (const [name, t] of Object.entries(tensors)) {
    check(s.lib.dnnl_memory_set_data_handle(plan.user[name], address(b, t)), "set_data_handle");
  }
  for (const st of plan.steps) {
    check(s.lib.dnnl_primitive_execute(st.prim, s.stream, st.nargs, st.args), "primitive_execute");
  }
  check(s.lib.dnnl_stream_wait(s.stream), "stream_wait");
}

function nonEmpty(g: ConvGeometry): boolean {
  return g.n * g.h * g.w * g.c * g.ho * g.wo * g.co * g.kh * g.kw > 0;
}

/**
 * Run the plan `key` (built by `build` on first use) on `inputs`, writing a
 * new float32 tensor of `shape` bound as `output`; undefined when oneDNN is
 * off or refused the case (the caller's other route takes it then).
 */
function runPlan(
  backend: tf.KernelBackend,
  key: string,
  build: (s: State) => Plan,
  inputs: Record<string, TensorInfo>,
  output: string,
  shape: number[],
): TensorInfo | undefined {
  return runPlanOutputs(backend, key, build, inputs, { [output]: shape })?.[output];
}

/** {@linkcode runPlan} for a plan that writes several new float32 tensors, named with their shapes. */
function runPlanOutputs(
  backend: tf.KernelBackend,
  key: string,
  build: (s: State) => Plan,
  inputs: Record<string, TensorInfo>,
  outputs: Record<string, number[]>,
): Record<string, TensorInfo> | undefined {
  const shapes = Object.values(outputs);
  if (!oneDnnKernelsActive() || shapes.some((sh) => sh.some((d) => d === 0))) return undefined;
  const plan = planFor(key, build);
  if (plan === undefined) return undefined;
  const b = backend as unknown as WasmBackend;
  const out: Record<string, TensorInfo> = {};
  for (const [name, shape] of Object.entries(outputs)) out[name] = b.makeOutput(shape, "float32");
  run(plan, b, { ...inputs, ...out });
  return out;
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
    state!.lib.dnnl_sgemm(
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
