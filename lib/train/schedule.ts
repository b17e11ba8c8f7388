/**
 * Learning-rate schedules and early stopping for {@linkcode trainNetwork}.
 *
 * The learning rate of update `t` (0-based: the number of updates done before
 * it) is
 *
 *     lr_t = lr * f(t) / (1 + decay * t)
 *
 * where `lr / (1 + decay * t)` is Keras 2's time decay (the paper's RMSprop:
 * lr 0.01, decay 1e-4) and `f` is the schedule's factor:
 *
 * - `none`: f(t) = 1. The paper's optimizer exactly.
 * - `warmup-cosine`: a linear warm-up over the first W updates,
 *   f(t) = (t + 1) / W for t < W, then a cosine decay from 1 to `floor` over
 *   the updates left up to T,
 *   f(t) = floor + (1 - floor) * (1 + cos(pi * (t - W) / (T - W))) / 2,
 *   and f(t) = floor for t >= T. W and T are whole numbers of updates:
 *   W = round(warmupEpochs * stepsPerEpoch), T = epochs * stepsPerEpoch of
 *   the run that started the schedule (a resumed run with more epochs keeps
 *   the first run's T, held in the checkpoint, and trains on at the floor).
 *
 * Early stopping follows Keras 2's `EarlyStopping(monitor="val_loss")`: an
 * epoch improves when its validation loss is below the best so far by more
 * than `minDelta`; training stops after `patience` epochs in a row without an
 * improvement. The weights kept are still those of the lowest validation loss.
 *
 * @module
 */
import type { EarlyStopping, LrScheduleSettings } from "../types/mod.ts";
export type { EarlyStopping, LrScheduleSettings };

/** Names of the learning-rate schedules. */
export type LrScheduleName = "none" | "warmup-cosine";

/** The schedules a run accepts, for messages and flag parsing. */
export const LR_SCHEDULES: readonly LrScheduleName[] = ["none", "warmup-cosine"];

/** A learning-rate schedule resolved to update counts (see the module docs). */
export type LrSchedule =
  | { name: "none" }
  | {
    name: "warmup-cosine";
    /** Warm-up updates W (0: none). */
    warmupSteps: number;
    /** Update T at which the cosine reaches the floor. */
    totalSteps: number;
    /** Final factor f(T), in [0, 1]. */
    floor: number;
  };

/** Parse a schedule name; unknown names throw a RangeError listing the valid ones. */
export function parseLrScheduleName(name: string): LrScheduleName {
  if ((LR_SCHEDULES as readonly string[]).includes(name)) return name as LrScheduleName;
  throw new RangeError(
    `Unknown learning-rate schedule "${name}": expected one of ${LR_SCHEDULES.join(", ")}`,
  );
}

/** Throws a RangeError when a resolved schedule's numbers are out of range. */
export function checkLrSchedule(schedule: LrSchedule): LrSchedule {
  if (schedule.name === "none") return schedule;
  if (schedule.name !== "warmup-cosine") {
    throw new RangeError(
      `Unknown learning-rate schedule "${(schedule as { name: string }).name}": ` +
        `expected one of ${LR_SCHEDULES.join(", ")}`,
    );
  }
  const { warmupSteps, totalSteps, floor } = schedule;
  if (!Number.isInteger(warmupSteps) || warmupSteps < 0) {
    throw new RangeError(
      `Cannot use the warmup-cosine schedule: warmupSteps must be an integer >= 0, got ${warmupSteps}`,
    );
  }
  if (!Number.isInteger(totalSteps) || totalSteps < 1) {
    throw new RangeError(
      `Cannot use the warmup-cosine schedule: totalSteps must be an integer >= 1, got ${totalSteps}`,
    );
  }
  if (!(floor >= 0 && floor <= 1)) {
    throw new RangeError(
      `Cannot use the warmup-cosine schedule: floor must be in [0, 1], got ${floor}`,
    );
  }
  return schedule;
}

/**
 * The schedule factor f(t) of update `step` (0-based), without the Keras
 * decay; see the module docs.
 *
 * @example
 * ```ts
 * import { lrScheduleFactor } from "./schedule.ts";
 * const s = { name: "warmup-cosine", warmupSteps: 10, totalSteps: 110, floor: 0 } as const;
 * if (lrScheduleFactor(0, s) !== 0.1) throw new Error("first warm-up step");
 * if (Math.abs(lrScheduleFactor(60, s) - 0.5) > 1e-12) throw new Error("half way down the cosine");
 * ```
 */
export function lrScheduleFactor(step: number, schedule: LrSchedule): number {
  if (!Number.isInteger(step) || step < 0) {
    throw new RangeError(`Cannot evaluate the schedule: step must be an integer >= 0, got ${step}`);
  }
  if (schedule.name === "none") return 1;
  const { warmupSteps: w, totalSteps: t, floor } = schedule;
  if (step < w) return (step + 1) / w;
  if (step >= t) return floor;
  const p = (step - w) / (t - w);
  return floor + ((1 - floor) * (1 + Math.cos(Math.PI * p))) / 2;
}

