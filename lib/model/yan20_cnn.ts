/**
 * The convolutional networks of Yan et al. (2020, MNRAS), §2.4 and
 * Fig. 3: a single-channel CNN per tracer and a multichannel CNN that runs one
 * convolution tower per tracer and concatenates them.
 *
 * Choices where the paper is ambiguous (each exported so code and figures can
 * state them):
 * - Padding: `"same"` ({@linkcode CONV_PADDING}). The paper says each pooling
 *   layer "downsizes the feature image by a factor of 2"; with same padding a
 *   120-pixel image goes 120 -> 60 -> 30 -> 15 exactly, and every feature map
 *   stays aligned with the input pixels (useful for the interpretation maps).
 *   Keras' default would be `"valid"` (120 -> 118 -> 59 -> 57 -> 28 -> 26 -> 13).
 * - Dropout: 20 per cent ({@linkcode DEFAULT_DROPOUT}), from the paper's text
 *   ("we force a 20 per cent dropout between fully connected layers"); the
 *   numbered list in §2.4 says 10 per cent. Pass `dropout: 0.1` for the list.
 * - Fully connected head: single channel 200 -> 100 -> 100 -> 20 -> 1 (the
 *   §2.4 list; §5 counts these as "five fully connected layers"). The
 *   multichannel head: §2.4 says "the same architecture as the single-channel
 *   network" but §5 says the concatenated output "is processed by six fully
 *   connected layers"; we follow §5 by adding one 200-neuron layer in front:
 *   200 -> 200 -> 100 -> 100 -> 20 -> 1 ({@linkcode MULTI_CHANNEL_DENSE_UNITS}),
 *   with dropout between the hidden layers as in the single-channel head.
 * - ReLU on every layer except the output, which is linear (§2.4).
 * - Output: see {@linkcode MODEL_OUTPUT}.
 *
 * @module
 */
import { IMAGE_SIZE_PIX } from "../dataset/format.ts";
import * as tf from "@tensorflow/tfjs";
import { Rng } from "../random/mod.ts";
import { type Tracer, TRACERS } from "../types/mod.ts";

/** Filters of the three 3x3 convolution layers (§2.4 items 1, 3, 5). */
export const CONV_FILTERS: readonly number[] = [16, 32, 64];

/** Convolution kernel size in pixels (§2.4: "3 x 3 square filters"). */
export const CONV_KERNEL_SIZE = 3;

/** Average-pooling window and stride in pixels (§2.4: "2 x 2, stride-2"). */
export const POOL_SIZE = 2;

/** Padding of the convolution layers (a choice; see the module docs). */
export const CONV_PADDING = "same" as const;

/** Hidden fully connected layers of the single-channel network (§2.4 items 8-14). */
export const SINGLE_CHANNEL_DENSE_UNITS: readonly number[] = [200, 100, 100, 20];

/**
 * Hidden fully connected layers of the multichannel network: one more layer than
 * the single-channel head, for the "six fully connected layers" of §5 (a choice;
 * see the module docs).
 */
export const MULTI_CHANNEL_DENSE_UNITS: readonly number[] = [200, 200, 100, 100, 20];

/** Dropout fraction between fully connected layers (§2.4 text: 20 per cent). */
export const DEFAULT_DROPOUT = 0.2;

/** Reference mass of the network target: log10(M_ref / Msun). */
export const TARGET_REFERENCE_LOG10_MSUN = 14;

/**
 * What the network's single output neuron means.
 *
 * The output is linear and predicts `t = log10(M200 / Msun) - 14`. The paper's
 * loss, the mean-squared logarithmic error of eq. (11),
 * `<(ln M_pred - ln M_true)^2>`, is then `(ln 10)^2` times the mean-squared
 * error on `t`, so training with MSE on `t` minimises eq. (11) exactly (up to
 * that constant factor, `MSLE_PER_MSE`). Subtracting 14 keeps the target of
 * order one so a zero-initialised output bias starts near the sample's masses.
 * Convert with {@linkcode outputToMassMsun} and {@linkcode massToTarget}.
 */
export const MODEL_OUTPUT = {
  quantity: "log10(M200 / Msun) - 14",
  activation: "linear",
  referenceLog10Msun: TARGET_REFERENCE_LOG10_MSUN,
  loss: "meanSquaredError on the target = MSLE of eq. (11) / (ln 10)^2",
} as const;

/** Factor converting the MSE on the target to the paper's MSLE (natural log): (ln 10)^2. */
export const MSLE_PER_MSE = Math.LN10 * Math.LN10;

/** Options of the network builders. */
export interface ModelOptions {
  /** Seed of the weight initialisation (any finite number). Default 0. */
  seed?: number;
  /** Dropout fraction between fully connected layers, in [0, 1). Default 0.2. */
  dropout?: number;
  /** Input image side in pixels, an integer >= 8. Default 120. */
  inputSize?: number;
}

