/**
 * Private helpers: radial tables, inverse-transform sampling, ellipsoids and
 * random rotations. Everything works on typed arrays without per-particle
 * allocation.
 *
 * @module
 */
import type { Rng } from "../random/mod.ts";

/**
 * A spherically symmetric profile tabulated on a log-spaced radius grid, with
 * the cumulative mass for inverse-transform sampling of radii.
 */
export interface RadialTable {
  /** ln r of the grid [ln Mpc]. */
  lnR: Float64Array;
  /** Density shape at the grid points (arbitrary units). */
  rho: Float64Array;
  /** Cumulative mass shape M(<r) (same units x Mpc^3). */
  cum: Float64Array;
  /** Inverse table: ln r at equally spaced fractions of the total mass. */
  invLnR: Float64Array;
}

/**
 * Tabulate `rhoOf(r)` on `n` log-spaced radii from rMin to rMax [Mpc] and
 * build M(<r) (trapezoid in ln r of 4 pi r^3 rho, plus the analytic inner
 * part assuming constant density below rMin) and its inverse.
 */
export function radialTable(
  rhoOf: (rMpc: number) => number,
  rMinMpc: number,
  rMaxMpc: number,
  n = 256,
  nInv = 2048,
): RadialTable {
  const lnR = new Float64Array(n);
  const rho = new Float64Array(n);
  const cum = new Float64Array(n);
  const l0 = Math.log(rMinMpc);
  const dl = (Math.log(rMaxMpc) - l0) / (n - 1);
  for (let i = 0; i < n; i++) {
    lnR[i] = l0 + i * dl;
    rho[i] = rhoOf(Math.exp(lnR[i]));
  }
  cum[0] = (4 / 3) * Math.PI * rMinMpc ** 3 * rho[0];
  for (let i = 1; i < n; i++) {
    const a = 4 * Math.PI * Math.exp(3 * lnR[i - 1]) * rho[i - 1];
    const b = 4 * Math.PI * Math.exp(3 * lnR[i]) * rho[i];
    cum[i] = cum[i - 1] + 0.5 * (a + b) * dl;
  }
  const total = cum[n - 1];
  const invLnR = new Float64Array(nInv + 1);
  let j = 0;
  for (let k = 0; k <= nInv; k++) {
    const target = (k / nInv) * total;
    if (target <= cum[0]) {
      // constant-density core: M ∝ r^3
      invLnR[k] = lnR[0] + Math.log(Math.max(target / cum[0], 1e-30)) / 3;
      continue;
    }
    while (j < n - 2 && cum[j + 1] < target) j++;
    const f = (target - cum[j]) / (cum[j + 1] - cum[j] || 1);
    invLnR[k] = lnR[j] + Math.min(1, Math.max(0, f)) * dl;
  }
  return { lnR, rho, cum, invLnR };
}

/** M(<r) of a table at radius r [Mpc] (log-linear interpolation). */
export function tableMassWithin(t: RadialTable, rMpc: number): number {
  const n = t.lnR.length;
  const l = Math.log(rMpc);
  if (l <= t.lnR[0]) return t.cum[0] * Math.pow(rMpc / Math.exp(t.lnR[0]), 3);
  if (l >= t.lnR[n - 1]) return t.cum[n - 1];
  const dl = t.lnR[1] - t.lnR[0];
  const f = (l - t.lnR[0]) / dl;
  const i = Math.floor(f);
  const w = f - i;
  return t.cum[i] * (1 - w) + t.cum[i + 1] * w;
}

/** A radius [Mpc] drawn from the table's mass distribution, given u ~ U(0,1). */
export function tableSampleRadius(t: RadialTable, u: number): number {
  const nInv = t.invLnR.length - 1;
  const f = u * nInv;
  const i = Math.min(nInv - 1, Math.floor(f));
  const w = f - i;
  return Math.exp(t.invLnR[i] * (1 - w) + t.invLnR[i + 1] * w);
}

/** Linear interpolation in ln r of a tabulated quantity `values` (same grid as `t`). */
export function tableInterp(t: RadialTable, values: Float64Array, rMpc: number): number {
  const n = t.lnR.length;
  const dl = t.lnR[1] - t.lnR[0];
  let f = (Math.log(rMpc) - t.lnR[0]) / dl;
  if (f < 0) f = 0;
  if (f > n - 1.000001) f = n - 1.000001;
  const i = Math.floor(f);
  const w = f - i;
  return values[i] * (1 - w) + values[i + 1] * w;
}

/** A 3x3 rotation matrix (row-major) drawn uniformly from SO(3) (Shoemake 1992 quaternions). */
export function randomRotation(rng: Rng): Float64Array {
  const u1 = rng.random();
  const u2 = rng.random() * 2 * Math.PI;
  const u3 = rng.random() * 2 * Math.PI;
  const a = Math.sqrt(1 - u1);
  const b = Math.sqrt(u1);
  const qx = a * Math.sin(u2);
  const qy = a * Math.cos(u2);
  const qz = b * Math.sin(u3);
  const qw = b * Math.cos(u3);
  return new Float64Array([
    1 - 2 * (qy * qy + qz * qz),
    2 * (qx * qy - qz * qw),
    2 * (qx * qz + qy * qw),
    2 * (qx * qy + qz * qw),
    1 - 2 * (qx * qx + qz * qz),
    2 * (qy * qz - qx * qw),
    2 * (qx * qz - qy * qw),
    2 * (qy * qz + qx * qw),
    1 - 2 * (qx * qx + qy * qy),
  ]);
}

/**
 * An ellipsoid: a rotation and axis scales (a, b, c) with a b c = 1, so that
 * a sphere of radius r maps to an ellipsoid of equal volume ("ellipsoidal
 * radius" r).
 */
export interface Ellipsoid {
  rot: Float64Array;
  ax: number;
  bx: number;
  cx: number;
}

/** Ellipsoid with axis ratios b/a = qb, c/a = qc (volume-preserving) and rotation `rot`. */
export function ellipsoid(qb: number, qc: number, rot: Float64Array): Ellipsoid {
  const ax = Math.cbrt(1 / (qb * qc));
  return { rot, ax, bx: qb * ax, cx: qc * ax };
}

/**
 * Write points at ellipsoidal radius `r` in direction (ux,uy,uz) (unit vector)
 * into out[0..2] after scaling by the ellipsoid axes and rotating.
 */
export function placeOnEllipsoid(
  e: Ellipsoid,
  r: number,
  ux: number,
  uy: number,
  uz: number,
  out: Float64Array,
): void {
  const px = r * ux * e.ax;
  const py = r * uy * e.bx;
  const pz = r * uz * e.cx;
  const m = e.rot;
  out[0] = m[0] * px + m[1] * py + m[2] * pz;
  out[1] = m[3] * px + m[4] * py + m[5] * pz;
  out[2] = m[6] * px + m[7] * py + m[8] * pz;
}

/** Fill out[0..2] with an isotropic unit vector (no allocation). */
export function unitVectorInto(rng: Rng, out: Float64Array): void {
  const z = 2 * rng.random() - 1;
  const phi = 2 * Math.PI * rng.random();
  const s = Math.sqrt(1 - z * z);
  out[0] = s * Math.cos(phi);
  out[1] = s * Math.sin(phi);
  out[2] = z;
}

/** NFW mass shape mu(x) = ln(1+x) - x/(1+x). */
export function nfwMu(x: number): number {
  return Math.log1p(x) - x / (1 + x);
}
