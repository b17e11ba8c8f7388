/**
 * Private: circular apertures on the toolkit's images and the factor that
 * turns a tracer's summed pixels into an intrinsic signal, shared by the
 * realism measurement and the Table 2 baselines.
 *
 * @module
 */
import { angularDiameterDistanceMpc, type Cosmology } from "../cosmology/mod.ts";
import { MPC_CM } from "../constants/mod.ts";
import type { Tracer } from "../types/mod.ts";

/**
 * Per-image cumulative signal at each distinct pixel-centre radius, for
 * apertures of any radius (pixel-centre membership, as {@linkcode apertureSums}).
 */
export class RadialSums {
  readonly #order: Int32Array;
  /** Distinct radii, increasing [pixels]. */
  readonly #radius: Float64Array;
  /** Number of pixels with radius <= #radius[k]. */
  readonly #count: Int32Array;
  constructor(size: number) {
    const n = size * size;
    const c = size / 2;
    const r = new Float64Array(n);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) r[y * size + x] = Math.hypot(x + 0.5 - c, y + 0.5 - c);
    }
    const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => r[a] - r[b]);
    const radius: number[] = [];
    const count: number[] = [];
    for (let k = 0; k < n; k++) {
      const rk = r[order[k]];
      if (radius.length > 0 && rk - radius[radius.length - 1] < 1e-9) {
        count[count.length - 1] = k + 1;
      } else {
        radius.push(rk);
        count.push(k + 1);
      }
    }
    this.#order = order;
    this.#radius = Float64Array.from(radius);
    this.#count = Int32Array.from(count);
  }
  /** Cumulative sums of one image at each distinct radius. */
  cumulative(images: Float32Array, index: number): Float64Array {
    const out = new Float64Array(this.#radius.length);
    const base = index * this.#order.length;
    let s = 0;
    let k = 0;
    for (let g = 0; g < out.length; g++) {
      for (const end = this.#count[g]; k < end; k++) s += images[base + this.#order[k]];
      out[g] = s;
    }
    return out;
  }
  /** Sum of the pixels whose centre lies within `radiusPx` (binary search in the radii). */
  within(cum: Float64Array, radiusPx: number): number {
    const k = countAtMost(this.#radius, radiusPx);
    return k === 0 ? 0 : cum[k - 1];
  }
}

/** Number of entries of the increasing `sorted` that are <= x (binary search). */
function countAtMost(sorted: ArrayLike<number>, x: number): number {
  let lo = 0, hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The particle version of {@linkcode RadialSums}: for each of `radii` (any
 * order, same units as sqrt(d2)), the sum of `values` over the particles whose
 * squared projected radius `d2` is below radius^2. One pass over the particles.
 */
export function enclosedSums(
  d2: ArrayLike<number>,
  values: ArrayLike<number>,
  radii: readonly number[],
): Float64Array {
  const order = radii.map((_, i) => i).sort((a, b) => radii[a] - radii[b]);
  const r2 = order.map((i) => radii[i] * radii[i]);
  // shell[k]: particles with r2[k-1] <= d2 < r2[k] (k = r2.length: beyond the largest radius).
  const shell = new Float64Array(r2.length + 1);
  for (let p = 0; p < d2.length; p++) shell[countAtMost(r2, d2[p])] += values[p];
  const out = new Float64Array(radii.length);
  let s = 0;
  for (let k = 0; k < r2.length; k++) out[order[k]] = s += shell[k];
  return out;
}

/**
 * The factor that turns a tracer's summed pixels into an intrinsic signal at
 * redshift z: stellar mass [Msun] and Y D_A^2 [Mpc^2] multiply by the pixel
 * area (D_A theta_pix)^2, X-ray fluxes by 4 pi D_L^2 [erg/s per erg/s/cm^2].
 */
export function intrinsicFactor(
  tracer: Tracer,
  z: number,
  pixRad: number,
  cosmology: Cosmology,
): number {
  const dA = angularDiameterDistanceMpc(z, cosmology);
  if (tracer === "star" || tracer === "ypar") return (dA * pixRad) ** 2;
  const dLcm = dA * (1 + z) ** 2 * MPC_CM;
  return 4 * Math.PI * dLcm * dLcm;
}
