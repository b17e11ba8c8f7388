/**
 * Gaussian-mask occlusion maps (Yan et al. 2020, §4.2, eq. 13): multiply the
 * image by
 *
 *     Mask_ij = 1 - exp[-((i - a)^2 + (j - b)^2) / (2 sigma^2)]      (eq. 13)
 *
 * for every mask centre (a, b), re-predict the mass, and map
 * Delta M_pred(a, b) = M_pred(masked at (a, b)) - M_pred(original). The paper
 * takes sigma = 5 pixels (1.25 arcmin) and a centre on every pixel: 14,400
 * forward passes per 120 x 120 image. Here the masked images are built in
 * batches with TensorFlow.js ops, and a `stride` lets you trade detail for
 * time (a coarse grid of centres, each standing for a stride x stride block).
 *
 * Coordinates: i is the row and j the column index of a pixel; a mask centre
 * (a, b) is given in the same (fractional) pixel-index units. With stride s
 * the centre of block (k, l) is (k s + (s - 1)/2, l s + (s - 1)/2): the
 * middle of the block, so the grid is symmetric about the image centre.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { PredictFn } from "./deep_dream.ts";

/** The paper's mask width: sigma = 5 pixels = 1.25 arcmin (§4.2). */
export const PAPER_MASK_SIGMA_PX = 5;

/** Options of {@linkcode maskSweep}. */
export interface MaskSweepOptions {
  /** Gaussian sigma of the mask in pixels. Default 5 (the paper's). */
  sigmaPx?: number;
  /**
   * Distance between mask centres in pixels; must divide the image height and
   * width. 1 is the paper's full sweep (H x W centres). Default 1.
   */
  stride?: number;
  /** Masked images per call of `predict`. Default 100. */
  batchSize?: number;
  /** Called after each batch with the number of centres done and the total. */
  onProgress?: (done: number, total: number) => void;
}

/** Result of {@linkcode maskSweep}. */
export interface MaskSweepResult {
  /**
   * Delta M_pred [Msun] on the grid of centres, C order `[rows, cols]`
   * (`rows = H / stride`, `cols = W / stride`).
   */
  grid: Float32Array;
  /** Grid shape `[rows, cols]`. */
  gridShape: [number, number];
  /**
   * The grid filled to full resolution `[H, W]`: every pixel takes the value of
   * the centre of its stride x stride block (identical to `grid` at stride 1).
   */
  map: Float32Array;
  /** Image shape `[H, W]`. */
  shape: [number, number];
  /** M_pred of the unmasked image, Msun. */
  mPredMsun: number;
  /** Forward passes made (masked images), excluding the unmasked one. */
  evaluations: number;
  /** Wall time of the sweep, seconds. */
  seconds: number;
}

/** The row (or column) index of mask centre `k` at stride `s`: the middle of block k. */
export function maskCentrePx(k: number, stride: number): number {
  return k * stride + (stride - 1) / 2;
}

/**
 * The Gaussian mask of eq. 13 for one centre, as a plain `[H, W]` array
 * (float64, for checks and plotting).
 */
export function gaussianMask(
  shape: [number, number],
  options: { aPx: number; bPx: number; sigmaPx?: number },
): Float64Array {
  const [h, w] = shape;
  const sigma = options.sigmaPx ?? PAPER_MASK_SIGMA_PX;
  if (!(sigma > 0)) throw new RangeError(`Cannot build mask: sigmaPx must be > 0, got ${sigma}`);
  const out = new Float64Array(h * w);
  for (let i = 0; i < h; i++) {
    for (let j = 0; j < w; j++) {
      const r2 = (i - options.aPx) ** 2 + (j - options.bPx) ** 2;
      out[i * w + j] = 1 - Math.exp(-r2 / (2 * sigma * sigma));
    }
  }
  return out;
}

