/**
 * `deno task reproduce --profile smoke|quick|paper [--out DIR] [--backend B]
 * [--workers 1|2] [--force] [--dry-run] [--only STEP,...] [--shards N]
 * [--executor local|slurm]`: the whole reproduction, skipping steps whose
 * outputs are up to date; with `--executor slurm` the same steps are
 * submitted to SLURM (tasks/_reproduce_slurm.ts, lib/pipeline/slurm.ts).
 *
 * @module
 */
import { join } from "node:path";
import { assertNotLocked, claimOutputFolder, type OutputFolder } from "../lib/io/mod.ts";
import {
  assertNoSlurmPlanQueued,
  formatPaths,
  formatStepTable,
  readGallerySummary,
  readTable2Comparison,
  repositoryRoot,
  reproduce,
  type ReproduceResult,
  StepFailedError,
} from "../lib/pipeline/mod.ts";
import type { BackendName } from "../lib/backend/mod.ts";
import { type NoiseSetting, parseNoise, parseProfile } from "../lib/types/mod.ts";
import { parseTaskArgs } from "./_cli.ts";
import { runSlurmExecutor, SLURM_FLAGS, SLURM_USAGE } from "./_reproduce_slurm.ts";

const USAGE = `Usage: deno task reproduce --profile smoke|quick|paper [options]

  --profile P     smoke (CI, minutes), quick (laptop, < 1 h), paper (1000 epochs; a GPU)
  --out DIR       output directory (default out/<profile>)
  --backend B     auto|webgpu|wasm|cpu for training and interpretation (default auto)
  --workers N     training worker processes, 1 or 2
  --clusters N    number of clusters instead of the profile's
  --epochs N      training epochs instead of the profile's
  --noise N       paper|planck|none image noise (default paper)
  --noise-scale L factors on tracers' noise rms, e.g. fxs=0,fxb=0 (noise ablation)
  --no-los        no line-of-sight structure (the paper's ablation)
  --seed S        dataset seed instead of the profile's
  --shards N      generate the dataset in N shards (simulate-shard-<i> steps), merged into
                  the same bytes as one simulate
  --folds K       also train every network on K folds by cluster (K >= 3) and write Table 2
                  with the spread over folds (runs/table2_sets.md)
  --members M     deep ensembles of M members (seeds: the profile's + j) per fold
  --executor E    local (default: steps run here, one after another) or slurm (sbatch)
  --step NAME     run exactly this step, not what it needs (what a SLURM job runs)
  --force         re-run every step even when up to date
  --dry-run       only say which steps would run and why
  --only S,...    run only these steps and what they need
                  (simulate, train-star, train-fxs, train-fxb, train-ypar, train-multi,
                   evaluate, interpret, figures)
  -h, --help      this text
${SLURM_USAGE}`;

function fail(message: string): never {
  console.error(`reproduce: ${message}\n\n${USAGE}`);
  Deno.exit(2);
}

async function printSummary(result: ReproduceResult) {
  console.log(`\nReproduction (${result.profile}) in ${result.outDir}`);
  console.log(formatStepTable(result));
  console.log(`\n${formatPaths(result)}`);
  const table2 = await readTable2Comparison(result.paths.runs).catch((e) =>
    `(cannot read Table 2: ${(e as Error).message})`
  );
  const gallery = await readGallerySummary(result.paths.figures).catch((e) =>
    `(cannot read the gallery: ${(e as Error).message})`
  );
  if (gallery) console.log(`\n${gallery}`);
  if (table2) console.log(`\nTable 2, this run beside Yan et al. (2020):\n${table2}`);
}

