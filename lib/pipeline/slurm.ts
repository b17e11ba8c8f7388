/**
 * The SLURM executor of the reproduction: the same step graph as
 * {@linkcode reproduce} (lib/pipeline/steps.ts), submitted with `sbatch`
 * instead of run in this process tree. Steps are grouped into jobs by stage:
 * an array job for the simulate shards, the merge (`simulate`) `afterok` on
 * it, one array over the training steps (tracer, fold, member), then
 * `realism` (after the data), `evaluate` and `interpret` (after training) and
 * `figures` last. Each array task or job runs exactly one step with
 * `deno run tasks/reproduce.ts --step NAME`, which checks and writes the
 * step's stamp as a local run does, so a resubmitted plan skips what is done
 * and an interrupted training resumes from its checkpoint.
 *
 * Scheduler settings ({@linkcode SlurmSettings}) come from flags or from
 * `slurm.json` in the output directory, never from code. Everything a plan
 * writes is under `<out>/.slurm/`: `scripts/` (the batch scripts), `logs/`
 * (one file per job or array task), `status/` (each step's exit code, job and
 * log, written by the job), `plan.json` (job ids) and `lock.json` (the plan's
 * job ids and submitter: a plan is not submitted twice into one output
 * directory while the first's jobs are queued); `.lock` is the folder lock
 * (lib/io/lock.ts) a submission holds while it submits. The jobs take no
 * whole-folder lock (they run side by side in one output directory); each
 * task locks its own output folder.
 *
 * @module
 */
import { join } from "node:path";
import {
  assertNotLocked,
  type FolderLock,
  FolderLockedError,
  lockFolder,
  writeFileAtomic,
  writeJsonAtomic,
} from "../io/mod.ts";
import type { Step } from "./steps.ts";

/** Scheduler settings of a plan (all optional; unset ones are left to the site's defaults). */
export interface SlurmSettings {
  /** `--partition`. */
  partition?: string;
  /** `--account`. */
  account?: string;
  /** `--time` of every job except training, e.g. `"01:00:00"`. */
  time?: string;
  /** `--time` of the training jobs (default: {@linkcode SlurmSettings.time}). */
  trainTime?: string;
  /** `--cpus-per-task` of every job. Default 2. */
  cpusPerTask?: number;
  /** `--gpus-per-task` of the training (and interpret) jobs. Default: none. */
  gpusPerTask?: number;
  /** `--mem` of every job, e.g. `"8G"`. Default: the site's. */
  mem?: string;
  /** At most this many tasks of an array run at once (`--array=...%n`). */
  throttle?: number;
  /** A shell line run before the step, e.g. `module load nodejs` or `source env.sh`. */
  setup?: string;
  /** The Deno cache the jobs use (prepared on the login node). Default: this process's. */
  denoDir?: string;
  /** The Deno binary the jobs run. Default: this process's. */
  deno?: string;
  /** `--requeue`, and requeue a job `signalSeconds` before its time limit. Default false. */
  requeue?: boolean;
  /** Seconds before the time limit at which a requeueing job is signalled. Default 300. */
  signalSeconds?: number;
  /** Extra `#SBATCH` options, each e.g. `"--qos=normal"`. */
  extra?: string[];
}

/** The name of the settings file read from the output directory. */
export const SLURM_CONFIG_FILE = "slurm.json";

/** Where a plan keeps its files, relative to the output directory. */
export const SLURM_DIR = ".slurm";

/** One job (or array job) of a plan. */
export interface SlurmJob {
  /** `shards`, `simulate`, `train`, `evaluate`, `realism`, `interpret` or `figures`. */
  name: string;
  /** The steps it runs: one per array task (an array when more than one). */
  steps: string[];
  /** Names of the jobs it runs `afterok` on. */
  after: string[];
  /** The batch script. */
  script: string;
  /** Path of the script under `<out>/.slurm/scripts/`. */
  scriptPath: string;
  /** Log file pattern (`%A_%a` for arrays, `%j` otherwise). */
  logPattern: string;
}

const KEYS: Record<keyof SlurmSettings, "string" | "number" | "boolean" | "string[]"> = {
  partition: "string",
  account: "string",
  time: "string",
  trainTime: "string",
  cpusPerTask: "number",
  gpusPerTask: "number",
  mem: "string",
  throttle: "number",
  setup: "string",
  denoDir: "string",
  deno: "string",
  requeue: "boolean",
  signalSeconds: "number",
  extra: "string[]",
};

