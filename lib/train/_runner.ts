/**
 * The per-process part of training, shared by the single-process trainer and
 * the data-parallel workers: a model with its weights held as one flat
 * Float32Array outside tfjs, the summed loss gradient on a batch, and forward
 * predictions. Private to lib/train.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { IMAGE_PIXELS, IMAGE_SIZE_PIX } from "../dataset/load_dataset.ts";

/** (ln 10)^2: the MSLE of eq. (11), natural log, per squared error of the log10 target. */
export const MSLE_PER_SQUARED_LOG10 = Math.LN10 * Math.LN10;

/** One split, scaled and ready for the network. */
export interface SplitArrays {
  /** Images in the split. */
  n: number;
  /** One array per channel, n x 120 x 120 scaled pixels. */
  images: Float32Array[];
  /** Network targets log10(M200/Msun) - 14. */
  targets: Float32Array;
}

/** A model and its trainable variables, exchanged as one flat parameter vector. */
export class ModelRunner {
  readonly model: tf.LayersModel;
  readonly vars: tf.Variable[];
  readonly sizes: number[];
  readonly nParams: number;
  readonly #dropouts: { seed?: number }[];

  constructor(model: tf.LayersModel) {
    if (model.nonTrainableWeights.length > 0) {
      throw new TypeError(
        "Cannot train: the model has non-trainable weights, which this trainer does not handle",
      );
    }
    this.model = model;
    this.vars = model.trainableWeights.map((w) => (w as unknown as { read(): tf.Variable }).read());
    this.sizes = this.vars.map((v) => v.size);
    this.nParams = this.sizes.reduce((a, b) => a + b, 0);
    // tfjs' Dropout reads `this.seed` at every call, and a fixed seed gives the
    // same mask at every step; we set a fresh, reproducible seed per step.
    this.#dropouts = model.layers.filter((l) => l.getClassName() === "Dropout") as unknown as {
      seed?: number;
    }[];
  }

  /**
   * Copy the weights out as one flat vector (in trainableWeights order).
   * Reads are asynchronous: WebGPU in Deno cannot read tensors synchronously.
   */
  async getParams(): Promise<Float32Array> {
    const out = new Float32Array(this.nParams);
    let off = 0;
    for (const v of this.vars) {
      out.set((await v.data()) as Float32Array, off);
      off += v.size;
    }
    return out;
  }

  /** Set the weights from one flat vector. */
  setParams(flat: Float32Array): void {
    if (flat.length !== this.nParams) {
      throw new RangeError(
        `Cannot set weights: got ${flat.length} values, model has ${this.nParams}`,
      );
    }
    let off = 0;
    for (const v of this.vars) {
      const t = tf.tensor(flat.subarray(off, off + v.size), v.shape, "float32");
      v.assign(t);
      t.dispose();
      off += v.size;
    }
  }

  #inputs(data: SplitArrays, idx: ArrayLike<number>): tf.Tensor4D[] {
    const b = idx.length;
    return data.images.map((img) => {
      const buf = new Float32Array(b * IMAGE_PIXELS);
      for (let k = 0; k < b; k++) {
        const i = idx[k];
        buf.set(img.subarray(i * IMAGE_PIXELS, (i + 1) * IMAGE_PIXELS), k * IMAGE_PIXELS);
      }
      return tf.tensor4d(buf, [b, IMAGE_SIZE_PIX, IMAGE_SIZE_PIX, 1]);
    });
  }

  /**
   * The loss summed over the images `idx` (MSLE of eq. 11 per image, natural
   * log) and its gradient, summed too, as one flat vector. `dropoutSeed` seeds
   * this step's dropout masks.
   */
  async gradSum(
    data: SplitArrays,
    idx: ArrayLike<number>,
    dropoutSeed: number,
  ): Promise<{ lossSum: number; grads: Float32Array }> {
    this.#dropouts.forEach((d, k) => (d.seed = (dropoutSeed + 7919 * (k + 1)) % 2147483647));
    const xs = this.#inputs(data, idx);
    const yArr = new Float32Array(idx.length);
    for (let k = 0; k < idx.length; k++) yArr[k] = data.targets[idx[k]];
    const y = tf.tensor2d(yArr, [idx.length, 1]);
    const { value, grads } = tf.variableGrads(() =>
      tf.tidy(() => {
        const out = this.model.apply(xs.length === 1 ? xs[0] : xs, { training: true }) as tf.Tensor;
        return tf.mul(tf.sum(tf.squaredDifference(out, y)), MSLE_PER_SQUARED_LOG10) as tf.Scalar;
      }), this.vars);
    const flat = new Float32Array(this.nParams);
    let off = 0;
    for (const v of this.vars) {
      const g = grads[v.name];
      flat.set((await g.data()) as Float32Array, off);
      off += v.size;
    }
    const lossSum = (await value.data())[0];
    value.dispose();
    tf.dispose(Object.values(grads));
    tf.dispose(xs);
    y.dispose();
    return { lossSum, grads: flat };
  }

  /** Network outputs (log10(M/Msun) - 14) for images start..end-1, inference mode. */
  async predict(
    data: SplitArrays,
    start: number,
    end: number,
    batchSize = 100,
  ): Promise<Float32Array> {
    const out = new Float32Array(end - start);
    for (let s = start; s < end; s += batchSize) {
      const e = Math.min(end, s + batchSize);
      const idx = Array.from({ length: e - s }, (_, k) => s + k);
      const xs = this.#inputs(data, idx);
      const y = tf.tidy(() =>
        this.model.apply(xs.length === 1 ? xs[0] : xs, { training: false }) as tf.Tensor
      );
      out.set((await y.data()) as Float32Array, s - start);
      y.dispose();
      tf.dispose(xs);
    }
    return out;
  }
}
