/**
 * Background expansion, distances and densities of a flat Lambda-CDM universe
 * (radiation and neutrino masses neglected): E(z)^2 = Omega_m (1+z)^3 + Omega_Lambda.
 *
 * Distances follow Hogg (1999, arXiv:astro-ph/9905116) eqs. 15, 18, 21:
 * D_C = (c/H0) int_0^z dz'/E(z'), D_A = D_C/(1+z), D_L = (1+z) D_C (flat).
 * The integral uses composite 16-point Gauss-Legendre quadrature with panels of
 * width <= 0.125 in z (relative error < 1e-12 for z < 10).
 *
 * @module
 */
import { C_KM_PER_S, G_MPC_KM2_PER_S2_MSUN } from "../constants/mod.ts";
import type { Cosmology } from "./parameters.ts";
import { validateCosmology } from "./parameters.ts";
import { _comovingDistanceMpc, _hubbleE } from "./_background.ts";

/**
 * Throw a RangeError unless z is a finite, non-negative redshift.
 *
 * @param what What the caller was doing, for the message ("Cannot <what>: ...").
 */
export function assertRedshift(z: number, what = "compute"): void {
  if (!(typeof z === "number" && Number.isFinite(z) && z >= 0)) {
    throw new RangeError(`Cannot ${what}: redshift z must be finite and >= 0, got ${z}`);
  }
}

/**
 * Dimensionless expansion rate E(z) = H(z)/H0 = sqrt(Omega_m (1+z)^3 + Omega_Lambda)
 * (flat, radiation neglected; Hogg 1999 eq. 14).
 *
 * @param z Redshift (>= 0).
 * @param cosmo Cosmology.
 * @throws {RangeError} if z is negative or not finite.
 */
export function hubbleE(z: number, cosmo: Cosmology): number {
  assertRedshift(z, "compute E(z)");
  validateCosmology(cosmo);
  return _hubbleE(z, cosmo);
}

/** Hubble rate H(z) [km s^-1 Mpc^-1] = 100 h E(z). */
export function hubbleKmPerSPerMpc(z: number, cosmo: Cosmology): number {
  return 100 * cosmo.h * hubbleE(z, cosmo);
}

/** Matter density parameter at redshift z: Omega_m(z) = Omega_m (1+z)^3 / E(z)^2. */
export function omegaMz(z: number, cosmo: Cosmology): number {
  const e = hubbleE(z, cosmo);
  return (cosmo.omegaM * (1 + z) ** 3) / (e * e);
}

/** Hubble distance c/H0 [Mpc]. */
export function hubbleDistanceMpc(cosmo: Cosmology): number {
  validateCosmology(cosmo);
  return C_KM_PER_S / (100 * cosmo.h);
}

/**
 * Line-of-sight comoving distance D_C = (c/H0) int_0^z dz'/E(z') [Mpc]
 * (Hogg 1999 eq. 15), by Gauss-Legendre quadrature.
 *
 * @throws {RangeError} if z is negative or not finite.
 */
export function comovingDistanceMpc(z: number, cosmo: Cosmology): number {
  assertRedshift(z, "compute comoving distance");
  validateCosmology(cosmo);
  return _comovingDistanceMpc(z, cosmo);
}

/** Angular-diameter distance D_A = D_C/(1+z) [Mpc] (flat; Hogg 1999 eq. 18). */
export function angularDiameterDistanceMpc(z: number, cosmo: Cosmology): number {
  return comovingDistanceMpc(z, cosmo) / (1 + z);
}

/** Luminosity distance D_L = (1+z) D_C [Mpc] (flat; Hogg 1999 eq. 21). */
export function luminosityDistanceMpc(z: number, cosmo: Cosmology): number {
  return comovingDistanceMpc(z, cosmo) * (1 + z);
}

/**
 * Redshift at which the comoving distance equals `dMpc` (inverse of
 * {@link comovingDistanceMpc}, by Newton iteration with dD_C/dz = c/H(z));
 * converged to |dz| < 1e-12.
 *
 * @throws {RangeError} if dMpc is negative or not finite.
 */
export function redshiftAtComovingDistance(dMpc: number, cosmo: Cosmology): number {
  if (!(Number.isFinite(dMpc) && dMpc >= 0)) {
    throw new RangeError(
      `Cannot invert comoving distance: dMpc must be finite and >= 0, got ${dMpc}`,
    );
  }
  validateCosmology(cosmo);
  const dh = C_KM_PER_S / (100 * cosmo.h);
  let z = dMpc / dh; // low-z guess
  for (let i = 0; i < 50; i++) {
    const f = _comovingDistanceMpc(z, cosmo) - dMpc;
    const dz = f / (dh / _hubbleE(z, cosmo));
    z = Math.max(0, z - dz);
    if (Math.abs(dz) < 1e-12) break;
  }
  return z;
}

/**
 * Critical density rho_crit(z) = 3 H(z)^2 / (8 pi G) [Msun Mpc^-3] (physical).
 * At z = 0 this is 2.775e11 h^2 Msun Mpc^-3.
 */
export function criticalDensityMsunPerMpc3(z: number, cosmo: Cosmology): number {
  const hz = hubbleKmPerSPerMpc(z, cosmo);
  return (3 * hz * hz) / (8 * Math.PI * G_MPC_KM2_PER_S2_MSUN);
}

/**
 * Mean matter density at redshift z in PHYSICAL (proper) units [Msun Mpc^-3]:
 * rho_m(z) = Omega_m rho_crit(0) (1+z)^3 = Omega_m(z) rho_crit(z).
 * For the comoving value (constant in time) use
 * {@link comovingMeanMatterDensityMsunPerMpc3}.
 */
export function meanMatterDensityMsunPerMpc3(z: number, cosmo: Cosmology): number {
  assertRedshift(z, "compute mean matter density");
  return comovingMeanMatterDensityMsunPerMpc3(cosmo) * (1 + z) ** 3;
}

/**
 * Mean matter density in COMOVING units [Msun per comoving Mpc^3]:
 * Omega_m rho_crit(0), independent of redshift. This is the density used to
 * relate Lagrangian radius and mass in sigma(M) and the halo mass function.
 */
export function comovingMeanMatterDensityMsunPerMpc3(cosmo: Cosmology): number {
  return cosmo.omegaM * criticalDensityMsunPerMpc3(0, cosmo);
}
