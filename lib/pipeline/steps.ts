/**
 * The reproduction's step graph: simulate -> train x5 -> evaluate ->
 * interpret -> figures, each step a `deno task` run as a subprocess, with the
 * files it reads and writes declared so that up-to-date checks need no
 * knowledge of the steps' internals. Each step's command line comes from
 * the one table of task invocations (invocations.ts).
 *
 * Paths in a step's `inputs` and `outputs` are relative to the output
 * directory, so that a finished directory can be moved without invalidating
 * its stamps.
 *
 * @module
 */
import { join } from "node:path";
import type { BackendName } from "../backend/mod.ts";
import { getProfile, resolveSimulateSettings } from "../profiles/mod.ts";
import { runSetDir } from "../evaluate/run_sets.ts";
import {
  FRESH_FLAG,
  type SimulateInvocation,
  taskArgs,
  type TaskName,
  type TrainInvocation,
} from "./invocations.ts";
import { DATASET_FILES } from "../dataset/format.ts";
import {
  type NetworkKind,
  NETWORKS,
  type NoiseSetting,
  parseNoiseScale,
  type Tracer,
  TRACERS,
} from "../types/mod.ts";

/** One step of the pipeline. */
export interface Step {
  /** Unique name: `simulate`, `train-star` ... `train-multi`, `evaluate`, `interpret`, `figures`. */
  name: string;
  /** The task it runs (`tasks/<task>.ts`). */
  task: TaskName;
  /** Command-line arguments after `tasks/<task>.ts` (absolute paths). */
  args: string[];
  /**
   * What the outputs depend on besides the inputs and the code: recorded in
   * the stamp, so changing any of it re-runs the step. Holds no paths.
   */
  settings: Record<string, unknown>;
  /** Files the step reads, relative to the output directory. */
  inputs: string[];
  /** Files the step must leave behind, relative to the output directory. */
  outputs: string[];
  /** Names of steps that produce this step's inputs. */
  dependsOn: string[];
  /**
   * For a step that resumes from its own checkpoints: the arguments that make
   * it start afresh, added unless it resumes an interrupted attempt made with
   * the same inputs, settings and code.
   */
  freshArgs?: string[];
}

/** Options of {@linkcode planSteps}. */
export interface PlanOptions {
  /** `smoke`, `quick` or `paper`; anything else throws a RangeError. */
  profile: string;
  /** Output directory (absolute, or relative to the current directory). */
  outDir: string;
  /** Training/interpretation backend passed to train and interpret. Default: the tasks' own (`auto`). */
  backend?: BackendName;
  /** Worker processes for training (1 or 2). Default: the train task's own. */
  workers?: number;
  /** Override the profile's epochs (e.g. 1 for a notebook). Recorded in the stamps. */
  epochs?: number;
  /** Override the profile's number of clusters. Recorded in the stamps. */
  clusters?: number;
  /** Override the dataset seed. Recorded in the stamps. */
  seed?: number;
  /** Image noise: the paper's (default), a Planck-like tSZ map, or none. Recorded in the stamps. */
  noise?: NoiseSetting;
  /** Factors on tracers' noise rms, as `simulate --noise-scale` (e.g. `fxs=0,fxb=0`). Recorded in the stamps. */
  noiseScale?: string;
  /** Line-of-sight structure (default: the profile's, on). Recorded in the stamps. */
  los?: boolean;
  /**
   * Generate the dataset in this many shards (`simulate-shard-<i>` steps, then
   * `simulate` merges them; the dataset is byte-identical to one process's).
   * Default 1: one `simulate` step.
   */
  shards?: number;
  /**
   * K-fold cross-validation by cluster (K >= 3): train every network on each
   * fold too (`train-<net>-f<k>-m<j>` steps into `runs/folds/`), and add an
   * `evaluate-sets` step (Table 2 with the spread over folds). Default 1: none.
   */
  folds?: number;
  /**
   * Deep-ensemble members per fold (seeds: the profile's + j). With K = 1 the
   * plain runs are member 0 and `train-<net>-m<j>` steps train the others.
   * Default 1.
   */
  members?: number;
}

const BACKENDS: readonly BackendName[] = ["auto", "webgpu", "wasm", "cpu"];

/** The directories of a reproduction, relative to its output directory. */
export const LAYOUT = {
  data: "data",
  runs: "runs",
  interpret: "interpret",
  figures: "figures",
  realism: "realism",
  stamps: ".stamps",
  shards: "data-shards",
} as const;

