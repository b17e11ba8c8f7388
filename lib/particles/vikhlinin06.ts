/**
 * Gas density profile of Vikhlinin et al. (2006, ApJ 640, 691), eq. 3:
 *
 *   n_p n_e = n0^2 (r/rc)^-alpha / (1 + r^2/rc^2)^(3 beta - alpha/2)
 *             / (1 + r^gamma/rs^gamma)^(eps/gamma)
 *           + n02^2 / (1 + r^2/rc2^2)^(3 beta2),
 *
 * with gamma = 3 fixed as in the paper. The second (cool-core) term is present
 * in a fraction of clusters. Here the profile is used for its *shape*; the
 * normalisation is fixed by the gas mass (see `cluster.ts`), so `n0` is 1 and
 * `n02` is given relative to it.
 *
 * @module
 */
import type { Rng } from "../random/mod.ts";

/** Parameters of the Vikhlinin et al. (2006) profile, radii in Mpc. */
export interface Vikhlinin06Params {
  /** Core radius rc [Mpc]. */
  rcMpc: number;
  /** Inner slope alpha (cusp of n_p n_e). */
  alpha: number;
  /** beta of the beta-model part. */
  beta: number;
  /** Steepening radius rs [Mpc]. */
  rsMpc: number;
  /** Outer steepening eps (0 <= eps < 5 in the paper's fits). */
  eps: number;
  /** gamma (3 in Vikhlinin et al. 2006). */
  gamma: number;
  /** Cool-core amplitude n02/n0 (0 = no cool core). */
  n02OverN0: number;
  /** Cool-core radius rc2 [Mpc]. */
  rc2Mpc: number;
  /** beta2 of the cool-core term. */
  beta2: number;
}

/**
 * n_p n_e (r) in units of n0^2 (Vikhlinin et al. 2006 eq. 3).
 *
 * @param rMpc Radius [Mpc] (> 0).
 * @param p Profile parameters.
 */
export function vikhlinin06NpNe(rMpc: number, p: Vikhlinin06Params): number {
  const x = rMpc / p.rcMpc;
  const main = Math.pow(x, -p.alpha) / Math.pow(1 + x * x, 3 * p.beta - p.alpha / 2) /
    Math.pow(1 + Math.pow(rMpc / p.rsMpc, p.gamma), p.eps / p.gamma);
  if (p.n02OverN0 <= 0) return main;
  const x2 = rMpc / p.rc2Mpc;
  return main + (p.n02OverN0 * p.n02OverN0) / Math.pow(1 + x2 * x2, 3 * p.beta2);
}

/** Options of {@linkcode drawVikhlinin06Params}. */
export interface DrawVikhlinin06Options {
  /** Probability that the cluster has a cool core. Default 0.3. */
  coolCoreFraction?: number;
  /**
   * M500 [Msun]; when given, the core radius of groups grows as
   * (M500 / 3e14 Msun)^-0.25 (at most x4, never below x1), see below. Default: no scaling.
   */
  m500Msun?: number;
}

/**
 * Draw per-cluster profile parameters, radii in units of r500
 * (docs/mock-universe.md, "Scatter budget"). The outskirts are nearly
 * self-similar and the scatter sits in the core, as in observed clusters
 * and in BAHAMAS:
 *
 * - outskirts (all clusters): beta ~ U(0.62, 0.68), rs ~ U(0.9, 1.1) r500,
 *   eps ~ U(2.0, 2.6), gamma = 3, within the fits of Vikhlinin et al.
 *   (2006, eps < 5), whose profiles agree to ~15 per cent beyond 0.3 r500
 *   once scaled by r500 (their Fig. 12); Croston et al. (2008) and
 *   Eckert et al. (2012) find the same self-similarity of the outer density.
 *   eps sets the density slope at R200: -2.8 for the mean parameters, between
 *   the published -2.6 (Ettori & Balestra 2009, A&A 496, 343, from the
 *   surface-brightness slope -4.3 +- 0.9 at R200) and -3.0 (Morandi et al.
 *   2015, MNRAS 450, 2261, beta ~ 1 at R200). The earlier eps ~ U(2.8, 3.2)
 *   gave -3.06 and a surface-brightness slope of -5.35 at R200, steeper than
 *   Ettori & Balestra's range (docs/mock-universe.md, "Shape of the X-ray
 *   emission").
 * - cores, bimodal (Cavagnolo et al. 2009, ApJS 182, 12: central entropy K0
 *   bimodal with a gap at 30-50 keV cm^2): with probability
 *   `coolCoreFraction` (default 0.3, the mass-selected cool-core fraction
 *   of Andrade-Santos et al. 2017, ApJ 843, 76 and Rossetti et al. 2017,
 *   MNRAS 468, 1917) a cool core: a cusp alpha ~ U(0.8, 1.5) and a second,
 *   compact component n02/n0 = 10^U(1.0, 1.8), rc2 ~ U(0.02, 0.05) r500,
 *   beta2 = 1; otherwise a flat, high-entropy core, alpha ~ U(0, 0.2).
 *   Core radii rc = 0.15 r500 x 10^N(0, 0.12) in both classes: AGN heating
 *   and mergers leave cores of every size (McCarthy et al. 2017 for BAHAMAS;
 *   Zhang et al. 2007: cores hold up to 70 per cent of L_bol).
 *
 * Groups: with `m500Msun` given, rc is multiplied by
 * clamp((M500 / 3e14 Msun)^-0.5, 1, 4). Groups have flatter, higher-entropy
 * cores than clusters (Sun et al. 2009, ApJ 693, 1142; AGN feedback in
 * BAHAMAS, McCarthy et al. 2017), which steepens the L_X-M relation below
 * 1e14 Msun (Lovisari et al. 2015); Y (set by the pressure) is unaffected.
 */
export function drawVikhlinin06Params(
  r500Mpc: number,
  rng: Rng,
  options: DrawVikhlinin06Options = {},
): Vikhlinin06Params & { coolCore: boolean } {
  if (!(r500Mpc > 0)) {
    throw new RangeError(`Cannot draw gas profile: r500Mpc must be > 0, got ${r500Mpc}`);
  }
  const coolCore = rng.random() < (options.coolCoreFraction ?? 0.3);
  const rc = 0.15 * rng.logNormalDex(0.12);
  return {
    rcMpc: rc * r500Mpc * groupCoreFactor(options.m500Msun),
    beta: rng.uniform(0.62, 0.68),
    rsMpc: rng.uniform(0.9, 1.1) * r500Mpc,
    eps: rng.uniform(2.0, 2.6),
    gamma: 3,
    alpha: coolCore ? rng.uniform(0.8, 1.5) : rng.uniform(0, 0.2),
    n02OverN0: coolCore ? Math.pow(10, rng.uniform(1.0, 1.8)) : 0,
    rc2Mpc: rng.uniform(0.02, 0.05) * r500Mpc,
    beta2: 1,
    coolCore,
  };
}

/** Exponent of the group core-radius factor (see {@linkcode drawVikhlinin06Params}). */
export const GROUP_CORE_EXPONENT = -0.5;

/** The group core-radius factor clamp((M500 / 3e14 Msun)^-0.5, 1, 4); 1 when M500 is undefined. */
export function groupCoreFactor(m500Msun?: number): number {
  if (m500Msun === undefined) return 1;
  return Math.min(4, Math.max(1, Math.pow(m500Msun / 3e14, GROUP_CORE_EXPONENT)));
}