/** Options of {@linkcode learningRateAt}. */
export interface LearningRateOptions {
  /** Base learning rate lr. */
  learningRate: number;
  /** Keras-style decay per update (paper: 1e-4). Default 0. */
  decay?: number;
  /** Schedule factor. Default `{ name: "none" }`. */
  schedule?: LrSchedule;
}

/** lr_t = lr * f(t) / (1 + decay * t): the learning rate of update `step` (0-based). */
export function learningRateAt(step: number, options: LearningRateOptions): number {
  const f = lrScheduleFactor(step, options.schedule ?? { name: "none" });
  return (options.learningRate * f) / (1 + (options.decay ?? 0) * step);
}

/** Throws a RangeError when early-stopping settings are out of range. */
export function checkEarlyStopping(es: EarlyStopping): EarlyStopping {
  if (!Number.isInteger(es.patience) || es.patience < 0) {
    throw new RangeError(
      `Cannot use early stopping: patience must be an integer >= 0 (0 = off), got ${es.patience}`,
    );
  }
  const d = es.minDelta ?? 0;
  if (!(d >= 0 && Number.isFinite(d))) {
    throw new RangeError(`Cannot use early stopping: minDelta must be >= 0, got ${es.minDelta}`);
  }
  return es;
}

/** What {@linkcode earlyStoppingTrace} returns. */
export interface EarlyStoppingTrace {
  /** Per epoch: epochs since the last improvement (Keras' `wait`; 0 at an improvement). */
  wait: number[];
  /** Epoch (1-based) after which training stops; `null`: train on (always when patience is 0). */
  stoppedEpoch: number | null;
}

/**
 * Early stopping replayed over the validation losses of epochs 1, 2, ...:
 * an epoch improves when `valLoss + minDelta < best` (best: the loss of the
 * last improving epoch); training stops at the first epoch whose wait
 * reaches `patience`. Stopping is a function of the history alone, so a
 * resumed run decides exactly as an uninterrupted one.
 */
export function earlyStoppingTrace(
  valLosses: ArrayLike<number>,
  es: EarlyStopping,
): EarlyStoppingTrace {
  checkEarlyStopping(es);
  const minDelta = es.minDelta ?? 0;
  const wait: number[] = [];
  let best = Infinity;
  let w = 0;
  let stoppedEpoch: number | null = null;
  for (let i = 0; i < valLosses.length; i++) {
    if (valLosses[i] + minDelta < best) {
      best = valLosses[i];
      w = 0;
    } else w++;
    wait.push(w);
    if (stoppedEpoch === null && es.patience > 0 && w >= es.patience) stoppedEpoch = i + 1;
  }
  return { wait, stoppedEpoch };
}

/**
 * The epoch (1-based) after which early stopping ends training, given the
 * validation losses of epochs 1, 2, ...; `null` when it would train on (or
 * when patience is 0). See {@linkcode earlyStoppingTrace}.
 *
 * @example
 * ```ts
 * import { earlyStoppingEpoch } from "./schedule.ts";
 * // Best at epoch 2; epochs 3 and 4 do not improve on it by more than 0.01.
 * const e = earlyStoppingEpoch([1, 0.5, 0.495, 0.6], { patience: 2, minDelta: 0.01 });
 * if (e !== 4) throw new Error(`expected 4, got ${e}`);
 * ```
 */
export function earlyStoppingEpoch(
  valLosses: ArrayLike<number>,
  es: EarlyStopping,
): number | null {
  return earlyStoppingTrace(valLosses, es).stoppedEpoch;
}

/** Options of {@linkcode resolveLrSchedule}. */
export interface ResolveScheduleOptions {
  /** Epochs of the run. */
  epochs: number;
  /** Updates per epoch: ceil(training images / batch size). */
  stepsPerEpoch: number;
}

/** Turn epoch-based schedule settings into update counts W and T (see the module docs). */
export function resolveLrSchedule(
  settings: LrScheduleSettings,
  options: ResolveScheduleOptions,
): LrSchedule {
  if (settings.name === "none") return { name: "none" };
  if (settings.name !== "warmup-cosine") {
    return checkLrSchedule(settings as unknown as LrSchedule);
  }
  const { epochs, stepsPerEpoch } = options;
  if (!(settings.warmupEpochs >= 0 && settings.warmupEpochs <= epochs)) {
    throw new RangeError(
      `Cannot use the warmup-cosine schedule: warmupEpochs must be in [0, epochs = ${epochs}], ` +
        `got ${settings.warmupEpochs}`,
    );
  }
  return checkLrSchedule({
    name: "warmup-cosine",
    warmupSteps: Math.round(settings.warmupEpochs * stepsPerEpoch),
    totalSteps: epochs * stepsPerEpoch,
    floor: settings.floor,
  });
}
