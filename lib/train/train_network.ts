/**
 * The training loop of Yan et al. (2020, §2.4): MSLE loss on M200 (eq. 11),
 * RMSprop with learning rate 0.01 and Keras-style decay 1e-4 per step, batches
 * of 50 shuffled every epoch, validation loss every epoch, and the weights of
 * the epoch with the lowest validation loss kept as the final model.
 *
 * A run directory receives `history.csv`, `model.json` + `weights.bin` (best
 * weights, rewritten whenever the validation loss improves), `predictions.csv`
 * (test split, best weights) and `training.json`, plus `checkpoint.bin` after
 * every epoch so that the same command, run again after a crash, resumes at
 * the next epoch.
 *
 * Learning-rate schedule and early stopping (lib/train/schedule.ts): the
 * learning rate of update t is lr * f(t) / (1 + decay * t). With
 * `schedule: { name: "none" }` (the default and the `paper` profile) f = 1 and
 * this is the paper's RMSprop exactly. `warmup-cosine` ramps f linearly from
 * 1/W to 1 over the first W = warmupEpochs * stepsPerEpoch updates, then
 * follows a cosine down to `floor` at the last update of the run (the `quick`
 * and `smoke` profiles). `earlyStopping: { patience, minDelta }` ends training
 * after `patience` epochs whose validation loss is not below the best by more
 * than `minDelta` (Keras 2's EarlyStopping; patience 0, the default, is off).
 * The resolved schedule (W, T, floor) is stored in the checkpoint so that a
 * resumed run continues the same curve, and stopping is decided from the
 * validation history alone so that a resumed run stops where an uninterrupted
 * one would. `history.csv` gives the learning rate after each epoch (`lr`)
 * and the epochs since the last improvement (`epochs_without_improvement`);
 * `training.json` records the schedule, the early-stopping settings and the
 * epoch at which training stopped. `val_bias` is the validation split's mean
 * ln M_pred - ln M_true, so val_loss - val_bias^2 is the part that is scatter.
 *
 * Augmentation (`augment: true`; the `quick` and `smoke` profiles, not the
 * paper): at every step each training image is turned by one of the 8
 * symmetries of the square about the cluster centre (quarter turns, mirrors),
 * drawn from the step's seed and the image's index, like the dropout masks,
 * so that any number of workers turns a batch the same way.
 *
 * Data parallelism and reproducibility: each batch is cut into
 * `gradientShards` (default: the machine's cores rounded up to a power of
 * two, 2 to 16) contiguous shards; workers take runs of shards
 * and the shards' gradients are added in a fixed pairwise tree, and dropout
 * masks are drawn per training image from the step's seed. The number of
 * workers therefore changes no sum and no mask: on the WASM backend 1, 2 or
 * 8 workers give the same weights to the bit (lib/train/parallel_test.ts).
 * This matters more than it seems: RMSprop divides each gradient by its own
 * running RMS, so rounding-level differences in near-zero gradients become
 * full-size updates, and runs that differ only in the order of their sums
 * drift apart within a few steps (measured before the shard tree: 18 per
 * cent apart in loss after 3 epochs).
 *
 * Behaviour to expect with the paper's optimizer: RMSprop's squared-gradient
 * average starts at zero, so its first update moves every weight by about
 * lr / sqrt(1 - rho) = 0.03 in the direction of its gradient. In the 14,400
 * (57,600 multichannel) input first dense layer these moves add up, and the
 * untrained network's output (log10 M - 14) jumps to values of order 10^3:
 * the first epoch's training loss is 10^5 - 10^8. The network recovers within
 * one or two epochs and the best-validation-loss selection never picks those
 * weights; Keras 2 does the same (its MSLE clips negative predictions, ours
 * has a linear log-mass output).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { join, resolve } from "node:path";
import { channelsOf, type LoadedDataset } from "../dataset/load_dataset.ts";
import { writePredictions } from "../evaluate/predictions.ts";
import {
  ensureWritableDir,
  formatCsv,
  ProgressBar,
  writeFileAtomic,
  writeJsonAtomic,
} from "../io/mod.ts";
import {
  DEFAULT_DROPOUT,
  massToTarget,
  MODEL_OUTPUT,
  type ModelOptions,
  outputToMassMsun,
} from "../model/mod.ts";
import { Rng } from "../random/mod.ts";
import type { NetworkKind, Split } from "../types/mod.ts";
import { type Checkpoint, readCheckpoint, writeCheckpoint } from "./_checkpoint.ts";
import {
  checkShardCount,
  type Engine,
  LocalEngine,
  localRunner,
  ParallelEngine,
} from "./_engine.ts";
import { MSLE_PER_SQUARED_LOG10, type SplitArrays } from "./_runner.ts";
import { KerasRmsprop } from "./rmsprop.ts";
import {
  checkEarlyStopping,
  type EarlyStopping,
  earlyStoppingEpoch,
  earlyStoppingTrace,
  type LrSchedule,
  type LrScheduleSettings,
  resolveLrSchedule,
} from "./schedule.ts";
import { type InputScaling, makeInputScaler, scalePixels } from "./scaling.ts";
import { saveModel } from "./trained_model.ts";

/**
 * Gradient shards per batch when not told otherwise: the machine's core count
 * rounded up to a power of two, from 2 to 16 (`cores`: default
 * `navigator.hardwareConcurrency`). It depends on the machine, not on the
 * number of workers, so on one machine the same seed gives the same weights
 * to the bit with any number of workers; `gradientShards` fixes it instead
 * (for the same weights on machines with other core counts, which also need
 * the same CPU kind: oneDNN's kernels differ by instruction set). Each shard
 * costs a pass of its own (about 12 ms of fixed cost per pass here, e.g. the
 * dense layers' full-size weight gradients), so no more are cut than there
 * are cores to share them: on this toolkit's 2-core VM 2 shards train 1.3x as
 * fast as 8 (one worker's pass of 25 images: 4.0 ms per image, 6: 5.1 ms).
 */
