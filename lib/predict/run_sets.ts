/**
 * `evaluateRunSets`: Table 2 with the spread over K folds and the deep
 * ensemble's rows (lib/evaluate/run_sets.ts) for the runs laid out by
 * `runSetDir`. Each fold's ensemble is calibrated on that fold's validation
 * split (a confidence belt fitted to the members' mean log-mass), and its
 * intervals are widened by the members' spread (z sd in quadrature; z = 1
 * and 1.96 for 68 and 95 per cent); coverage is measured both ways on the
 * fold's test clusters. Uses the active tfjs backend. With K = 1 every
 * member also gets its own `calibration.json` (for `predict --run` with the
 * ensemble's runs).
 *
 * @module
 */
import { join } from "node:path";
import { loadDataset } from "../dataset/mod.ts";
import {
  combineMembers,
  type FoldSpread,
  foldSpread,
  type IntervalCoverage,
  intervalCoverage,
  type Predictions,
  readPredictions,
  runSetDir,
  type Table2Row,
  table2Stats,
  widenInterval,
} from "../evaluate/mod.ts";
import { loadTrainedModel } from "../train/mod.ts";
import { type NetworkKind, NETWORKS } from "../types/mod.ts";
import { ensureCalibration, predictSplit } from "./calibrate.ts";
import { beltInterval, calibratedMass, fitConfidenceBelt } from "./confidence_belt.ts";

/** Options of {@linkcode evaluateRunSets}. */
export interface RunSetsOptions {
  /** The runs directory (as `reproduce` lays it out). */
  runsDir: string;
  /** The dataset the runs were trained on (for the folds' validation splits). */
  dataDir: string;
  /** K (>= 3 for K-fold; 1: the dataset's own split). */
  folds: number;
  /** Ensemble members per fold (>= 1). */
  members: number;
  /** Networks to evaluate. Default: those with any run of the set (besides the plain run). */
  networks?: NetworkKind[];
}

/** The rows of one network. */
export interface RunSetRow {
  network: NetworkKind;
  folds: number;
  members: number;
  /** Per fold, the ensemble's Table 2 row. */
  perFold: Table2Row[];
  /** Mean and sample sd over folds of the ensemble's rows. */
  spread: FoldSpread;
  /** Every fold's test predictions together (each cluster once over K folds). */
  pooled: Table2Row;
  /** Mean over folds and members of a single member's rms scatter [per cent]. */
  memberRmsPct: number;
  /** Mean over images of the members' sd of log10 M_pred. */
  memberSdLog10: number;
  /** Coverage of the calibrated intervals, pooled over folds: without and with the members' spread. */
  coverage: { calibrated: IntervalCoverage; withSpread: IntervalCoverage };
}

const Z: Record<string, number> = { "0.68": 0.9945, "0.95": 1.96 };

/**
 * Evaluate every network's run set. Throws, naming the directory, when a
 * run of a set is missing.
 */
