/**
 * Tinker et al. (2008, ApJ 688, 709; "T08") halo mass function for spherical-
 * overdensity masses M_Delta with Delta defined relative to the MEAN matter
 * density.
 *
 * dn/dlnM = f(sigma) (rho_m / M) |d ln sigma / d ln M|  (T08 eq. 2), with
 * f(sigma) = A [(sigma/b)^-a + 1] exp(-c / sigma^2)      (T08 eq. 3),
 * parameters from T08 Table 2 interpolated with a natural cubic spline in
 * log10 Delta (as T08 §3 suggests; 200 <= Delta <= 3200), and the redshift
 * evolution of T08 eqs. 5-8:
 * A(z) = A0 (1+z)^-0.14, a(z) = a0 (1+z)^-0.06, b(z) = b0 (1+z)^-alpha,
 * log10 alpha(Delta) = -[0.75 / log10(Delta/75)]^1.2; c is constant.
 * rho_m is the comoving mean matter density, so n is per comoving Mpc^3; sigma
 * is from the EH98 linear spectrum (see power_spectrum.ts).
 *
 * @module
 */
import type { Cosmology } from "../cosmology/mod.ts";
import { assertRedshift, comovingMeanMatterDensityMsunPerMpc3, omegaMz } from "../cosmology/mod.ts";
import { naturalCubicSpline } from "./_spline.ts";
import { sigmaMWithSlope } from "./power_spectrum.ts";

/** Tinker et al. (2008) Table 2: Delta (w.r.t. mean) and the fit parameters A, a, b, c. */
export const TINKER08_TABLE2: Readonly<{
  delta: readonly number[];
  bigA: readonly number[];
  a: readonly number[];
  b: readonly number[];
  c: readonly number[];
}> = Object.freeze({
  delta: [200, 300, 400, 600, 800, 1200, 1600, 2400, 3200],
  bigA: [0.186, 0.2, 0.212, 0.218, 0.248, 0.255, 0.26, 0.26, 0.26],
  a: [1.47, 1.52, 1.56, 1.61, 1.87, 2.13, 2.3, 2.53, 2.66],
  b: [2.57, 2.25, 2.05, 1.87, 1.59, 1.51, 1.46, 1.44, 1.41],
  c: [1.19, 1.27, 1.34, 1.45, 1.58, 1.8, 1.97, 2.24, 2.44],
});

const LOG_DELTA = TINKER08_TABLE2.delta.map(Math.log10);
const SPLINE_A = naturalCubicSpline(LOG_DELTA, TINKER08_TABLE2.bigA);
const SPLINE_LA = naturalCubicSpline(LOG_DELTA, TINKER08_TABLE2.a);
const SPLINE_B = naturalCubicSpline(LOG_DELTA, TINKER08_TABLE2.b);
const SPLINE_C = naturalCubicSpline(LOG_DELTA, TINKER08_TABLE2.c);

/** Parameters of the T08 multiplicity function f(sigma) = A [(sigma/b)^-a + 1] exp(-c/sigma^2). */
export interface Tinker08Parameters {
  /** Amplitude A. */
  bigA: number;
  /** Low-mass slope a. */
  a: number;
  /** Scale b. */
  b: number;
  /** Cut-off c. */
  c: number;
}

/** Options shared by the Tinker mass-function and bias functions. */
export interface DeltaMeanOptions {
  /** Overdensity with respect to the mean matter density at z (default 200; 200..3200). */
  deltaMean?: number;
}

function resolveDelta(options: DeltaMeanOptions | undefined, what: string): number {
  const delta = options?.deltaMean ?? 200;
  if (!(Number.isFinite(delta) && delta >= 200 && delta <= 3200)) {
    throw new RangeError(
      `Cannot compute ${what}: deltaMean must be within Tinker's calibrated range 200..3200, got ${delta}`,
    );
  }
  return delta;
}

/**
 * T08 parameters at overdensity `deltaMean` (w.r.t. mean) and redshift z:
 * Table 2 spline-interpolated in log10 Delta, then T08 eqs. 5-8.
 *
 * @throws {RangeError} if Delta is outside 200..3200 or z < 0.
 */
export function tinker08Parameters(z: number, options?: DeltaMeanOptions): Tinker08Parameters {
  assertRedshift(z, "compute Tinker08 parameters");
  const delta = resolveDelta(options, "Tinker08 parameters");
  const x = Math.log10(delta);
  const zp1 = 1 + z;
  const alpha = 10 ** -((0.75 / Math.log10(delta / 75)) ** 1.2); // eq. 8
  return {
    bigA: SPLINE_A(x) * zp1 ** -0.14, // eq. 5
    a: SPLINE_LA(x) * zp1 ** -0.06, // eq. 6
    b: SPLINE_B(x) * zp1 ** -alpha, // eq. 7
    c: SPLINE_C(x),
  };
}

/** T08 eq. 3: f(sigma) = A [(sigma/b)^-a + 1] exp(-c / sigma^2). */
export function tinker08Multiplicity(sigma: number, params: Tinker08Parameters): number {
  if (!(Number.isFinite(sigma) && sigma > 0)) {
    throw new RangeError(`Cannot compute f(sigma): sigma must be finite and > 0, got ${sigma}`);
  }
  return params.bigA * ((sigma / params.b) ** -params.a + 1) *
    Math.exp(-params.c / (sigma * sigma));
}

/**
 * Tinker et al. (2008) mass function dn/dlnM [comoving Mpc^-3] for masses M_Delta
 * with Delta = `deltaMean` times the mean matter density (default 200m).
 *
 * @param mMsun Halo mass M_Delta [Msun] (not Msun/h).
 * @param z Redshift (>= 0).
 * @throws {RangeError} for non-positive mass, negative z, Delta outside 200..3200.
 */
export function tinker08MassFunction(
  mMsun: number,
  z: number,
  cosmo: Cosmology,
  options?: DeltaMeanOptions,
): number {
  if (!(Number.isFinite(mMsun) && mMsun > 0)) {
    throw new RangeError(
      `Cannot compute the mass function: mMsun must be finite and > 0, got ${mMsun}`,
    );
  }
  const params = tinker08Parameters(z, options);
  const { sigma, dlnSigmaDlnM } = sigmaMWithSlope(mMsun, z, cosmo);
  const rho = comovingMeanMatterDensityMsunPerMpc3(cosmo);
  return tinker08Multiplicity(sigma, params) * (rho / mMsun) * Math.abs(dlnSigmaDlnM);
}

/**
 * Delta with respect to the mean that corresponds to 200 times the CRITICAL
 * density at z: Delta_m = 200 / Omega_m(z) (716 at z = 0 for WMAP9-BAHAMAS).
 */
export function delta200cAsMean(z: number, cosmo: Cosmology): number {
  return 200 / omegaMz(z, cosmo);
}

/**
 * Tinker08 dn/dlnM [comoving Mpc^-3] for M200c (200 times the critical density),
 * i.e. {@link tinker08MassFunction} with Delta_mean = 200 / Omega_m(z).
 *
 * @param m200cMsun Halo mass M200c [Msun].
 * @param z Redshift (>= 0; Delta_mean stays in 200..3200 for z < ~ 5 here).
 */
export function tinker08MassFunction200c(m200cMsun: number, z: number, cosmo: Cosmology): number {
  return tinker08MassFunction(m200cMsun, z, cosmo, { deltaMean: delta200cAsMean(z, cosmo) });
}
