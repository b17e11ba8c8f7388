/**
 * The statistics of Yan et al. (2020) Table 2 and Fig. 6: mass bias and
 * scatter of CNN-predicted M200 on the test set.
 *
 * Definitions (the paper gives the column names only; these are ours, and
 * consistent with its numbers: its standard errors equal rms / sqrt(n) with
 * n of about 950 to 1000 test images in the central range):
 * - central range: `13.25 < log10(M_true / Msun) < 14.5` (strict).
 * - `meanLog10Ratio` = mean of `log10(M_pred / M_true)`; its standard error
 *   = sample standard deviation (n - 1) / sqrt(n).
 * - `fractionalBiasPct` = `100 (<M_pred / M_true> - 1)`; standard error as above.
 * - `rmsScatterPct` (the paper's "rms") = 100 x the sample standard deviation
 *   (n - 1) of `M_pred / M_true - 1`, i.e. the scatter about the mean bias.
 *   `rmsAboutZeroPct` = `100 sqrt(<(M_pred/M_true - 1)^2>)` is given too.
 * - Fig. 6 bins: 0.25 dex bins of `M_true` with edges at multiples of
 *   0.25 dex; per bin the mean and the sample standard deviation of
 *   `M_pred / M_true - 1` and the count.
 *
 * @module
 */
import { join } from "node:path";
import { readPredictions } from "./predictions.ts";
import { type NetworkKind, NETWORKS } from "../types/mod.ts";

/** Lower edge of the paper's central mass range, log10(M200/Msun) (§3, Table 2). */
export const CENTRAL_LOG10_MIN = 13.25;
/** Upper edge of the paper's central mass range, log10(M200/Msun). */
export const CENTRAL_LOG10_MAX = 14.5;
/** Width of the Fig. 6 mass bins in dex. */
export const BIAS_BIN_DEX = 0.25;

/** One row of Table 2. */
export interface Table2Row {
  /** Test images in the central range. */
  n: number;
  /** Mean of log10(M_pred/M_true). */
  meanLog10Ratio: number;
  /** Standard error of {@linkcode Table2Row.meanLog10Ratio}. */
  meanLog10RatioSe: number;
  /** <M_pred/M_true> - 1, in per cent. */
  fractionalBiasPct: number;
  /** Standard error of {@linkcode Table2Row.fractionalBiasPct}, in per cent. */
  fractionalBiasPctSe: number;
  /** Standard deviation of M_pred/M_true - 1, in per cent (the paper's "rms"). */
  rmsScatterPct: number;
  /** Root mean square of M_pred/M_true - 1 about zero, in per cent. */
  rmsAboutZeroPct: number;
}

/** Paper Table 2 (Yan et al. 2020), the columns as printed; `n` is not given there. */
export const PAPER_TABLE2: Readonly<
  Record<NetworkKind, Omit<Table2Row, "n" | "rmsAboutZeroPct">>
> = {
  star: {
    meanLog10Ratio: -0.01,
    meanLog10RatioSe: 0.003,
    fractionalBiasPct: -0.516,
    fractionalBiasPctSe: 0.621,
    rmsScatterPct: 19.028,
  },
  fxs: {
    meanLog10Ratio: -0.007,
    meanLog10RatioSe: 0.002,
    fractionalBiasPct: -0.349,
    fractionalBiasPctSe: 0.517,
    rmsScatterPct: 16.49,
  },
  fxb: {
    meanLog10Ratio: -0.004,
    meanLog10RatioSe: 0.002,
    fractionalBiasPct: 0.094,
    fractionalBiasPctSe: 0.524,
    rmsScatterPct: 16.036,
  },
  ypar: {
    meanLog10Ratio: 0.002,
    meanLog10RatioSe: 0.002,
    fractionalBiasPct: 1.814,
    fractionalBiasPctSe: 0.559,
    rmsScatterPct: 17.662,
  },
  multi: {
    meanLog10Ratio: -0.001,
    meanLog10RatioSe: 0.002,
    fractionalBiasPct: 1.075,
    fractionalBiasPctSe: 0.575,
    rmsScatterPct: 17.693,
  },
};

