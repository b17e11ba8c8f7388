/**
 * Private: everything the oneDNN route holds in a thread (each Deno worker
 * has its own), in one place: the loaded library, why it is not loaded, the
 * on/off switch, whether oneDNN's layouts can be read, the plan cache, the
 * scope of the plan being built and the cached base address of the WASM
 * heap; and the types of what it holds (a plan, its steps, a build's
 * scope). The other `_onednn_*.ts` files and `onednn.ts` hold no state.
 *
 * @module
 */
import type { Ptr, State } from "./_onednn_ffi.ts";

/** One primitive of a plan with its arguments. */
export interface Step {
  prim: Ptr;
  args: BigUint64Array;
  nargs: number;
}

/**
 * What a plan's build creates: descriptors and attributes (destroyed when the
 * build ends: the primitives keep copies) and the primitives and memories the
 * plan owns (destroyed with the plan, or at once when the build fails).
 */
export interface BuildScope {
  transient: { ptr: Ptr; kind: "pd" | "attr" | "postOps" }[];
  prims: Ptr[];
  mems: Ptr[];
}

/**
 * A built plan (a convolution, a pooling, ...): the user-facing memories
 * (data handles set per call) and its steps.
 */
export interface Plan {
  /** Primitives and memories to destroy with the plan. */
  owned: { prims: Ptr[]; mems: Ptr[] };
  user: Record<string, Ptr>;
  steps: Step[];
  /** oneDNN's name for the implementation, e.g. "jit:avx512_core". */
  impl: string;
  /** Layout copies around the convolution (0 when every tensor is used in place). */
  reorders: number;
}

/** The oneDNN state of this thread. */
export const thread: {
  /** The library, engine and stream, once {@linkcode loadOneDnn} succeeded. */
  state: State | undefined;
  /** Why oneDNN is not loaded (shown by `oneDnnStatus`). */
  status: string;
  /** The switch of `setOneDnnKernels`. */
  enabled: boolean;
  /** oneDNN's memory descriptors read as this binding expects (checked at load). */
  layoutReadable: boolean;
  /**
   * Built plans by kind and shape, most recently used last; `null`: oneDNN
   * refused this case (the SIMD route takes it). At most `MAX_PLANS` are
   * kept: each holds primitives and, where layouts differ, buffers sized by
   * its batch, and inference or interpretation may see many batch sizes.
   */
  plans: Map<string, Plan | null>;
  /** What the plan being built owns, destroyed if building fails. */
  scope: BuildScope | undefined;
  /** The WASM heap whose base address is cached (it changes when the heap grows). */
  heapBuffer: ArrayBuffer | undefined;
  heapBase: Ptr;
} = {
  state: undefined,
  status: "not loaded (call loadOneDnn)",
  enabled: true,
  layoutReadable: false,
  plans: new Map(),
  scope: undefined,
  heapBuffer: undefined,
  heapBase: null,
};

/** Whether stride-1 convolutions go to oneDNN in this thread. */
export function oneDnnKernelsActive(): boolean {
  return thread.enabled && thread.state !== undefined;
}
