/**
 * How a halo's stars are shared between its central galaxy, the satellites
 * that survive to z = 0 and the intracluster light (ICL), so that the halo's
 * total stellar mass keeps the small scatter at fixed mass that
 * hydrodynamical simulations give, while the central scatters as much as
 * observed centrals do.
 *
 * The model, in the order it is drawn:
 * 1. **Total** stellar mass of the halo (central + satellites + ICL, within
 *    r200): a mean relation {@linkcode meanTotalStellarMassMsun} times a
 *    log-normal deviate of width {@linkcode totalStellarScatterDex}, 0.07 dex
 *    at M200 = 10^13.25 falling to 0.04 dex at 10^14.5. The widths follow
 *    TNG300 (Pillepich et al. 2018, MNRAS 475, 648) and the comparison of
 *    BAHAMAS+MACSIS, TNG300 and Magneticum by Anbajagane et al. (2020, MNRAS
 *    495, 686): the total is close to log-normal and tighter than 0.1 dex
 *    above ~10^14 Msun. Observed scatters (0.10-0.15 dex, Kravtsov et al.
 *    2018, Astron. Lett. 44, 8) include measurement errors.
 * 2. **Surviving satellites**: the subhaloes drawn from the unevolved (infall)
 *    mass function of Giocoli et al. (2008) survive when their
 *    dynamical-friction merging time (Boylan-Kolchin et al. 2008, MNRAS 383,
 *    93) exceeds the time since their infall, drawn uniformly in the last
 *    {@linkcode INFALL_WINDOW_GYR} Gyr (a simplification of the halo's
 *    accretion history: massive haloes accreted most of their subhaloes since
 *    z ~ 2). Heavy satellites (m/M > ~0.05) sink and merge; light ones
 *    survive. A survivor's stellar mass is Moster et al. (2013) at its infall
 *    mass, 0.15 dex of scatter, and tidal stripping of 10^U(-0.3, 0) since
 *    infall (satellites lose up to half of their stars in massive haloes,
 *    Pillepich et al. 2018).
 * 3. **Central and ICL**: the stars not in surviving satellites (the
 *    central's own, and those of the disrupted satellites) are split between
 *    the central galaxy and the ICL with a central share of
 *    {@linkcode centralRemainderShare} x 10^N(0, {@linkcode centralShareScatterDex}).
 *    The mean share is set so that the central holds
 *    {@linkcode centralShareOfTotal} of the total on average: ~0.58 at
 *    10^13.5 and ~0.30 at 10^14.25, as in TNG300 (Pillepich et al. 2018: the
 *    central makes about half of the stars of a 10^13.5 group, satellites
 *    half of those of the richest clusters). A central's deviation is so
 *    offset by the ICL and by the satellites: a halo with more surviving
 *    satellites has a smaller central, as in the simulations.
 *
 * The mean central is twice Moster et al. (2013)'s: Kravtsov et al. (2018)
 * show that abundance-matching relations underestimate the stellar masses
 * of brightest cluster galaxies by a factor 2-4, because photometry misses
 * their outer envelopes. The resulting total stellar fraction is
 * ~1.5 per cent of M200 at 10^13.5 and ~0.9 per cent at 10^14.5.
 *
 * @module
 */
import type { Rng } from "../random/mod.ts";
import { boylanKolchin08MergeTimeGyr } from "./boylan_kolchin08.ts";
import { giocoli08SubhaloMassFunction } from "./giocoli08.ts";
import { moster13StellarMassMsun } from "./moster13.ts";

/** Factor on Moster et al. (2013)'s central stellar mass (Kravtsov et al. 2018: 2-4). */
export const CENTRAL_NORMALISATION = 2;
/** Central's share of the total stellar mass at M200 = 10^13.5 Msun (TNG300, Pillepich et al. 2018). */
export const CENTRAL_SHARE_AT_13_5 = 0.58;
/** Power of M200 in the central's share of the total stellar mass (0.58 -> 0.30 from 10^13.5 to 10^14.25). */
export const CENTRAL_SHARE_SLOPE = -0.38;
/** Largest mean central share (low-mass groups are nearly all central). */
export const CENTRAL_SHARE_MAX = 0.8;
/**
 * Log10 scatter of the central's share of the non-satellite stars [dex]:
 * 0.05 at M200 <= 10^13.5 Msun rising by 0.1 per decade to 0.15 at
 * 10^14.5 and above. In massive haloes the split between the central and
 * the ICL is set by the recent mergers (the ICL holds 20-40 per cent of
 * the stars of TNG300's most massive clusters, Pillepich et al. 2018).
 */
