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
import { type Table2Row, table2Stats } from "../evaluate/table2.ts";
import { loadDataset } from "../dataset/load_dataset.ts";
import { angularDiameterDistanceMpc, type Cosmology, WMAP9_BAHAMAS } from "../cosmology/mod.ts";
import { ARCMIN_PER_RAD } from "../constants/mod.ts";
import { duffy08Concentration } from "../halo/mod.ts";
import {
  IMAGE_SIZE_PIX,
  PIXELS_PER_ARCMIN,
  readCatalog,
  readTracerImages,
} from "../dataset/format.ts";
import { derivedHalo } from "../particles/mod.ts";
import type { Split, Tracer } from "../types/mod.ts";
import { intrinsicFactor, RadialSums } from "./_apertures.ts";

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
  const size = options.sizePx ?? IMAGE_SIZE_PIX;
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

/** Radius of the fixed angular aperture of the Table 2 baselines [arcmin] (30 pixels). */
export const BASELINE_APERTURE_ARCMIN = 5;

/** The apertures of the baseline rows (see {@linkcode BaselineRow}). */
export type BaselineAperture = "fixed" | "r500" | "r500-true";

/** A baseline row's aperture in words, as Table 2 prints it. */
export function baselineApertureLabel(aperture: BaselineAperture): string {
  if (aperture === "fixed") return `${BASELINE_APERTURE_ARCMIN}' aperture`;
  return aperture === "r500" ? "R500, iterated" : "R500 of the true mass: a ceiling";
}

/** One baseline row: a tracer's scaling relation in one kind of aperture. */
export interface BaselineRow {
  tracer: Tracer;
  /**
   * `fixed`: a 5-arcmin circle; `r500`: R500 of the estimated mass, iterated;
   * `r500-true`: R500 of the true mass, a ceiling rather than an estimator (it
   * knows the answer's size): what the image's signal in the right aperture
   * carries, with the distance known, before any network.
   */
  aperture: BaselineAperture;
  /** The fit on the training split (log10 M200 on log10 of the intrinsic signal). */
  fit: ScalingRelationFit;
  /** Test images dropped (signal not positive). */
  droppedTest: number;
  /** Table 2 statistics of the test split. */
  table2: Table2Row;
  /** Test images with a prediction: image index, true and predicted M200 [Msun]. */
  test: { image: number[]; mTrueMsun: number[]; mPredMsun: number[] };
}

/** Options of {@linkcode scalingRelationRows}. */
export interface BaselineRowsOptions {
  /** Tracers to fit. Default all four. */
  tracers?: Tracer[];
  /** Cosmology for distances and R500(M200). Default WMAP9_BAHAMAS. */
  cosmology?: Cosmology;
  /** Iterations of the R500 aperture. Default 30 (stops early when the mass changes < 1e-4 dex). */
  iterations?: number;
  /** Called as each tracer's fit starts (a progress bar). */
  onTracer?: (tracer: Tracer) => void;
}

/**
 * Scaling-relation baselines for Table 2: for each tracer, the intrinsic
 * signal (see {@linkcode BaselineRow}) in a fixed 5-arcmin aperture, and in
 * R500 of the mass it implies (iterated from the fixed-aperture estimate; the
 * relation itself is fitted in R500 of the true mass, as an observer
 * calibrates with known masses), fitted on the training split and applied to
 * the test split: what a cluster's total flux alone gives, to set beside the
 * CNN's row. A third row per tracer applies the R500 relation in R500 of the
 * true mass: not an estimator but the ceiling of an aperture sum, which says
 * how much of a CNN's scatter the images themselves impose.
 */
