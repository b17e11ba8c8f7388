/**
 * Linear matter power spectrum and its top-hat variance sigma(R), sigma(M).
 *
 * Conventions: comoving lengths in Mpc (not Mpc/h), wavenumbers in Mpc^-1,
 * P(k) in Mpc^3, masses in Msun (not Msun/h). The Lagrangian radius of a mass
 * uses the COMOVING mean matter density, M = (4 pi / 3) Omega_m rho_crit,0 R^3.
 * P(k, z) = A k^n_s T_EH98(k)^2 D(z)^2, with A fixed so that sigma(8/h Mpc, z=0)
 * equals the cosmology's sigma8; D(z) is the linear growth factor (D(0) = 1).
 *
 * @module
 */
import type { Cosmology } from "../cosmology/mod.ts";
import {
  assertRedshift,
  comovingMeanMatterDensityMsunPerMpc3,
  linearGrowthFactor,
} from "../cosmology/mod.ts";
import { powerTable, sigma2AndSlope } from "./_power_table.ts";

function assertPositive(value: number, name: string, what: string): void {
  if (!(Number.isFinite(value) && value > 0)) {
    throw new RangeError(`Cannot compute ${what}: ${name} must be finite and > 0, got ${value}`);
  }
}

/**
 * Linear matter power spectrum P(k, z) [Mpc^3] with the full Eisenstein & Hu
 * (1998) transfer function, normalised to sigma8 with a top-hat window.
 *
 * @param kMpcInv Comoving wavenumber [Mpc^-1] (> 0).
 * @param z Redshift (>= 0).
 * @throws {RangeError} for k <= 0 or negative z.
 */
export function linearPowerMpc3(kMpcInv: number, z: number, cosmo: Cosmology): number {
  assertPositive(kMpcInv, "kMpcInv", "the linear power spectrum");
  assertRedshift(z, "compute the linear power spectrum");
  const table = powerTable(cosmo);
  const t = table.transfer(kMpcInv);
  const d = z === 0 ? 1 : linearGrowthFactor(z, cosmo);
  return table.amplitude * kMpcInv ** cosmo.ns * t * t * d * d;
}

/**
 * RMS linear density fluctuation in a spherical top-hat of comoving radius R:
 * sigma^2(R, z) = (1 / 2 pi^2) int k^2 P(k, z) W^2(kR) dk, with
 * W(x) = 3 (sin x - x cos x) / x^3. Quadrature: 16-point Gauss-Legendre panels
 * of width 0.1 in ln k over 1e-6 < k < 1e4 Mpc^-1.
 *
 * @param rMpc Comoving radius [Mpc] (not Mpc/h).
 * @param z Redshift (>= 0).
 */
export function sigmaR(rMpc: number, z: number, cosmo: Cosmology): number {
  assertPositive(rMpc, "rMpc", "sigma(R)");
  assertRedshift(z, "compute sigma(R)");
  const { s2 } = sigma2AndSlope(rMpc, powerTable(cosmo));
  const d = z === 0 ? 1 : linearGrowthFactor(z, cosmo);
  return Math.sqrt(s2) * d;
}

/**
 * Lagrangian (comoving) radius of a mass: R = [3 M / (4 pi rho_m,comoving)]^(1/3) [Mpc].
 *
 * @param mMsun Mass [Msun].
 */
export function lagrangianRadiusMpc(mMsun: number, cosmo: Cosmology): number {
  assertPositive(mMsun, "mMsun", "the Lagrangian radius");
  const rho = comovingMeanMatterDensityMsunPerMpc3(cosmo);
  return Math.cbrt((3 * mMsun) / (4 * Math.PI * rho));
}

/**
 * sigma(M, z): {@link sigmaR} at the Lagrangian radius of M (top-hat, comoving
 * mean matter density).
 *
 * @param mMsun Mass [Msun] (not Msun/h).
 * @param z Redshift (>= 0).
 */
export function sigmaM(mMsun: number, z: number, cosmo: Cosmology): number {
  return sigmaR(lagrangianRadiusMpc(mMsun, cosmo), z, cosmo);
}

/**
 * sigma(M, z) together with the logarithmic slope d ln sigma / d ln M
 * (computed analytically from dW/dx, not by finite differences).
 *
 * @param mMsun Mass [Msun].
 * @param z Redshift (>= 0).
 */
export function sigmaMWithSlope(
  mMsun: number,
  z: number,
  cosmo: Cosmology,
): { sigma: number; dlnSigmaDlnM: number } {
  const r = lagrangianRadiusMpc(mMsun, cosmo);
  assertRedshift(z, "compute sigma(M)");
  const { s2, ds2dlnR } = sigma2AndSlope(r, powerTable(cosmo));
  const d = z === 0 ? 1 : linearGrowthFactor(z, cosmo);
  // d ln sigma / d ln M = (1/3) d ln sigma / d ln R = (1/6) d ln sigma^2 / d ln R
  return { sigma: Math.sqrt(s2) * d, dlnSigmaDlnM: ds2dlnR / (6 * s2) };
}