/** Options of {@linkcode buildSingleChannelModel}. */
export interface SingleChannelModelOptions extends ModelOptions {
  /** Tracer whose name prefixes the convolution layers (e.g. `star_conv1`). Default "star". */
  tracer?: Tracer;
}

interface CheckedOptions {
  rng: Rng;
  dropout: number;
  inputSize: number;
}

function checkOptions(what: string, options: ModelOptions): CheckedOptions {
  const seed = options.seed ?? 0;
  const dropout = options.dropout ?? DEFAULT_DROPOUT;
  const inputSize = options.inputSize ?? IMAGE_SIZE_PIX;
  if (!Number.isFinite(seed)) {
    throw new RangeError(`Cannot build ${what}: seed must be a finite number, got ${seed}`);
  }
  if (!(dropout >= 0 && dropout < 1)) {
    throw new RangeError(`Cannot build ${what}: dropout must be in [0, 1), got ${dropout}`);
  }
  if (!Number.isInteger(inputSize) || inputSize < 8) {
    throw new RangeError(
      `Cannot build ${what}: inputSize must be an integer >= 8 pixels, got ${inputSize}`,
    );
  }
  return { rng: new Rng(seed), dropout, inputSize };
}

/** A fresh 31-bit seed for one layer's initialiser, drawn from the model's generator. */
function layerSeed(rng: Rng): number {
  return rng.int(2147483647);
}

function convTower(input: tf.SymbolicTensor, prefix: string, rng: Rng): tf.SymbolicTensor {
  let x = input;
  CONV_FILTERS.forEach((filters, i) => {
    const conv = tf.layers.conv2d({
      name: `${prefix}_conv${i + 1}`,
      filters,
      kernelSize: CONV_KERNEL_SIZE,
      padding: CONV_PADDING,
      activation: "relu",
      kernelInitializer: tf.initializers.glorotUniform({ seed: layerSeed(rng) }),
      biasInitializer: "zeros",
    });
    const pool = tf.layers.averagePooling2d({
      name: `${prefix}_pool${i + 1}`,
      poolSize: POOL_SIZE,
      strides: POOL_SIZE,
      padding: "valid",
    });
    x = pool.apply(conv.apply(x)) as tf.SymbolicTensor;
  });
  return tf.layers.flatten({ name: `${prefix}_flatten` }).apply(x) as tf.SymbolicTensor;
}

function denseHead(
  x: tf.SymbolicTensor,
  units: readonly number[],
  dropout: number,
  rng: Rng,
): tf.SymbolicTensor {
  units.forEach((n, i) => {
    if (i > 0) {
      // Dropout *between* fully connected layers: after dense1..dense(k-1).
      x = tf.layers.dropout({ name: `dropout${i}`, rate: dropout, seed: layerSeed(rng) })
        .apply(x) as tf.SymbolicTensor;
    }
    x = tf.layers.dense({
      name: `dense${i + 1}`,
      units: n,
      activation: "relu",
      kernelInitializer: tf.initializers.glorotUniform({ seed: layerSeed(rng) }),
      biasInitializer: "zeros",
    }).apply(x) as tf.SymbolicTensor;
  });
  return tf.layers.dense({
    name: "mass",
    units: 1,
    activation: "linear",
    kernelInitializer: tf.initializers.glorotUniform({ seed: layerSeed(rng) }),
    biasInitializer: "zeros",
  }).apply(x) as tf.SymbolicTensor;
}

/**
 * Build the single-channel CNN of §2.4 (uncompiled, fresh weights).
 *
 * Input `[batch, inputSize, inputSize, 1]` named `<tracer>_input`; layers
 * `<tracer>_conv1..3`, `<tracer>_pool1..3`, `<tracer>_flatten`, `dense1..4`,
 * `dropout1..3` (between the dense layers) and the output `mass`
 * (see {@linkcode MODEL_OUTPUT}). The same seed gives the same initial weights.
 *
 * @example
 * ```ts
 * import { buildSingleChannelModel } from "./mod.ts";
 * const model = buildSingleChannelModel({ seed: 1, inputSize: 16 });
 * if (model.outputs[0].shape[1] !== 1) throw new Error("one output neuron");
 * model.dispose();
 * ```
 */
export function buildSingleChannelModel(options: SingleChannelModelOptions = {}): tf.LayersModel {
  const tracer = options.tracer ?? "star";
  if (!TRACERS.includes(tracer)) {
    throw new RangeError(
      `Cannot build single-channel model: tracer must be one of ${
        TRACERS.join(", ")
      }, got "${tracer}"`,
    );
  }
  const { rng, dropout, inputSize } = checkOptions("single-channel model", options);
  const input = tf.input({ name: `${tracer}_input`, shape: [inputSize, inputSize, 1] });
  const features = convTower(input, tracer, rng);
  const output = denseHead(features, SINGLE_CHANNEL_DENSE_UNITS, dropout, rng);
  return tf.model({ name: `cnn_${tracer}`, inputs: input, outputs: output });
}

