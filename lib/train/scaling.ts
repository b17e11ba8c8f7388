/**
 * Input scaling of the network's images. The paper does not say how it
 * scaled its inputs; this toolkit's choice, recorded in every run's
 * `training.json` and `model.json` so that it can be re-applied:
 *
 *     I_scaled = (asinh(I_raw / s_c) - mu_c) / sigma_c
 *
 * per channel (tracer) c, where
 * - `s_c` (the softening scale, in the tracer's raw units) is the robust noise
 *   rms of the training images: 1.4826 x the median absolute deviation of their
 *   pixels (most pixels of a 20-arcmin map are noise-dominated). When that is
 *   zero (noise-free images with many empty pixels), the median |I| of the
 *   non-zero pixels is used instead, and 1 when every pixel is zero. The signed
 *   asinh is linear within about `s_c` of zero (so noise stays Gaussian) and
 *   logarithmic far above it (so cluster cores spanning decades in flux stay
 *   of order ten). A network may multiply it by a factor (`softeningFactor`;
 *   100 for the star network, whose sparse maps are sums of single star
 *   particles 50 times the noise: lib/profiles `INPUT_SOFTENING`).
 * - `mu_c`, `sigma_c` are the mean and standard deviation of
 *   `asinh(I_raw / s_c)` over the training pixels, so inputs are standardised.
 *
 * All three are estimated on the train split only. {@linkcode applyInputScaling}
 * is made of differentiable tf ops, so gradients of the predicted mass with
 * respect to raw images flow through it.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { Tracer } from "../types/mod.ts";

/** The scaling of one input channel. */
export interface ChannelScaling {
  /** The tracer of this channel. */
  tracer: Tracer;
  /** Softening scale s in the tracer's raw units (robust noise rms). */
  softeningScale: number;
  /** Mean of asinh(I / s) over training pixels. */
  mean: number;
  /** Standard deviation of asinh(I / s) over training pixels. */
  std: number;
}

/** The input scaling of a network, channel by channel in input order. */
export interface InputScaling {
  /** Formula identifier. */
  method: "asinh-standardise";
  /** The formula in words, for readers of training.json. */
  formula: string;
  /** One entry per input channel (star, fxs, fxb, ypar order for the multichannel network). */
  channels: ChannelScaling[];
}

/** Options of {@linkcode makeInputScaler}. */
export interface MakeInputScalerOptions {
  /** Tracers of the channels, in the order of `trainImages`. */
  channels: readonly Tracer[];
  /** At most this many pixels per channel are sampled (evenly strided). Default 4,000,000. */
  maxSamples?: number;
  /** Factor on every channel's softening scale (the star network's is 100; lib/profiles). Default 1. */
  softeningFactor?: number;
}

const FORMULA = "I_scaled = (asinh(I_raw / softeningScale) - mean) / std, per channel";

/** Median of a Float64Array (sorted in place). */
function median(a: Float64Array): number {
  a.sort();
  const n = a.length;
  if (n === 0) return NaN;
  return n % 2 ? a[(n - 1) / 2] : 0.5 * (a[n / 2 - 1] + a[n / 2]);
}

function sample(x: Float32Array, max: number): Float64Array {
  const stride = Math.max(1, Math.ceil(x.length / max));
  const out = new Float64Array(Math.ceil(x.length / stride));
  for (let i = 0, k = 0; i < x.length; i += stride, k++) out[k] = x[i];
  return out;
}

/**
 * Estimate the input scaling from the training images, one Float32Array per
 * channel holding that channel's pixels of all training images.
 */
export function makeInputScaler(
  trainImages: readonly Float32Array[],
  options: MakeInputScalerOptions,
): InputScaling {
  const { channels } = options;
  const maxSamples = options.maxSamples ?? 4_000_000;
  const factor = options.softeningFactor ?? 1;
  if (!(Number.isFinite(factor) && factor > 0)) {
    throw new RangeError(`Cannot make input scaler: softeningFactor must be > 0, got ${factor}`);
  }
  if (trainImages.length !== channels.length) {
    throw new RangeError(
      `Cannot make input scaler: ${trainImages.length} image arrays for ${channels.length} channels`,
    );
  }
  return {
    method: "asinh-standardise",
    formula: FORMULA,
    channels: channels.map((tracer, c) => {
      const x = sample(trainImages[c], maxSamples);
      if (x.length === 0) {
        throw new RangeError(`Cannot make input scaler: no training pixels for ${tracer}`);
      }
      const med = median(x.slice());
      const dev = new Float64Array(x.length);
      for (let i = 0; i < x.length; i++) dev[i] = Math.abs(x[i] - med);
      let s = 1.4826 * median(dev);
      if (!(s > 0)) {
        const nz = x.filter((v) => v !== 0).map(Math.abs);
        s = nz.length > 0 ? median(nz) : 1;
      }
      if (factor !== 1) s *= factor;
      let sum = 0, sum2 = 0;
      for (let i = 0; i < x.length; i++) {
        const y = Math.asinh(x[i] / s);
        sum += y;
        sum2 += y * y;
      }
      const mean = sum / x.length;
      const std = Math.sqrt(Math.max(0, sum2 / x.length - mean * mean)) || 1;
      return { tracer, softeningScale: s, mean, std };
    }),
  };
}

/**
 * Scale one channel's raw pixels with plain JavaScript (the same formula as
 * {@linkcode applyInputScaling}); returns a new array unless `out` is given.
 */
export function scalePixels(
  raw: Float32Array,
  channel: ChannelScaling,
  out: Float32Array = new Float32Array(raw.length),
): Float32Array {
  const { softeningScale: s, mean, std } = channel;
  for (let i = 0; i < raw.length; i++) out[i] = (Math.asinh(raw[i] / s) - mean) / std;
  return out;
}

/**
 * Scale raw images `[n, H, W, C]` (C channels in `scaling.channels` order) with
 * differentiable tf ops; returns a new tensor of the same shape.
 */
export function applyInputScaling(raw: tf.Tensor4D, scaling: InputScaling): tf.Tensor4D {
  const c = raw.shape[3];
  if (c !== scaling.channels.length) {
    throw new RangeError(
      `Cannot scale images: they have ${c} channels, the scaling has ${scaling.channels.length}`,
    );
  }
  return tf.tidy(() => {
    const s = tf.tensor1d(scaling.channels.map((ch) => ch.softeningScale));
    const mu = tf.tensor1d(scaling.channels.map((ch) => ch.mean));
    const sd = tf.tensor1d(scaling.channels.map((ch) => ch.std));
    return tf.div(tf.sub(tf.asinh(tf.div(raw, s)), mu), sd) as tf.Tensor4D;
  });
}
