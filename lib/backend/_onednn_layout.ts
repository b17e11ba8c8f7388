/**
 * Private: oneDNN memory layout. Plain f32 memory descriptors for tfjs'
 * tensors (NHWC activations, HWIO filters, described by strides in oneDNN's
 * logical order), "any" descriptors for the primitive to choose, and a reader
 * of the blocked layout oneDNN reports, so that a tfjs tensor is used in
 * place where the chosen layout is the same ({@linkcode layoutsMatch}) and
 * reordered otherwise.
 *
 * @module
 */
import {
  check,
  DNNL_F32,
  DNNL_FORMAT_TAG_ANY,
  type Lib,
  MD_BYTES,
  type Ptr,
} from "./_onednn_ffi.ts";
import { thread } from "./_onednn_state.ts";
import type { ConvGeometry } from "./simd_conv.ts";

export type Md = Uint8Array;

export function dims64(values: number[]): BigInt64Array {
  const a = new BigInt64Array(12);
  values.forEach((v, i) => (a[i] = BigInt(v)));
  return a;
}

/** A plain f32 memory descriptor from dims and strides (in elements). */
export function stridedMd(lib: Lib, dims: number[], strides: number[]): Md {
  const md = new Uint8Array(MD_BYTES);
  check(
    lib.dnnl_memory_desc_init_by_strides(md, dims.length, dims64(dims), DNNL_F32, dims64(strides)),
    "memory_desc_init_by_strides",
  );
  return md;
}

/** An f32 memory descriptor with the layout left to the primitive ("any"). */
export function anyMd(lib: Lib, dims: number[]): Md {
  const md = new Uint8Array(MD_BYTES);
  check(
    lib.dnnl_memory_desc_init_by_tag(md, dims.length, dims64(dims), DNNL_F32, DNNL_FORMAT_TAG_ANY),
    "memory_desc_init_by_tag",
  );
  return md;
}

/** NHWC activations [n, h, w, c] described in oneDNN's logical order (n, c, h, w). */
export function nhwcMd(lib: Lib, n: number, h: number, w: number, c: number): Md {
  return stridedMd(lib, [n, c, h, w], [h * w * c, 1, w * c, c]);
}

/** HWIO filters [kh, kw, ci, co] described in oneDNN's logical order (co, ci, kh, kw). */
export function hwioMd(lib: Lib, g: ConvGeometry): Md {
  return stridedMd(lib, [g.co, g.c, g.kh, g.kw], [1, g.co, g.kw * g.c * g.co, g.c * g.co]);
}

/**
 * Offsets of the fields of `dnnl_memory_desc_t` read here (oneDNN 1.x-2.x,
 * x86-64): ndims, dims[12], padded_dims[12], offset0, format_kind and the
 * blocking descriptor (strides[12], inner_nblks, inner_blks[12], inner_idxs[12]).
 * {@linkcode loadOneDnn} checks them on a descriptor it made before trusting them.
 */
export const MD = {
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
export const DNNL_BLOCKED = 2;

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

export function readLayout(md: Ptr | Md): Layout {
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
export function dimOffset(l: Layout, d: number, i: number): number {
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

export function samePlaces(user: Md, wanted: Ptr): boolean {
  return thread.layoutReadable && layoutsMatch(readLayout(user), readLayout(wanted));
}

/** Check the field offsets in {@linkcode MD} on a descriptor made here with known values. */
export function checkLayoutReader(lib: Lib): boolean {
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
