/**
 * Core versus ring (Yan et al. 2020, §4.2): how well the integrated signal of
 * the cluster core, F_cent (r < 0.15 R200), and of the ring around it,
 * F_ring (0.15 R200 <= r < R200), correlate with the true mass. The paper
 * finds correlation coefficients of 0.58 (core) and 0.94 (ring) for both
 * X-ray tracers, and uses this to explain why the X-ray networks ignore the
 * cluster centre.
 *
 * The paper does not say whether the correlation is taken in linear or in
 * logarithmic units; we report both: the Pearson coefficient of
 * log10 M_true with log10 F (images with F <= 0, possible from noise, are left
 * out and counted) and of M_true with F.
 *
 * Region membership is decided by the pixel centre: pixel (row y, column x)
 * covers [x, x + 1) x [y, y + 1) in continuous pixel coordinates, its centre
 * is (x + 0.5, y + 0.5), and the cluster centre is at (W/2, H/2) = (60, 60)
 * on the toolkit's 120-pixel images (between the four central pixels). Rings
 * that reach past the image edge are truncated there.
 *
 * @module
 */

/** Fraction of R200 that bounds the core (§4.2). */
export const CORE_FRACTION_OF_R200 = 0.15;

/**
 * The paper's correlation coefficients (§4.2): Pearson r of the true mass with
 * F_cent and F_ring for the X-ray tracers ("for both F_xs and F_xb"). The
 * paper gives none for the stellar-mass and Compton-y images.
 */
export const PAPER_CORE_RING_CORRELATION: Readonly<
  Record<"star" | "fxs" | "fxb" | "ypar", { core: number; ring: number } | null>
> = {
  star: null,
  fxs: { core: 0.58, ring: 0.94 },
  fxb: { core: 0.58, ring: 0.94 },
  ypar: null,
};

/** A stack of images, C order `[n, H, W]` (index [image][row][column]). */
export interface ImageStack {
  data: Float32Array | Float64Array;
  shape: number[];
}

/** Options of {@linkcode coreRingCorrelation}. */
export interface CoreRingOptions {
  /** Which images of the stack to use (e.g. the test split); default all. */
  indices?: ArrayLike<number>;
  /** R200 of each used image in pixels (same order as `indices`, or as the stack). */
  r200Pix: ArrayLike<number>;
  /** True M200 of each used image in Msun (same order as `r200Pix`). */
  m200Msun: ArrayLike<number>;
  /** Core radius in units of R200. Default 0.15 (the paper's). */
  coreFraction?: number;
  /** Cluster centre in continuous pixel coordinates [x, y]; default [W/2, H/2]. */
  centrePix?: [number, number];
}

/** Pearson coefficients of the two regions in one set of units. */
export interface RegionCorrelation {
  /** r of M_true with F_cent. */
  core: number;
  /** r of M_true with F_ring. */
  ring: number;
  /** Images used for the core coefficient. */
  nCore: number;
  /** Images used for the ring coefficient. */
  nRing: number;
}

/** Result of {@linkcode coreRingCorrelation}. */
export interface CoreRingResult {
  /** Pearson r of log10 M_true with log10 F (images with F <= 0 left out). */
  log: RegionCorrelation;
  /** Pearson r of M_true with F, linear units. */
  linear: RegionCorrelation;
  /** Integrated core signal per used image (image units times pixels). */
  fCore: Float64Array;
  /** Integrated ring signal per used image. */
  fRing: Float64Array;
  /** Images used. */
  n: number;
  /**
   * Images whose R200 circle reaches past the nearest image edge, so that
   * their ring is cut off by the field of view (20 arcmin on the toolkit's
   * images: R200 > 10 arcmin = 60 px, common at low redshift).
   */
  nRingTruncated: number;
}

/** Pearson correlation coefficient of two equally long samples (NaN if undefined). */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  if (x.length !== y.length) {
    throw new RangeError(`Cannot correlate: samples differ in length (${x.length} vs ${y.length})`);
  }
  const n = x.length;
  if (n < 2) return NaN;
  let mx = 0, my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i] - mx, dy = y[i] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : NaN;
}

/**
 * Integrated signal of one image inside r < rCore and rCore <= r < rOuter
 * (pixel-centre membership, see the module notes).
 */