/** One 0.25-dex bin of Fig. 6. */
export interface BiasBin {
  /** Bin edges and centre in log10(M_true/Msun). */
  log10MLo: number;
  log10MHi: number;
  log10MCentre: number;
  /** Test images in the bin. */
  n: number;
  /** Mean of M_pred/M_true - 1 (a fraction, not per cent). */
  meanFractionalBias: number;
  /** Sample standard deviation (n - 1) of M_pred/M_true - 1; `null` for n < 2. */
  sdFractionalBias: number | null;
}

/** Options selecting the mass range of {@linkcode table2Stats}. */
export interface MassRangeOptions {
  /** Exclusive lower bound of log10(M_true/Msun). Default 13.25. */
  log10Min?: number;
  /** Exclusive upper bound of log10(M_true/Msun). Default 14.5. */
  log10Max?: number;
}

function meanSd(x: number[]): [number, number] {
  const n = x.length;
  let s = 0;
  for (const v of x) s += v;
  const mean = s / n;
  let ss = 0;
  for (const v of x) ss += (v - mean) ** 2;
  return [mean, n > 1 ? Math.sqrt(ss / (n - 1)) : NaN];
}

function checkPairs(mTrueMsun: ArrayLike<number>, mPredMsun: ArrayLike<number>, what: string) {
  if (mTrueMsun.length !== mPredMsun.length) {
    throw new RangeError(
      `Cannot compute ${what}: ${mTrueMsun.length} true masses but ${mPredMsun.length} predictions`,
    );
  }
  for (let i = 0; i < mTrueMsun.length; i++) {
    if (!(mTrueMsun[i] > 0) || !(mPredMsun[i] > 0) || !Number.isFinite(mPredMsun[i])) {
      throw new RangeError(
        `Cannot compute ${what}: masses must be positive and finite, got M_true ${
          mTrueMsun[i]
        }, M_pred ${mPredMsun[i]} at row ${i}`,
      );
    }
  }
}

/**
 * Table 2 statistics of predictions whose true mass lies in the central range
 * (see the module docs for the definitions). Throws a RangeError when fewer
 * than two predictions fall in the range.
 */
export function table2Stats(
  mTrueMsun: ArrayLike<number>,
  mPredMsun: ArrayLike<number>,
  options: MassRangeOptions = {},
): Table2Row {
  checkPairs(mTrueMsun, mPredMsun, "Table 2 statistics");
  const lo = options.log10Min ?? CENTRAL_LOG10_MIN;
  const hi = options.log10Max ?? CENTRAL_LOG10_MAX;
  const ratio: number[] = [];
  for (let i = 0; i < mTrueMsun.length; i++) {
    const lm = Math.log10(mTrueMsun[i]);
    if (lm > lo && lm < hi) ratio.push(mPredMsun[i] / mTrueMsun[i]);
  }
  const n = ratio.length;
  if (n < 2) {
    throw new RangeError(
      `Cannot compute Table 2 statistics: ${n} test images have ${lo} < log10(M_true) < ${hi}, ` +
        `need at least 2. Use a larger dataset or widen the range.`,
    );
  }
  const [mLog, sdLog] = meanSd(ratio.map(Math.log10));
  const [mR, sdR] = meanSd(ratio);
  let s2 = 0;
  for (const r of ratio) s2 += (r - 1) ** 2;
  return {
    n,
    meanLog10Ratio: mLog,
    meanLog10RatioSe: sdLog / Math.sqrt(n),
    fractionalBiasPct: 100 * (mR - 1),
    fractionalBiasPctSe: (100 * sdR) / Math.sqrt(n),
    rmsScatterPct: 100 * sdR,
    rmsAboutZeroPct: 100 * Math.sqrt(s2 / n),
  };
}

/**
 * Indices of the predictions in each `w`-dex bin of M_true (bin k spans
 * [k w, (k + 1) w)), in increasing mass; empty bins are absent.
 */
