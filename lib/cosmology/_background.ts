/**
 * Unchecked hot-path versions of the background functions (private).
 *
 * @module
 */
import { C_KM_PER_S } from "../constants/mod.ts";
import type { Cosmology } from "./parameters.ts";
import { integrateGL } from "./_integrate.ts";

/** E(z) without argument checks. */
export function _hubbleE(z: number, cosmo: Cosmology): number {
  const zp1 = 1 + z;
  return Math.sqrt(cosmo.omegaM * zp1 * zp1 * zp1 + cosmo.omegaL);
}

/** Comoving distance [Mpc] without argument checks (16-pt Gauss-Legendre, panels <= 0.125 in z). */
export function _comovingDistanceMpc(z: number, cosmo: Cosmology): number {
  if (z === 0) return 0;
  const segments = Math.max(2, Math.ceil(z * 8));
  const integral = integrateGL((zz) => 1 / _hubbleE(zz, cosmo), 0, z, segments);
  return (C_KM_PER_S / (100 * cosmo.h)) * integral;
}
