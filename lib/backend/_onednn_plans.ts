/**
 * Private: oneDNN plans and their cache. A plan is the primitives of one
 * kernel for one shape (with the reorders into and out of oneDNN's blocked
 * layouts where they differ from tfjs'), built once by a {@linkcode Builder}
 * and kept, at most {@linkcode MAX_PLANS}, least recently used dropped first;
 * {@linkcode runPlan} binds tfjs tensors on the WASM heap to a plan and runs
 * it.
 *
 * @module
 */
import {
  ARG,
  check,
  DNNL_BINARY_ADD,
  DNNL_CONVOLUTION_DIRECT,
  DNNL_ELTWISE_RELU,
  DNNL_FORWARD_INFERENCE,
  DNNL_FORWARD_TRAINING,
  DNNL_POOLING_AVG_EXCLUDE_PADDING,
  DNNL_SUCCESS,
  MEMORY_ALLOCATE,
  OP_DESC_BYTES,
  out,
  type Ptr,
  ptrOf,
  QUERY,
  type State,
  type TensorInfo,
  type WasmBackend,
} from "./_onednn_ffi.ts";
import { anyMd, dims64, hwioMd, type Md, nhwcMd, samePlaces, stridedMd } from "./_onednn_layout.ts";
import {
  type BuildScope,
  oneDnnKernelsActive,
  type Plan,
  type Step,
  thread,
} from "./_onednn_state.ts";
import type * as tf from "@tensorflow/tfjs";
import type { ConvGeometry } from "./simd_conv.ts";

export function transient(ptr: Ptr, kind: "pd" | "attr" | "postOps"): Ptr {
  thread.scope?.transient.push({ ptr, kind });
  return ptr;
}

