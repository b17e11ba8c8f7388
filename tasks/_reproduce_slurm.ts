/**
 * Private: `deno task reproduce --executor slurm`: plan the steps that are
 * not up to date, write their batch scripts, and submit them with `sbatch`
 * (lib/pipeline/slurm.ts); `--status` and `--wait` report how the plan went.
 *
 * @module
 */
import { isAbsolute, resolve } from "node:path";
import {
  buildSlurmJobs,
  checkSlurmSettings,
  formatSlurmStatus,
  planSteps,
  readSlurmConfig,
  reproduce,
  type ReproduceOptions,
  SlurmError,
  slurmPlanStatus,
  type SlurmSettings,
  submitSlurmJobs,
  waitForSlurmPlan,
} from "../lib/pipeline/mod.ts";

/** The reproduce flags of the SLURM executor (merged into the task's options). */
export const SLURM_FLAGS = {
  partition: { type: "string" },
  account: { type: "string" },
  time: { type: "string" },
  "train-time": { type: "string" },
  "cpus-per-task": { type: "string" },
  "gpus-per-task": { type: "string" },
  mem: { type: "string" },
  throttle: { type: "string" },
  setup: { type: "string" },
  "deno-dir": { type: "string" },
  requeue: { type: "boolean" },
  "signal-seconds": { type: "string" },
  wait: { type: "boolean", default: false },
  "wait-timeout": { type: "string" },
  status: { type: "boolean", default: false },
} as const;

/** Usage lines of the SLURM executor. */
export const SLURM_USAGE = `
SLURM (--executor slurm; settings also from OUT/slurm.json, flags win):
  --partition P, --account A, --time T (e.g. 01:00:00), --train-time T, --mem M
  --cpus-per-task N (default 2), --gpus-per-task N (training and interpret jobs)
  --throttle N    at most N tasks of an array at once (--array=...%N)
  --setup LINE    a shell line the jobs run first (e.g. "module load nodejs")
  --deno-dir DIR  the Deno cache prepared on the login node (default: this one's)
  --requeue       requeue a job --signal-seconds (default 300) before its time limit;
                  training resumes from its checkpoint
  --dry-run       write the batch scripts under OUT/.slurm/scripts and print them
  --wait          wait for the plan and print how each step ended
  --status        how each step of the submitted plan ended (no submission)`;

type Values = Record<string, string | boolean | undefined>;

function int(values: Values, name: string): number | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) {
    throw new RangeError(`--${name} must be an integer >= 1, got "${v}"`);
  }
  return n;
}

function str(values: Values, name: string): string | undefined {
  const v = values[name];
  return typeof v === "string" ? v : undefined;
}

/** The arguments that rebuild the same plan in a job (`reproduce --step`). */
function planArgs(o: ReproduceOptions, outDir: string): string[] {
  const a = ["--profile", o.profile, "--out", outDir];
  if (o.backend) a.push("--backend", o.backend);
  if (o.workers !== undefined) a.push("--workers", String(o.workers));
  if (o.clusters !== undefined) a.push("--clusters", String(o.clusters));
  if (o.epochs !== undefined) a.push("--epochs", String(o.epochs));
  if (o.seed !== undefined) a.push("--seed", String(o.seed));
  if (o.noise !== undefined) a.push("--noise", o.noise);
  if (o.noiseScale !== undefined) a.push("--noise-scale", o.noiseScale);
  if (o.los === false) a.push("--no-los");
  if (o.shards !== undefined && o.shards > 1) a.push("--shards", String(o.shards));
  if (o.folds !== undefined && o.folds > 1) a.push("--folds", String(o.folds));
  if (o.members !== undefined && o.members > 1) a.push("--members", String(o.members));
  return a;
}

