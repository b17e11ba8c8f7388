/**
 * Dynamical-friction merging time of a satellite halo, Boylan-Kolchin, Ma &
 * Quataert (2008, MNRAS 383, 93), eq. 5:
 *
 *   tau_merge / tau_dyn = A (M/m)^b / ln(1 + M/m) exp(c eta) (r_c / r_vir)^d,
 *
 * with A = 0.216, b = 1.3, c = 1.9, d = 1.0, M/m the host-to-satellite mass
 * ratio at infall, eta the orbital circularity and r_c the radius of a
 * circular orbit of the same energy. tau_dyn = r_vir / V_vir = 0.1 / H(z)
 * for an overdensity of 200 times critical (their eq. 2; 1.40 Gyr at z = 0
 * for H0 = 70 km/s/Mpc). The fit holds for 0.025 <= m/M <= 0.3; below it,
 * the satellite outlives a Hubble time anyway.
 *
 * The toolkit uses it to decide which subhaloes drawn from the infall mass
 * function still orbit at z = 0 (`lib/particles/stellar_budget.ts`); the
 * stars of the others have joined the central galaxy and the intracluster
 * light.
 *
 * @module
 */

/** Boylan-Kolchin et al. (2008) eq. 5 parameters (their Table 1 best fit). */
export const BOYLAN_KOLCHIN08 = Object.freeze({ a: 0.216, b: 1.3, c: 1.9, d: 1.0 });

/** Options of {@linkcode boylanKolchin08MergeTimeGyr}. */
export interface MergeTimeOptions {
  /** Orbital circularity eta. Default 0.5 (the median of infalling orbits, their §2.2). */
  circularity?: number;
  /** r_c / r_vir of the orbit's energy. Default 0.65 (their typical infalling orbit). */
  orbitRadiusOverRvir?: number;
  /** tau_dyn = r_vir / V_vir [Gyr]. Default 1.40 (0.1 / H0, H0 = 70 km/s/Mpc). */
  dynamicalTimeGyr?: number;
}

/**
 * Time for a satellite of infall mass ratio m/M to sink to the centre [Gyr]
 * (Boylan-Kolchin et al. 2008 eq. 5).
 *
 * @param massRatio m/M, the satellite's infall mass over the host's (> 0).
 * @param options Orbit and dynamical time.
 */
export function boylanKolchin08MergeTimeGyr(
  massRatio: number,
  options: MergeTimeOptions = {},
): number {
  if (!(massRatio > 0 && Number.isFinite(massRatio))) {
    throw new RangeError(
      `Cannot compute merging time: massRatio must be finite and > 0, got ${massRatio}`,
    );
  }
  const { a, b, c, d } = BOYLAN_KOLCHIN08;
  const eta = options.circularity ?? 0.5;
  const rc = options.orbitRadiusOverRvir ?? 0.65;
  const tDyn = options.dynamicalTimeGyr ?? 1.4;
  const inv = 1 / massRatio;
  return tDyn * a * Math.pow(inv, b) / Math.log(1 + inv) * Math.exp(c * eta) * Math.pow(rc, d);
}
