/**
 * `deno task evaluate --runs RUNSDIR [--data DIR] [--out FILE]`: Table 2 (mass bias and
 * scatter in 10^13.25 < M_true < 10^14.5) and the Fig. 6 bias bins from
 * `RUNSDIR/<network>/predictions.csv` of every network present. Writes
 * `table2.json` (to FILE, default RUNSDIR/table2.json), `table2.md` (ours beside
 * the paper's) and `bias_bins.json` beside it; calibrates each run's intervals
 * (`RUNSDIR/<network>/calibration.json`, from its validation split, when
 * missing) and writes their test-split coverage to `coverage.json`; with
 * `--data`, the scaling-relation baselines (`baselines.json`). A progress bar
 * counts the runs calibrated and the baselines fitted.
 *
 * @module
 */
import { dirname, join } from "node:path";
import {
  BIAS_BIN_DEX,
  CENTRAL_LOG10_MAX,
  CENTRAL_LOG10_MIN,
  evaluateRuns,
  formatTable2BinsMarkdown,
  formatTable2Markdown,
  PAPER_TABLE2,
} from "../lib/evaluate/mod.ts";
import {
  claimOutputFolder,
  type OutputFolder,
  ProgressBar,
  writeFileAtomic,
  writeJsonAtomic,
} from "../lib/io/mod.ts";
import { NETWORKS, TRACERS } from "../lib/types/mod.ts";
import { coverageOfRuns, formatCoverageMarkdown } from "../lib/predict/mod.ts";
import { setupBackend } from "../lib/backend/mod.ts";
import {
  BASELINE_APERTURE_ARCMIN,
  formatBaselineMarkdown,
  scalingRelationRows,
} from "../lib/realism/mod.ts";
import { parseTaskArgs } from "./_cli.ts";
import { evaluateRunSets, formatRunSetsMarkdown } from "../lib/predict/mod.ts";

/** `--folds K --members M`: Table 2 with the fold spread and the ensembles' rows. */
async function evaluateSets(
  runs: string,
  data: string | undefined,
  foldsText: string | undefined,
  membersText: string | undefined,
  fail: (m: string) => never,
): Promise<number> {
  const folds = Number(foldsText ?? "1");
  const members = Number(membersText ?? "1");
  if (!(Number.isInteger(folds) && (folds === 1 || folds >= 3))) {
    fail(`--folds must be 1 or an integer >= 3, got "${foldsText}"`);
  }
  if (!(Number.isInteger(members) && members >= 1)) {
    fail(`--members must be an integer >= 1, got "${membersText}"`);
  }
  if (!data) fail("--folds/--members need --data DIR (the folds' validation splits calibrate)");
  try {
    await setupBackend("wasm", { quiet: true }).catch(() => setupBackend("cpu", { quiet: true }));
    const rows = await evaluateRunSets({ runsDir: runs, dataDir: data!, folds, members });
    const md = formatRunSetsMarkdown(rows);
    await writeJsonAtomic(join(runs, "table2_sets.json"), {
      definition: "Table 2 statistics (central range) of each fold's ensemble (mean log10 M_pred " +
        "over members); spread = sample sd over folds; pooled = all folds' test images; coverage " +
        "by cluster of the ensemble's calibrated intervals (belt fitted on each fold's validation " +
        "split), without and with the members' sd added in quadrature (z = 1, 1.96)",
      rows,
    });
    await writeFileAtomic(join(runs, "table2_sets.md"), md);
    console.log(md);
    return 0;
  } catch (e) {
    console.error(`evaluate: ${(e as Error).message}`);
    return 1;
  }
}

const USAGE = `Usage: deno task evaluate --runs RUNSDIR [--data DIR] [--out FILE]

  --runs DIR   directory holding <network>/predictions.csv (star, fxs, fxb, ypar, multi)
  --folds K    with --members M: Table 2 over the K-fold / ensemble runs (runs/folds/...,
               runs/ensemble/...), mean and spread over folds, into RUNSDIR/table2_sets.{json,md}
  --members M  ensemble members per fold (default 1)
  --data DIR   the runs' dataset: adds the scaling-relation baselines (each tracer's total
               signal in a 5-arcmin aperture and in R500 of the estimated mass, fitted on the
               training split) to Table 2 as rows beside the CNNs' (baselines.json)
  --out FILE   where to write table2.json (default RUNSDIR/table2.json); table2.md and
               bias_bins.json go beside it
  -h, --help   this text`;