/**
 * Check settings (from a file or flags); throws a RangeError naming the key
 * and the fix for an unknown key or a wrong type or value.
 */
export function checkSlurmSettings(value: unknown, source = "SLURM settings"): SlurmSettings {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new RangeError(`Invalid ${source}: expected a JSON object of scheduler settings`);
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (v === undefined) continue;
    const type = KEYS[k as keyof SlurmSettings];
    if (!type) {
      throw new RangeError(
        `Invalid ${source}: unknown key "${k}"; expected some of ${Object.keys(KEYS).join(", ")}`,
      );
    }
    const ok = type === "string[]"
      ? Array.isArray(v) && v.every((x) => typeof x === "string")
      : (typeof v as string) === type;
    if (!ok) throw new RangeError(`Invalid ${source}: "${k}" must be a ${type}, got ${v}`);
    if (type === "number" && !(Number.isInteger(v) && (v as number) >= 1)) {
      throw new RangeError(`Invalid ${source}: "${k}" must be an integer >= 1, got ${v}`);
    }
    if (type === "string" && /[\n\r]/.test(v as string)) {
      throw new RangeError(`Invalid ${source}: "${k}" must be one line`);
    }
    out[k] = v;
  }
  return out as SlurmSettings;
}

/** `<out>/slurm.json` checked, or `{}` when the file does not exist. */
export async function readSlurmConfig(outDir: string): Promise<SlurmSettings> {
  const path = join(outDir, SLURM_CONFIG_FILE);
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return {};
    throw e;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new RangeError(`Invalid ${path}: not JSON; fix it or remove it`);
  }
  return checkSlurmSettings(parsed, path);
}

/** The job a step belongs to. */
export function slurmJobOf(step: Step): string {
  if (step.name.startsWith("simulate-shard-")) return "shards";
  if (step.task === "train") return "train";
  if (step.name === "evaluate-sets") return "evaluate-sets";
  return step.name;
}

function quote(s: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replaceAll("'", `'\\''`)}'`;
}

/** What the scripts need besides the steps and the settings. */
export interface SlurmContext {
  /** Absolute output directory. */
  outDir: string;
  /** Repository root (the jobs `cd` there). */
  root: string;
  /** The reproduce arguments that rebuild the same plan (`--profile ... --out ...`). */
  planArgs: string[];
  /** Deno binary. */
  deno: string;
  /** Deno cache directory for the jobs, or null to leave DENO_DIR alone. */
  denoDir: string | null;
}

/**
 * The jobs of a plan for `steps` (those that need to run, in run order),
 * with their batch scripts. Pure: writes nothing.
 */
