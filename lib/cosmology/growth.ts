/**
 * Linear growth of density perturbations.
 *
 * @module
 */
import type { Cosmology } from "./parameters.ts";
import { validateCosmology } from "./parameters.ts";
import { assertRedshift } from "./background.ts";
import { _hubbleE } from "./_background.ts";
import { integrateGL } from "./_integrate.ts";

/**
 * Unnormalised growing mode g(a) = E(a) int_0^a da' / (a' E(a'))^3
 * (Heath 1977, MNRAS 179, 351, eq. 10; exact for dust + Lambda). With
 * a' = u^2 the integrand becomes 2 u^4 (Omega_m + Omega_L u^6)^-3/2, smooth at 0.
 */
function growingMode(a: number, cosmo: Cosmology): number {
  const om = cosmo.omegaM;
  const ol = cosmo.omegaL;
  const integral = integrateGL(
    (u) => {
      const u2 = u * u;
      const u6 = u2 * u2 * u2;
      return 2 * u2 * u2 * (om + ol * u6) ** -1.5;
    },
    0,
    Math.sqrt(a),
    8,
  );
  return _hubbleE(1 / a - 1, cosmo) * integral;
}

/**
 * Linear growth factor D(z), normalised to D(0) = 1, for a flat Lambda-CDM
 * universe (Heath 1977 integral solution; see also Hamilton 2001, MNRAS 322, 419,
 * eq. 2). Radiation and neutrino masses are neglected.
 *
 * @param z Redshift (>= 0).
 * @throws {RangeError} if z is negative or not finite.
 */
export function linearGrowthFactor(z: number, cosmo: Cosmology): number {
  assertRedshift(z, "compute the linear growth factor");
  validateCosmology(cosmo);
  if (z === 0) return 1;
  return growingMode(1 / (1 + z), cosmo) / growingMode(1, cosmo);
}
