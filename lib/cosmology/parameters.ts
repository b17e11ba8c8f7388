/**
 * Cosmological parameter sets.
 *
 * @module
 */

/**
 * A flat Lambda-CDM cosmology with massless neutrinos. Radiation is neglected
 * in the expansion rate (E(z)^2 = Omega_m (1+z)^3 + Omega_Lambda), which is a
 * relative error below 1e-4 in H(z) for z < 1; `tcmbK` is kept for the record
 * (and for the Eisenstein & Hu 1998 transfer function), not for the expansion.
 */
export interface Cosmology {
  /** Name of the parameter set. */
  name: string;
  /** Dimensionless Hubble parameter h = H0 / (100 km/s/Mpc). */
  h: number;
  /** Total matter density parameter today (CDM + baryons). */
  omegaM: number;
  /** Baryon density parameter today. */
  omegaB: number;
  /** Cold dark matter density parameter today. */
  omegaC: number;
  /** Cosmological-constant density parameter today (flat: 1 - omegaM). */
  omegaL: number;
  /** RMS linear density fluctuation in spheres of 8 Mpc/h at z = 0. */
  sigma8: number;
  /** Spectral index of the primordial power spectrum. */
  ns: number;
  /** CMB temperature today [K]. */
  tcmbK: number;
}

/**
 * The WMAP 9-year cosmology used by BAHAMAS (McCarthy et al. 2017, MNRAS 465,
 * 2936, Section 2; Hinshaw et al. 2013, ApJS 208, 19): h = 0.700,
 * Omega_m = 0.2793 (Omega_c = 0.2330 + Omega_b = 0.0463), Omega_Lambda = 0.7207,
 * sigma_8 = 0.8211, n_s = 0.972. Flat, massless neutrinos, radiation neglected.
 * T_CMB = 2.7255 K (Fixsen 2009).
 */
export const WMAP9_BAHAMAS: Readonly<Cosmology> = Object.freeze({
  name: "WMAP9-BAHAMAS",
  h: 0.7,
  omegaM: 0.2793,
  omegaB: 0.0463,
  omegaC: 0.233,
  omegaL: 0.7207,
  sigma8: 0.8211,
  ns: 0.972,
  tcmbK: 2.7255,
});

/**
 * Check that a cosmology is usable: positive h, densities, sigma8, and
 * Omega_c + Omega_b = Omega_m, Omega_m + Omega_Lambda = 1 to 1e-3.
 *
 * @throws {RangeError} naming the offending parameter.
 */
export function validateCosmology(cosmo: Cosmology): void {
  const positive: (keyof Cosmology)[] = [
    "h",
    "omegaM",
    "omegaB",
    "omegaC",
    "sigma8",
    "ns",
    "tcmbK",
  ];
  for (const key of positive) {
    const v = cosmo[key] as number;
    if (!(Number.isFinite(v) && v > 0)) {
      throw new RangeError(`Invalid cosmology "${cosmo.name}": ${key} must be > 0, got ${v}`);
    }
  }
  if (!(Number.isFinite(cosmo.omegaL) && cosmo.omegaL >= 0)) {
    throw new RangeError(
      `Invalid cosmology "${cosmo.name}": omegaL must be >= 0, got ${cosmo.omegaL}`,
    );
  }
  if (Math.abs(cosmo.omegaB + cosmo.omegaC - cosmo.omegaM) > 1e-3) {
    throw new RangeError(
      `Invalid cosmology "${cosmo.name}": omegaB + omegaC must equal omegaM, got ` +
        `${cosmo.omegaB} + ${cosmo.omegaC} != ${cosmo.omegaM}`,
    );
  }
  if (Math.abs(cosmo.omegaM + cosmo.omegaL - 1) > 1e-3) {
    throw new RangeError(
      `Invalid cosmology "${cosmo.name}": only flat models are supported, omegaM + omegaL ` +
        `must be 1, got ${cosmo.omegaM + cosmo.omegaL}`,
    );
  }
}

/**
 * A string that identifies a cosmology by its parameter values (not its
 * name), for memoising tables computed from it.
 */
export function cosmologyKey(cosmo: Cosmology): string {
  return [
    cosmo.h,
    cosmo.omegaM,
    cosmo.omegaB,
    cosmo.omegaC,
    cosmo.omegaL,
    cosmo.sigma8,
    cosmo.ns,
    cosmo.tcmbK,
  ].join(",");
}