export class Builder {
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
    thread.scope?.mems.push(ptrOf(m));
    return ptrOf(m);
  }

  step(pd: Ptr, args: [number, Ptr][], list: Step[]): void {
    const p = out();
    check(this.s.lib.dnnl_primitive_create(p, pd), "primitive_create");
    thread.scope?.prims.push(ptrOf(p));
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

export function strides2(): BigInt64Array {
  return dims64([1, 1]);
}

export function padding(g: ConvGeometry): { l: BigInt64Array; r: BigInt64Array } {
  const bottom = g.ho - 1 + g.kh - g.h - g.top;
  const right = g.wo - 1 + g.kw - g.w - g.left;
  return { l: dims64([g.top, g.left]), r: dims64([bottom, right]) };
}

export function primitiveDesc(s: State, op: Uint8Array, attr: Ptr, hint: Ptr): Ptr {
  const pd = out();
  check(s.lib.dnnl_primitive_desc_create(pd, op, attr, s.engine, hint), "primitive_desc_create");
  return transient(ptrOf(pd), "pd");
}

export function query(s: State, pd: Ptr, what: number): Ptr {
  const md = s.lib.dnnl_primitive_desc_query_md(pd, what, 0);
  if (md === null) throw new Error(`oneDNN primitive has no memory descriptor ${what}`);
  return md;
}

/** The "any"-layout descriptors of a convolution's source, weights and output (or their gradients). */
function convMds(s: State, g: ConvGeometry): { src: Md; weights: Md; dst: Md } {
  return {
    src: anyMd(s.lib, [g.n, g.c, g.h, g.w]),
    weights: anyMd(s.lib, [g.co, g.c, g.kh, g.kw]),
    dst: anyMd(s.lib, [g.n, g.co, g.ho, g.wo]),
  };
}

/** The forward primitive descriptor of `g` (also the hint for the backward ones). */
export function forwardDesc(s: State, g: ConvGeometry, bias: boolean, relu: boolean): Ptr {
  const lib = s.lib;
  const op = new Uint8Array(OP_DESC_BYTES);
  const { l, r } = padding(g);
  const biasMd = bias ? stridedMd(lib, [g.co], [1]) : undefined;
  const mds = convMds(s, g);
  check(
    lib.dnnl_convolution_forward_desc_init(
      op,
      DNNL_FORWARD_TRAINING,
      DNNL_CONVOLUTION_DIRECT,
      mds.src,
      mds.weights,
      biasMd === undefined ? null : Deno.UnsafePointer.of(biasMd),
      mds.dst,
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

export function buildForward(s: State, g: ConvGeometry, bias: boolean, relu: boolean): Plan {
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

export function buildBackpropInput(s: State, g: ConvGeometry): Plan {
  const lib = s.lib;
  const hint = forwardDesc(s, g, false, false);
  const op = new Uint8Array(OP_DESC_BYTES);
  const { l, r } = padding(g);
  const mds = convMds(s, g);
  check(
    lib.dnnl_convolution_backward_data_desc_init(
      op,
      DNNL_CONVOLUTION_DIRECT,
      mds.src,
      mds.weights,
      mds.dst,
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

export function buildBackpropFilter(s: State, g: ConvGeometry, withBias = false): Plan {
  const lib = s.lib;
  const hint = forwardDesc(s, g, withBias, false);
  const op = new Uint8Array(OP_DESC_BYTES);
  const { l, r } = padding(g);
  // With diff_bias, the bias gradient (dy summed over batch, rows and columns)
  // comes out of the same primitive, without a pass of its own over dy.
  const biasMd = withBias ? stridedMd(lib, [g.co], [1]) : null;
  const mds = convMds(s, g);
  check(
    lib.dnnl_convolution_backward_weights_desc_init(
      op,
      DNNL_CONVOLUTION_DIRECT,
      mds.src,
      mds.weights,
      biasMd === null ? null : Deno.UnsafePointer.of(biasMd),
      mds.dst,
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
export function buildBiasAdd(s: State, n: number, h: number, w: number, c: number): Plan {
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

export function poolDesc(s: State, g: PoolGeometry, prop: number): Uint8Array {
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

export function buildAvgPool(s: State, g: PoolGeometry): Plan {
  const lib = s.lib;
  const pd = primitiveDesc(s, poolDesc(s, g, DNNL_FORWARD_INFERENCE), null, null);
  const b = new Builder(s);
  return b.finish(pd, [
    [ARG.src, b.plain("x", nhwcMd(lib, g.n, g.h, g.w, g.c))],
    [ARG.dst, b.plain("y", nhwcMd(lib, g.n, g.ho, g.wo, g.c))],
  ]);
}

export function buildAvgPoolGrad(s: State, g: PoolGeometry): Plan {
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
export function buildReluGrad(s: State, size: number): Plan {
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

/** Plans kept before the least recently used is destroyed. */
export const MAX_PLANS = 64;

export function destroyOwned(s: State, owned: { prims: Ptr[]; mems: Ptr[] }): void {
  for (const p of owned.prims) s.lib.dnnl_primitive_destroy(p);
  for (const m of owned.mems) s.lib.dnnl_memory_destroy(m);
}

export function planFor(key: string, build: (s: State) => Plan): Plan | undefined {
  const s = thread.state;
  if (s === undefined) return undefined;
  let p = thread.plans.get(key);
  if (p !== undefined) {
    // Most recently used goes last.
    thread.plans.delete(key);
    thread.plans.set(key, p);
    return p ?? undefined;
  }
  const sc: BuildScope = { transient: [], prims: [], mems: [] };
  thread.scope = sc;
  try {
    p = build(s);
    p.owned = { prims: sc.prims, mems: sc.mems };
  } catch {
    p = null;
    destroyOwned(s, sc);
  } finally {
    thread.scope = undefined;
    for (const t of sc.transient) {
      if (t.kind === "pd") s.lib.dnnl_primitive_desc_destroy(t.ptr);
      else if (t.kind === "attr") s.lib.dnnl_primitive_attr_destroy(t.ptr);
      else s.lib.dnnl_post_ops_destroy(t.ptr);
    }
  }
  thread.plans.set(key, p);
  while (thread.plans.size > MAX_PLANS) {
    const [oldest, plan] = thread.plans.entries().next().value!;
    thread.plans.delete(oldest);
    if (plan) destroyOwned(s, plan.owned);
  }
  return p ?? undefined;
}

/** Plans held now (for tests). */
export function oneDnnPlanCount(): number {
  return thread.plans.size;
}

export function geometryKey(kind: string, g: ConvGeometry): string {
  return `${kind}:${g.n},${g.h},${g.w},${g.c},${g.ho},${g.wo},${g.co},${g.kh},${g.kw},${g.top},${g.left}`;
}

/** Base address of the backend's heap, cached per `ArrayBuffer` (it changes when the heap grows). */

export function address(b: WasmBackend, t: TensorInfo): Ptr {
  const buf = b.wasm.asm.memory.buffer;
  if (buf !== thread.heapBuffer) {
    thread.heapBuffer = buf;
    thread.heapBase = Deno.UnsafePointer.of(buf);
  }
  return Deno.UnsafePointer.offset(thread.heapBase!, b.dataIdMap.get(t.dataId).memoryOffset);
}

export function run(plan: Plan, b: WasmBackend, tensors: Record<string, TensorInfo>): void {
  const s = thread.state!;
  for (const [name, t] of Object.entries(tensors)) {
    check(s.lib.dnnl_memory_set_data_handle(plan.user[name], address(b, t)), "set_data_handle");
  }
  for (const st of plan.steps) {
    check(s.lib.dnnl_primitive_execute(st.prim, s.stream, st.nargs, st.args), "primitive_execute");
  }
  check(s.lib.dnnl_stream_wait(s.stream), "stream_wait");
}

export function nonEmpty(g: ConvGeometry): boolean {
  return g.n * g.h * g.w * g.c * g.ho * g.wo * g.co * g.kh * g.kw > 0;
}

/**
 * Run the plan `key` (built by `build` on first use) on `inputs`, writing a
 * new float32 tensor of `shape` bound as `output`; undefined when oneDNN is
 * off or refused the case (the caller's other route takes it then).
 */
export function runPlan(
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
export function runPlanOutputs(
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
