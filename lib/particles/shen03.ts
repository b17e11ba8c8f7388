/**
 * Galaxy size-stellar mass relations of Shen et al. (2003, MNRAS 343, 978),
 * SDSS r-band half-light radii:
 * - early types (eq. 14, Table 1): R50 = b M^a kpc, a = 0.56, b = 2.88e-6;
 * - late types (eq. 18): R50 = gamma M^alpha (1 + M/M0)^(beta - alpha) kpc,
 *   alpha = 0.14, beta = 0.39, gamma = 0.10, M0 = 3.98e10 Msun.
 * M is the stellar mass in Msun.
 *
 * @module
 */

/** Projected half-mass radius [kpc] of an early-type galaxy (Shen et al. 2003 eq. 14). */
export function shen03EarlyTypeR50Kpc(mStarMsun: number): number {
  return 2.88e-6 * Math.pow(mStarMsun, 0.56);
}

/** Projected half-mass radius [kpc] of a late-type galaxy (Shen et al. 2003 eq. 18). */
export function shen03LateTypeR50Kpc(mStarMsun: number): number {
  return 0.1 * Math.pow(mStarMsun, 0.14) * Math.pow(1 + mStarMsun / 3.98e10, 0.39 - 0.14);
}