/** Files of a dataset directory (shared data contract). */
export function datasetFiles(tracers: readonly Tracer[] = TRACERS): string[] {
  return [
    DATASET_FILES.catalog,
    ...tracers.map(DATASET_FILES.images),
    DATASET_FILES.galaxies,
    DATASET_FILES.manifest,
  ];
}

/**
 * Files of a training run directory (shared data contract): the step's
 * outputs, whose absence makes the step run again. `train` also writes
 * `input_summary.json` (lib/predict/input_summary.ts), which only `predict`
 * reads and rebuilds from the dataset when it is missing; a failure to write
 * it is a warning, so it is not a step output: runs trained before it existed
 * stay up to date and no step waits on it.
 */
export const RUN_FILES: readonly string[] = [
  "history.csv",
  "predictions.csv",
  "model.json",
  "weights.bin",
  "training.json",
];

/** Files the evaluate step writes into the runs directory. */
export const EVALUATE_FILES: readonly string[] = ["table2.json", "table2.md", "bias_bins.json"];

/** Files the realism step writes. */
export const REALISM_FILES: readonly string[] = [
  "realism.json",
  "realism.vl.json",
  "realism.svg",
  "realism.png",
];

/** Files the interpret step writes per tracer. */
export const INTERPRET_FILES: readonly string[] = [
  "images.npy",
  "deepdream.npy",
  "mask.npy",
  "selection.json",
];

/**
 * Files the figures step must leave behind: the gallery page and index, the
 * spec of each of the paper's figures 1-11 and of Table 2.
 */
export const FIGURE_FILES: readonly string[] = [
  "gallery.json",
  "index.html",
  ...Array.from({ length: 11 }, (_, i) => `fig${String(i + 1).padStart(2, "0")}.vl.json`),
  "table2.vl.json",
];

function positiveInteger(name: string, value: number | undefined): void {
  if (value === undefined) return;
  if (!Number.isInteger(value) || value <= 0) {
    throw new RangeError(
      `Cannot plan the reproduction: ${name} must be a positive integer, got ${value}`,
    );
  }
}

/**
 * The steps of a reproduction in run order. Pure: touches no files.
 *
 * @example
 * ```ts
 * import { planSteps } from "./steps.ts";
 * const steps = planSteps({ profile: "smoke", outDir: "/tmp/out" });
 * if (steps.length !== 10) throw new Error("simulate, 5 x train, evaluate, realism, interpret, figures");
 * ```
 */