if (import.meta.main) {
  const { values, int } = parseTaskArgs("reproduce", USAGE, {
    profile: { type: "string" },
    out: { type: "string" },
    backend: { type: "string" },
    workers: { type: "string" },
    clusters: { type: "string" },
    epochs: { type: "string" },
    noise: { type: "string" },
    "noise-scale": { type: "string" },
    "no-los": { type: "boolean", default: false },
    force: { type: "boolean", default: false },
    "dry-run": { type: "boolean", default: false },
    only: { type: "string" },
    seed: { type: "string" },
    shards: { type: "string" },
    folds: { type: "string" },
    members: { type: "string" },
    executor: { type: "string", default: "local" },
    step: { type: "string" },
    ...SLURM_FLAGS,
    help: { type: "boolean", short: "h", default: false },
  });
  if (values.profile === undefined) fail("--profile is required");
  let workers: number | undefined;
  const clusters = int("clusters", values.clusters);
  const epochs = int("epochs", values.epochs);
  const shards = int("shards", values.shards);
  const folds = int("folds", values.folds);
  const members = int("members", values.members);
  const seed = int("seed", values.seed, 0);
  if (values.executor !== "local" && values.executor !== "slurm") {
    console.error(
      `reproduce: Unknown --executor "${values.executor}": use local (the default) or slurm`,
    );
    Deno.exit(2);
  }
  try {
    parseProfile(values.profile);
    if (values.noise !== undefined) parseNoise(values.noise);
    if (values.workers !== undefined) {
      workers = Number(values.workers);
      if (workers !== 1 && workers !== 2) {
        throw new RangeError(`--workers must be 1 or 2, got ${values.workers}`);
      }
    }
  } catch (e) {
    fail((e as Error).message);
  }
  const controller = new AbortController();
  for (const sig of ["SIGINT", "SIGTERM"] as const) {
    Deno.addSignalListener(sig, () => controller.abort());
  }
  const plan = {
    profile: values.profile,
    outDir: values.out,
    backend: values.backend as BackendName | undefined,
    workers,
    clusters,
    epochs,
    seed,
    shards,
    folds,
    members,
    noise: values.noise as NoiseSetting | undefined,
    noiseScale: values["noise-scale"],
    los: values["no-los"] ? false : undefined,
  };
  if (values.executor === "slurm") {
    if (values.step !== undefined) fail("--step runs one step here: use it without --executor");
    Deno.exit(
      await runSlurmExecutor(
        {
          ...plan,
          dryRun: values["dry-run"],
          root: repositoryRoot(),
          targets: values.only?.split(",").map((s) => s.trim()).filter(Boolean),
        },
        values,
      ),
    );
  }
  const outDir = values.out ?? join(repositoryRoot(), "out", values.profile);
  // One reproduction per output folder: a second one started on it stops here, as
  // does one started while a SLURM plan's jobs are queued there. A SLURM job runs
  // one step (--step) while other jobs run other steps of the same plan in the same
  // folder: it takes no whole-folder lock (each task locks its own output folder,
  // e.g. runs/star or a shard's folder) and only checks that no local reproduce
  // holds the folder.
  let folder: OutputFolder | undefined;
  try {
    if (values.step !== undefined) {
      assertNotLocked(outDir);
    } else if (!values["dry-run"]) {
      folder = await claimOutputFolder(outDir, "reproduce");
      await assertNoSlurmPlanQueued(outDir, "Cannot reproduce here", { lenient: true }).catch(
        async (e) => {
          await folder?.abandon();
          throw e;
        },
      );
    }
  } catch (e) {
    console.error(`reproduce: ${(e as Error).message}`);
    Deno.exit(1);
  }
  try {
    const result = await reproduce({
      ...plan,
      force: values.force,
      dryRun: values["dry-run"],
      targets: values.step !== undefined
        ? [values.step]
        : values.only?.split(",").map((s) => s.trim()).filter(Boolean),
      exactTargets: values.step !== undefined,
      signal: controller.signal,
    });
    folder?.release();
    await printSummary(result);
  } catch (e) {
    if (e instanceof StepFailedError) {
      // Finished steps are kept: the re-run resumes after them.
      folder?.release();
      await printSummary(e.result);
      console.error(`\nreproduce: ${e.message}`);
      Deno.exit(1);
    }
    // A RangeError (bad profile, backend or step) comes before any step ran.
    if (e instanceof RangeError) {
      await folder?.abandon();
      fail(e.message);
    }
    folder?.release();
    console.error(`reproduce: ${e instanceof Error ? e.message : String(e)}`);
    Deno.exit(1);
  }
  Deno.exit(0);
}