export async function evaluateRunSets(options: RunSetsOptions): Promise<RunSetRow[]> {
  const { folds, members } = options;
  const foldList: (number | null)[] = folds > 1
    ? Array.from({ length: folds }, (_, k) => k)
    : [null];
  const rows: RunSetRow[] = [];
  for (const network of options.networks ?? NETWORKS) {
    const dirs = foldList.map((k) =>
      Array.from(
        { length: members },
        (_, j) => join(options.runsDir, runSetDir(network, k, j)),
      )
    );
    const present = await Promise.all(
      dirs.flat().map((d) => Deno.stat(join(d, "predictions.csv")).then(() => true, () => false)),
    );
    // A network none of whose set runs exist (the plain run aside) is not part of the set.
    const plain = join(options.runsDir, runSetDir(network, null, 0));
    const setRuns = dirs.flat().map((d, i) => d !== plain && present[i]);
    if (!setRuns.some(Boolean) && options.networks === undefined) continue;
    const missing = dirs.flat().filter((_, i) => !present[i]);
    if (missing.length > 0) {
      throw new Error(
        `Cannot evaluate the ${network} run set: ${missing[0]}/predictions.csv is missing` +
          (missing.length > 1 ? ` (and ${missing.length - 1} more)` : "") +
          `; train those runs first`,
      );
    }
    const perFold: Table2Row[] = [];
    const pooled: Predictions = { image: [], cluster: [], mTrueMsun: [], mPredMsun: [] };
    const lo: Record<string, number[]> = { "0.68": [], "0.95": [] };
    const hi: Record<string, number[]> = { "0.68": [], "0.95": [] };
    const loS: Record<string, number[]> = { "0.68": [], "0.95": [] };
    const hiS: Record<string, number[]> = { "0.68": [], "0.95": [] };
    const memberRms: number[] = [];
    let sdSum = 0;
    for (const [f, k] of foldList.entries()) {
      const preds = await Promise.all(
        dirs[f].map((d) => readPredictions(join(d, "predictions.csv"))),
      );
      for (const p of preds) memberRms.push(table2Stats(p.mTrueMsun, p.mPredMsun).rmsScatterPct);
      const ens = combineMembers(preds);
      perFold.push(table2Stats(ens.mTrueMsun, ens.mPredMsun));
      // Calibrate the ensemble on this fold's validation split.
      const ds = await loadDataset(options.dataDir, {
        tracer: network,
        fold: k === null ? undefined : { index: k, count: folds },
      });
      const val = ds.splits.val;
      const valLogs = new Float64Array(val.n);
      for (const d of dirs[f]) {
        const trained = await loadTrainedModel(d);
        try {
          const m = await predictSplit(trained, val);
          for (let i = 0; i < val.n; i++) valLogs[i] += Math.log10(m[i]) / members;
        } finally {
          trained.model.dispose();
        }
      }
      // Members on the dataset's own split get their own calibration.json, so that
      // `predict --run M0 --run M1 ...` takes the ensemble (fold runs would be calibrated on
      // the wrong split by calibrateRun, which reads the dataset's split).
      if (k === null) {
        for (const d of dirs[f]) await ensureCalibration(d, { dataDir: options.dataDir });
      }
      const belt = fitConfidenceBelt({
        mTrueMsun: val.m200Msun,
        mPredMsun: Array.from(valLogs, (v) => 10 ** v),
        cluster: val.cluster,
      });
      ens.mPredMsun.forEach((m, i) => {
        const y = Math.log10(m);
        const mid = Math.log10(calibratedMass(belt, m).m200Msun);
        for (const level of ["0.68", "0.95"]) {
          const [a, b] = beltInterval(belt, y, Number(level));
          lo[level].push(a);
          hi[level].push(b);
          const [a2, b2] = widenInterval(
            mid,
            Math.min(a, mid),
            Math.max(b, mid),
            Z[level] * ens.sdLog10[i],
          );
          loS[level].push(a2);
          hiS[level].push(b2);
        }
        sdSum += ens.sdLog10[i];
      });
      pooled.image.push(...ens.image);
      pooled.cluster.push(...ens.cluster);
      pooled.mTrueMsun.push(...ens.mTrueMsun);
      pooled.mPredMsun.push(...ens.mPredMsun);
    }
    const iv = (l: Record<string, number[]>, h: Record<string, number[]>) =>
      Object.fromEntries(["0.68", "0.95"].map((p) => [p, { lo: l[p], hi: h[p] }]));
    rows.push({
      network,
      folds,
      members,
      perFold,
      spread: foldSpread(perFold),
      pooled: table2Stats(pooled.mTrueMsun, pooled.mPredMsun),
      memberRmsPct: memberRms.reduce((a, b) => a + b, 0) / memberRms.length,
      memberSdLog10: sdSum / pooled.image.length,
      coverage: {
        calibrated: intervalCoverage(pooled, iv(lo, hi)),
        withSpread: intervalCoverage(pooled, iv(loS, hiS)),
      },
    });
  }
  if (rows.length === 0) {
    throw new Error(
      `Cannot evaluate run sets: no runs found under ${options.runsDir} for ${folds} fold(s) x ` +
        `${members} member(s); train them first (reproduce --folds K --members M)`,
    );
  }
  return rows;
}

/** A Markdown table of {@linkcode RunSetRow}s. */
export function formatRunSetsMarkdown(rows: RunSetRow[]): string {
  const f = (x: number, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : "-");
  const head =
    "| network | K | M | rms % (folds: mean ± sd) | bias % (mean ± sd) | pooled rms % | pooled bias % | " +
    "single member rms % | members' sd (dex) | 68% cov. calibrated / + spread | 95% cov. calibrated / + spread |";
  const lines = [head, "|" + " --- |".repeat(11)];
  for (const r of rows) {
    const c = r.coverage;
    const pct = (x: number) => f(100 * x);
    lines.push(
      `| ${r.network} | ${r.folds} | ${r.members} | ${f(r.spread.rmsScatterPct[0])} ± ${
        f(r.spread.rmsScatterPct[1])
      } | ${f(r.spread.fractionalBiasPct[0])} ± ${f(r.spread.fractionalBiasPct[1])} | ${
        f(r.pooled.rmsScatterPct)
      } | ${f(r.pooled.fractionalBiasPct)} | ${f(r.memberRmsPct)} | ${f(r.memberSdLog10, 3)} | ${
        pct(c.calibrated.coverage["0.68"])
      } / ${pct(c.withSpread.coverage["0.68"])} | ${pct(c.calibrated.coverage["0.95"])} / ${
        pct(c.withSpread.coverage["0.95"])
      } |`,
    );
  }
  return lines.join("\n") + "\n";
}