function massBins(mTrueMsun: ArrayLike<number>, w: number): Map<number, number[]> {
  const groups = new Map<number, number[]>();
  for (let i = 0; i < mTrueMsun.length; i++) {
    // Small epsilon so that an exact edge such as 13.25 falls in the bin above it.
    const k = Math.floor(Math.log10(mTrueMsun[i]) / w + 1e-9);
    const g = groups.get(k) ?? [];
    g.push(i);
    groups.set(k, g);
  }
  return new Map([...groups].sort((a, b) => a[0] - b[0]));
}

/**
 * Fig. 6: the fractional bias M_pred/M_true - 1 in 0.25-dex bins of M_true,
 * edges at multiples of `binDex`; only bins holding predictions are returned,
 * in increasing mass.
 */
export function biasBins(
  mTrueMsun: ArrayLike<number>,
  mPredMsun: ArrayLike<number>,
  options: { binDex?: number } = {},
): BiasBin[] {
  checkPairs(mTrueMsun, mPredMsun, "bias bins");
  const w = options.binDex ?? BIAS_BIN_DEX;
  if (!(w > 0)) throw new RangeError(`Cannot compute bias bins: binDex must be > 0, got ${w}`);
  return [...massBins(mTrueMsun, w)].map(([k, idx]) => {
    const g = idx.map((i) => mPredMsun[i] / mTrueMsun[i] - 1);
    const [mean, sd] = meanSd(g);
    return {
      log10MLo: k * w,
      log10MHi: (k + 1) * w,
      log10MCentre: (k + 0.5) * w,
      n: g.length,
      meanFractionalBias: mean,
      sdFractionalBias: g.length > 1 ? sd : null,
    };
  });
}

/** Table 2 in one 0.25-dex bin of M_true: the bin's edges and the row's statistics. */
export interface Table2BinRow extends Table2Row {
  /** Bin edges in log10(M_true/Msun) (the lower one inclusive). */
  log10MLo: number;
  log10MHi: number;
}

/**
 * Table 2 per 0.25-dex bin of M_true (edges at multiples of `binDex`, as in
 * Fig. 6): rms, bias and n in each bin that holds at least two predictions,
 * in increasing mass. Shows where in mass a network loses.
 */
export function table2ByBin(
  mTrueMsun: ArrayLike<number>,
  mPredMsun: ArrayLike<number>,
  options: { binDex?: number } = {},
): Table2BinRow[] {
  checkPairs(mTrueMsun, mPredMsun, "Table 2 by bin");
  const w = options.binDex ?? BIAS_BIN_DEX;
  if (!(w > 0)) throw new RangeError(`Cannot compute Table 2 by bin: binDex must be > 0, got ${w}`);
  const out: Table2BinRow[] = [];
  for (const [k, idx] of massBins(mTrueMsun, w)) {
    if (idx.length < 2) continue;
    const t = idx.map((i) => mTrueMsun[i]);
    const p = idx.map((i) => mPredMsun[i]);
    // The whole bin: open bounds just outside its edges.
    const row = table2Stats(t, p, { log10Min: k * w - 1e-6, log10Max: (k + 1) * w + 1e-6 });
    out.push({ log10MLo: k * w, log10MHi: (k + 1) * w, ...row });
  }
  return out;
}

