/**
 * The hot-gas fraction inside r500 and its scatter at fixed mass, as the mock
 * draws them (docs/mock-universe.md, "Scatter budget").
 *
 * Mean: log-linear interpolation in log10 M500 through
 * f_gas,500 = 0.05 at 1e13, 0.085 at 1e14 and 0.125 at 1e15 Msun, with the end
 * slopes extrapolated (and the caller caps it at Omega_b / Omega_m). These are
 * the values of X-ray groups and clusters with hydrostatic masses
 * (Vikhlinin et al. 2009, ApJ 692, 1033; Sun et al. 2009, ApJ 693, 1142) and
 * of the BAHAMAS calibration run (McCarthy et al. 2017, MNRAS 465, 2936,
 * Fig. 4), where AGN feedback has pushed gas out of groups.
 *
 * Scatter (log10, at fixed M500): 0.03 dex in massive clusters rising to
 * 0.06 dex in groups, 0.03 + 0.03 (14 - log10 M500) clamped to [0.03, 0.06].
 * Clusters show ~0.03-0.05 dex (Vikhlinin et al. 2009; Mantz et al. 2016,
 * MNRAS 456, 4020: 7 per cent intrinsic); groups are more scattered
 * (Sun et al. 2009; BAHAMAS' feedback acts strongest there).
 *
 * @module
 */

/** The anchor points (log10 M500 [Msun], f_gas,500) of the mean relation. */
export const GAS_FRACTION_500_ANCHORS: readonly (readonly [number, number])[] = [
  [13, 0.05],
  [14, 0.085],
  [15, 0.125],
];

/**
 * Mean f_gas,500 at M500 [Msun] (log-linear interpolation between the anchors,
 * extrapolated with the end segments' slopes).
 *
 * @example
 * ```ts
 * import { meanGasFraction500 } from "./gas_fraction.ts";
 * if (Math.abs(meanGasFraction500(1e14) - 0.085) > 1e-12) throw new Error("anchor at 1e14");
 * ```
 */
export function meanGasFraction500(m500Msun: number): number {
  if (!(m500Msun > 0)) {
    throw new RangeError(`Cannot compute f_gas: m500Msun must be > 0, got ${m500Msun}`);
  }
  const l = Math.log10(m500Msun);
  const a = GAS_FRACTION_500_ANCHORS;
  const i = l < a[1][0] ? 0 : 1;
  const [x0, f0] = a[i];
  const [x1, f1] = a[i + 1];
  const s = (Math.log10(f1) - Math.log10(f0)) / (x1 - x0);
  return Math.pow(10, Math.log10(f0) + s * (l - x0));
}

/** Log10 scatter of f_gas,500 at fixed M500 [dex] (see the module docs). */
export function gasFractionScatterDex(m500Msun: number): number {
  if (!(m500Msun > 0)) {
    throw new RangeError(`Cannot compute f_gas scatter: m500Msun must be > 0, got ${m500Msun}`);
  }
  return Math.min(0.06, Math.max(0.03, 0.03 + 0.03 * (14 - Math.log10(m500Msun))));
}