export function defaultGradientShards(cores: number = navigator.hardwareConcurrency ?? 2): number {
  const c = Math.min(16, Math.max(2, Math.floor(cores) || 2));
  return 2 ** Math.ceil(Math.log2(c));
}

/** Columns of `history.csv`. */
export const HISTORY_COLUMNS = [
  "epoch",
  "loss",
  "val_loss",
  "lr",
  "seconds",
  "images_per_s",
  "epochs_without_improvement",
  "val_bias",
] as const;

/** One row of `history.csv`. */
export interface HistoryRow {
  /** Epoch, 1-based. */
  epoch: number;
  /** Mean training loss (MSLE of eq. 11, natural log) over the epoch's batches, with dropout. */
  loss: number;
  /** Validation loss (MSLE, natural log) after the epoch, inference mode. */
  val_loss: number;
  /** Learning rate the next update uses, lr * f(iterations) / (1 + decay * iterations). */
  lr: number;
  /** Wall-clock seconds of the epoch (training and validation). */
  seconds: number;
  /** Training images per second (training steps only). */
  images_per_s: number;
  /**
   * Epochs since the validation loss last improved by more than the early
   * stopping's minDelta (Keras' `wait`; 0 at an improvement).
   */
  epochs_without_improvement: number;
  /**
   * Mean of ln M_pred - ln M_true over the validation split after the epoch:
   * the part of val_loss that is an offset (val_loss = val_bias^2 + variance).
   */
  val_bias: number;
}

/** Options of {@linkcode trainNetwork}. */
export interface TrainOptions {
  /** Run directory (created; an existing checkpoint there is resumed). */
  outDir: string;
  /** Total epochs to train (paper: 1000). */
  epochs: number;
  /** Images per batch (paper: 50). Default 50. */
  batchSize?: number;
  /** RMSprop learning rate (paper: 0.01). Default 0.01. */
  learningRate?: number;
  /** Keras-style decay per update (paper: 1e-4). Default 1e-4. */
  decay?: number;
  /** Learning-rate schedule on top of the decay (module docs). Default `{ name: "none" }`. */
  schedule?: LrScheduleSettings;
  /** Early stopping on the validation loss. Default `{ patience: 0 }` (off). */
  earlyStopping?: EarlyStopping;
  /**
   * Turn each training image, at each step, by a random one of the 8
   * symmetries of the square (rotations by quarter turns and mirrors about
   * the cluster centre); the paper does not. Default false.
   */
  augment?: boolean;
  /** Seed of weights, shuffling and dropout. Default 1. */
  seed?: number;
  /** Factor on the input softening scale (lib/train/scaling.ts). Default 1 (the noise rms). */
  inputSoftening?: number;
  /** Dropout fraction between dense layers. Default lib/model's DEFAULT_DROPOUT (0.2). */
  dropout?: number;
  /**
   * 1: train in this process on the active tfjs backend (call setupBackend
   * first). >= 2: data parallel over that many Deno workers, each with its
   * own single-threaded WASM backend. On WASM the result is the same to the
   * bit for any number of workers (module docs). At most `gradientShards`
   * workers are started. Default 1.
   */
  workers?: number;
  /**
   * Shards per batch, a power of two: the batch's gradient is summed over
   * this many fixed pieces in a fixed tree, which makes the result
   * independent of the number of workers, and caps the workers that can
   * share a batch. 1 computes each batch in one piece (best on a GPU).
   * Default {@linkcode defaultGradientShards}: this machine's cores rounded
   * up to a power of two (2 to 16).
   */
  gradientShards?: number;
  /** Resume from `outDir/checkpoint.bin` when present. Default true. */
  resume?: boolean;
  /** Hide the progress bar. Default false. */
  silent?: boolean;
  /** Backend description recorded in training.json. Default: tf.getBackend() or "wasm workers". */
  backendLabel?: string;
  /** Called after every epoch (after the checkpoint is written). */
  onEpoch?: (row: HistoryRow, info: { numTensors: number[] }) => void | Promise<void>;
}

