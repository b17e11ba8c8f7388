/**
 * Deep Dream for a mass-regression network (Mordvintsev, Olah & Tyka 2015;
 * Yan et al. 2020, §4.1, eq. 12): gradient ascent of the single output neuron
 * M_pred on the input image,
 *
 *     I^(p)_ij = I^(p-1)_ij + alpha * dM_pred/dI_ij |_(I^(p-1))      (eq. 12)
 *
 * Everything here works in the network's *raw* input units (e.g. erg/s/cm^2
 * per pixel for the X-ray images) and in solar masses for M_pred: the
 * prediction function is expected to do its own input scaling, so the
 * gradient is dM_pred[Msun] / dI[raw unit].
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";

/**
 * A differentiable prediction: raw images `[n, H, W, C]` to predicted masses
 * `[n]` in Msun. It must be built from TensorFlow.js ops so that `tf.grad`
 * can differentiate it (e.g. `TrainedModel.predictMassMsun`).
 */
export type PredictFn = (rawImages: tf.Tensor4D) => tf.Tensor1D;

/** Options of {@linkcode deepDream}. */
export interface DeepDreamOptions {
  /**
   * Gradient-ascent iterations p (the paper shows one, and reports that two,
   * as in Ntampaka et al. 2019, look the same). 1 or 2; default 1.
   */
  iterations?: number;
  /**
   * Step size alpha of eq. 12 in raw image units per Msun. When omitted it is
   * chosen from {@linkcode DeepDreamOptions.step} (see there); the same alpha
   * is used for every iteration, as in eq. 12.
   */
  alpha?: number;
  /**
   * Normalised step used when `alpha` is not given: alpha is set so that the
   * first iteration changes the most-changed pixel by `step` times the
   * largest absolute pixel value of the input image,
   * `alpha = step * max|I^(0)| / max|dM/dI|`. Small steps keep eq. 12 in its
   * linear regime, where the change is proportional to the gradient.
   * Default 0.01 (one per cent of the image's peak).
   */
  step?: number;
}

/** Result of {@linkcode deepDream}; plain arrays in C order `[H, W, C]`. */
export interface DeepDreamResult {
  /** dM_pred/dI at the input image (first iteration), Msun per raw image unit. */
  gradient: Float32Array;
  /** I^(p) - I^(0) after all iterations, raw image units. */
  change: Float32Array;
  /** The step size alpha used, raw image units per Msun. */
  alpha: number;
  /** M_pred of the input image, Msun. */
  mPredMsun: number;
  /** M_pred after the last iteration, Msun. */
  mPredFinalMsun: number;
  /** Shape `[H, W, C]` of `gradient` and `change`. */
  shape: [number, number, number];
}

/** Default normalised step of {@linkcode DeepDreamOptions.step}. */
export const DEEP_DREAM_DEFAULT_STEP = 0.01;

/**
 * Run `iterations` steps of Deep Dream (eq. 12) on one image.
 *
 * @param predict differentiable raw images -> M_pred [Msun]
 * @param image one raw image, shape `[1, H, W, C]`; not disposed
 * @returns the first-iteration gradient and the total image change, as typed arrays
 *   (async: values are read back with `data()`, which every backend supports)
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { deepDream } from "./deep_dream.ts";
 * await tf.setBackend("cpu");
 * const img = tf.ones([1, 4, 4, 1]) as tf.Tensor4D;
 * // M_pred = 2 * sum(I): the gradient is 2 everywhere.
 * const r = await deepDream((x) => x.sum([1, 2, 3]).mul(2) as tf.Tensor1D, img, { alpha: 0.5 });
 * if (r.gradient[0] !== 2 || r.change[0] !== 1) throw new Error("wrong gradient");
 * img.dispose();
 * ```
 */
export async function deepDream(
  predict: PredictFn,
  image: tf.Tensor4D,
  options: DeepDreamOptions = {},
): Promise<DeepDreamResult> {
  const iterations = options.iterations ?? 1;
  if (!Number.isInteger(iterations) || iterations < 1 || iterations > 2) {
    throw new RangeError(`Cannot run Deep Dream: iterations must be 1 or 2, got ${iterations}`);
  }
  if (image.rank !== 4 || image.shape[0] !== 1) {
    throw new RangeError(
      `Cannot run Deep Dream: image must have shape [1, H, W, C], got [${image.shape}]`,
    );
  }
  if (options.alpha !== undefined && !(Number.isFinite(options.alpha))) {
    throw new RangeError(`Cannot run Deep Dream: alpha must be finite, got ${options.alpha}`);
  }
  const step = options.step ?? DEEP_DREAM_DEFAULT_STEP;
  if (!(step > 0) || !Number.isFinite(step)) {
    throw new RangeError(`Cannot run Deep Dream: step must be > 0, got ${step}`);
  }
  const [, h, w, c] = image.shape;
  const scalarM = (x: tf.Tensor4D) => predict(x).sum() as tf.Scalar;
  const valueAndGrad = tf.valueAndGrad((x: tf.Tensor) => scalarM(x as tf.Tensor4D));
  const gradFn = (x: tf.Tensor4D) => valueAndGrad(x).grad as tf.Tensor4D;

  const { value, grad: first } = valueAndGrad(image);
  // Asynchronous reads throughout: WebGPU in Deno cannot read back synchronously.
  const mPredMsun = (await value.data())[0];
  value.dispose();
  const gradient = (await first.data()) as Float32Array;
  let gMax = 0;
  let gBad = false;
  for (const g of gradient) {
    if (!Number.isFinite(g)) gBad = true;
    else if (Math.abs(g) > gMax) gMax = Math.abs(g);
  }
  if (gBad) {
    first.dispose();
    throw new RangeError(
      "Cannot run Deep Dream: the gradient dM_pred/dI has non-finite values; check the " +
        "prediction function's input scaling (float32 overflows above 3.4e38)",
    );
  }
  let alpha = options.alpha ?? NaN;
  if (options.alpha === undefined) {
    const peak = tf.tidy(() => image.abs().max());
    const iMax = (await peak.data())[0];
    peak.dispose();
    alpha = gMax > 0 && iMax > 0 ? step * iMax / gMax : 0;
  }

  // Accumulate the change separately from the image so that small steps are
  // not lost to float32 cancellation in (I + dI) - I.
  let delta = tf.tidy(() => first.mul(alpha) as tf.Tensor4D);
  first.dispose();
  for (let p = 2; p <= iterations; p++) {
    const next = tf.tidy(() => delta.add(gradFn(image.add(delta) as tf.Tensor4D).mul(alpha)));
    delta.dispose();
    delta = next as tf.Tensor4D;
  }
  const change = (await delta.data()) as Float32Array;
  const final = tf.tidy(() => scalarM(image.add(delta) as tf.Tensor4D));
  const mPredFinalMsun = (await final.data())[0];
  final.dispose();
  delta.dispose();
  return { gradient, change, alpha, mPredMsun, mPredFinalMsun, shape: [h, w, c] };
}
