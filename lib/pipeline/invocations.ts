/**
 * How the pipeline invokes each task: one typed request per task and one
 * table, {@linkcode TASK_INVOCATIONS}, that turns a request into the task's
 * command line. The step plan (steps.ts) builds requests, never flags; this
 * is the only file of lib/ that knows the tasks' flags, and
 * `tests/reproduce_test.ts` checks every flag it writes against the task's
 * own `--help` text, so the tasks stay their owners.
 *
 * @module
 */
import type { BackendName } from "../backend/mod.ts";
import type { NetworkKind, NoiseSetting, Profile } from "../types/mod.ts";

/** `deno task simulate`. */
export interface SimulateInvocation {
  profile: Profile;
  out: string;
  clusters?: number;
  seed?: number;
  noise?: NoiseSetting;
  /** Factors on tracers' noise rms, as `--noise-scale` takes them (e.g. `fxs=0,fxb=0`). */
  noiseScale?: string;
  /** `false` adds `--no-los`. */
  los: boolean;
  /** One shard `i/N` of the clusters (lib/dataset/shard.ts). */
  shard?: string;
}

/** `deno task merge`: shards into one dataset. */
export interface MergeInvocation {
  out: string;
  /** The shard folders, in order. */
  shards: string[];
}

/** `deno task train`. */
export interface TrainInvocation {
  data: string;
  tracer: NetworkKind;
  out: string;
  profile: Profile;
  backend?: BackendName;
  epochs?: number;
  workers?: number;
  /** K-fold cross-validation: fold `k/K`. */
  fold?: string;
  /** Seed of weights, shuffling and dropout (an ensemble member's). */
  seed?: number;
}

/** `deno task evaluate`. */
export interface EvaluateInvocation {
  runs: string;
  data: string;
  /** Run sets: K folds and M ensemble members (`evaluate --folds K --members M`). */
  folds?: number;
  members?: number;
}

/** `deno task realism`. */
export interface RealismInvocation {
  out: string;
  coreRingData: string;
  clusters: number | null;
  seed: number;
}

/** `deno task interpret`. */
export interface InterpretInvocation {
  data: string;
  runs: string;
  out: string;
  profile: Profile;
  backend?: BackendName;
}

/** `deno task figures`. */
export interface FiguresInvocation {
  data: string;
  runs: string;
  interpret: string;
  realism: string;
  out: string;
}

/** The request of each task the pipeline runs. */
export interface TaskInvocations {
  simulate: SimulateInvocation;
  merge: MergeInvocation;
  train: TrainInvocation;
  evaluate: EvaluateInvocation;
  realism: RealismInvocation;
  interpret: InterpretInvocation;
  figures: FiguresInvocation;
}

/** The `deno task`s the pipeline runs, each `tasks/<name>.ts`. */
export type TaskName = keyof TaskInvocations;

const opt = (flag: string, value: string | number | undefined | null): string[] =>
  value === undefined || value === null ? [] : [flag, String(value)];

/** Each task's command line (the arguments after `tasks/<task>.ts`) for a request. */
export const TASK_INVOCATIONS: { [T in TaskName]: (request: TaskInvocations[T]) => string[] } = {
  simulate: (r) => [
    "--profile",
    r.profile,
    "--out",
    r.out,
    ...opt("--clusters", r.clusters),
    ...opt("--seed", r.seed),
    ...opt("--noise", r.noise),
    ...opt("--noise-scale", r.noiseScale),
    ...(r.los ? [] : ["--no-los"]),
    ...opt("--shard", r.shard),
  ],
  merge: (r) => ["--out", r.out, ...r.shards],
  train: (r) => [
    "--data",
    r.data,
    "--tracer",
    r.tracer,
    "--out",
    r.out,
    "--profile",
    r.profile,
    ...opt("--backend", r.backend),
    ...opt("--epochs", r.epochs),
    ...opt("--workers", r.workers),
    ...opt("--fold", r.fold),
    ...opt("--seed", r.seed),
  ],
  evaluate: (r) => [
    "--runs",
    r.runs,
    "--data",
    r.data,
    ...opt("--folds", r.folds),
    ...opt("--members", r.members),
  ],
  realism: (r) => [
    "--out",
    r.out,
    "--core-ring-data",
    r.coreRingData,
    ...opt("--clusters", r.clusters),
    "--seed",
    String(r.seed),
  ],
  interpret: (r) => [
    "--data",
    r.data,
    "--runs",
    r.runs,
    "--out",
    r.out,
    "--profile",
    r.profile,
    ...opt("--backend", r.backend),
  ],
  figures: (r) => [
    "--data",
    r.data,
    "--runs",
    r.runs,
    "--interpret",
    r.interpret,
    "--realism",
    r.realism,
    "--out",
    r.out,
  ],
};

/** The command line of `task` for `request`. */
export function taskArgs<T extends TaskName>(task: T, request: TaskInvocations[T]): string[] {
  return TASK_INVOCATIONS[task](request);
}

/** The flag that makes a resuming task start afresh (train's checkpoints). */
export const FRESH_FLAG = "--fresh";