export function buildSlurmJobs(
  steps: readonly Step[],
  settings: SlurmSettings,
  ctx: SlurmContext,
): SlurmJob[] {
  const jobOf = new Map(steps.map((s) => [s.name, slurmJobOf(s)]));
  const order: string[] = [];
  const byJob = new Map<string, Step[]>();
  for (const s of steps) {
    const j = jobOf.get(s.name)!;
    if (!byJob.has(j)) {
      byJob.set(j, []);
      order.push(j);
    }
    byJob.get(j)!.push(s);
  }
  const dir = join(ctx.outDir, SLURM_DIR);
  return order.map((name) => {
    const members = byJob.get(name)!;
    const after = [
      ...new Set(
        members.flatMap((s) => s.dependsOn).map((d) => jobOf.get(d)).filter((j): j is string =>
          j !== undefined && j !== name
        ),
      ),
    ];
    const array = members.length > 1;
    const logPattern = join(dir, "logs", array ? `${name}_%A_%a.out` : `${name}_%j.out`);
    const heavy = name === "train" || name === "interpret";
    const sb: string[] = [
      `--job-name=cluster-cnn-${name}`,
      `--output=${logPattern}`,
      "--open-mode=append",
      `--cpus-per-task=${settings.cpusPerTask ?? 2}`,
    ];
    if (settings.partition) sb.push(`--partition=${settings.partition}`);
    if (settings.account) sb.push(`--account=${settings.account}`);
    const time = name === "train" ? settings.trainTime ?? settings.time : settings.time;
    if (time) sb.push(`--time=${time}`);
    if (settings.mem) sb.push(`--mem=${settings.mem}`);
    if (heavy && settings.gpusPerTask) sb.push(`--gpus-per-task=${settings.gpusPerTask}`);
    if (settings.requeue) {
      sb.push("--requeue", `--signal=B:USR1@${settings.signalSeconds ?? 300}`);
    }
    for (const e of settings.extra ?? []) sb.push(e);
    const logExpr = array
      ? `${join(dir, "logs", name)}_\${SLURM_ARRAY_JOB_ID}_\${SLURM_ARRAY_TASK_ID}.out`
      : `${join(dir, "logs", name)}_\${SLURM_JOB_ID}.out`;
    const lines = [
      "#!/bin/bash",
      ...sb.map((o) => `#SBATCH ${o}`),
      `# cluster-cnn: job "${name}" of the plan in ${ctx.outDir}, written by`,
      `# deno task reproduce --executor slurm ${ctx.planArgs.map(quote).join(" ")}`,
      "set -uo pipefail",
      `steps=(${members.map((s) => quote(s.name)).join(" ")})`,
      `step=\${steps[\${SLURM_ARRAY_TASK_ID:-0}]}`,
      `log=${logExpr}`,
      'if [ -n "${SLURM_ARRAY_JOB_ID:-}" ]; then jobid=${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}; ' +
      "else jobid=$SLURM_JOB_ID; fi",
      `status=${quote(join(dir, "status"))}/$step.json`,
      `cd ${quote(ctx.root)} || exit 1`,
      "export DENO_NO_UPDATE_CHECK=1 NO_COLOR=1",
      ...(ctx.denoDir ? [`export DENO_DIR=${quote(ctx.denoDir)}`] : []),
      ...(settings.setup ? [settings.setup] : []),
      'echo "cluster-cnn: step $step, job ${SLURM_JOB_ID}, on $(hostname) at $(date -u +%FT%TZ)' +
      ' (restart ${SLURM_RESTART_COUNT:-0})"',
      `${quote(ctx.deno)} run -A --cached-only tasks/reproduce.ts ${
        ctx.planArgs.map(quote).join(" ")
      } --step "$step" &`,
      "child=$!",
    ];
    if (settings.requeue) {
      lines.push(
        "on_limit() {",
        '  echo "cluster-cnn: time limit near: stopping $step and requeueing job $jobid"',
        '  kill -TERM "$child" 2>/dev/null; wait "$child"',
        // An array task by ARRAYID_TASK: the last task's own SLURM_JOB_ID is the array's id,
        // and requeueing that would requeue every task of the array.
        '  scontrol requeue "$jobid"',
        "  exit 0",
        "}",
        "trap on_limit USR1",
      );
    }
    lines.push(
      'wait "$child"; rc=$?',
      'printf \'{"step":"%s","exit":%d,"job":"%s","log":"%s"}\\n\' "$step" "$rc" ' +
        '"$jobid" "$log" > "$status.tmp" && mv "$status.tmp" "$status"',
      'exit "$rc"',
      "",
    );
    return {
      name,
      steps: members.map((s) => s.name),
      after,
      script: lines.join("\n"),
      scriptPath: join(dir, "scripts", `${name}.sh`),
      logPattern,
    };
  });
}

/** What was submitted, saved as `<out>/.slurm/plan.json`. */
export interface SubmittedPlan {
  submittedAt: string;
  jobs: { name: string; id: string; steps: string[]; after: string[]; log: string }[];
}

/** Runs a command, returning its status and output (injectable for tests). */
export type CommandRunner = (
  cmd: string,
  args: string[],
) => Promise<{ code: number; stdout: string; stderr: string }>;

/** The default {@linkcode CommandRunner}: `Deno.Command`; a missing program gives code 127. */
export const runCommand: CommandRunner = async (cmd, args) => {
  try {
    const out = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).output();
    const dec = new TextDecoder();
    return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return { code: 127, stdout: "", stderr: "not found" };
    throw e;
  }
};

/** Thrown for a problem that one line explains (the task prints it and exits 1). */
export class SlurmError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SlurmError";
  }
}

/**
 * Which of the job ids `ids` are still queued: `live` (pending or running)
 * and `stuck` (pending with reason DependencyNeverSatisfied: a job they wait
 * on failed, and the site does not cancel such jobs by itself).
 */
