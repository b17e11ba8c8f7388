/**
 * A conventional baseline for the CNNs: a power-law scaling relation between
 * a cluster's total signal in an aperture and its mass,
 * `log10 M200 = a + b log10 S`, fitted by least squares on the training
 * split and applied to the test split. This is the kind of relation the
 * paper's §1 and §4 contrast with the CNNs (X-ray luminosity, Y-M and stellar
 * mass-halo mass relations); comparing its scatter with the CNN's shows what
 * the image's structure adds beyond its total flux.
 *
 * The signal is the sum of pixel values (noise included, exactly the CNN's
 * input) inside a circle of `radiusPx` pixels about the image centre, the
 * pixel coordinate (60, 60) of a 120-pixel image. Images whose sum is not
 * positive (possible for faint, noisy maps) have no logarithm: they are left
 * out of the fit and of the test statistics, and counted.
 *
 * @module
 */
import { type Table2Row, table2Stats } from "../evaluate/mod.ts";
import { loadDataset } from "../dataset/load_dataset.ts";
import type { Tracer } from "../types/mod.ts";

/** Options of {@linkcode apertureSums}. */
export interface ApertureOptions {
  /** Image side in pixels. Default 120. */
  sizePx?: number;
  /** Aperture radius in pixels about the image centre; pixels whose centre lies within count. Default: the whole image. */
  radiusPx?: number;
}

/**
 * The sum of each image's pixels inside a circular aperture. `images` holds
 * `n * sizePx * sizePx` values in C order `[image][row][col]`.
 */
export function apertureSums(
  images: ArrayLike<number>,
  options: ApertureOptions = {},
): Float64Array {
  const size = options.sizePx ?? 120;
  if (!Number.isInteger(size) || size <= 0) {
    throw new RangeError(`Cannot sum apertures: sizePx must be a positive integer, got ${size}`);
  }
  const radius = options.radiusPx ?? Infinity;
  if (!(radius > 0)) {
    throw new RangeError(`Cannot sum apertures: radiusPx must be > 0, got ${radius}`);
  }
  const pixels = size * size;
  if (images.length % pixels !== 0) {
    throw new RangeError(
      `Cannot sum apertures: ${images.length} values is not a whole number of ${size}x${size} images`,
    );
  }
  const inside: number[] = [];
  const c = size / 2;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if ((x + 0.5 - c) ** 2 + (y + 0.5 - c) ** 2 <= radius * radius) inside.push(y * size + x);
    }
  }
  const n = images.length / pixels;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    const base = i * pixels;
    for (const k of inside) s += images[base + k];
    out[i] = s;
  }
  return out;
}

/** A fitted relation `log10(M200/Msun) = interceptLog10Msun + slope * log10(S)`. */
export interface ScalingRelationFit {
  interceptLog10Msun: number;
  slope: number;
  /** Standard deviation of the residuals in log10 M (n - 2 degrees of freedom), in dex. */
  scatterDex: number;
  /** Points used (positive signal). */
  n: number;
  /** Points left out because their signal was not positive. */
  dropped: number;
}

function checkLengths(what: string, a: ArrayLike<number>, b: ArrayLike<number>) {
  if (a.length !== b.length) {
    throw new RangeError(`Cannot ${what}: ${a.length} signals but ${b.length} masses`);
  }
}

