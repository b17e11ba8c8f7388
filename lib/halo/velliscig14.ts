/**
 * Velliscig et al. (2014, MNRAS 442, 2641) fit to the ratio of halo masses in
 * a hydrodynamical run with AGN feedback to the same haloes in a dark-matter-
 * only (DMO) run.
 *
 * @module
 */

/** Parameters of the Velliscig et al. (2014) eq. 5 sigmoid. */
export interface Velliscig14Parameters {
  /** Low-mass asymptote of log10(M_hydro / M_DMO). */
  a: number;
  /** Amplitude of the rise: the high-mass asymptote is a + b. */
  b: number;
  /** Minus log10 of the transition mass [log10 Msun]. */
  c: number;
  /** Width of the transition in log10 M. */
  d: number;
}

/**
 * Velliscig et al. (2014) eq. 5 parameters for M200c in the AGN_8.0
 * (cosmo-OWLS, the BAHAMAS feedback model's parent) run:
 * A = -0.1077, B = 0.1077, C = -13.5715, D = 0.2786. Provenance: these values
 * are those used in public BAHAMAS halo-model code (the `mdmo_to_m200` helper of
 * S. Debackere's halo-model repository, which cites Velliscig et al. 2014); they
 * could not be re-checked against the journal table here. The mass is taken in
 * Msun. They give Delta_b = -0.20 at 1e13, -0.13 at 10^13.5, -0.043 at 1e14,
 * -0.011 at 10^14.5 and -0.0015 at 1e15 Msun (low-mass limit -0.22, matching the
 * "up to 20 per cent" of the paper's abstract).
 */
export const VELLISCIG14_AGN_M200C: Readonly<Velliscig14Parameters> = Object.freeze({
  a: -0.1077,
  b: 0.1077,
  c: -13.5715,
  d: 0.2786,
});

/**
 * Fractional shift of M200c between the hydrodynamical (AGN) and DMO runs,
 * Delta_b = M_hydro / M_DMO - 1, from Velliscig et al. (2014) eq. 5:
 * log10(M_hydro / M_DMO) = A + B / (1 + exp(-(log10 M_DMO + C) / D)).
 *
 * @param m200DmoMsun DMO halo mass M200c [Msun].
 * @param params Fit parameters (default {@link VELLISCIG14_AGN_M200C}).
 * @returns Delta_b (negative: hydro haloes are lighter).
 */
export function velliscig14MassShift(
  m200DmoMsun: number,
  params: Velliscig14Parameters = VELLISCIG14_AGN_M200C,
): number {
  if (!(Number.isFinite(m200DmoMsun) && m200DmoMsun > 0)) {
    throw new RangeError(
      `Cannot compute the hydro/DMO mass shift: m200DmoMsun must be finite and > 0, got ${m200DmoMsun}`,
    );
  }
  const logRatio = params.a +
    params.b / (1 + Math.exp(-(Math.log10(m200DmoMsun) + params.c) / params.d));
  return 10 ** logRatio - 1;
}