export async function queueState(
  ids: string[],
  run: CommandRunner = runCommand,
): Promise<{ live: string[]; stuck: string[] }> {
  if (ids.length === 0) return { live: [], stuck: [] };
  const r = await run("squeue", ["-h", "-o", "%i %T %r", "-j", ids.join(",")]);
  if (r.code !== 0) {
    // squeue fails for job ids it no longer knows: none of them is queued.
    if (/Invalid job id/i.test(r.stderr)) return { live: [], stuck: [] };
    throw new SlurmError(`squeue failed (${r.stderr.trim()}); is SLURM up? (sinfo)`);
  }
  const live = new Set<string>();
  const stuck = new Set<string>();
  for (const line of r.stdout.split("\n")) {
    const [id, state, reason] = line.trim().split(/\s+/);
    if (!id) continue;
    if (/^(COMPLETED|FAILED|CANCELLED|TIMEOUT|OUT_OF_MEMORY|NODE_FAIL|PREEMPTED)$/.test(state)) {
      continue;
    }
    const job = id.replace(/_.*$/, "");
    if (state === "PENDING" && reason === "DependencyNeverSatisfied") stuck.add(job);
    else live.add(job);
  }
  return {
    live: ids.filter((id) => live.has(id)),
    stuck: ids.filter((id) => stuck.has(id) && !live.has(id)),
  };
}

/** The ids of `ids` still pending or running (not those that can never run). */
export async function jobsInQueue(
  ids: string[],
  run: CommandRunner = runCommand,
): Promise<string[]> {
  return (await queueState(ids, run)).live;
}

const SBATCH_MISSING = "Cannot submit to SLURM: sbatch is not on PATH. Run this on the " +
  "cluster's login node (or install SLURM's client: apt-get install slurm-client; " +
  "scripts/slurm/start.sh starts a single-node test cluster here), or use --dry-run to " +
  "write and print the scripts without submitting";

/** The file under `<out>/.slurm/` that records the submitted plan's job ids. */
export const SLURM_JOBS_FILE = "lock.json";

/** The task named on the plan lock (`<out>/.slurm/.lock`) while a plan is being submitted. */
export const SLURM_SUBMIT_TASK = "reproduce --executor slurm";

/**
 * Refuse (a {@linkcode SlurmError}, one line beginning with `prefix`) while
 * jobs of the plan last submitted into `outDir` are still in the queue,
 * naming the jobs, who submitted them and the fix. Without a record, or
 * when `lenient` and SLURM cannot be asked (no squeue: a local run on a
 * machine without SLURM), there is nothing to refuse.
 */
export async function assertNoSlurmPlanQueued(
  outDir: string,
  prefix = "Cannot submit",
  options: { run?: CommandRunner; lenient?: boolean } = {},
): Promise<void> {
  const run = options.run ?? runCommand;
  let held: { pid?: number; host?: string; submittedAt?: string; jobs?: unknown } = {};
  try {
    held = JSON.parse(await Deno.readTextFile(join(outDir, SLURM_DIR, SLURM_JOBS_FILE)));
  } catch {
    return; // no plan submitted here (or an unreadable record of a crashed submission)
  }
  const jobs = Array.isArray(held.jobs) ? held.jobs.map(String) : [];
  let live: string[];
  try {
    live = await jobsInQueue(jobs, run);
  } catch (e) {
    if (options.lenient) return;
    throw e;
  }
  if (live.length > 0) {
    const by = held.pid !== undefined
      ? `, submitted by pid ${held.pid} on ${held.host ?? "?"}${
        held.submittedAt ? ` at ${held.submittedAt}` : ""
      }`
      : "";
    throw new SlurmError(
      `${prefix}: a plan is already running in ${outDir}${by} (jobs ${
        live.join(", ")
      } in the queue); wait for it (squeue -j ${live.join(",")}) or cancel it (scancel ${
        live.join(" ")
      }) first`,
    );
  }
}

/** A held plan lock (see {@linkcode takeSlurmLock}). */
export interface SlurmPlanLock {
  /** Record the submitted jobs' ids (`<out>/.slurm/lock.json`). */
  record(ids: string[]): Promise<void>;
  /** Drop the submission lock (the record stays: it holds the plan while its jobs are queued). */
  release(): void;
}

/**
 * Take the plan lock of `outDir`. The submission itself holds the folder
 * lock of `<out>/.slurm` (lib/io/lock.ts, as every writer does: of two
 * submissions started together one gets it, the other is told who holds
 * it; a dead submitter's lock is taken over); after it, the submitted plan
 * holds the output directory through its job ids in `<out>/.slurm/lock.json`
 * while any of them is in the queue. Refuses (one line naming the holder and
 * the fix) while a local `reproduce` writes `outDir`, another submission is
 * under way, or a plan submitted earlier still has jobs in the queue.
 */
