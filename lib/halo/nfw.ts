/**
 * Spherical-overdensity radii and Navarro, Frenk & White (1997, ApJ 490, 493)
 * profile helpers: enclosed mass and conversion between overdensities.
 * Radii are PHYSICAL Mpc; overdensities are with respect to the critical
 * density at z, rho_crit(z) = 3 H(z)^2 / (8 pi G).
 *
 * @module
 */
import type { Cosmology } from "../cosmology/mod.ts";
import { criticalDensityMsunPerMpc3 } from "../cosmology/mod.ts";

function assertPositive(value: number, name: string, what: string): void {
  if (!(Number.isFinite(value) && value > 0)) {
    throw new RangeError(`Cannot ${what}: ${name} must be finite and > 0, got ${value}`);
  }
}

/**
 * Radius enclosing mean density deltaCrit x rho_crit(z):
 * r = [3 M / (4 pi deltaCrit rho_crit(z))]^(1/3) [physical Mpc].
 *
 * @param mMsun Mass [Msun].
 * @param deltaCrit Overdensity w.r.t. critical (e.g. 200, 500).
 * @param z Redshift (>= 0).
 */
export function radiusFromMassMpc(
  mMsun: number,
  deltaCrit: number,
  z: number,
  cosmo: Cosmology,
): number {
  assertPositive(mMsun, "mMsun", "compute a halo radius");
  assertPositive(deltaCrit, "deltaCrit", "compute a halo radius");
  const rho = criticalDensityMsunPerMpc3(z, cosmo);
  return Math.cbrt((3 * mMsun) / (4 * Math.PI * deltaCrit * rho));
}

/** r200c [physical Mpc] of a halo of mass M200c [Msun] at redshift z. */
export function r200cMpc(m200cMsun: number, z: number, cosmo: Cosmology): number {
  return radiusFromMassMpc(m200cMsun, 200, z, cosmo);
}

/** NFW mass function mu(y) = ln(1 + y) - y / (1 + y), with a series for small y. */
export function nfwMu(y: number): number {
  if (y < 1e-4) return y * y * (0.5 - (2 / 3) * y + 0.75 * y * y);
  return Math.log1p(y) - y / (1 + y);
}

/**
 * Fraction of M200 enclosed within x = r / r200 for an NFW halo of
 * concentration c: M(<x r200) / M200 = mu(c x) / mu(c), mu(y) = ln(1+y) - y/(1+y).
 *
 * @param x Radius in units of r200 (>= 0).
 * @param c Concentration c200 (> 0).
 */
export function nfwEnclosedMassFraction(x: number, c: number): number {
  if (!(Number.isFinite(x) && x >= 0)) {
    throw new RangeError(`Cannot compute NFW enclosed mass: x must be finite and >= 0, got ${x}`);
  }
  assertPositive(c, "c", "compute NFW enclosed mass");
  return nfwMu(c * x) / nfwMu(c);
}

/** Mass, radius and concentration of an NFW halo at another overdensity. */
export interface NfwConversion {
  /** M_Delta [Msun]. */
  mMsun: number;
  /** r_Delta [physical Mpc]. */
  rMpc: number;
  /** c_Delta = r_Delta / r_s. */
  c: number;
}

/**
 * Convert an NFW halo (M200c, c200c) to overdensity `deltaTo` x rho_crit(z):
 * solves mu(c200 x) / mu(c200) = (deltaTo / 200) x^3 for x = r_Delta / r200
 * (bisection in ln x, then Newton polish to |dx/x| < 1e-13).
 * E.g. deltaTo = 500 gives M500c, r500c (M500/M200 = 0.69 for c200 = 4).
 *
 * @param m200cMsun M200c [Msun].
 * @param c200 Concentration c200c.
 * @param deltaTo Target overdensity w.r.t. critical (> 0).
 * @param z Redshift (>= 0).
 */
export function convertNfwMass(
  m200cMsun: number,
  c200: number,
  deltaTo: number,
  z: number,
  cosmo: Cosmology,
): NfwConversion {
  assertPositive(m200cMsun, "m200cMsun", "convert NFW mass");
  assertPositive(c200, "c200", "convert NFW mass");
  assertPositive(deltaTo, "deltaTo", "convert NFW mass");
  const r200 = r200cMpc(m200cMsun, z, cosmo);
  const x = solveOverdensityRadius(c200, deltaTo / 200);
  const frac = nfwMu(c200 * x) / nfwMu(c200);
  return { mMsun: m200cMsun * frac, rMpc: x * r200, c: c200 * x };
}

/** Solve mu(c x)/mu(c) = ratio x^3 for x > 0 (the function of x is monotonic). */
function solveOverdensityRadius(c: number, ratio: number): number {
  const muC = nfwMu(c);
  // g(ln x) = ln(mu(cx)/mu(c)) - ln(ratio) - 3 ln x is decreasing in ln x.
  const g = (lx: number) => {
    const x = Math.exp(lx);
    return Math.log(nfwMu(c * x) / muC) - Math.log(ratio) - 3 * lx;
  };
  let lo = -20;
  let hi = 20;
  for (let i = 0; i < 200 && hi - lo > 1e-10; i++) {
    const mid = 0.5 * (lo + hi);
    if (g(mid) > 0) lo = mid;
    else hi = mid;
  }
  let x = Math.exp(0.5 * (lo + hi));
  for (let i = 0; i < 3; i++) {
    // Newton on h(x) = mu(cx)/mu(c) - ratio x^3, h'(x) = c^2 x / (1+cx)^2 / mu(c) - 3 ratio x^2
    const y = c * x;
    const h = nfwMu(y) / muC - ratio * x * x * x;
    const dh = (c * y) / ((1 + y) * (1 + y)) / muC - 3 * ratio * x * x;
    const step = h / dh;
    x -= step;
    if (Math.abs(step / x) < 1e-13) break;
  }
  return x;
}