/** Run the SLURM executor; returns the exit status. */
export async function runSlurmExecutor(options: ReproduceOptions, values: Values): Promise<number> {
  const root = options.root!;
  const outDir = options.outDir === undefined
    ? resolve(root, "out", options.profile)
    : (isAbsolute(options.outDir) ? options.outDir : resolve(options.outDir));
  try {
    if (values.status || (values.wait && values.status)) {
      return report(outDir, await slurmPlanStatus(outDir).then((s) => s.steps));
    }
    const fromFile = await readSlurmConfig(outDir);
    const fromFlags = checkSlurmSettings({
      partition: str(values, "partition"),
      account: str(values, "account"),
      time: str(values, "time"),
      trainTime: str(values, "train-time"),
      cpusPerTask: int(values, "cpus-per-task"),
      gpusPerTask: int(values, "gpus-per-task"),
      mem: str(values, "mem"),
      throttle: int(values, "throttle"),
      setup: str(values, "setup"),
      denoDir: str(values, "deno-dir"),
      requeue: values.requeue === true ? true : undefined,
      signalSeconds: int(values, "signal-seconds"),
    }, "flags");
    const settings: SlurmSettings = { ...fromFile, ...fromFlags };
    // Which steps need to run: the stamps decide, as for a local run.
    const planned = await reproduce({
      ...options,
      outDir,
      dryRun: true,
      output: "null",
      log: () => {},
    });
    const toRun = new Set(
      planned.steps.filter((s) => s.status === "would-run").map((s) => s.name),
    );
    const steps = planSteps({ ...options, outDir }).filter((s) => toRun.has(s.name));
    for (const s of planned.steps.filter((s) => s.status === "skipped")) {
      console.error(`slurm: ${s.name}: up to date, not submitted`);
    }
    if (steps.length === 0) {
      console.log(`Every step of the plan in ${outDir} is up to date: nothing to submit.`);
      return 0;
    }
    const denoDir = settings.denoDir ?? Deno.env.get("DENO_DIR") ?? await denoCacheDir();
    const jobs = buildSlurmJobs(steps, settings, {
      outDir,
      root,
      planArgs: planArgs(options, outDir),
      deno: settings.deno ?? Deno.execPath(),
      denoDir,
    });
    const plan = await submitSlurmJobs(jobs, {
      outDir,
      settings,
      dryRun: options.dryRun,
    });
    if (options.dryRun) {
      for (const j of jobs) {
        const after = j.after.length ? `, afterok on ${j.after.join(", ")}` : "";
        const arr = j.steps.length > 1
          ? ` --array=0-${j.steps.length - 1}${settings.throttle ? `%${settings.throttle}` : ""}`
          : "";
        console.log(`# ==> ${j.scriptPath} (sbatch${arr}${after})\n${j.script}`);
      }
      console.log(`Dry run: ${jobs.length} batch scripts written, nothing submitted.`);
      return 0;
    }
    console.log(
      `Submitted ${plan.jobs.length} jobs (${
        plan.jobs.map((j) => `${j.name} ${j.id}`).join(", ")
      }); logs in ${outDir}/.slurm/logs`,
    );
    if (!values.wait) {
      console.log(
        `Follow with squeue, or: deno task reproduce --executor slurm --status ${
          planArgs(options, outDir).join(" ")
        }`,
      );
      return 0;
    }
    const timeout = int(values, "wait-timeout");
    const final = await waitForSlurmPlan(outDir, {
      timeoutS: timeout,
      log: (l) => console.error(l),
    });
    return report(outDir, final);
  } catch (e) {
    if (e instanceof SlurmError || e instanceof RangeError) {
      console.error(`reproduce: ${e.message}`);
      return 1;
    }
    throw e;
  }
}

function report(outDir: string, steps: Awaited<ReturnType<typeof waitForSlurmPlan>>): number {
  const { table, error } = formatSlurmStatus(steps);
  console.log(`\nSLURM plan in ${outDir}:\n${table}`);
  if (error) {
    console.error(`\nreproduce: ${error}`);
    return 1;
  }
  return 0;
}

async function denoCacheDir(): Promise<string | null> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json"],
    stdout: "piped",
    stderr: "null",
    env: { NO_COLOR: "1" },
  }).output();
  try {
    return JSON.parse(new TextDecoder().decode(out.stdout)).denoDir ?? null;
  } catch {
    return null;
  }
}