export function centralShareScatterDex(m200Msun: number): number {
  return Math.min(0.15, Math.max(0.05, 0.05 + 0.1 * (Math.log10(m200Msun) - 13.5)));
}
/** Largest share of the non-satellite stars held by the central. */
export const CENTRAL_REMAINDER_SHARE_MAX = 0.95;
/** Satellites' log-normal stellar-mass scatter at fixed infall mass [dex] (Moster et al. 2013: 0.15). */
export const SATELLITE_STELLAR_SCATTER_DEX = 0.15;
/** Largest stellar stripping of a surviving satellite since infall [dex]. */
export const SATELLITE_STRIPPING_DEX = 0.5;
/** Infall times are drawn uniformly over this many Gyr before z = 0. */
export const INFALL_WINDOW_GYR = 10;
/** Largest share of the halo's stars that surviving satellites may hold. */
export const SATELLITE_SHARE_MAX = 0.85;

const LN10 = Math.LN10;
/** E[10^N(0, s)] = exp((s ln 10)^2 / 2). */
const meanLogNormal = (dex: number) => Math.exp(0.5 * (dex * LN10) ** 2);
/** E[10^U(-s, 0)]. */
const meanStripping = (dex: number) => (1 - Math.pow(10, -dex)) / (dex * LN10);

/** Central galaxy's mean share of the halo's total stellar mass at M200 [Msun]. */
export function centralShareOfTotal(m200Msun: number): number {
  const s = CENTRAL_SHARE_AT_13_5 * Math.pow(m200Msun / Math.pow(10, 13.5), CENTRAL_SHARE_SLOPE);
  return Math.min(CENTRAL_SHARE_MAX, s);
}

/**
 * Mean total stellar mass of a halo (central + satellites + ICL) [Msun]:
 * the mean central ({@linkcode CENTRAL_NORMALISATION} x Moster et al. 2013)
 * over its mean share {@linkcode centralShareOfTotal}.
 */
export function meanTotalStellarMassMsun(m200Msun: number): number {
  return CENTRAL_NORMALISATION * moster13StellarMassMsun(m200Msun) /
    centralShareOfTotal(m200Msun);
}

/**
 * Log10 scatter of the total stellar mass at fixed M200 [dex]: 0.065 at
 * 10^13.5 Msun, 0.03 dex less per decade, within [0.035, 0.08] (TNG300,
 * Pillepich et al. 2018; Anbajagane et al. 2020).
 */
export function totalStellarScatterDex(m200Msun: number): number {
  const s = 0.065 - 0.03 * (Math.log10(m200Msun) - 13.5);
  return Math.min(0.08, Math.max(0.035, s));
}

/** Probability that a subhalo of infall mass ratio m/M still orbits at z = 0. */
export function satelliteSurvivalProbability(massRatio: number): number {
  return Math.min(1, boylanKolchin08MergeTimeGyr(massRatio) / INFALL_WINDOW_GYR);
}

/**
 * Mean stellar mass in surviving satellites of a halo [Msun]: the integral of
 * the Giocoli et al. (2008) infall mass function above `minInfallMassMsun`
 * times the survival probability and the satellites' mean stellar mass.
 */
export function meanSatelliteStellarMassMsun(
  m200Msun: number,
  minInfallMassMsun: number,
): number {
  const lo = Math.log(minInfallMassMsun / m200Msun);
  if (lo >= 0) return 0;
  const n = 400;
  const dl = -lo / n;
  const f = meanLogNormal(SATELLITE_STELLAR_SCATTER_DEX) * meanStripping(SATELLITE_STRIPPING_DEX);
  let sum = 0;
  for (let i = 0; i <= n; i++) {
    const x = Math.exp(lo + i * dl);
    const w = i === 0 || i === n ? 0.5 : 1;
    sum += w * giocoli08SubhaloMassFunction(x) * satelliteSurvivalProbability(x) *
      moster13StellarMassMsun(x * m200Msun);
  }
  return sum * dl * f;
}