/** A Markdown table of the per-bin rows of every network: rms % / bias % (n). */
export function formatTable2BinsMarkdown(
  bins: Partial<Record<NetworkKind, Table2BinRow[]>>,
): string {
  const kinds = NETWORKS.filter((k) => bins[k] !== undefined);
  const edges = [...new Set(kinds.flatMap((k) => bins[k]!.map((b) => b.log10MLo)))].sort((a, b) =>
    a - b
  );
  const lines = [
    `| log10 M_true | ${kinds.map((k) => `${LABEL[k]} rms % / bias % (n)`).join(" | ")} |`,
    `|---|${kinds.map(() => "---").join("|")}|`,
  ];
  for (const lo of edges) {
    const cells = kinds.map((k) => {
      const b = bins[k]!.find((r) => r.log10MLo === lo);
      return b
        ? `${b.rmsScatterPct.toFixed(1)} / ${b.fractionalBiasPct >= 0 ? "+" : ""}${
          b.fractionalBiasPct.toFixed(1)
        } (${b.n})`
        : "";
    });
    lines.push(`| ${lo.toFixed(2)}-${(lo + BIAS_BIN_DEX).toFixed(2)} | ${cells.join(" | ")} |`);
  }
  return lines.join("\n") + "\n";
}

/** Table 2 and Fig. 6 statistics of every network found in a runs directory. */
export interface RunsEvaluation {
  table2: Partial<Record<NetworkKind, Table2Row>>;
  biasBins: Partial<Record<NetworkKind, BiasBin[]>>;
  /** Table 2 per 0.25-dex bin of M_true. */
  table2Bins: Partial<Record<NetworkKind, Table2BinRow[]>>;
}

/**
 * Evaluate `RUNSDIR/<network>/predictions.csv` for every network present
 * (star, fxs, fxb, ypar, multi). Throws when none is present.
 */
export async function evaluateRuns(runsDir: string): Promise<RunsEvaluation> {
  const out: RunsEvaluation = { table2: {}, biasBins: {}, table2Bins: {} };
  for (const kind of NETWORKS) {
    const path = join(runsDir, kind, "predictions.csv");
    try {
      await Deno.stat(path);
    } catch {
      continue;
    }
    const p = await readPredictions(path);
    try {
      out.table2[kind] = table2Stats(p.mTrueMsun, p.mPredMsun);
      out.biasBins[kind] = biasBins(p.mTrueMsun, p.mPredMsun);
      out.table2Bins[kind] = table2ByBin(p.mTrueMsun, p.mPredMsun);
    } catch (e) {
      throw new RangeError(
        `${(e as Error).message} (in ${path}; a non-finite prediction means the ${kind} ` +
          `network has not converged: train it for more epochs)`,
      );
    }
  }
  if (Object.keys(out.table2).length === 0) {
    throw new Error(
      `Cannot evaluate: no ${runsDir}/<network>/predictions.csv found for any of ` +
        `${
          NETWORKS.join(", ")
        }. Train first, e.g. \`deno task train --tracer ypar --out ${runsDir}/ypar ...\`.`,
    );
  }
  return out;
}

const LABEL: Record<NetworkKind, string> = {
  star: "Star",
  fxs: "Fxs",
  fxb: "Fxb",
  ypar: "Ypar",
  multi: "Multichannel",
};

/** A Markdown table of our Table 2 rows beside the paper's. */
export function formatTable2Markdown(table2: Partial<Record<NetworkKind, Table2Row>>): string {
  const f = (x: number, d: number) => x.toFixed(d);
  const lines = [
    "| Data set | n | <log10 Mpred/Mtrue> (ours) | (paper) | <Mpred/Mtrue> - 1 % (ours) | (paper) | rms % (ours) | (paper) |",
    "|---|---|---|---|---|---|---|---|",
  ];
  for (const kind of NETWORKS) {
    const r = table2[kind];
    if (!r) continue;
    const p = PAPER_TABLE2[kind];
    lines.push(
      `| ${LABEL[kind]} | ${r.n} | ${f(r.meanLog10Ratio, 3)} ± ${f(r.meanLog10RatioSe, 3)} | ` +
        `${p.meanLog10Ratio} ± ${p.meanLog10RatioSe} | ${f(r.fractionalBiasPct, 3)} ± ${
          f(r.fractionalBiasPctSe, 3)
        } | ${p.fractionalBiasPct} ± ${p.fractionalBiasPctSe} | ${
          f(r.rmsScatterPct, 3)
        } | ${p.rmsScatterPct} |`,
    );
  }
  return lines.join("\n") + "\n";
}