export function planSteps(options: PlanOptions): Step[] {
  const profile = getProfile(options.profile);
  if (!options.outDir) {
    throw new RangeError("Cannot plan the reproduction: outDir must not be empty");
  }
  if (options.backend !== undefined && !BACKENDS.includes(options.backend)) {
    throw new RangeError(
      `Unknown backend "${options.backend}": expected one of ${BACKENDS.join(", ")}`,
    );
  }
  if (options.workers !== undefined && options.workers !== 1 && options.workers !== 2) {
    throw new RangeError(
      `Cannot plan the reproduction: workers must be 1 or 2, got ${options.workers}`,
    );
  }
  positiveInteger("epochs", options.epochs);
  positiveInteger("clusters", options.clusters);
  positiveInteger("shards", options.shards);
  positiveInteger("members", options.members);
  positiveInteger("folds", options.folds);
  if (options.folds !== undefined && options.folds === 2) {
    throw new RangeError(
      "Cannot plan the reproduction: K-fold needs folds >= 3 (a test, a validation and a " +
        "training fold), got 2",
    );
  }
  if (options.seed !== undefined && !Number.isInteger(options.seed)) {
    throw new RangeError(
      `Cannot plan the reproduction: seed must be an integer, got ${options.seed}`,
    );
  }
  const out = options.outDir;
  const abs = (rel: string) => join(out, rel);
  const { data, runs, interpret, figures, realism } = LAYOUT;

  const sim = resolveSimulateSettings({
    profile: profile.name,
    clusters: options.clusters,
    seed: options.seed,
    los: options.los,
    noise: options.noise,
  });
  if (options.noiseScale !== undefined) parseNoiseScale(options.noiseScale);
  const los = sim.los;
  const simRequest: SimulateInvocation = {
    profile: profile.name,
    out: abs(data),
    clusters: options.clusters,
    seed: options.seed,
    noise: options.noise === undefined ? undefined : sim.noise,
    noiseScale: options.noiseScale,
    los,
  };
  const simulate: Step = {
    name: "simulate",
    task: "simulate",
    args: taskArgs("simulate", simRequest),
    settings: {
      profile: profile.name,
      simulate: profile.simulate,
      clusters: options.clusters ?? null,
      seed: options.seed ?? null,
      noise: options.noise ?? "paper",
      ...(options.noiseScale !== undefined ? { noiseScale: options.noiseScale } : {}),
      los,
    },
    inputs: [],
    outputs: datasetFiles().map((f) => join(data, f)),
    dependsOn: [],
  };
  const shardSteps = shardedSimulate(simulate, simRequest, options.shards ?? 1, abs);

  const trainRequests = new Map<string, TrainInvocation>();
  const train: Step[] = NETWORKS.map((net: NetworkKind) => {
    const request: TrainInvocation = {
      data: abs(data),
      tracer: net,
      out: abs(join(runs, net)),
      profile: profile.name,
      backend: options.backend,
      epochs: options.epochs,
      workers: options.workers,
    };
    trainRequests.set(`train-${net}`, request);
    const args = taskArgs("train", request);
    const tracers = net === "multi" ? TRACERS : [net];
    return {
      name: `train-${net}`,
      task: "train",
      args,
      // Backend and workers change speed, not results (beyond float rounding),
      // so they are not part of the settings: switching them re-uses a model.
      settings: {
        profile: profile.name,
        tracer: net,
        train: profile.train,
        epochs: options.epochs ?? null,
      },
      inputs: [DATASET_FILES.catalog, ...tracers.map(DATASET_FILES.images), DATASET_FILES.manifest]
        .map((f) => join(data, f)),
      outputs: RUN_FILES.map((f) => join(runs, net, f)),
      dependsOn: ["simulate"],
      freshArgs: [FRESH_FLAG],
    };
  });

  const predictions = NETWORKS.map((net) => join(runs, net, "predictions.csv"));
  const evaluate: Step = {
    name: "evaluate",
    task: "evaluate",
    args: taskArgs("evaluate", { runs: abs(runs), data: abs(data) }),
    settings: { baselines: true },
    inputs: [
      ...predictions,
      join(data, DATASET_FILES.catalog),
      ...TRACERS.map((t) => join(data, DATASET_FILES.images(t))),
    ],
    outputs: EVALUATE_FILES.map((f) => join(runs, f)),
    dependsOn: train.map((s) => s.name),
  };

  // The mock's scaling relations beside the published ones (docs/mock-universe.md), on the
  // same clusters and seed, and the paper's core/ring test on this run's own test images.
  const realismClusters = sim.clusters;
  const realismStep: Step = {
    name: "realism",
    task: "realism",
    args: taskArgs("realism", {
      out: abs(realism),
      coreRingData: abs(data),
      clusters: realismClusters,
      seed: sim.seed,
    }),
    settings: { clusters: realismClusters, seed: sim.seed },
    inputs: [DATASET_FILES.catalog, ...TRACERS.map(DATASET_FILES.images)].map((f) => join(data, f)),
    outputs: REALISM_FILES.map((f) => join(realism, f)),
    dependsOn: ["simulate"],
  };

  const interpretStep: Step = {
    name: "interpret",
    task: "interpret",
    args: taskArgs("interpret", {
      data: abs(data),
      runs: abs(runs),
      out: abs(interpret),
      profile: profile.name,
      backend: options.backend,
    }),
    settings: { profile: profile.name, interpret: profile.interpret },
    inputs: [
      ...datasetFiles().map((f) => join(data, f)),
      ...TRACERS.flatMap((t) =>
        ["model.json", "weights.bin", "training.json"].map((f) => join(runs, t, f))
      ),
    ],
    outputs: [
      ...TRACERS.flatMap((t) => INTERPRET_FILES.map((f) => join(interpret, t, f))),
      join(interpret, "correlations.json"),
    ],
    dependsOn: TRACERS.map((t) => `train-${t}`),
  };

  const figuresStep: Step = {
    name: "figures",
    task: "figures",
    args: taskArgs("figures", {
      data: abs(data),
      runs: abs(runs),
      interpret: abs(interpret),
      realism: abs(join(realism, "realism.json")),
      out: abs(figures),
    }),
    settings: {},
    inputs: datasetFiles().map((f) => join(data, f))
      .concat(
        NETWORKS.flatMap((n) =>
          ["history.csv", "predictions.csv", "model.json"].map((f) => join(runs, n, f))
        ),
      )
      .concat(EVALUATE_FILES.map((f) => join(runs, f)))
      .concat(join(realism, "realism.json"))
      .concat(interpretStep.outputs),
    outputs: FIGURE_FILES.map((f) => join(figures, f)),
    dependsOn: ["simulate", ...train.map((s) => s.name), "evaluate", "realism", "interpret"],
  };

  const sets = runSetSteps(
    train,
    trainRequests,
    profile.train.seed,
    options.folds ?? 1,
    options.members ?? 1,
    abs,
  );
  return [
    ...shardSteps,
    simulate,
    ...train,
    ...sets,
    evaluate,
    realismStep,
    interpretStep,
    figuresStep,
  ];
}

