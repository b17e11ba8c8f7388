/**
 * `reproduce()`: run the pipeline's steps as `deno run -A tasks/<task>.ts`
 * subprocesses, skipping each step whose stamp says its outputs are up to
 * date for its inputs, settings and code.
 *
 * A killed run loses nothing: the steps write their files atomically, a
 * step's stamp is removed before it starts and written only after it
 * succeeded and its outputs are all there, and training resumes from its own
 * checkpoints.
 *
 * @module
 */
import { isAbsolute, join, resolve } from "node:path";
import { fileURLToPath as fromFileUrl } from "node:url";
import { ensureWritableDir } from "../io/mod.ts";
import {
  codeHash,
  fingerprintFiles,
  missingFiles,
  observeFiles,
  readStamp,
  removeStamp,
  sha256File,
  writeStamp,
} from "./files.ts";
import { checkStamp, hashSettings, type Stamp, STAMP_VERSION, type StampVerdict } from "./stamp.ts";
import { LAYOUT, type PlanOptions, planSteps, selectSteps, type Step } from "./steps.ts";
import type { TaskName } from "./invocations.ts";

/** Where the subprocesses' output goes. */
export type StepOutput = "inherit" | "null" | "log";

/** Options of {@linkcode reproduce}. */
export interface ReproduceOptions extends Omit<PlanOptions, "outDir"> {
  /** Output directory. Default `out/<profile>` under the repository root. */
  outDir?: string;
  /** Re-run every selected step even when it is up to date. Default false. */
  force?: boolean;
  /** Only report what would run. Default false. */
  dryRun?: boolean;
  /** Run only these steps (by name, e.g. `["simulate"]`) and what they depend on. Default: all. */
  targets?: string[];
  /**
   * Run exactly the `targets`, not what they depend on (a scheduler job: the
   * scheduler ran those first); a target whose inputs are missing fails. Default false.
   */
  exactTargets?: boolean;
  /**
   * The steps' own output: `inherit` (default; their progress bars show on
   * this terminal), `null` (discarded), or `log` (each line passed to `log`).
   */
  output?: StepOutput;
  /** Receives reproduce's own progress lines (and the steps' with `output: "log"`). Default: stderr. */
  log?: (line: string) => void;
  /** Aborting kills the running step and makes `reproduce` throw. */
  signal?: AbortSignal;
  /** Repository root holding `tasks/`. Default: two levels above this file. */
  root?: string;
}

/** How one step went. */
export interface StepReport {
  name: string;
  task: TaskName;
  /** `ran`, `skipped` (up to date), `would-run` (dry run), `failed`, or `not-run` (after a failure). */
  status: "ran" | "skipped" | "would-run" | "failed" | "not-run";
  /** Why it ran or was skipped, e.g. "up to date", "never ran", "input changed: data/images_star.npy". */
  reason: string;
  /** Wall time in this run (0 when skipped). */
  seconds: number;
  /** Wall time of the run recorded in its stamp (for skipped steps). */
  lastSeconds: number | null;
  /** The command line it runs. */
  command: string[];
}

/** What {@linkcode reproduce} did. */
export interface ReproduceResult {
  profile: string;
  outDir: string;
  /** Absolute paths of the outputs. */
  paths: { data: string; runs: string; interpret: string; figures: string; stamps: string };
  steps: StepReport[];
  /** Total wall time in seconds. */
  seconds: number;
}

/** Thrown when a step fails; `result` holds the reports so far. */
export class StepFailedError extends Error {
  constructor(message: string, readonly result: ReproduceResult) {
    super(message);
    this.name = "StepFailedError";
  }
}

/** The name under which an attempt in progress is recorded (`.stamps/<step>.pending.json`). */
function pendingName(step: string): string {
  return `${step}.pending`;
}

/** The repository root (the folder holding `tasks/` and `deno.json`). */
export function repositoryRoot(): string {
  return fromFileUrl(new URL("../../", import.meta.url)).replace(/\/$/, "");
}

async function pipeLines(stream: ReadableStream<Uint8Array>, log: (line: string) => void) {
  let rest = "";
  const decoder = new TextDecoder();
  for await (const bytes of stream) {
    const parts = (rest + decoder.decode(bytes, { stream: true })).split(/\r?\n|\r/);
    rest = parts.pop() ?? "";
    for (const p of parts) if (p.trim()) log(p);
  }
  if (rest.trim()) log(rest);
}

