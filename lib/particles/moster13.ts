/**
 * Stellar-to-halo mass relation of Moster, Naab & White (2013, MNRAS 428,
 * 3121), eq. 2 at z = 0 (Table 1, best fit):
 *
 *   m(M) / M = 2 N [ (M/M1)^-beta + (M/M1)^gamma ]^-1,
 *
 * with log10 M1 = 11.590, N = 0.0351, beta = 1.376, gamma = 0.608. Halo masses
 * are M200c (Moster et al. 2013 §3.1) in Msun (h = 0.704 in their fit; no
 * rescaling is applied). For satellites M is the infall (peak) halo mass.
 *
 * @module
 */

/** Moster et al. (2013) Table 1 z = 0 parameters. */
export const MOSTER13 = Object.freeze({ log10M1: 11.59, n: 0.0351, beta: 1.376, gamma: 0.608 });

/**
 * Central-galaxy stellar mass [Msun] for a halo of mass M200c [Msun]
 * (Moster et al. 2013 eq. 2, z = 0, no scatter).
 */
export function moster13StellarMassMsun(m200Msun: number): number {
  if (!(m200Msun > 0)) {
    throw new RangeError(`Cannot evaluate Moster13: m200Msun must be > 0, got ${m200Msun}`);
  }
  const x = m200Msun / Math.pow(10, MOSTER13.log10M1);
  return m200Msun * 2 * MOSTER13.n / (Math.pow(x, -MOSTER13.beta) + Math.pow(x, MOSTER13.gamma));
}