/**
 * Sweep the Gaussian mask of eq. 13 over the image and map the change of the
 * predicted mass. Async so that callers can show progress between batches.
 *
 * @param predict differentiable or not: raw images `[n, H, W, C]` -> M_pred `[n]` in Msun
 * @param image one raw image `[1, H, W, C]`; not disposed
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { maskSweep } from "./gaussian_mask.ts";
 * await tf.setBackend("cpu");
 * const img = tf.ones([1, 8, 8, 1]) as tf.Tensor4D;
 * const r = await maskSweep((x) => x.sum([1, 2, 3]) as tf.Tensor1D, img, { stride: 4 });
 * if (r.grid.length !== 4 || !(r.grid[0] < 0)) throw new Error("masking must lower the sum");
 * img.dispose();
 * ```
 */
export async function maskSweep(
  predict: PredictFn,
  image: tf.Tensor4D,
  options: MaskSweepOptions = {},
): Promise<MaskSweepResult> {
  const t0 = performance.now();
  const sigma = options.sigmaPx ?? PAPER_MASK_SIGMA_PX;
  const stride = options.stride ?? 1;
  const batchSize = options.batchSize ?? 100;
  if (image.rank !== 4 || image.shape[0] !== 1) {
    throw new RangeError(
      `Cannot sweep mask: image must have shape [1, H, W, C], got [${image.shape}]`,
    );
  }
  const [, h, w] = image.shape;
  if (!(sigma > 0) || !Number.isFinite(sigma)) {
    throw new RangeError(`Cannot sweep mask: sigmaPx must be > 0, got ${sigma}`);
  }
  if (!Number.isInteger(stride) || stride < 1 || h % stride !== 0 || w % stride !== 0) {
    throw new RangeError(
      `Cannot sweep mask: stride must be a positive integer dividing the image size ` +
        `${h} x ${w}, got ${stride}`,
    );
  }
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(
      `Cannot sweep mask: batchSize must be a positive integer, got ${batchSize}`,
    );
  }
  const rows = h / stride;
  const cols = w / stride;
  const total = rows * cols;

  // Separable Gaussian factors: exp(-(i-a)^2/2s^2) * exp(-(j-b)^2/2s^2).
  const gaussRow = (centre: number, n: number) => {
    const g = new Float32Array(n);
    for (let i = 0; i < n; i++) g[i] = Math.exp(-((i - centre) ** 2) / (2 * sigma * sigma));
    return g;
  };
  const rowFactors = Array.from({ length: rows }, (_, k) => gaussRow(maskCentrePx(k, stride), h));
  const colFactors = Array.from({ length: cols }, (_, l) => gaussRow(maskCentrePx(l, stride), w));

  const m0 = tf.tidy(() => predict(image));
  const mPredMsun = (await m0.data())[0];
  m0.dispose();
  if (!Number.isFinite(mPredMsun)) {
    throw new RangeError(`Cannot sweep mask: M_pred of the unmasked image is ${mPredMsun}`);
  }
  const grid = new Float32Array(total);
  for (let start = 0; start < total; start += batchSize) {
    const n = Math.min(batchSize, total - start);
    const gy = new Float32Array(n * h);
    const gx = new Float32Array(n * w);
    for (let m = 0; m < n; m++) {
      const idx = start + m;
      gy.set(rowFactors[Math.floor(idx / cols)], m * h);
      gx.set(colFactors[idx % cols], m * w);
    }
    const pred = tf.tidy(() => {
      const g = tf.tensor4d(gy, [n, h, 1, 1]).mul(tf.tensor4d(gx, [n, 1, w, 1]));
      const masked = image.mul(tf.scalar(1).sub(g)) as tf.Tensor4D;
      return predict(masked);
    });
    const values = await pred.data();
    pred.dispose();
    for (let m = 0; m < n; m++) grid[start + m] = values[m] - mPredMsun;
    options.onProgress?.(start + n, total);
  }

  const map = new Float32Array(h * w);
  for (let i = 0; i < h; i++) {
    const gi = Math.floor(i / stride) * cols;
    for (let j = 0; j < w; j++) map[i * w + j] = grid[gi + Math.floor(j / stride)];
  }
  return {
    grid,
    gridShape: [rows, cols],
    map,
    shape: [h, w],
    mPredMsun,
    evaluations: total,
    seconds: (performance.now() - t0) / 1000,
  };
}