if (import.meta.main) {
  const { values, fail } = parseTaskArgs("evaluate", USAGE, {
    runs: { type: "string" },
    data: { type: "string" },
    out: { type: "string" },
    folds: { type: "string" },
    members: { type: "string" },
    help: { type: "boolean", short: "h", default: false },
  });
  const runs = values.runs ?? fail("--runs RUNSDIR is required");
  if (values.folds !== undefined || values.members !== undefined) {
    Deno.exit(await evaluateSets(runs, values.data, values.folds, values.members, fail));
  }
  const out = values.out ?? join(runs, "table2.json");
  const dir = dirname(out);
  let folder: OutputFolder | undefined;
  try {
    // The runs are read first: a mistyped --runs creates nothing.
    if (!(await Deno.stat(runs).then((i) => i.isDirectory, () => false))) {
      throw new Error(
        `--runs ${runs} is not a folder; give the folder holding <network>/predictions.csv`,
      );
    }
    const ev = await evaluateRuns(runs);
    folder = await claimOutputFolder(dir, "evaluate");
    const definitions = {
      centralRangeLog10Msun: [CENTRAL_LOG10_MIN, CENTRAL_LOG10_MAX],
      meanLog10Ratio: "mean of log10(M_pred/M_true); Se = sample sd / sqrt(n)",
      fractionalBiasPct: "100 (<M_pred/M_true> - 1); Se = 100 sample sd / sqrt(n)",
      rmsScatterPct: "100 x sample standard deviation of M_pred/M_true - 1 (the paper's rms)",
      rmsAboutZeroPct: "100 sqrt(<(M_pred/M_true - 1)^2>)",
      table2ByBin: "the same statistics in 0.25-dex bins of M_true (edges at multiples of " +
        "0.25 dex, the lower inclusive), bins with at least 2 test images",
    };
    // Calibrated intervals (lib/predict): calibration.json per run from its validation split,
    // coverage of the test split by cluster (lib/evaluate/coverage.ts).
    await setupBackend("wasm", { quiet: true }).catch((e) => {
      console.error(`evaluate: WASM backend unavailable (${(e as Error).message}); using cpu`);
      return setupBackend("cpu", { quiet: true });
    });
    // Progress: one unit per run calibrated and covered, one per tracer's baseline fit.
    const withPredictions = [];
    for (const n of NETWORKS) {
      if (await Deno.stat(join(runs, n, "predictions.csv")).then(() => true, () => false)) {
        withPredictions.push(n);
      }
    }
    const bar = new ProgressBar({
      label: "evaluate",
      total: withPredictions.length + (values.data ? TRACERS.length : 0),
      unit: "step",
    });
    let done = 0;
    const cov = await coverageOfRuns(runs, {
      onRun: (kind) => bar.update(done++, `calibrating and covering ${kind}`),
    });
    for (const [k, why] of Object.entries(cov.skipped)) {
      console.error(`evaluate: no coverage for ${k}: ${why}`);
    }
    await writeJsonAtomic(join(dir, "coverage.json"), {
      definition: "fraction of each test cluster's projections whose calibrated central interval " +
        "holds M_true, averaged over clusters; binomialSe = sqrt(p (1 - p) / clusters)",
      calibratedNow: cov.calibrated,
      coverage: cov.coverage,
    });
    // Scaling-relation baselines (lib/realism): what a cluster's total signal alone gives.
    const baselines = values.data
      ? (await scalingRelationRows(values.data, {
        onTracer: (t) => bar.update(done++, `scaling-relation baseline of ${t}`),
      })).map(({ test: _test, ...r }) => r)
      : null;
    bar.done();
    if (baselines) {
      await writeJsonAtomic(join(dir, "baselines.json"), {
        definition: "log10 M200 = a + b log10 S on the training split, S the intrinsic signal " +
          `(Y D_A^2, L_X, M*) in a ${BASELINE_APERTURE_ARCMIN}-arcmin aperture or in R500 of ` +
          "the estimated mass (iterated); Table 2 statistics of the test split",
        rows: baselines,
      });
    }
    await writeJsonAtomic(out, {
      definitions,
      table2: ev.table2,
      table2ByBin: ev.table2Bins,
      baselines,
      paper: PAPER_TABLE2,
      coverage: cov.coverage,
    });
    let md = formatTable2Markdown(ev.table2);
    md += "\nPer 0.25-dex bin of M_true (rms and bias in per cent, test images):\n\n" +
      formatTable2BinsMarkdown(ev.table2Bins);
    if (baselines) {
      md +=
        "\nScaling-relation baselines on the same test images (fitted on the training split):\n\n" +
        formatBaselineMarkdown(baselines);
    }
    if (Object.keys(cov.coverage).length > 0) {
      md +=
        "\nCalibrated intervals, test split, 10^13.25 < M_true < 10^14.5 (coverage by cluster):\n\n" +
        formatCoverageMarkdown(cov.coverage);
    }
    await writeFileAtomic(join(dir, "table2.md"), md);
    await writeJsonAtomic(join(dir, "bias_bins.json"), {
      binDex: BIAS_BIN_DEX,
      definition: "per 0.25-dex bin of M_true: mean and sample sd of M_pred/M_true - 1, count",
      bins: ev.biasBins,
    });
    folder.release();
    console.log(md);
    console.error(
      `evaluate: wrote ${out}, ${join(dir, "table2.md")}, ${join(dir, "bias_bins.json")}`,
    );
  } catch (e) {
    await folder?.abandon();
    console.error(`evaluate: ${(e as Error).message}`);
    Deno.exit(1);
  }
}
