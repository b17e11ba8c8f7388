/**
 * Private: the oneDNN 2.x C API as Deno FFI sees it (constants of
 * `dnnl_types.h`, the symbols used, small pointer helpers) and
 * {@linkcode openOneDnn}, which opens the library and creates an engine.
 * No module state: the thread's oneDNN state is in `_onednn_state.ts`.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";

export type TensorInfo = tf.TensorInfo;

/** The parts of the tfjs wasm backend these kernels use. */
export interface WasmBackend {
  wasm: { asm: { memory: WebAssembly.Memory } };
  dataIdMap: { get(id: object): { memoryOffset: number } };
  makeOutput(shape: number[], dtype: "float32"): TensorInfo;
}

// oneDNN 2.x C API constants (dnnl_types.h; unchanged through the 2.x series).
export const DNNL_SUCCESS = 0;
export const DNNL_CPU = 1;
export const DNNL_F32 = 3;
export const DNNL_FORMAT_TAG_ANY = 1;
export const DNNL_FORWARD_TRAINING = 64;
export const DNNL_CONVOLUTION_DIRECT = 1;
export const DNNL_FORWARD_INFERENCE = 96;
export const DNNL_ELTWISE_RELU = 31;
export const DNNL_BINARY_ADD = 0x1fff0;
export const DNNL_POOLING_AVG_EXCLUDE_PADDING = 0x3ff;
export const DNNL_STREAM_DEFAULT_FLAGS = 1;
export const ARG = {
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
export const QUERY = {
  implInfo: 8,
  src: 129,
  diffSrc: 130,
  weights: 131,
  diffWeights: 132,
  dst: 133,
  diffDst: 134,
} as const;
/** `DNNL_MEMORY_ALLOCATE`: oneDNN allocates the buffer. */
export const MEMORY_ALLOCATE = 0xffffffffffffffffn;
/**
 * Bytes reserved for a `dnnl_memory_desc_t` (696 in 2.6) and an operation
 * descriptor (`dnnl_convolution_desc_t`: 5976 in 2.6); only pointers to them
 * cross the FFI, so room to spare is all that is needed.
 */
export const MD_BYTES = 4096;
export const OP_DESC_BYTES = 16384;

export const SYMBOLS = {
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

export type Lib = Deno.DynamicLibrary<typeof SYMBOLS>["symbols"];
export type Ptr = Deno.PointerValue;

export interface State {
  lib: Lib;
  engine: Ptr;
  stream: Ptr;
  version: string;
  library: string;
}

export function check(code: number, what: string): void {
  if (code !== DNNL_SUCCESS) throw new Error(`oneDNN ${what} failed with status ${code}`);
}

export function out(): BigUint64Array {
  return new BigUint64Array(1);
}

export function ptrOf(cell: BigUint64Array): Ptr {
  return Deno.UnsafePointer.create(cell[0]);
}

/** Set this thread's OpenMP team to `threads` (oneDNN's Debian build uses libgomp). */
export function setOmpThreads(threads: number): void {
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
 * Open the oneDNN 2.x library `library` and create a CPU engine and stream,
 * with this thread's OpenMP team set to one thread; or say why not (a missing
 * library, another major version, a failed start). Holds no state.
 */
export function openOneDnn(library: string): State | { why: string } {
  let dl: Deno.DynamicLibrary<typeof SYMBOLS>;
  try {
    dl = Deno.dlopen(library, SYMBOLS);
  } catch (e) {
    return {
      why: `${library} not loaded (${(e as Error).message.split("\n")[0]}); ` +
        "install Debian's libdnnl2 for the native kernels",
    };
  }
  const lib = dl.symbols;
  const v = new Deno.UnsafePointerView(lib.dnnl_version()!);
  const version = `${v.getInt32(0)}.${v.getInt32(4)}.${v.getInt32(8)}`;
  if (v.getInt32(0) !== 2) {
    dl.close();
    return { why: `${library} is oneDNN ${version}; these kernels use the 2.x C API` };
  }
  try {
    setOmpThreads(1);
    const e = out();
    check(lib.dnnl_engine_create(e, DNNL_CPU, 0n), "engine_create");
    const engine = ptrOf(e);
    const s = out();
    check(lib.dnnl_stream_create(s, engine, DNNL_STREAM_DEFAULT_FLAGS), "stream_create");
    return { lib, engine, stream: ptrOf(s), version, library };
  } catch (err) {
    dl.close();
    return { why: `${library} (oneDNN ${version}) failed to start: ${(err as Error).message}` };
  }
}