/** Least-squares fit of log10 M on log10 S over the points with S > 0 (at least 3). */
export function fitScalingRelation(
  signal: ArrayLike<number>,
  mTrueMsun: ArrayLike<number>,
): ScalingRelationFit {
  checkLengths("fit a scaling relation", signal, mTrueMsun);
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < signal.length; i++) {
    if (!(mTrueMsun[i] > 0)) {
      throw new RangeError(
        `Cannot fit a scaling relation: mass ${mTrueMsun[i]} at row ${i} is not positive`,
      );
    }
    if (signal[i] > 0 && Number.isFinite(signal[i])) {
      xs.push(Math.log10(signal[i]));
      ys.push(Math.log10(mTrueMsun[i]));
    }
  }
  const n = xs.length;
  if (n < 3) {
    throw new RangeError(
      `Cannot fit a scaling relation: ${n} of ${signal.length} images have a positive signal, need 3. ` +
        `Use a larger aperture or a dataset with more clusters.`,
    );
  }
  const mx = xs.reduce((s, v) => s + v, 0) / n;
  const my = ys.reduce((s, v) => s + v, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (xs[i] - mx) ** 2;
    sxy += (xs[i] - mx) * (ys[i] - my);
  }
  if (!(sxx > 0)) throw new RangeError("Cannot fit a scaling relation: all signals are equal");
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (ys[i] - intercept - slope * xs[i]) ** 2;
  return {
    interceptLog10Msun: intercept,
    slope,
    scatterDex: Math.sqrt(ss / (n - 2)),
    n,
    dropped: signal.length - n,
  };
}

/** Masses in Msun predicted by a fitted relation; NaN where the signal is not positive. */
export function predictScalingRelation(
  fit: ScalingRelationFit,
  signal: ArrayLike<number>,
): Float64Array {
  const out = new Float64Array(signal.length);
  for (let i = 0; i < signal.length; i++) {
    out[i] = signal[i] > 0
      ? 10 ** (fit.interceptLog10Msun + fit.slope * Math.log10(signal[i]))
      : NaN;
  }
  return out;
}

/** Options of {@linkcode scalingRelationBaseline}. */
export interface BaselineOptions {
  /** The tracer whose images are summed. */
  tracer: Tracer;
  /** Aperture radius in pixels (default: the whole 20-arcmin image; 6 pixels = 1 arcmin). */
  radiusPx?: number;
}

/** The baseline fitted on the training split and evaluated on the test split. */
export interface BaselineResult {
  tracer: Tracer;
  radiusPx: number | null;
  fit: ScalingRelationFit;
  /** Test images with a positive signal: index, true and predicted M200. */
  test: { image: number[]; mTrueMsun: number[]; mPredMsun: number[] };
  /** Test images left out (signal not positive). */
  droppedTest: number;
  /** Table 2 statistics of the test predictions in the paper's central mass range. */
  table2: Table2Row;
}

/**
 * Fit the scaling relation of one tracer on a dataset directory's training
 * split and evaluate it on its test split with the Table 2 statistics, so it
 * can be set beside a CNN's row.
 *
 * @example
 * ```ts ignore
 * import { scalingRelationBaseline } from "./scaling_relation.ts";
 * const b = await scalingRelationBaseline("out/smoke/data", { tracer: "fxb" });
 * console.log(b.fit.slope, b.table2.rmsScatterPct);
 * ```
 */
export async function scalingRelationBaseline(
  dataDir: string,
  options: BaselineOptions,
): Promise<BaselineResult> {
  const ds = await loadDataset(dataDir, { tracer: options.tracer });
  const aperture = { radiusPx: options.radiusPx };
  const train = ds.splits.train;
  const fit = fitScalingRelation(apertureSums(train.images[0], aperture), train.m200Msun);
  const test = ds.splits.test;
  const pred = predictScalingRelation(fit, apertureSums(test.images[0], aperture));
  const out: BaselineResult["test"] = { image: [], mTrueMsun: [], mPredMsun: [] };
  for (let i = 0; i < test.n; i++) {
    if (!Number.isFinite(pred[i])) continue;
    out.image.push(test.image[i]);
    out.mTrueMsun.push(test.m200Msun[i]);
    out.mPredMsun.push(pred[i]);
  }
  return {
    tracer: options.tracer,
    radiusPx: options.radiusPx ?? null,
    fit,
    test: out,
    droppedTest: test.n - out.image.length,
    table2: table2Stats(out.mTrueMsun, out.mPredMsun),
  };
}