export async function takeSlurmLock(
  outDir: string,
  run: CommandRunner = runCommand,
): Promise<SlurmPlanLock> {
  const dir = join(outDir, SLURM_DIR);
  let lock: FolderLock;
  try {
    // A local reproduce writing the output directory is a writer too.
    assertNotLocked(outDir);
    await Deno.mkdir(dir, { recursive: true });
    lock = lockFolder(dir, SLURM_SUBMIT_TASK, { log: (l) => console.error(l) });
  } catch (e) {
    if (e instanceof FolderLockedError) throw new SlurmError(`Cannot submit: ${e.message}`);
    throw e;
  }
  try {
    await assertNoSlurmPlanQueued(outDir, "Cannot submit", { run });
  } catch (e) {
    lock.release();
    throw e;
  }
  return {
    record: async (ids) => {
      await writeJsonAtomic(join(dir, SLURM_JOBS_FILE), {
        pid: lock.holder.pid,
        host: lock.holder.host,
        startedAt: lock.holder.startedAt,
        jobs: ids,
        submittedAt: new Date().toISOString(),
      });
    },
    release: () => lock.release(),
  };
}

/**
 * Write the scripts of `jobs` and submit them in order with `sbatch`, each
 * `afterok` on the jobs it needs (arrays with `%throttle`). Records
 * `<out>/.slurm/plan.json` and the lock. `dryRun` writes the scripts only.
 */
export async function submitSlurmJobs(
  jobs: SlurmJob[],
  options: {
    outDir: string;
    settings: SlurmSettings;
    dryRun?: boolean;
    run?: CommandRunner;
    log?: (line: string) => void;
  },
): Promise<SubmittedPlan> {
  const run = options.run ?? runCommand;
  const log = options.log ?? ((l: string) => console.error(l));
  const dir = join(options.outDir, SLURM_DIR);
  if (!options.dryRun) {
    const probe = await run("sbatch", ["--version"]);
    if (probe.code === 127) throw new SlurmError(SBATCH_MISSING);
  }
  // The lock first: a refused submission rewrites nothing of the running plan's.
  const lock = options.dryRun ? null : await takeSlurmLock(options.outDir, run);
  const plan: SubmittedPlan = { submittedAt: new Date().toISOString(), jobs: [] };
  try {
    for (const sub of ["scripts", "logs", "status"]) {
      await Deno.mkdir(join(dir, sub), { recursive: true });
    }
    for (const job of jobs) await writeFileAtomic(job.scriptPath, job.script);
  } catch (e) {
    lock?.release();
    throw e;
  }
  if (lock === null) return plan;
  // A resubmitted step's old exit status must not be read as this run's.
  for (const job of jobs) {
    for (const s of job.steps) await Deno.remove(join(dir, "status", `${s}.json`)).catch(() => {});
  }
  const ids = new Map<string, string>();
  try {
    for (const job of jobs) {
      const args = ["--parsable"];
      const deps = job.after.map((a) => ids.get(a)).filter((x): x is string => x !== undefined);
      if (deps.length > 0) args.push(`--dependency=afterok:${deps.join(":")}`);
      if (job.steps.length > 1) {
        const t = options.settings.throttle;
        args.push(`--array=0-${job.steps.length - 1}${t ? `%${t}` : ""}`);
      }
      args.push(job.scriptPath);
      const r = await run("sbatch", args);
      if (r.code !== 0) {
        throw new SlurmError(
          `sbatch refused job ${job.name}: ${r.stderr.trim() || r.stdout.trim()}; ` +
            `check the scheduler settings (--partition, --account, --time, ${SLURM_CONFIG_FILE})`,
        );
      }
      const id = r.stdout.trim().split(";")[0];
      ids.set(job.name, id);
      plan.jobs.push({
        name: job.name,
        id,
        steps: job.steps,
        after: deps,
        log: job.logPattern.replace("%A", id).replace("%j", id),
      });
      log(
        `slurm: submitted ${job.name} as job ${id}${
          job.steps.length > 1 ? ` (array of ${job.steps.length})` : ""
        }${deps.length ? ` after ${deps.join(", ")}` : ""}`,
      );
    }
  } finally {
    await lock.record([...ids.values()]);
    await writeJsonAtomic(join(dir, "plan.json"), plan);
    lock.release();
  }
  return plan;
}

/** How one step of a submitted plan ended. */
export interface SlurmStepStatus {
  step: string;
  job: string;
  /** `done` (exit 0), `failed`, `running` (jobs still queued) or `not-run` (a dependency failed). */
  state: "done" | "failed" | "running" | "not-run";
  exit: number | null;
  log: string | null;
}