export function integrateCoreRing(
  image: ArrayLike<number>,
  options: {
    shape: [number, number];
    rCorePix: number;
    rOuterPix: number;
    centrePix?: [number, number];
  },
): { core: number; ring: number } {
  const [h, w] = options.shape;
  const [cx, cy] = options.centrePix ?? [w / 2, h / 2];
  const rc2 = options.rCorePix ** 2, ro2 = options.rOuterPix ** 2;
  let core = 0, ring = 0;
  const y0 = Math.max(0, Math.floor(cy - options.rOuterPix - 1));
  const y1 = Math.min(h - 1, Math.ceil(cy + options.rOuterPix + 1));
  const x0 = Math.max(0, Math.floor(cx - options.rOuterPix - 1));
  const x1 = Math.min(w - 1, Math.ceil(cx + options.rOuterPix + 1));
  for (let y = y0; y <= y1; y++) {
    const dy2 = (y + 0.5 - cy) ** 2;
    for (let x = x0; x <= x1; x++) {
      const r2 = (x + 0.5 - cx) ** 2 + dy2;
      const v = image[y * w + x];
      if (r2 < rc2) core += v;
      else if (r2 < ro2) ring += v;
    }
  }
  return { core, ring };
}

/**
 * Correlate the true mass with the integrated core and ring signals of a
 * stack of images (§4.2).
 *
 * @example
 * ```ts
 * import { coreRingCorrelation } from "./core_ring.ts";
 * // Two 4x4 images with uniform signal equal to the mass: both regions track it.
 * const data = new Float32Array(32);
 * data.fill(1, 0, 16);
 * data.fill(3, 16, 32);
 * const r = coreRingCorrelation({ data, shape: [2, 4, 4] }, {
 *   r200Pix: [2, 2], m200Msun: [1, 3], coreFraction: 0.5,
 * });
 * if (Math.abs(r.linear.ring - 1) > 1e-12) throw new Error("expected r = 1");
 * ```
 */
export function coreRingCorrelation(images: ImageStack, options: CoreRingOptions): CoreRingResult {
  if (images.shape.length !== 3) {
    throw new RangeError(
      `Cannot correlate core and ring: images must have shape [n, H, W], got [${images.shape}]`,
    );
  }
  const [nAll, h, w] = images.shape;
  const indices = options.indices ?? Array.from({ length: nAll }, (_, i) => i);
  const n = indices.length;
  if (options.r200Pix.length !== n || options.m200Msun.length !== n) {
    throw new RangeError(
      `Cannot correlate core and ring: need one r200Pix and m200Msun per image (${n}), got ` +
        `${options.r200Pix.length} and ${options.m200Msun.length}`,
    );
  }
  const frac = options.coreFraction ?? CORE_FRACTION_OF_R200;
  if (!(frac > 0 && frac < 1)) {
    throw new RangeError(
      `Cannot correlate core and ring: coreFraction must be in (0, 1), got ${frac}`,
    );
  }
  const fCore = new Float64Array(n);
  const fRing = new Float64Array(n);
  const size = h * w;
  const [cx, cy] = options.centrePix ?? [w / 2, h / 2];
  const edge = Math.min(cx, cy, w - cx, h - cy);
  let nRingTruncated = 0;
  for (let k = 0; k < n; k++) {
    const idx = indices[k];
    if (!Number.isInteger(idx) || idx < 0 || idx >= nAll) {
      throw new RangeError(
        `Cannot correlate core and ring: image index ${idx} outside 0..${nAll - 1}`,
      );
    }
    const r200 = options.r200Pix[k];
    if (!(r200 > 0)) {
      throw new RangeError(`Cannot correlate core and ring: r200Pix must be > 0, got ${r200}`);
    }
    if (r200 > edge) nRingTruncated++;
    const s = integrateCoreRing(images.data.subarray(idx * size, (idx + 1) * size), {
      shape: [h, w],
      rCorePix: frac * r200,
      rOuterPix: r200,
      centrePix: options.centrePix,
    });
    fCore[k] = s.core;
    fRing[k] = s.ring;
  }
  const m = Array.from(options.m200Msun);
  const logPairs = (f: Float64Array) => {
    const lx: number[] = [], ly: number[] = [];
    for (let k = 0; k < n; k++) {
      if (f[k] > 0 && m[k] > 0) {
        lx.push(Math.log10(m[k]));
        ly.push(Math.log10(f[k]));
      }
    }
    return [lx, ly] as const;
  };
  const [lcx, lcy] = logPairs(fCore);
  const [lrx, lry] = logPairs(fRing);
  return {
    log: { core: pearson(lcx, lcy), ring: pearson(lrx, lry), nCore: lcx.length, nRing: lrx.length },
    linear: { core: pearson(m, fCore), ring: pearson(m, fRing), nCore: n, nRing: n },
    fCore,
    fRing,
    n,
    nRingTruncated,
  };
}
