/**
 * Table 2 over sets of runs: K-fold cross-validation (the spread of each
 * statistic over the folds, as Ntampaka et al. 2019 and Ho et al. 2019
 * report) and deep ensembles (Lakshminarayanan et al. 2017: members trained
 * from different seeds, their predictions averaged in log-mass and their
 * spread added to the calibrated interval).
 *
 * Pure statistics; reading the runs and calibrating is lib/predict's
 * `evaluateRunSets`.
 *
 * @module
 */
import type { Predictions } from "./predictions.ts";
import { type Table2Row, table2Stats } from "./table2.ts";
import { CENTRAL_LOG10_MAX, CENTRAL_LOG10_MIN } from "./table2.ts";

/** The ensemble of one fold's members: per test image, the mean and spread of log10 M_pred. */
export interface EnsemblePredictions extends Predictions {
  /** Sample standard deviation over the members of log10 M_pred (0 for one member). */
  sdLog10: number[];
  /** Number of members. */
  members: number;
}

/**
 * Combine members' test predictions (the same images in the same order):
 * M_pred = 10^(mean of log10 M_pred), with the members' sample sd of log10
 * M_pred. Throws when the members' images differ.
 *
 * @example
 * ```ts
 * import { combineMembers } from "./run_sets.ts";
 * const a = { image: [0], cluster: [1], mTrueMsun: [1e14], mPredMsun: [1e14] };
 * const b = { ...a, mPredMsun: [1e15] };
 * const e = combineMembers([a, b]);
 * if (Math.abs(e.mPredMsun[0] / 10 ** 14.5 - 1) > 1e-12) throw new Error("geometric mean");
 * ```
 */
export function combineMembers(members: Predictions[]): EnsemblePredictions {
  if (members.length === 0) throw new RangeError("Cannot combine an ensemble of no members");
  const [first] = members;
  const n = first.image.length;
  for (const [j, m] of members.entries()) {
    if (m.image.length !== n || m.image.some((img, i) => img !== first.image[i])) {
      throw new RangeError(
        `Cannot combine ensemble members: member ${j} predicts other test images than member 0 ` +
          `(members of one fold must share its split)`,
      );
    }
  }
  const mPred: number[] = [];
  const sd: number[] = [];
  for (let i = 0; i < n; i++) {
    const logs = members.map((m) => Math.log10(m.mPredMsun[i]));
    const mean = logs.reduce((a, b) => a + b, 0) / logs.length;
    const ss = logs.reduce((a, b) => a + (b - mean) ** 2, 0);
    mPred.push(10 ** mean);
    sd.push(logs.length > 1 ? Math.sqrt(ss / (logs.length - 1)) : 0);
  }
  return {
    image: [...first.image],
    cluster: [...first.cluster],
    mTrueMsun: [...first.mTrueMsun],
    mPredMsun: mPred,
    sdLog10: sd,
    members: members.length,
  };
}

/** Mean and sample standard deviation over folds of the main Table 2 columns. */
export interface FoldSpread {
  folds: number;
  rmsScatterPct: [number, number];
  fractionalBiasPct: [number, number];
  meanLog10Ratio: [number, number];
}

function meanSd(x: number[]): [number, number] {
  const m = x.reduce((a, b) => a + b, 0) / x.length;
  const ss = x.reduce((a, b) => a + (b - m) ** 2, 0);
  return [m, x.length > 1 ? Math.sqrt(ss / (x.length - 1)) : NaN];
}

/** The mean and spread (sample sd) over folds of their Table 2 rows. */
export function foldSpread(rows: Table2Row[]): FoldSpread {
  return {
    folds: rows.length,
    rmsScatterPct: meanSd(rows.map((r) => r.rmsScatterPct)),
    fractionalBiasPct: meanSd(rows.map((r) => r.fractionalBiasPct)),
    meanLog10Ratio: meanSd(rows.map((r) => r.meanLog10Ratio)),
  };
}

/** A log10-mass interval per image and whether it holds the true mass. */
export interface IntervalCoverage {
  /** Central-range test clusters. */
  clusters: number;
  /** Fraction of clusters' views covered (each cluster weighted once), per level "0.68", "0.95". */
  coverage: Record<string, number>;
}

/**
 * Coverage, by cluster in the central range, of per-image intervals
 * `[lo, hi]` (log10 Msun) at each level.
 */
export function intervalCoverage(
  p: Predictions,
  intervals: Record<string, { lo: number[]; hi: number[] }>,
): IntervalCoverage {
  const coverage: Record<string, number> = {};
  let clusters = 0;
  for (const [level, { lo, hi }] of Object.entries(intervals)) {
    const by = new Map<number, boolean[]>();
    p.mTrueMsun.forEach((m, i) => {
      const t = Math.log10(m);
      if (!(t > CENTRAL_LOG10_MIN && t < CENTRAL_LOG10_MAX)) return;
      const g = by.get(p.cluster[i]) ?? [];
      g.push(t >= lo[i] && t <= hi[i]);
      by.set(p.cluster[i], g);
    });
    let s = 0;
    for (const g of by.values()) s += g.filter(Boolean).length / g.length;
    clusters = by.size;
    coverage[level] = by.size > 0 ? s / by.size : NaN;
  }
  return { clusters, coverage };
}

/** Widen a central interval [lo, hi] about `mid` (log10) by `z sd` in quadrature on each side. */
export function widenInterval(
  mid: number,
  lo: number,
  hi: number,
  zSd: number,
): [number, number] {
  return [
    mid - Math.hypot(Math.max(0, mid - lo), zSd),
    mid + Math.hypot(Math.max(0, hi - mid), zSd),
  ];
}

/** Table 2 statistics of a set of predictions, or null when too few lie in the central range. */
export function table2OrNull(p: Predictions): Table2Row | null {
  try {
    return table2Stats(p.mTrueMsun, p.mPredMsun);
  } catch {
    return null;
  }
}

/**
 * Where the run of `network`, fold `fold` of `folds` (null: the dataset's own
 * split) and ensemble member `member` lives, relative to the runs directory:
 * the dataset split's member 0 is the plain `<network>` run, its other
 * members `ensemble/<network>/member<j>`, and K-fold runs
 * `folds/<network>/fold<k>-member<j>`.
 */
export function runSetDir(network: string, fold: number | null, member: number): string {
  if (fold === null) return member === 0 ? network : `ensemble/${network}/member${member}`;
  return `folds/${network}/fold${fold}-member${member}`;
}