/** What {@linkcode trainNetwork} returns. */
export interface TrainResult {
  outDir: string;
  kind: NetworkKind;
  history: HistoryRow[];
  bestEpoch: number;
  bestValLoss: number;
  /** First epoch trained by this call (1 for a fresh run, > 1 when resumed). */
  startEpoch: number;
  /** Epoch after which early stopping ended training; `null` when it ran all epochs. */
  stoppedEpoch: number | null;
  scaling: InputScaling;
  /** Test-split predictions with the best weights. */
  predictions: {
    image: Int32Array;
    cluster: Int32Array;
    mTrueMsun: Float64Array;
    mPredMsun: Float64Array;
  };
}

const SPLITS: readonly Split[] = ["train", "val", "test"];

function scaleSplits(ds: LoadedDataset, scaling: InputScaling): Record<Split, SplitArrays> {
  const out = {} as Record<Split, SplitArrays>;
  for (const s of SPLITS) {
    const src = ds.splits[s];
    out[s] = {
      n: src.n,
      images: src.images.map((img, c) =>
        scalePixels(
          img,
          scaling.channels[c],
          new Float32Array(new SharedArrayBuffer(img.length * 4)),
        )
      ),
      targets: massToTarget(src.m200Msun),
    };
  }
  return out;
}

/**
 * Fingerprint entries that checkpoints made before the setting existed lack,
 * with the value those runs had (no schedule, no augmentation).
 */
const FINGERPRINT_DEFAULTS: Record<string, unknown> = {
  lrSchedule: JSON.stringify({ name: "none" }),
  augment: false,
  inputSoftening: 1,
};

/** Mean of ln M_pred - ln M_true (outputs and targets in log10 M - 14). */
function meanLnResidual(outputs: Float32Array, targets: Float32Array): number {
  let s = 0;
  for (let i = 0; i < outputs.length; i++) s += outputs[i] - targets[i];
  return (Math.LN10 * s) / outputs.length;
}

function msle(outputs: Float32Array, targets: Float32Array): number {
  let s = 0;
  for (let i = 0; i < outputs.length; i++) s += (outputs[i] - targets[i]) ** 2;
  return (MSLE_PER_SQUARED_LOG10 * s) / outputs.length;
}

/**
 * A 32-bit FNV-1a hash of the labels of every split and of a strided sample
 * of the raw pixels, so that a checkpoint is not resumed on different data.
 */
function dataChecksum(ds: LoadedDataset): string {
  let h = 0x811c9dc5;
  const mix = (a: Float32Array, stride: number) => {
    const u = new Uint32Array(a.buffer, a.byteOffset, a.length);
    for (let i = 0; i < u.length; i += stride) h = Math.imul(h ^ u[i], 16777619) >>> 0;
  };
  for (const s of SPLITS) {
    mix(Float32Array.from(ds.splits[s].m200Msun), 1);
    for (const img of ds.splits[s].images) mix(img, 97);
  }
  return h.toString(16).padStart(8, "0");
}

/**
 * Train the network for `dataset.kind` on a dataset read by `loadDataset`,
 * writing the run directory described in the module docs. Resumes from a
 * checkpoint in `outDir` made with the same data and settings.
 */