/**
 * Build the multichannel CNN of §2.4 and Fig. 3(b) (uncompiled, fresh weights).
 *
 * Four inputs in {@linkcode TRACERS} order (star, fxs, fxb, ypar), each
 * `[batch, inputSize, inputSize, 1]` and named `<tracer>_input`, each with its
 * own convolution tower (`<tracer>_conv1..3`, `<tracer>_pool1..3`,
 * `<tracer>_flatten`); the flattened features are joined by `concat` and fed to
 * the head `dense1..5` ({@linkcode MULTI_CHANNEL_DENSE_UNITS}) with
 * `dropout1..4` between them and the output `mass`.
 *
 * @example
 * ```ts
 * import { buildMultiChannelModel } from "./mod.ts";
 * const model = buildMultiChannelModel({ seed: 1, inputSize: 16 });
 * if (model.inputs.length !== 4) throw new Error("four inputs");
 * model.dispose();
 * ```
 */
export function buildMultiChannelModel(options: ModelOptions = {}): tf.LayersModel {
  const { rng, dropout, inputSize } = checkOptions("multichannel model", options);
  const inputs = TRACERS.map((t) =>
    tf.input({ name: `${t}_input`, shape: [inputSize, inputSize, 1] })
  );
  const towers = inputs.map((input, i) => convTower(input, TRACERS[i], rng));
  const joined = tf.layers.concatenate({ name: "concat", axis: -1 }).apply(
    towers,
  ) as tf.SymbolicTensor;
  const output = denseHead(joined, MULTI_CHANNEL_DENSE_UNITS, dropout, rng);
  return tf.model({ name: "cnn_multi", inputs, outputs: output });
}

/**
 * Build the network for a tracer (single-channel) or `"multi"` (multichannel).
 *
 * @example
 * ```ts
 * import { buildModel } from "./mod.ts";
 * const model = buildModel("fxs", { inputSize: 16 });
 * if (model.getLayer("fxs_conv1") === undefined) throw new Error("layer names");
 * model.dispose();
 * ```
 */
export function buildModel(kind: Tracer | "multi", options: ModelOptions = {}): tf.LayersModel {
  if (kind === "multi") return buildMultiChannelModel(options);
  return buildSingleChannelModel({ ...options, tracer: kind });
}

/** Convert a mass in Msun to the network target `log10(M / Msun) - 14`. */
export function massToTarget(mMsun: number): number;
/** Convert masses in Msun to network targets `log10(M / Msun) - 14`. */
export function massToTarget(mMsun: ArrayLike<number>): Float32Array;
/** Convert a tensor of masses in Msun to network targets (a new tensor). */
export function massToTarget(mMsun: tf.Tensor): tf.Tensor;
export function massToTarget(
  mMsun: number | ArrayLike<number> | tf.Tensor,
): number | Float32Array | tf.Tensor {
  if (mMsun instanceof tf.Tensor) {
    return tf.tidy(() => tf.sub(tf.div(tf.log(mMsun), Math.LN10), TARGET_REFERENCE_LOG10_MSUN));
  }
  const one = (m: number): number => {
    if (!(m > 0) || !Number.isFinite(m)) {
      throw new RangeError(`Cannot convert mass to target: mass must be > 0 and finite, got ${m}`);
    }
    return Math.log10(m) - TARGET_REFERENCE_LOG10_MSUN;
  };
  if (typeof mMsun === "number") return one(mMsun);
  const out = new Float32Array(mMsun.length);
  for (let i = 0; i < mMsun.length; i++) out[i] = one(mMsun[i]);
  return out;
}

/** Convert a network output `log10(M / Msun) - 14` to a mass in Msun. */
export function outputToMassMsun(t: number): number;
/** Convert network outputs to masses in Msun (float64 for precision). */
export function outputToMassMsun(t: ArrayLike<number>): Float64Array;
/** Convert a tensor of network outputs to a tensor of masses in Msun (float32). */
export function outputToMassMsun(t: tf.Tensor): tf.Tensor;
export function outputToMassMsun(
  t: number | ArrayLike<number> | tf.Tensor,
): number | Float64Array | tf.Tensor {
  if (t instanceof tf.Tensor) {
    return tf.tidy(() => tf.pow(10, tf.add(t, TARGET_REFERENCE_LOG10_MSUN)));
  }
  if (typeof t === "number") return 10 ** (t + TARGET_REFERENCE_LOG10_MSUN);
  const out = new Float64Array(t.length);
  for (let i = 0; i < t.length; i++) out[i] = 10 ** (t[i] + TARGET_REFERENCE_LOG10_MSUN);
  return out;
}