export async function scalingRelationRows(
  dataDir: string,
  options: BaselineRowsOptions = {},
): Promise<BaselineRow[]> {
  const cosmology = options.cosmology ?? WMAP9_BAHAMAS;
  const iterations = options.iterations ?? 30;
  const catalog = await readCatalog(dataDir);
  const pixRad = 1 / PIXELS_PER_ARCMIN / ARCMIN_PER_RAD;
  const sums = new RadialSums(IMAGE_SIZE_PIX);
  const r500Of = (m200: number) =>
    derivedHalo(m200, duffy08Concentration(m200, 0, cosmology), { cosmology }).r500Mpc;
  const fixedPx = BASELINE_APERTURE_ARCMIN * PIXELS_PER_ARCMIN;
  const rows: BaselineRow[] = [];
  for (const tracer of options.tracers ?? (["star", "fxs", "fxb", "ypar"] as Tracer[])) {
    options.onTracer?.(tracer);
    const stack = await readTracerImages(dataDir, tracer);
    const data = stack.data;
    const prep = (split: Split) =>
      catalog.filter((e) => e.split === split).map((e) => {
        const dA = angularDiameterDistanceMpc(e.redshift, cosmology);
        return {
          e,
          cum: sums.cumulative(data, e.image),
          factor: intrinsicFactor(tracer, e.redshift, pixRad, cosmology),
          r500Px: (m200: number) => r500Of(m200) / (dA * pixRad),
        };
      });
    const train = prep("train");
    const test = prep("test");
    if (train.length < 3 || test.length < 1) {
      throw new RangeError(
        `Cannot fit baselines: ${dataDir} has ${train.length} training and ${test.length} test images`,
      );
    }
    const m = (xs: typeof train) => xs.map((x) => x.e.m200Msun);
    // Fixed aperture.
    const sFixed = (x: (typeof train)[number]) => sums.within(x.cum, fixedPx) * x.factor;
    const fitFixed = fitScalingRelation(train.map(sFixed), m(train));
    const predFixed = predictScalingRelation(fitFixed, test.map(sFixed));
    rows.push(row(tracer, "fixed", fitFixed, test.map((x) => x.e), predFixed));
    // R500 of the (true, then estimated) mass.
    const sR500 = (x: (typeof train)[number], m200: number) =>
      sums.within(x.cum, x.r500Px(m200)) * x.factor;
    const fitR = fitScalingRelation(train.map((x) => sR500(x, x.e.m200Msun)), m(train));
    const predR = test.map((x, i) => {
      let mk = predFixed[i];
      for (let k = 0; k < iterations && Number.isFinite(mk); k++) {
        const next = predictScalingRelation(fitR, [sR500(x, mk)])[0];
        if (!Number.isFinite(next)) return NaN;
        const done = Math.abs(Math.log10(next / mk)) < 1e-4;
        mk = next;
        if (done) break;
      }
      return mk;
    });
    rows.push(row(tracer, "r500", fitR, test.map((x) => x.e), Float64Array.from(predR)));
    // The same relation in R500 of the true mass: the ceiling of an aperture sum.
    const predTrue = predictScalingRelation(fitR, test.map((x) => sR500(x, x.e.m200Msun)));
    rows.push(row(tracer, "r500-true", fitR, test.map((x) => x.e), predTrue));
  }
  return rows;
}

function row(
  tracer: Tracer,
  aperture: BaselineAperture,
  fit: ScalingRelationFit,
  test: { image: number; m200Msun: number }[],
  pred: Float64Array,
): BaselineRow {
  const out: BaselineRow["test"] = { image: [], mTrueMsun: [], mPredMsun: [] };
  for (let i = 0; i < test.length; i++) {
    if (!(pred[i] > 0 && Number.isFinite(pred[i]))) continue;
    out.image.push(test[i].image);
    out.mTrueMsun.push(test[i].m200Msun);
    out.mPredMsun.push(pred[i]);
  }
  return {
    tracer,
    aperture,
    fit,
    droppedTest: test.length - out.image.length,
    table2: table2Stats(out.mTrueMsun, out.mPredMsun),
    test: out,
  };
}

/** Table 2's baseline rows as Markdown (same columns as the CNN rows). */
export function formatBaselineMarkdown(rows: Omit<BaselineRow, "test">[]): string {
  const f = (v: number, d = 3) => v.toFixed(d);
  const lines = [
    "| Scaling relation | <log10 Mpred/Mtrue> | <Mpred/Mtrue> - 1 % | rms % | n (dropped) |",
    "| --- | --- | --- | --- | --- |",
  ];
  for (const r of rows) {
    const t = r.table2;
    const name = `${r.tracer} (${baselineApertureLabel(r.aperture)})`;
    lines.push(
      `| ${name} | ${f(t.meanLog10Ratio)} ± ${f(t.meanLog10RatioSe)} | ${
        f(t.fractionalBiasPct, 1)
      } ± ${f(t.fractionalBiasPctSe, 1)} | ${f(t.rmsScatterPct, 1)} | ${t.n} (${r.droppedTest}) |`,
    );
  }
  return lines.join("\n") + "\n";
}
