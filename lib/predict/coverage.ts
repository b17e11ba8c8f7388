/**
 * Coverage of calibrated mass intervals on the test split: how often the
 * central interval at nominal level p (lib/predict confidence belt) contains
 * the true M200, counted by cluster, not by image (a cluster's four
 * projections are not independent): each cluster contributes the fraction of
 * its projections that are covered, and the binomial standard error of a bin
 * is sqrt(p (1 - p) / n_clusters).
 *
 * Targets (issue "calibrated per-cluster uncertainties"): over the central
 * range 10^13.25 < M_true < 10^14.5 the 68 and 95 per cent intervals cover
 * within 3 points of nominal, and in each 0.25-dex bin within twice the
 * binomial error.
 *
 * @module
 */
import { BELT_CENTRAL_LEVELS, beltInterval, type ConfidenceBelt } from "./confidence_belt.ts";
import { BIAS_BIN_DEX, CENTRAL_LOG10_MAX, CENTRAL_LOG10_MIN } from "../evaluate/table2.ts";

/** Coverage in one mass bin (or the central range). */
export interface CoverageCell {
  log10MLo: number;
  log10MHi: number;
  clusters: number;
  images: number;
  /** Mean over clusters of the covered fraction of their projections, per nominal level. */
  coverage: Record<string, number>;
  /** Binomial standard error sqrt(p (1 - p) / clusters), per nominal level. */
  binomialSe: Record<string, number>;
}

/** Coverage of a network's intervals on the test split. */
export interface CoverageReport {
  /** Nominal levels evaluated. */
  levels: number[];
  /** The central range 13.25-14.5. */
  central: CoverageCell;
  /** 0.25-dex bins of M_true holding test clusters. */
  bins: CoverageCell[];
  /** The checks of the issue at 68 and 95 per cent. */
  checks: {
    centralWithin3Points: boolean;
    centralBinsWithin2Se: boolean;
  };
}

/** Default nominal levels: those the confidence belt can invert (10-90 per cent in steps of 10, 68 and 95). */
export const COVERAGE_LEVELS: readonly number[] = BELT_CENTRAL_LEVELS;

const key = (p: number) => p.toFixed(2);

function cell(
  lo: number,
  hi: number,
  members: { cluster: number; covered: boolean[] }[],
  levels: readonly number[],
): CoverageCell {
  const byCluster = new Map<number, boolean[][]>();
  for (const m of members) {
    const g = byCluster.get(m.cluster) ?? [];
    g.push(m.covered);
    byCluster.set(m.cluster, g);
  }
  const coverage: Record<string, number> = {};
  const binomialSe: Record<string, number> = {};
  const nc = byCluster.size;
  levels.forEach((p, k) => {
    let s = 0;
    for (const imgs of byCluster.values()) s += imgs.filter((c) => c[k]).length / imgs.length;
    coverage[key(p)] = nc > 0 ? s / nc : NaN;
    binomialSe[key(p)] = nc > 0 ? Math.sqrt(p * (1 - p) / nc) : NaN;
  });
  return { log10MLo: lo, log10MHi: hi, clusters: nc, images: members.length, coverage, binomialSe };
}

/**
 * Coverage of the belt's intervals for test predictions (true and
 * predicted M200 [Msun] and the cluster of each image).
 */
export function coverageStats(
  data: { mTrueMsun: ArrayLike<number>; mPredMsun: ArrayLike<number>; cluster: ArrayLike<number> },
  belt: ConfidenceBelt,
  options: { levels?: readonly number[]; binDex?: number } = {},
): CoverageReport {
  const levels = options.levels ?? COVERAGE_LEVELS;
  const w = options.binDex ?? BIAS_BIN_DEX;
  const n = data.mTrueMsun.length;
  if (data.mPredMsun.length !== n || data.cluster.length !== n) {
    throw new RangeError(
      "Cannot compute coverage: mTrueMsun, mPredMsun and cluster differ in length",
    );
  }
  const rows: { t: number; cluster: number; covered: boolean[] }[] = [];
  for (let i = 0; i < n; i++) {
    const t = Math.log10(data.mTrueMsun[i]);
    const y = Math.log10(data.mPredMsun[i]);
    if (!Number.isFinite(t) || !Number.isFinite(y)) {
      throw new RangeError(
        `Cannot compute coverage: row ${i} has M_true ${data.mTrueMsun[i]}, M_pred ${
          data.mPredMsun[i]
        }`,
      );
    }
    const covered = levels.map((p) => {
      const [a, b] = beltInterval(belt, y, p);
      return t >= a && t <= b;
    });
    rows.push({ t, cluster: data.cluster[i], covered });
  }
  const central = cell(
    CENTRAL_LOG10_MIN,
    CENTRAL_LOG10_MAX,
    rows.filter((r) => r.t > CENTRAL_LOG10_MIN && r.t < CENTRAL_LOG10_MAX),
    levels,
  );
  const groups = new Map<number, typeof rows>();
  for (const r of rows) {
    const k = Math.floor(r.t / w + 1e-9);
    const g = groups.get(k) ?? [];
    g.push(r);
    groups.set(k, g);
  }
  const bins = [...groups.keys()].sort((a, b) => a - b).map((k) =>
    cell(k * w, (k + 1) * w, groups.get(k)!, levels)
  );
  const main = [0.68, 0.95].filter((p) => levels.some((l) => Math.abs(l - p) < 1e-9));
  const centralBins = bins.filter((b) =>
    b.log10MLo >= CENTRAL_LOG10_MIN - 1e-9 && b.log10MHi <= CENTRAL_LOG10_MAX + 1e-9
  );
  return {
    levels: [...levels],
    central,
    bins,
    checks: {
      centralWithin3Points: main.every((p) => Math.abs(central.coverage[key(p)] - p) <= 0.03),
      centralBinsWithin2Se: centralBins.every((b) =>
        main.every((p) => Math.abs(b.coverage[key(p)] - p) <= 2 * b.binomialSe[key(p)])
      ),
    },
  };
}

/** A Markdown table of coverage at 68 and 95 per cent per network. */
export function formatCoverageMarkdown(reports: Record<string, CoverageReport>): string {
  const lines = [
    "| Network | clusters (central) | 68% coverage (central) | 95% coverage (central) | bins within 2 se |",
    "|---|---|---|---|---|",
  ];
  const pct = (x: number) => (100 * x).toFixed(1);
  for (const [name, r] of Object.entries(reports)) {
    const c = r.central;
    lines.push(
      `| ${name} | ${c.clusters} | ${pct(c.coverage["0.68"])} ± ${pct(c.binomialSe["0.68"])} | ` +
        `${pct(c.coverage["0.95"])} ± ${pct(c.binomialSe["0.95"])} | ` +
        `${r.checks.centralBinsWithin2Se ? "yes" : "no"} |`,
    );
  }
  return lines.join("\n") + "\n";
}