/** The state of every step of the plan in `<out>/.slurm/plan.json`. */
export async function slurmPlanStatus(
  outDir: string,
  run: CommandRunner = runCommand,
): Promise<{ plan: SubmittedPlan; steps: SlurmStepStatus[]; queued: string[] }> {
  const dir = join(outDir, SLURM_DIR);
  let plan: SubmittedPlan;
  try {
    plan = JSON.parse(await Deno.readTextFile(join(dir, "plan.json")));
  } catch {
    throw new SlurmError(
      `No SLURM plan in ${outDir}: submit one with deno task reproduce --executor slurm`,
    );
  }
  const queued = await jobsInQueue(plan.jobs.map((j) => j.id), run);
  const steps: SlurmStepStatus[] = [];
  for (const job of plan.jobs) {
    for (const [i, step] of job.steps.entries()) {
      let st: { exit?: number; job?: string; log?: string } | null = null;
      try {
        st = JSON.parse(await Deno.readTextFile(join(dir, "status", `${step}.json`)));
      } catch {
        st = null;
      }
      const jobLabel = job.steps.length > 1 ? `${job.id}_${i}` : job.id;
      if (st && typeof st.exit === "number") {
        steps.push({
          step,
          job: st.job ?? jobLabel,
          state: st.exit === 0 ? "done" : "failed",
          exit: st.exit,
          log: st.log ?? null,
        });
      } else {
        steps.push({
          step,
          job: jobLabel,
          state: queued.includes(job.id) ? "running" : "not-run",
          exit: null,
          log: null,
        });
      }
    }
  }
  return { plan, steps, queued };
}

/** A table of {@linkcode SlurmStepStatus} rows and, when a step failed, the one-line reason. */
export function formatSlurmStatus(
  steps: SlurmStepStatus[],
): { table: string; error: string | null } {
  const rows = steps.map((s) => [
    s.step,
    s.state,
    s.job,
    s.exit === null ? "-" : String(s.exit),
    s.log ?? "",
  ]);
  const head = ["step", "state", "job", "exit", "log"];
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (r: string[]) => r.map((x, c) => x.padEnd(widths[c])).join("  ").trimEnd();
  const failed = steps.filter((s) => s.state === "failed");
  const notRun = steps.filter((s) => s.state === "not-run").map((s) => s.step);
  let error: string | null = null;
  if (failed.length > 0) {
    const f = failed[0];
    error = `step ${f.step} (job ${f.job}) failed with exit code ${f.exit}: see ${f.log}` +
      (failed.length > 1 ? ` (and ${failed.length - 1} more failed)` : "") +
      (notRun.length > 0 ? `; not run after it: ${notRun.join(", ")}` : "") +
      `; fix it and submit the plan again (finished steps are skipped)`;
  } else if (notRun.length > 0) {
    error = `steps ${
      notRun.join(", ")
    } did not run (cancelled?); submit the plan again (finished steps are skipped)`;
  }
  return { table: [line(head), ...rows.map(line)].join("\n"), error };
}

/** Poll the queue until none of the plan's jobs is pending or running (or `timeoutS` passes). */
export async function waitForSlurmPlan(
  outDir: string,
  options: { run?: CommandRunner; pollMs?: number; timeoutS?: number; log?: (l: string) => void } =
    {},
): Promise<SlurmStepStatus[]> {
  const t0 = performance.now();
  const poll = options.pollMs ?? 2000;
  let last = "";
  const run = options.run ?? runCommand;
  while (true) {
    const s = await slurmPlanStatus(outDir, run);
    const { stuck } = await queueState(s.plan.jobs.map((j) => j.id), run);
    if (stuck.length > 0) {
      // A job they depend on failed: they can never run, and this site keeps them pending.
      await run("scancel", stuck);
      options.log?.(`slurm: cancelled jobs ${stuck.join(", ")}: a job they need failed`);
    }
    const done = s.steps.filter((x) => x.state === "done").length;
    const msg = `slurm: ${done}/${s.steps.length} steps done, ${s.queued.length} jobs queued`;
    if (msg !== last) options.log?.(msg);
    last = msg;
    if (s.queued.length === 0) return s.steps;
    if (options.timeoutS !== undefined && (performance.now() - t0) / 1000 > options.timeoutS) {
      throw new SlurmError(
        `The plan in ${outDir} is still running after ${options.timeoutS} s ` +
          `(jobs ${s.queued.join(", ")}); follow it with squeue`,
      );
    }
    await new Promise((r) => setTimeout(r, poll));
  }
}
