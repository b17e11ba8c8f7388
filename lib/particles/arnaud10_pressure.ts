/**
 * The universal pressure profile of Arnaud et al. (2010, A&A 517, A92).
 *
 * Eq. 13 (with the mass dependence of eqs. 8-9 and 11):
 *
 *   P(r) = 1.65e-3 h(z)^(8/3) [M500 / (3e14 h70^-1 Msun)]^(2/3 + alpha_P + alpha'_P(x))
 *          p(x) h70^2 keV cm^-3,
 *   p(x) = P0 / [(c500 x)^gamma (1 + (c500 x)^alpha)^((beta - gamma)/alpha)],
 *   alpha'_P(x) = 0.10 - (alpha_P + 0.10) (x/0.5)^3 / (1 + (x/0.5)^3),
 *
 * with x = r/r500, h(z) = E(z), alpha_P = 0.12 and the best-fitting GNFW
 * parameters of eq. 12: P0 = 8.403 h70^-3/2, c500 = 1.177, gamma = 0.3081,
 * alpha = 1.0510, beta = 5.4905.
 *
 * P is the *electron* pressure P_e = n_e k_B T (Arnaud et al. 2010 §2), so a
 * gas element's temperature is T = P_e / (n_e k_B) with n_e = rho/(mu_e m_p).
 *
 * @module
 */
import { type Cosmology, hubbleE } from "../cosmology/mod.ts";

/** GNFW parameters of Arnaud et al. (2010) eq. 12 (h70 = 1 values). */
export const ARNAUD10 = Object.freeze({
  p0: 8.403,
  c500: 1.177,
  gamma: 0.3081,
  alpha: 1.051,
  beta: 5.4905,
  alphaP: 0.12,
});

/** The dimensionless GNFW shape p(x) of Arnaud et al. (2010) eq. 11, h70 = 1. */
export function arnaud10Gnfw(x: number): number {
  const { p0, c500, gamma, alpha, beta } = ARNAUD10;
  const cx = c500 * x;
  return p0 / (Math.pow(cx, gamma) * Math.pow(1 + Math.pow(cx, alpha), (beta - gamma) / alpha));
}

/** alpha'_P(x) of Arnaud et al. (2010) eq. 9. */
export function arnaud10AlphaPrimeP(x: number): number {
  const t = Math.pow(x / 0.5, 3);
  return 0.1 - (ARNAUD10.alphaP + 0.1) * t / (1 + t);
}

/** Options of {@linkcode arnaud10PressureKeVPerCm3}. */
export interface Arnaud10Options {
  /** Redshift for h(z) = E(z). Default 0. */
  z?: number;
  /** Cosmology (for h70 and E(z)). */
  cosmology: Cosmology;
  /** Multiplicative normalisation (per-cluster scatter). Default 1. */
  normalisation?: number;
}

/**
 * Electron pressure P_e(x) [keV cm^-3] at x = r/r500 for a cluster of mass
 * M500 [Msun] (Arnaud et al. 2010 eq. 13, including alpha'_P(x)).
 */
export function arnaud10PressureKeVPerCm3(
  x: number,
  m500Msun: number,
  options: Arnaud10Options,
): number {
  if (!(x > 0)) throw new RangeError(`Cannot evaluate Arnaud pressure: x must be > 0, got ${x}`);
  if (!(m500Msun > 0)) {
    throw new RangeError(`Cannot evaluate Arnaud pressure: m500Msun must be > 0, got ${m500Msun}`);
  }
  const cosmo = options.cosmology;
  const h70 = cosmo.h / 0.7;
  const ez = hubbleE(options.z ?? 0, cosmo);
  const mPivot = 3e14 / h70;
  const expo = 2 / 3 + ARNAUD10.alphaP + arnaud10AlphaPrimeP(x);
  // P0 scales as h70^-3/2 (eq. 12); the overall factor as h70^2.
  return 1.65e-3 * Math.pow(ez, 8 / 3) * Math.pow(m500Msun / mPivot, expo) *
    arnaud10Gnfw(x) * Math.pow(h70, -1.5) * h70 * h70 * (options.normalisation ?? 1);
}