async function runStep(step: Step, command: string[], options: {
  root: string;
  output: StepOutput;
  log: (line: string) => void;
  signal?: AbortSignal;
}): Promise<number> {
  const stdio = options.output === "log" ? "piped" : options.output;
  const child = new Deno.Command(command[0], {
    args: command.slice(1),
    cwd: options.root,
    stdin: "null",
    stdout: stdio,
    stderr: stdio,
    env: { DENO_NO_UPDATE_CHECK: "1" },
    signal: options.signal,
  }).spawn();
  const pumps = options.output === "log"
    ? [pipeLines(child.stdout, options.log), pipeLines(child.stderr, options.log)]
    : [];
  const status = await child.status;
  await Promise.all(pumps);
  if (options.signal?.aborted) throw new Error(`Step ${step.name} was stopped`);
  return status.code;
}

/**
 * Decide whether a step is up to date, hashing input content only where a
 * file's time changed but not its size. Returns the verdict and, when fresh
 * but some input times moved, a stamp with the new times to save.
 */
async function judge(
  outDir: string,
  step: Step,
  recorded: Stamp | null,
  settingsHash: string,
  code: string,
): Promise<{ verdict: StampVerdict; refreshed: Stamp | null }> {
  const now = {
    settingsHash,
    codeHash: code,
    inputs: await observeFiles(outDir, step.inputs),
    missingOutputs: await missingFiles(outDir, step.outputs),
  };
  let verdict = checkStamp(recorded, now);
  if (verdict.status !== "needs-hash") return { verdict, refreshed: null };
  const hashed = new Set(verdict.paths);
  for (const f of now.inputs) {
    if (hashed.has(f.path)) f.sha256 = await sha256File(join(outDir, f.path));
  }
  verdict = checkStamp(recorded, now);
  if (verdict.status !== "fresh" || recorded === null) return { verdict, refreshed: null };
  const byPath = new Map(now.inputs.map((f) => [f.path, f]));
  const refreshed: Stamp = {
    ...recorded,
    inputs: recorded.inputs.map((f) => ({
      ...f,
      mtimeMs: byPath.get(f.path)?.mtimeMs ?? f.mtimeMs,
    })),
  };
  return { verdict, refreshed };
}

/**
 * Run the reproduction (or the steps in `targets` and what they need) into
 * `outDir`, skipping up-to-date steps. Resolves with a report of every step;
 * throws a {@linkcode StepFailedError} when a step fails, and a RangeError
 * for a bad profile, backend or step name before anything runs.
 *
 * @example
 * ```ts ignore
 * import { reproduce } from "./reproduce.ts";
 * const result = await reproduce({ profile: "smoke", targets: ["simulate"], output: "null" });
 * console.log(result.paths.data);
 * ```
 */