/**
 * The extra training steps of K-fold cross-validation and deep ensembles
 * (`runSetDir` layout) and their `evaluate-sets` step; none for K = M = 1.
 */
function runSetSteps(
  train: Step[],
  trainRequests: ReadonlyMap<string, TrainInvocation>,
  baseSeed: number,
  folds: number,
  members: number,
  abs: (rel: string) => string,
): Step[] {
  if (folds <= 1 && members <= 1) return [];
  const foldList = folds > 1 ? Array.from({ length: folds }, (_, k) => k) : [null];
  const extra: Step[] = [];
  for (const base of train) {
    const net = base.settings.tracer as string;
    const request = trainRequests.get(base.name)!;
    for (const k of foldList) {
      for (let j = 0; j < members; j++) {
        if (k === null && j === 0) continue; // the plain run
        const dir = join(LAYOUT.runs, runSetDir(net, k, j));
        const args = taskArgs("train", {
          ...request,
          out: abs(dir),
          fold: k === null ? undefined : `${k}/${folds}`,
          seed: j > 0 ? baseSeed + j : undefined,
        });
        extra.push({
          ...base,
          name: `${base.name}${k === null ? "" : `-f${k}`}-m${j}`,
          args,
          settings: { ...base.settings, fold: k === null ? null : [k, folds], member: j },
          outputs: RUN_FILES.map((f) => join(dir, f)),
        });
      }
    }
  }
  const preds = [...train, ...extra]
    .filter((s) => folds <= 1 || extra.includes(s))
    .map((s) => s.outputs.find((o) => o.endsWith("predictions.csv"))!);
  const data = LAYOUT.data;
  const evaluateSets: Step = {
    name: "evaluate-sets",
    task: "evaluate",
    args: taskArgs("evaluate", { runs: abs(LAYOUT.runs), data: abs(data), folds, members }),
    settings: { folds, members },
    inputs: [...preds, join(data, DATASET_FILES.catalog), join(data, DATASET_FILES.manifest)],
    outputs: ["table2_sets.json", "table2_sets.md"].map((f) => join(LAYOUT.runs, f)),
    dependsOn: [...train, ...extra].filter((s) => folds <= 1 || extra.includes(s)).map((s) =>
      s.name
    ),
  };
  return [...extra, evaluateSets];
}

/**
 * With `shards` > 1, turn `simulate` into `simulate-shard-<i>` steps (each
 * `simulate --shard i/N` into `data-shards/<i>`) and make `simulate` itself
 * the `merge` of them, in place; returns the shard steps (none for 1 shard).
 */
function shardedSimulate(
  simulate: Step,
  request: SimulateInvocation,
  shards: number,
  abs: (rel: string) => string,
): Step[] {
  if (shards <= 1) return [];
  const dirs = Array.from({ length: shards }, (_, i) => join(LAYOUT.shards, String(i)));
  const steps = dirs.map((dir, i): Step => {
    const args = taskArgs("simulate", { ...request, out: abs(dir), shard: `${i}/${shards}` });
    return {
      name: `simulate-shard-${i}`,
      task: "simulate",
      args,
      settings: { ...simulate.settings, shard: [i, shards] },
      inputs: [],
      outputs: datasetFiles().map((f) => join(dir, f)),
      dependsOn: [],
    };
  });
  simulate.task = "merge";
  simulate.args = taskArgs("merge", { out: abs(LAYOUT.data), shards: dirs.map(abs) });
  simulate.settings = { ...simulate.settings, shards };
  simulate.inputs = steps.flatMap((s) => s.outputs);
  simulate.dependsOn = steps.map((s) => s.name);
  return steps;
}

/**
 * The steps needed for `targets` (names of steps) and everything they depend
 * on, in run order. An unknown name throws a RangeError listing the valid ones.
 */
export function selectSteps(steps: readonly Step[], targets: readonly string[]): Step[] {
  const byName = new Map(steps.map((s) => [s.name, s]));
  const wanted = new Set<string>();
  const visit = (name: string) => {
    const step = byName.get(name);
    if (!step) {
      throw new RangeError(
        `Unknown step "${name}": expected one of ${steps.map((s) => s.name).join(", ")}`,
      );
    }
    if (wanted.has(name)) return;
    wanted.add(name);
    step.dependsOn.forEach(visit);
  };
  targets.forEach(visit);
  return steps.filter((s) => wanted.has(s.name));
}
