/**
 * RMSprop exactly as Keras 2 (the paper's framework, 2019) implements it, on
 * plain Float32Arrays so that the data-parallel trainer can apply it to the
 * averaged gradient outside any tfjs backend:
 *
 *     lr_t = lr / (1 + decay * t)            (t = updates done before this one)
 *     a    = rho * a + (1 - rho) * g^2
 *     p    = p - lr_t * g / (sqrt(a) + epsilon)
 *
 * with rho = 0.9 and epsilon = 1e-7 (Keras' defaults, `K.epsilon()`).
 * Source: keras/optimizers.py, class RMSprop, Keras 2.2.4. (tfjs' own
 * RMSPropOptimizer puts epsilon inside the square root and has no decay.)
 *
 * An optional `schedule` (lib/train/schedule.ts) multiplies lr_t by a factor
 * f(t), e.g. a warm-up and cosine decay; without one this is Keras 2 exactly.
 *
 * @module
 */
import { checkLrSchedule, learningRateAt, type LrSchedule } from "./schedule.ts";

/** Options of {@linkcode KerasRmsprop}. */
export interface RmspropOptions {
  /** Initial learning rate (paper: 0.01). */
  learningRate: number;
  /** Keras-style time decay per update (paper: 1e-4). Default 0. */
  decay?: number;
  /** Discounting factor of the squared-gradient average. Default 0.9. */
  rho?: number;
  /** Added to the root-mean-square. Default 1e-7. */
  epsilon?: number;
  /** Factor f(t) applied on top of the decay (schedule.ts). Default `{ name: "none" }`. */
  schedule?: LrSchedule;
}

/** The serialisable state of a {@linkcode KerasRmsprop}. */
export interface RmspropState {
  /** Updates applied so far. */
  iterations: number;
  /** Running average of squared gradients, one value per parameter. */
  meanSquare: Float32Array;
}

/** Keras-2 RMSprop with time-based learning-rate decay, on a flat parameter vector. */
export class KerasRmsprop {
  readonly learningRate: number;
  readonly decay: number;
  readonly rho: number;
  readonly epsilon: number;
  readonly schedule: LrSchedule;
  iterations = 0;
  meanSquare: Float32Array;

  /** @param nParams Length of the flat parameter vector. */
  constructor(nParams: number, options: RmspropOptions) {
    this.learningRate = options.learningRate;
    this.decay = options.decay ?? 0;
    this.rho = options.rho ?? 0.9;
    this.epsilon = options.epsilon ?? 1e-7;
    this.schedule = checkLrSchedule(options.schedule ?? { name: "none" });
    if (!(this.learningRate > 0)) {
      throw new RangeError(
        `Cannot make RMSprop: learningRate must be > 0, got ${this.learningRate}`,
      );
    }
    if (!(this.decay >= 0)) {
      throw new RangeError(`Cannot make RMSprop: decay must be >= 0, got ${this.decay}`);
    }
    this.meanSquare = new Float32Array(nParams);
  }

  /** The learning rate the next update will use: lr * f(iterations) / (1 + decay * iterations). */
  currentLearningRate(): number {
    return learningRateAt(this.iterations, {
      learningRate: this.learningRate,
      decay: this.decay,
      schedule: this.schedule,
    });
  }

  /**
   * Apply one update to `params` in place, given the gradient of the loss:
   * `grads` times `scale` (default 1; e.g. 1 / batch size for a summed
   * gradient), rounded to float32.
   */
  step(params: Float32Array, grads: Float32Array, scale = 1): void {
    if (params.length !== this.meanSquare.length || grads.length !== params.length) {
      throw new RangeError(
        `Cannot apply RMSprop: ${params.length} params and ${grads.length} gradients, ` +
          `optimizer has ${this.meanSquare.length}`,
      );
    }
    const u = this.nextUpdate();
    rmspropUpdate(params, this.meanSquare, grads, u, 0, params.length, scale);
  }

  /**
   * The constants of the next update, counting it as applied: for an update
   * that others apply with {@linkcode rmspropUpdate} to pieces of the
   * parameters (the training workers, each on its own range, in shared memory).
   */
  nextUpdate(): RmspropUpdate {
    const u = { learningRate: this.currentLearningRate(), rho: this.rho, epsilon: this.epsilon };
    this.iterations++;
    return u;
  }

  /**
   * Keep the squared-gradient average in `buffer` from now on (its values
   * copied in), e.g. memory shared with the workers that apply the updates.
   */
  adoptMeanSquare(buffer: Float32Array): void {
    if (buffer.length !== this.meanSquare.length) {
      throw new RangeError(
        `Cannot adopt a buffer of ${buffer.length} values, optimizer has ${this.meanSquare.length}`,
      );
    }
    if (buffer !== this.meanSquare) buffer.set(this.meanSquare);
    this.meanSquare = buffer;
  }

  /** A copy of the state, for checkpoints. */
  getState(): RmspropState {
    return { iterations: this.iterations, meanSquare: this.meanSquare.slice() };
  }

  /** Restore a state saved by {@linkcode KerasRmsprop.getState}. */
  setState(state: RmspropState): void {
    if (state.meanSquare.length !== this.meanSquare.length) {
      throw new RangeError(
        `Cannot restore RMSprop: state has ${state.meanSquare.length} values, need ${this.meanSquare.length}`,
      );
    }
    this.iterations = state.iterations;
    this.meanSquare.set(state.meanSquare);
  }
}

/** Constants of one RMSprop update ({@linkcode KerasRmsprop.nextUpdate}). */
export interface RmspropUpdate {
  learningRate: number;
  rho: number;
  epsilon: number;
}

/**
 * One RMSprop update of `params[start..end)` in place, given the gradient
 * (`grads` times `scale`, rounded to float32) and the squared-gradient average
 * (updated too): Keras' formula, computed in float64 and stored in float32,
 * the same whichever piece is done where.
 */
export function rmspropUpdate(
  params: Float32Array,
  meanSquare: Float32Array,
  grads: Float32Array,
  u: RmspropUpdate,
  start: number,
  end: number,
  scale = 1,
): void {
  const { learningRate: lr, rho, epsilon } = u;
  const a = meanSquare;
  for (let i = start; i < end; i++) {
    const g = Math.fround(grads[i] * scale);
    const ai = rho * a[i] + (1 - rho) * g * g;
    a[i] = ai;
    params[i] -= (lr * g) / (Math.sqrt(ai) + epsilon);
  }
}
