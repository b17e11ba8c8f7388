/**
 * Integrated (3D, spherical-aperture) observables of a particle set, for
 * checking the mock against published scaling relations:
 * Y500 D_A^2 = sum Upsilon / Mpc^2 within r500 (Planck 2014 XX's Y500 is the
 * spherical Y within r500 in Mpc^2), L_X within r500 (soft and bolometric),
 * and the stellar mass within r200 / r500. Plus an ordinary least-squares
 * fit in log-log space, with the rms residual as the log scatter.
 *
 * @module
 */
import { MPC_CM } from "../constants/mod.ts";
import type { ClusterParticles } from "../particles/mod.ts";
import type { GasObservables } from "../observe/mod.ts";

/** Integrated quantities of one cluster. */
export interface IntegratedObservables {
  /** Spherical Y500 D_A^2 [Mpc^2]. */
  y500Mpc2: number;
  /** Soft-band (0.5-2 keV rest) luminosity within r500 [erg/s]. */
  lSoft500ErgPerS: number;
  /** Bolometric luminosity within r500 [erg/s]. */
  lBol500ErgPerS: number;
  /** Gas mass within r500 [Msun]. */
  mGas500Msun: number;
  /** Stellar mass within r200 [Msun]. */
  mStar200Msun: number;
  /** Stellar mass within r500 [Msun]. */
  mStar500Msun: number;
}

/** Sum the observables inside spheres of r500 and r200 around the origin. */
export function integrateObservables(
  particles: ClusterParticles,
  observables: GasObservables,
  radii: { r500Mpc: number; r200Mpc: number },
): IntegratedObservables {
  const g = particles.gas;
  const r5 = radii.r500Mpc * radii.r500Mpc;
  const r2 = radii.r200Mpc * radii.r200Mpc;
  let y = 0, ls = 0, lb = 0, mg = 0;
  for (let i = 0; i < g.count; i++) {
    const d2 = g.x[i] * g.x[i] + g.y[i] * g.y[i] + g.z[i] * g.z[i];
    if (d2 > r5) continue;
    y += observables.upsilonCm2[i];
    ls += observables.lSoftErgPerS[i];
    lb += observables.lBolErgPerS[i];
    mg += g.massMsun[i];
  }
  const s = particles.stars;
  let ms2 = 0, ms5 = 0;
  for (let i = 0; i < s.count; i++) {
    const d2 = s.x[i] * s.x[i] + s.y[i] * s.y[i] + s.z[i] * s.z[i];
    if (d2 <= r2) ms2 += s.massMsun[i];
    if (d2 <= r5) ms5 += s.massMsun[i];
  }
  return {
    y500Mpc2: y / (MPC_CM * MPC_CM),
    lSoft500ErgPerS: ls,
    lBol500ErgPerS: lb,
    mGas500Msun: mg,
    mStar200Msun: ms2,
    mStar500Msun: ms5,
  };
}

/** Result of {@linkcode fitLogPowerLaw}: log10 y = intercept + slope (log10 x - log10 pivot). */
export interface PowerLawFit {
  slope: number;
  /** log10 y at x = pivot. */
  intercept: number;
  /** RMS of the residuals in log10 y [dex]. */
  scatterDex: number;
  n: number;
}

/** Ordinary least-squares fit of log10 y on log10 x around `pivot`. */
export function fitLogPowerLaw(x: ArrayLike<number>, y: ArrayLike<number>, pivot = 1): PowerLawFit {
  if (x.length !== y.length || x.length < 3) {
    throw new RangeError(
      `Cannot fit power law: need >= 3 matching points, got ${x.length} and ${y.length}`,
    );
  }
  const n = x.length;
  const lx = new Float64Array(n);
  const ly = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (!(x[i] > 0 && y[i] > 0)) {
      throw new RangeError(
        `Cannot fit power law: values must be > 0, got (${x[i]}, ${y[i]}) at ${i}`,
      );
    }
    lx[i] = Math.log10(x[i] / pivot);
    ly[i] = Math.log10(y[i]);
  }
  let mx = 0, my = 0;
  for (let i = 0; i < n; i++) {
    mx += lx[i];
    my += ly[i];
  }
  mx /= n;
  my /= n;
  let sxx = 0, sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (lx[i] - mx) ** 2;
    sxy += (lx[i] - mx) * (ly[i] - my);
  }
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (ly[i] - intercept - slope * lx[i]) ** 2;
  return { slope, intercept, scatterDex: Math.sqrt(ss / (n - 2)), n };
}
