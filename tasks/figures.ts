/**
 * `deno task figures`: write the paper's figures as Vega-Lite specs
 * (`figNN.vl.json`), render each to SVG and PNG, and build the gallery page.
 *
 *     deno task figures [--data DIR] [--runs DIR] [--interpret DIR] [--realism FILE] [--out DIR]
 *                       [--only fig01,fig05] [--no-png] [--quiet]
 *
 * Every figure whose inputs exist is written; the others are skipped with the
 * missing file named. A figure whose inputs exist but whose builder fails is
 * reported and makes the task exit with status 1 (after the rest are written).
 *
 * @module
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { claimOutputFolder, type OutputFolder, stopWithParent } from "../lib/io/mod.ts";
import { NETWORKS } from "../lib/types/mod.ts";
import { pathExists, runFigures } from "../lib/figures/mod.ts";

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      data: { type: "string", default: "data" },
      runs: { type: "string", default: "runs" },
      interpret: { type: "string", default: "interpret" },
      realism: { type: "string" },
      out: { type: "string", default: "figures" },
      only: { type: "string" },
      "no-png": { type: "boolean", default: false },
      quiet: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log(
      "Usage: deno task figures [--data DIR] [--runs DIR] [--interpret DIR] [--realism FILE] [--out DIR] [--only fig01,fig05] [--no-png] [--quiet]\n" +
        "Writes figNN.vl.json, figNN.svg, figNN.png, table2.{vl.json,md,json}, gallery.json and index.html into --out.",
    );
    Deno.exit(0);
  }
  stopWithParent();
  let folder: OutputFolder | undefined;
  try {
    // Asked for figures of training runs, but the runs folder holds none: nothing to do.
    const hasRun = await Promise.all(
      NETWORKS.map((n) => pathExists(join(values.runs, n, "history.csv"))),
    ).then((a) => a.some(Boolean));
    if (!hasRun) {
      const needRuns = ["fig04", "fig05", "fig06", "fig06b", "fig07", "table2", "calibration"];
      const only = values.only?.split(",").map((s) => s.trim());
      if (!only || only.some((id) => needRuns.includes(id))) {
        throw new Error(
          `${values.runs} holds no training run (no <network>/history.csv for ${
            NETWORKS.join(", ")
          }); train first, give the runs folder with --runs, or ask only for --only fig01,fig02,fig03`,
        );
      }
    }
    folder = await claimOutputFolder(values.out, "figures");
    const result = await runFigures({
      dataDir: values.data,
      runsDir: values.runs,
      interpretDir: values.interpret,
      realismFile: values.realism,
      outDir: values.out,
      only: values.only?.split(",").map((s) => s.trim()).filter((s) => s !== ""),
      png: !values["no-png"],
      silent: values.quiet,
    });
    const skippedOnly = result.skipped.filter((s) => !result.failed.some((f) => f.id === s.id));
    for (const s of skippedOnly) console.log(`  skipped ${s.id}: ${s.reason}`);
    for (const f of result.failed) console.log(`  FAILED ${f.id}: ${f.reason}`);
    console.log(
      `figures: ${result.written.length} written (${result.written.join(", ") || "none"}), ` +
        `${skippedOnly.length} skipped, ${result.failed.length} failed; the gallery lists ` +
        `${result.figures.length}. View it with \`python3 -m http.server -d ${values.out}\` ` +
        `and open http://localhost:8000/.`,
    );
    folder.release();
    if (result.failed.length > 0) Deno.exit(1);
    if (result.written.length === 0) {
      console.error(
        "figures: nothing written: every figure asked for lacks its inputs (see above)",
      );
      Deno.exit(1);
    }
  } catch (e) {
    await folder?.abandon();
    console.error(`figures: ${e instanceof Error ? e.message : e}`);
    Deno.exit(1);
  }
}
