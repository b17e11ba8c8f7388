/**
 * Tinker et al. (2010, ApJ 724, 878; "T10") large-scale halo bias.
 *
 * @module
 */
import type { Cosmology } from "../cosmology/mod.ts";
import { assertRedshift } from "../cosmology/mod.ts";
import { sigmaM } from "./power_spectrum.ts";
import type { DeltaMeanOptions } from "./tinker08.ts";
import { naturalCubicSpline } from "./_spline.ts";

/** Critical linear overdensity for collapse used by T10 (delta_c = 1.686). */
export const DELTA_C = 1.686;

/**
 * T10 eq. 6 with the Table 2 parameter functions of y = log10 Delta:
 * b(nu) = 1 - A nu^a / (nu^a + delta_c^a) + B nu^b + C nu^c, with
 * A = 1 + 0.24 y exp[-(4/y)^4], a = 0.44 y - 0.88, B = 0.183, b = 1.5,
 * C = 0.019 + 0.107 y + 0.19 exp[-(4/y)^4], c = 2.4.
 *
 * @param nu Peak height delta_c / sigma(M, z) (> 0).
 * @param options `deltaMean`: overdensity w.r.t. the mean (default 200; 200..3200).
 */
export function tinker10BiasNu(nu: number, options?: DeltaMeanOptions): number {
  if (!(Number.isFinite(nu) && nu > 0)) {
    throw new RangeError(`Cannot compute Tinker10 bias: nu must be finite and > 0, got ${nu}`);
  }
  const delta = options?.deltaMean ?? 200;
  if (!(Number.isFinite(delta) && delta >= 200 && delta <= 3200)) {
    throw new RangeError(
      `Cannot compute Tinker10 bias: deltaMean must be within 200..3200, got ${delta}`,
    );
  }
  const y = Math.log10(delta);
  const e = Math.exp(-((4 / y) ** 4));
  const bigA = 1 + 0.24 * y * e;
  const a = 0.44 * y - 0.88;
  const bigB = 0.183;
  const b = 1.5;
  const bigC = 0.019 + 0.107 * y + 0.19 * e;
  const c = 2.4;
  const nua = nu ** a;
  return 1 - (bigA * nua) / (nua + DELTA_C ** a) + bigB * nu ** b + bigC * nu ** c;
}

/**
 * Tinker et al. (2010) linear halo bias of haloes of mass M_Delta (Delta w.r.t. mean,
 * default 200m) at redshift z, with nu = 1.686 / sigma(M, z) (EH98 spectrum).
 *
 * @param mMsun Halo mass [Msun].
 * @param z Redshift (>= 0).
 */
export function tinker10Bias(
  mMsun: number,
  z: number,
  cosmo: Cosmology,
  options?: DeltaMeanOptions,
): number {
  if (!(Number.isFinite(mMsun) && mMsun > 0)) {
    throw new RangeError(
      `Cannot compute Tinker10 bias: mMsun must be finite and > 0, got ${mMsun}`,
    );
  }
  assertRedshift(z, "compute Tinker10 bias");
  return tinker10BiasNu(DELTA_C / sigmaM(mMsun, z, cosmo), options);
}

/**
 * A fast Tinker et al. (2010) bias b(M) at fixed z and Delta: tabulated on
 * 0.02-dex steps in M over [10^log10MMin, 10^log10MMax] Msun and interpolated with
 * a natural cubic spline in log10 M (relative error < 1e-5). Masses outside the
 * range are clamped to it. Setup ~20-50 ms; each call O(log n).
 */
export function makeTinker10BiasInterpolator(
  log10MMin: number,
  log10MMax: number,
  z: number,
  cosmo: Cosmology,
  options?: DeltaMeanOptions,
): (mMsun: number) => number {
  if (!(Number.isFinite(log10MMin) && Number.isFinite(log10MMax) && log10MMax > log10MMin)) {
    throw new RangeError(
      `Cannot tabulate Tinker10 bias: need finite log10MMin < log10MMax, got ${log10MMin}, ${log10MMax}`,
    );
  }
  const n = Math.max(4, Math.ceil((log10MMax - log10MMin) / 0.02) + 1);
  const lm: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = log10MMin + ((log10MMax - log10MMin) * i) / (n - 1);
    lm.push(x);
    b.push(tinker10Bias(10 ** x, z, cosmo, options));
  }
  const spline = naturalCubicSpline(lm, b);
  return (mMsun: number) => {
    if (!(mMsun > 0)) throw new RangeError(`Cannot evaluate bias: mMsun must be > 0, got ${mMsun}`);
    return spline(Math.min(log10MMax, Math.max(log10MMin, Math.log10(mMsun))));
  };
}
