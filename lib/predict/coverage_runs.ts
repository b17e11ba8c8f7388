/**
 * Calibration and coverage of every trained network in a runs directory:
 * `calibration.json` made (or reused) per run, then the coverage of its
 * intervals on the run's test predictions (`predictions.csv`), counted by
 * cluster (coverage.ts). Used by `deno task evaluate`. The coverage code is
 * all in this stage (coverage.ts, coverage_runs.ts); it takes Table 2's
 * mass range and bins from lib/evaluate, so the dependency runs one way:
 * predict -> evaluate.
 *
 * @module
 */
import { join } from "node:path";
import { readPredictions } from "../evaluate/predictions.ts";
import { type NetworkKind, NETWORKS } from "../types/mod.ts";
import { ensureCalibration } from "./calibrate.ts";
import { type CoverageReport, coverageStats } from "./coverage.ts";

/** Coverage per network, and which calibrations were made afresh. */
export interface RunsCoverage {
  coverage: Partial<Record<NetworkKind, CoverageReport>>;
  calibrated: NetworkKind[];
  /** Networks skipped, with the reason (e.g. their dataset is gone). */
  skipped: Partial<Record<NetworkKind, string>>;
}

/**
 * For each `RUNSDIR/<network>` holding `predictions.csv` and a model:
 * ensure its calibration (the active tfjs backend runs the validation split
 * when it must be made) and compute the coverage on the test split.
 */
export async function coverageOfRuns(
  runsDir: string,
  options: { onRun?: (kind: NetworkKind) => void } = {},
): Promise<RunsCoverage> {
  const out: RunsCoverage = { coverage: {}, calibrated: [], skipped: {} };
  for (const kind of NETWORKS) {
    const dir = join(runsDir, kind);
    const have = await Promise.all(
      ["predictions.csv", "model.json", "weights.bin", "training.json"].map((f) =>
        Deno.stat(join(dir, f)).then(() => true, () => false)
      ),
    );
    if (!have[0]) continue;
    options.onRun?.(kind);
    if (!have.every(Boolean)) {
      out.skipped[kind] = `${dir} lacks model.json, weights.bin or training.json`;
      continue;
    }
    let cal;
    try {
      const r = await ensureCalibration(dir);
      cal = r.calibration;
      if (r.fresh) out.calibrated.push(kind);
    } catch (e) {
      out.skipped[kind] = (e as Error).message;
      continue;
    }
    const p = await readPredictions(join(dir, "predictions.csv"));
    out.coverage[kind] = coverageStats(
      { mTrueMsun: p.mTrueMsun, mPredMsun: p.mPredMsun, cluster: p.cluster },
      cal.belt,
    );
  }
  return out;
}