export async function trainNetwork(
  dataset: LoadedDataset,
  options: TrainOptions,
): Promise<TrainResult> {
  const kind = dataset.kind;
  const outDir = options.outDir;
  const epochs = options.epochs;
  const batchSize = options.batchSize ?? 50;
  const learningRate = options.learningRate ?? 0.01;
  const decay = options.decay ?? 1e-4;
  const seed = options.seed ?? 1;
  const dropout = options.dropout ?? DEFAULT_DROPOUT;
  const gradientShards = checkShardCount(options.gradientShards ?? defaultGradientShards());
  const workersAsked = options.workers ?? 1;
  const scheduleSettings: LrScheduleSettings = options.schedule ?? { name: "none" };
  const earlyStopping = checkEarlyStopping(options.earlyStopping ?? { patience: 0 });
  const minDelta = earlyStopping.minDelta ?? 0;
  const augment = options.augment ?? false;
  const inputSoftening = options.inputSoftening ?? 1;
  if (!Number.isInteger(epochs) || epochs < 1) {
    throw new RangeError(`Cannot train: epochs must be an integer >= 1, got ${epochs}`);
  }
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`Cannot train: batchSize must be an integer >= 1, got ${batchSize}`);
  }
  if (!Number.isInteger(workersAsked) || workersAsked < 1) {
    throw new RangeError(`Cannot train: workers must be an integer >= 1, got ${workersAsked}`);
  }
  const workers = Math.min(workersAsked, gradientShards);
  if (dataset.channels.join() !== channelsOf(kind).join()) {
    throw new TypeError(
      `Cannot train: dataset channels ${dataset.channels} do not match network ${kind}`,
    );
  }
  await ensureWritableDir(outDir);
  const ckPath = join(outDir, "checkpoint.bin");
  const modelOptions: ModelOptions = { seed, dropout };
  const fingerprint = {
    network: kind,
    dataDir: resolve(dataset.dir),
    nTrain: dataset.splits.train.n,
    nVal: dataset.splits.val.n,
    nTest: dataset.splits.test.n,
    batchSize,
    learningRate,
    decay,
    lrSchedule: JSON.stringify(scheduleSettings),
    seed,
    dropout,
    augment,
    inputSoftening,
    dataChecksum: dataChecksum(dataset),
  };
  const nTrain = dataset.splits.train.n;
  const stepsPerEpoch = Math.ceil(nTrain / batchSize);
  // Checked before anything is read or written.
  let schedule: LrSchedule = resolveLrSchedule(scheduleSettings, { epochs, stepsPerEpoch });

  let ck: Checkpoint | null = options.resume === false ? null : await readCheckpoint(ckPath);
  if (ck) {
    for (const [k, v] of Object.entries(fingerprint)) {
      if (k === "dataDir") continue; // the same data may be moved
      const was = ck.meta.fingerprint[k] ?? FINGERPRINT_DEFAULTS[k];
      if (was !== v) {
        throw new RangeError(
          `Cannot resume ${ckPath}: it was made with ${k} = ${was}, ` +
            `this run has ${v}. Use another --out directory, or start afresh ` +
            `(--fresh, or resume: false, or delete ${ckPath}).`,
        );
      }
    }
  }
  const scaling = (ck?.meta.scaling as InputScaling | undefined) ??
    makeInputScaler(dataset.splits.train.images, {
      channels: dataset.channels,
      softeningFactor: inputSoftening,
    });
  const splits = scaleSplits(dataset, scaling);

  // The main thread always holds a model: the local engine's, or one for saving.
  const mainRunner = localRunner(kind, modelOptions);
  let params: Float32Array = await mainRunner.getParams();
  // A resumed run keeps the schedule it started with (its T), even when more
  // epochs are asked for now; updates past T use the floor.
  if (ck?.meta.lrSchedule) schedule = ck.meta.lrSchedule as LrSchedule;
  const opt = new KerasRmsprop(params.length, { learningRate, decay, schedule });
  let bestParams: Float32Array = params.slice();
  let bestValLoss = Infinity;
  let bestEpoch = 0;
  let history: HistoryRow[] = [];
  let startEpoch = 1;
  if (ck) {
    if (ck.meta.nParams !== params.length) {
      throw new RangeError(
        `Cannot resume ${ckPath}: it holds ${ck.meta.nParams} weights, the model has ${params.length}`,
      );
    }
    params = ck.params;
    opt.setState({ iterations: ck.meta.iterations, meanSquare: ck.meanSquare });
    bestParams = ck.bestParams;
    bestValLoss = ck.meta.bestValLoss;
    bestEpoch = ck.meta.bestEpoch;
    // Checkpoints from before val_bias existed: NaN, "not recorded".
    history = (ck.meta.history as unknown as Omit<HistoryRow, "val_bias">[]).map((r) => ({
      val_bias: NaN,
      ...r,
    }));
    startEpoch = ck.meta.epochsCompleted + 1;
  }
  ck = null;

  const engine: Engine = workers === 1
    ? new LocalEngine(mainRunner, splits, gradientShards)
    : await ParallelEngine.start(workers, kind, modelOptions, splits, gradientShards);
  if (engine.shared) {
    // The workers update the weights and RMSprop's average where they live.
    engine.shared.params.set(params);
    params = engine.shared.params;
    opt.adoptMeanSquare(engine.shared.meanSquare);
  }
  const backendLabel = options.backendLabel ??
    (workers === 1 ? tf.getBackend() : `wasm (${workers} workers, single-threaded each)`);
  const bar = new ProgressBar({
    label: `train ${kind}`,
    total: Math.max(0, epochs - startEpoch + 1) * nTrain,
    unit: "img",
    silent: options.silent ?? false,
  });
  const rootRng = new Rng(seed);
  const valLosses = () => history.map((r) => r.val_loss);
  let stoppedEpoch = earlyStoppingEpoch(valLosses(), earlyStopping);
  try {
    for (let epoch = startEpoch; epoch <= epochs && stoppedEpoch === null; epoch++) {
      const t0 = performance.now();
      const order = Int32Array.from(rootRng.fork(epoch).shuffle([...Array(nTrain).keys()]));
      let lossSum = 0;
      for (let s = 0; s < stepsPerEpoch; s++) {
        const idx = order.subarray(s * batchSize, Math.min(nTrain, (s + 1) * batchSize));
        const stepSeed = (rootRng.fork(epoch).fork(s + 1).nextUint32() & 0x3fffffff) + 1;
        lossSum += await engine.step(params, opt, idx, stepSeed, augment);
        const done = (epoch - startEpoch) * nTrain + Math.min(nTrain, (s + 1) * batchSize);
        const last = history[history.length - 1];
        bar.update(
          done,
          `epoch ${epoch}/${epochs} loss ${
            (lossSum / Math.min(nTrain, (s + 1) * batchSize)).toFixed(4)
          }` +
            (last ? ` val ${last.val_loss.toFixed(4)}` : ""),
        );
      }
      const tTrain = performance.now();
      const valOut = await engine.predict(params, "val");
      const valLoss = msle(valOut, splits.val.targets);
      const t1 = performance.now();
      const row: HistoryRow = {
        epoch,
        loss: lossSum / nTrain,
        val_loss: valLoss,
        lr: opt.currentLearningRate(),
        seconds: (t1 - t0) / 1000,
        images_per_s: nTrain / ((tTrain - t0) / 1000),
        epochs_without_improvement: 0,
        val_bias: meanLnResidual(valOut, splits.val.targets),
      };
      if (!Number.isFinite(row.loss) || !Number.isFinite(valLoss)) {
        throw new RangeError(
          `Training diverged at epoch ${epoch} (loss ${row.loss}, val_loss ${valLoss}); ` +
            `try a smaller learning rate`,
        );
      }
      history.push(row);
      const trace = earlyStoppingTrace(valLosses(), earlyStopping);
      row.epochs_without_improvement = trace.wait[trace.wait.length - 1];
      stoppedEpoch = trace.stoppedEpoch;
      if (valLoss < bestValLoss) {
        bestValLoss = valLoss;
        bestEpoch = epoch;
        bestParams = params.slice();
        mainRunner.setParams(bestParams);
        await saveModel(mainRunner.model, {
          dir: outDir,
          metadata: { kind, inputScaling: scaling, modelOutput: MODEL_OUTPUT, epoch, valLoss },
        });
      }
      await writeCheckpoint(ckPath, {
        meta: {
          version: 1,
          epochsCompleted: epoch,
          iterations: opt.iterations,
          bestEpoch,
          bestValLoss,
          nParams: params.length,
          fingerprint,
          history: history as unknown as Record<string, number>[],
          scaling,
          lrSchedule: schedule,
        },
        params,
        meanSquare: opt.meanSquare,
        bestParams,
      });
      await writeFileAtomic(
        join(outDir, "history.csv"),
        formatCsv(history as unknown as Record<string, number>[], [...HISTORY_COLUMNS]),
      );
      if (options.onEpoch) await options.onEpoch(row, { numTensors: await engine.numTensors() });
    }
    bar.done(
      `best epoch ${bestEpoch}, val_loss ${bestValLoss.toFixed(4)}` +
        (stoppedEpoch !== null
          ? `; early stopping after epoch ${stoppedEpoch} (${earlyStopping.patience} epochs ` +
            `without an improvement > ${minDelta})`
          : ""),
    );

    // Final outputs with the best weights (also when nothing was left to train).
    mainRunner.setParams(bestParams);
    const testOut = await engine.predict(bestParams, "test");
    const test = dataset.splits.test;
    const mPred = outputToMassMsun(testOut);
    await writePredictions(join(outDir, "predictions.csv"), {
      image: test.image,
      cluster: test.cluster,
      mTrueMsun: test.m200Msun,
      mPredMsun: mPred,
    });
    if (bestEpoch > 0 && history.length > 0) {
      await saveModel(mainRunner.model, {
        dir: outDir,
        metadata: {
          kind,
          inputScaling: scaling,
          modelOutput: MODEL_OUTPUT,
          epoch: bestEpoch,
          valLoss: bestValLoss,
        },
      });
    }
    await writeJsonAtomic(join(outDir, "training.json"), {
      network: kind,
      tracer: kind,
      tracers: dataset.channels,
      seed,
      dataDir: resolve(dataset.dir),
      images: { train: nTrain, val: splits.val.n, test: test.n },
      inputScaling: scaling,
      modelOutput: MODEL_OUTPUT,
      loss: "MSLE of eq. (11): mean (ln M_pred - ln M_true)^2 (natural log)",
      optimizer: {
        name: "RMSprop (Keras 2)",
        learningRate,
        decay,
        rho: opt.rho,
        epsilon: opt.epsilon,
        schedule: schedule.name === "none"
          ? "lr_t = lr / (1 + decay * iterations)"
          : "lr_t = lr * f(iterations) / (1 + decay * iterations), f: linear warm-up over " +
            "warmupSteps, then cosine from 1 to floor at totalSteps",
        lrSchedule: { ...scheduleSettings, ...schedule, stepsPerEpoch },
        iterations: opt.iterations,
      },
      earlyStopping: {
        patience: earlyStopping.patience,
        minDelta,
        monitor: "val_loss",
        stoppedEpoch,
      },
      settings: {
        epochs,
        batchSize,
        dropout,
        seed,
        workers,
        gradientShards,
        gradientSums: "each batch cut into gradientShards contiguous shards, summed in a " +
          "fixed pairwise tree; dropout masks drawn per image: the same result for any " +
          "number of workers on one backend",
        shuffle: "per epoch, Rng(seed).fork(epoch)",
        augment: augment
          ? "each training image at each step turned by one of the 8 symmetries of the " +
            "square about the cluster centre, drawn from the step seed and the image index"
          : "none",
      },
      backend: backendLabel,
      // Workers: mean wall ms per step of this session's steps, gradient
      // phase and update phase (tree sum + RMSprop, on the workers).
      stepPhases: engine.timing && engine.timing.steps > 0
        ? {
          steps: engine.timing.steps,
          gradientMs: engine.timing.gradientMs / engine.timing.steps,
          updateMs: engine.timing.updateMs / engine.timing.steps,
        }
        : null,
      epochsCompleted: history.length,
      bestEpoch,
      bestValLoss,
      finalValLoss: history[history.length - 1]?.val_loss ?? null,
      meanImagesPerSecond: history.length
        ? history.reduce((a, r) => a + r.images_per_s, 0) / history.length
        : null,
      finishedAt: new Date().toISOString(),
    });
    return {
      outDir,
      kind,
      history,
      bestEpoch,
      bestValLoss,
      startEpoch,
      stoppedEpoch,
      scaling,
      predictions: {
        image: test.image,
        cluster: test.cluster,
        mTrueMsun: test.m200Msun,
        mPredMsun: mPred,
      },
    };
  } finally {
    await engine.close();
    mainRunner.model.dispose();
  }
}