export async function reproduce(options: ReproduceOptions): Promise<ReproduceResult> {
  const root = options.root ?? repositoryRoot();
  const outDir = options.outDir === undefined
    ? join(root, "out", options.profile)
    : (isAbsolute(options.outDir) ? options.outDir : resolve(options.outDir));
  const all = planSteps({ ...options, outDir });
  let steps = options.targets ? selectSteps(all, options.targets) : all;
  if (options.targets && options.exactTargets) {
    steps = steps.filter((s) => options.targets!.includes(s.name));
  }
  const log = options.log ?? ((line: string) => console.error(line));
  const output = options.output ?? "inherit";
  if (!["inherit", "null", "log"].includes(output)) {
    throw new RangeError(`Unknown output "${output}": expected one of inherit, null, log`);
  }
  const result: ReproduceResult = {
    profile: options.profile,
    outDir,
    paths: {
      data: join(outDir, LAYOUT.data),
      runs: join(outDir, LAYOUT.runs),
      interpret: join(outDir, LAYOUT.interpret),
      figures: join(outDir, LAYOUT.figures),
      stamps: join(outDir, LAYOUT.stamps),
    },
    steps: [],
    seconds: 0,
  };
  const started = performance.now();
  if (!options.dryRun) await ensureWritableDir(outDir);
  const codeByTask = new Map<TaskName, string>();
  const pending = new Set<string>();

  for (const [i, step] of steps.entries()) {
    const script = join(root, "tasks", `${step.task}.ts`);
    const command = [Deno.execPath(), "run", "-A", script, ...step.args];
    const report: StepReport = {
      name: step.name,
      task: step.task,
      status: "skipped",
      reason: "",
      seconds: 0,
      lastSeconds: null,
      command,
    };
    result.steps.push(report);
    const head = `[${i + 1}/${steps.length}] ${step.name}`;
    if (!codeByTask.has(step.task)) {
      try {
        await Deno.stat(script);
      } catch {
        throw new Error(`Cannot run step ${step.name}: its task ${script} does not exist`);
      }
      codeByTask.set(step.task, await codeHash(script, { root }));
    }
    const code = codeByTask.get(step.task)!;
    const settingsHash = hashSettings(step.settings);
    const recorded = await readStamp(outDir, step.name);
    report.lastSeconds = recorded?.seconds ?? null;

    const upstream = step.dependsOn.filter((d) => pending.has(d));
    let reason: string;
    if (options.force) reason = "forced (--force)";
    else if (upstream.length > 0) reason = `after ${upstream.join(", ")}`;
    else {
      const { verdict, refreshed } = await judge(outDir, step, recorded, settingsHash, code);
      if (verdict.status === "fresh") {
        if (refreshed && !options.dryRun) await writeStamp(outDir, refreshed);
        report.reason = "up to date";
        log(`${head}: up to date, skipped`);
        continue;
      }
      reason = verdict.status === "stale" ? verdict.reason : "inputs changed";
    }
    // A step that resumes from its own checkpoints (training) resumes only an
    // interrupted attempt made with the same inputs, settings and code;
    // otherwise it is told to start afresh.
    let resume = false;
    if (step.freshArgs && !options.force && recorded === null) {
      const attempt = await readStamp(outDir, pendingName(step.name));
      if (attempt) {
        const { verdict } = await judge(
          outDir,
          { ...step, outputs: [] },
          attempt,
          settingsHash,
          code,
        );
        resume = verdict.status === "fresh";
        reason = resume
          ? "interrupted, resuming"
          : `interrupted, starting afresh (${
            verdict.status === "stale" ? verdict.reason : "inputs changed"
          } since)`;
      }
    }
    if (step.freshArgs && !resume) command.push(...step.freshArgs);
    report.reason = reason;
    if (options.dryRun) {
      report.status = "would-run";
      pending.add(step.name);
      log(`${head}: would run (${reason}): ${command.slice(1).join(" ")}`);
      continue;
    }

    log(`${head}: running (${reason})`);
    await removeStamp(outDir, step.name);
    const t0 = performance.now();
    const failWith = (message: string): never => {
      report.status = "failed";
      report.seconds = (performance.now() - t0) / 1000;
      for (const rest of steps.slice(i + 1)) {
        result.steps.push({
          name: rest.name,
          task: rest.task,
          status: "not-run",
          reason: `after ${step.name} failed`,
          seconds: 0,
          lastSeconds: null,
          command: [],
        });
      }
      result.seconds = (performance.now() - started) / 1000;
      throw new StepFailedError(message, result);
    };
    let inputs;
    try {
      inputs = await fingerprintFiles(outDir, step.inputs);
    } catch (e) {
      failWith(
        `Cannot run step ${step.name}: ${(e as Error).message}. Run the steps before it first.`,
      );
    }
    await writeStamp(outDir, {
      version: STAMP_VERSION,
      step: pendingName(step.name),
      settingsHash,
      codeHash: code,
      inputs: inputs!,
      finishedAt: "",
      seconds: 0,
    });
    const code_ = await runStep(step, command, { root, output, log, signal: options.signal })
      .catch((e) => failWith((e as Error).message));
    if (code_ !== 0) {
      failWith(
        `Step ${step.name} failed with exit code ${code_}: deno ${command.slice(1).join(" ")}`,
      );
    }
    const missing = await missingFiles(outDir, step.outputs);
    if (missing.length > 0) {
      failWith(
        `Step ${step.name} finished but did not write ${
          missing.map((m) => join(outDir, m)).join(", ")
        }`,
      );
    }
    report.status = "ran";
    report.seconds = (performance.now() - t0) / 1000;
    await writeStamp(outDir, {
      version: STAMP_VERSION,
      step: step.name,
      settingsHash,
      codeHash: code,
      inputs: inputs!,
      finishedAt: new Date().toISOString(),
      seconds: report.seconds,
    });
    await removeStamp(outDir, pendingName(step.name));
    log(`${head}: done in ${report.seconds.toFixed(1)} s`);
  }
  result.seconds = (performance.now() - started) / 1000;
  return result;
}
