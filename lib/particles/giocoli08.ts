/**
 * Subhalo (infall) mass function of Giocoli, Tormen & van den Bosch (2008,
 * MNRAS 386, 2135), eq. 2 for the *unevolved* subhalo mass function:
 *
 *   dN / d ln(m/M) = N0 x^-alpha exp(-k x^3),   x = m / (alpha M),
 *
 * with N0 = 0.21, alpha = 0.8, k = 6.283. m is the subhalo mass at accretion
 * (what sets a satellite's stellar mass through Moster et al. 2013).
 *
 * @module
 */
import type { Rng } from "../random/mod.ts";

/** Giocoli et al. (2008) eq. 2 parameters. */
export const GIOCOLI08 = Object.freeze({ n0: 0.21, alpha: 0.8, k: 6.283 });

/** dN/d ln(m/M) at mass ratio m/M (Giocoli et al. 2008 eq. 2). */
export function giocoli08SubhaloMassFunction(mOverM: number): number {
  const { n0, alpha, k } = GIOCOLI08;
  const x = mOverM / alpha;
  return n0 * Math.pow(x, -alpha) * Math.exp(-k * x * x * x);
}

/** Options of {@linkcode drawGiocoli08Subhaloes}. */
export interface DrawSubhaloOptions {
  /** Smallest subhalo infall mass [Msun]. Default 1e10.5. */
  minMassMsun?: number;
}

/**
 * Draw subhalo infall masses [Msun] for a host of mass M [Msun]: a Poisson
 * number with the integral of eq. 2 above `minMassMsun`, each mass by
 * inverse transform of the tabulated cumulative distribution. Sorted in
 * decreasing mass.
 */
export function drawGiocoli08Subhaloes(
  hostMassMsun: number,
  rng: Rng,
  options: DrawSubhaloOptions = {},
): number[] {
  const mMin = options.minMassMsun ?? Math.pow(10, 10.5);
  if (!(hostMassMsun > 0)) {
    throw new RangeError(`Cannot draw subhaloes: hostMassMsun must be > 0, got ${hostMassMsun}`);
  }
  const lo = Math.log(mMin / hostMassMsun);
  const hi = Math.log(1.0); // exp(-k x^3) kills m > M
  if (lo >= hi) return [];
  const nGrid = 200;
  const cum = new Float64Array(nGrid + 1);
  const dl = (hi - lo) / nGrid;
  for (let i = 1; i <= nGrid; i++) {
    const a = giocoli08SubhaloMassFunction(Math.exp(lo + (i - 1) * dl));
    const b = giocoli08SubhaloMassFunction(Math.exp(lo + i * dl));
    cum[i] = cum[i - 1] + 0.5 * (a + b) * dl;
  }
  const total = cum[nGrid];
  const n = rng.poisson(total);
  const out: number[] = [];
  for (let j = 0; j < n; j++) {
    const u = rng.random() * total;
    let a = 0;
    let b = nGrid;
    while (b - a > 1) {
      const m = (a + b) >> 1;
      if (cum[m] <= u) a = m;
      else b = m;
    }
    const f = (u - cum[a]) / (cum[b] - cum[a] || 1);
    out.push(hostMassMsun * Math.exp(lo + (a + f) * dl));
  }
  return out.sort((p, q) => q - p);
}
