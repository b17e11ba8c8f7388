/**
 * Duffy et al. (2008, MNRAS 390, L64) concentration-mass relation.
 *
 * @module
 */
import type { Cosmology } from "../cosmology/mod.ts";
import { assertRedshift, validateCosmology } from "../cosmology/mod.ts";

/**
 * Duffy et al. (2008) Table 1, "full" sample, Delta = 200c (NFW fits to all haloes,
 * WMAP5): c200 = A (M200c / M_pivot)^B (1+z)^C with A = 5.71, B = -0.084, C = -0.47,
 * M_pivot = 2e12 Msun/h (their eq. 4).
 */
export const DUFFY08_FULL_200C: Readonly<
  { a: number; b: number; c: number; mPivotMsunPerH: number }
> = Object.freeze({ a: 5.71, b: -0.084, c: -0.47, mPivotMsunPerH: 2e12 });

/**
 * Mean NFW concentration c200c of haloes of mass M200c at redshift z
 * (Duffy et al. 2008 eq. 4, full sample, 200c). The mass is converted to
 * Msun/h with the cosmology's h for the pivot.
 *
 * @param m200cMsun Halo mass M200c [Msun] (not Msun/h).
 * @param z Redshift (>= 0).
 * @returns c200c = r200c / r_s (dimensionless).
 */
export function duffy08Concentration(m200cMsun: number, z: number, cosmo: Cosmology): number {
  if (!(Number.isFinite(m200cMsun) && m200cMsun > 0)) {
    throw new RangeError(
      `Cannot compute concentration: m200cMsun must be finite and > 0, got ${m200cMsun}`,
    );
  }
  assertRedshift(z, "compute concentration");
  validateCosmology(cosmo);
  const p = DUFFY08_FULL_200C;
  return p.a * ((m200cMsun * cosmo.h) / p.mPivotMsunPerH) ** p.b * (1 + z) ** p.c;
}