/** Mean share of the non-satellite stars that the central holds, at M200 [Msun]. */
export function centralRemainderShare(m200Msun: number, minInfallMassMsun: number): number {
  const total = meanTotalStellarMassMsun(m200Msun);
  const fSat = Math.min(
    SATELLITE_SHARE_MAX,
    meanSatelliteStellarMassMsun(m200Msun, minInfallMassMsun) / total,
  );
  return Math.min(CENTRAL_REMAINDER_SHARE_MAX, centralShareOfTotal(m200Msun) / (1 - fSat));
}

/** A halo's stars, as drawn by {@linkcode drawStellarBudget}. */
export interface StellarBudget {
  /** Total stellar mass [Msun] (central + kept satellites + ICL). */
  totalMsun: number;
  /** Central galaxy [Msun]. */
  centralMsun: number;
  /** Intracluster light [Msun]. */
  iclMsun: number;
  /** Surviving satellites: index into the subhalo list and stellar mass [Msun]. */
  satellites: { subhalo: number; mStarMsun: number }[];
  /** Subhaloes that still orbit at z = 0 (indices into the subhalo list). */
  survivors: number[];
}

/** Options of {@linkcode drawStellarBudget}. */
export interface StellarBudgetOptions {
  /** The halo's total stellar mass [Msun] (drawn by the caller: a merger shares one). */
  totalMsun: number;
  /** Smallest infall mass in the subhalo list [Msun]. */
  minInfallMassMsun: number;
  /** Satellites below this stellar mass are not kept as galaxies [Msun]; their stars join the central and ICL. */
  minGalaxyStellarMassMsun: number;
}

/**
 * Share a halo's stars between its central, its surviving satellites and
 * the ICL (see the module docs).
 *
 * @param halo M200 [Msun] and the subhaloes' infall masses [Msun].
 * @param rng The component's generator.
 * @param options The total, and the mass limits.
 */
export function drawStellarBudget(
  halo: { m200Msun: number; subhaloInfallMsun: readonly number[] },
  rng: Rng,
  options: StellarBudgetOptions,
): StellarBudget {
  const { m200Msun, subhaloInfallMsun } = halo;
  const total = options.totalMsun;
  if (!(total > 0 && Number.isFinite(total))) {
    throw new RangeError(`Cannot share stars: totalMsun must be finite and > 0, got ${total}`);
  }
  const survivors: number[] = [];
  const satellites: { subhalo: number; mStarMsun: number }[] = [];
  for (let s = 0; s < subhaloInfallMsun.length; s++) {
    const ratio = subhaloInfallMsun[s] / m200Msun;
    const tInfall = rng.uniform(0, INFALL_WINDOW_GYR);
    const scatter = rng.logNormalDex(SATELLITE_STELLAR_SCATTER_DEX);
    const stripped = Math.pow(10, rng.uniform(-SATELLITE_STRIPPING_DEX, 0));
    if (boylanKolchin08MergeTimeGyr(ratio) <= tInfall) continue;
    survivors.push(s);
    const mStar = moster13StellarMassMsun(subhaloInfallMsun[s]) * scatter * stripped;
    if (mStar >= options.minGalaxyStellarMassMsun) {
      satellites.push({ subhalo: s, mStarMsun: mStar });
    }
  }
  let mSat = satellites.reduce((a, g) => a + g.mStarMsun, 0);
  if (mSat > SATELLITE_SHARE_MAX * total) {
    const k = SATELLITE_SHARE_MAX * total / mSat;
    for (const g of satellites) g.mStarMsun *= k;
    mSat = SATELLITE_SHARE_MAX * total;
  }
  const rest = total - mSat;
  const share = Math.min(
    CENTRAL_REMAINDER_SHARE_MAX,
    centralRemainderShare(m200Msun, options.minInfallMassMsun) *
      rng.logNormalDex(centralShareScatterDex(m200Msun)),
  );
  const centralMsun = share * rest;
  return {
    totalMsun: total,
    centralMsun,
    iclMsun: rest - centralMsun,
    satellites,
    survivors,
  };
}
