/**
 * Calibrated per-cluster mass intervals by a Neyman confidence belt
 * (Neyman 1937, Phil. Trans. R. Soc. A 236, 333; Feldman & Cousins 1998,
 * PRD 57, 3873, §II), fitted on the validation split.
 *
 * On the validation split we know, for each image, the true mass
 * t = log10 M_true and the network's prediction y = log10 M_pred. For every
 * true mass on a grid we estimate the quantiles q_alpha(t) of y given t
 * (a local-linear trend of y on t, weighted by a Gaussian kernel of
 * `bandwidthDex` in t, plus kernel-weighted quantiles of the residuals about
 * it; each cluster weighted once however many of its projections are
 * present), and
 * make each curve non-decreasing in t (pool-adjacent-violators). The central
 * interval at level p for an observed y is then the set of true masses whose
 * central p band contains y:
 *
 *   [ t_lo, t_hi ],  q_{(1+p)/2}(t_lo) = y,  q_{(1-p)/2}(t_hi) = y,
 *
 * and the point estimate solves q_{0.5}(t) = y. By construction the
 * interval covers the true mass with probability p for every true mass (not
 * only on average over the sample), which is the property the per-mass-bin
 * coverage test asks for; split-conformal intervals on residuals would only
 * guarantee the average. The paper's networks are not changed: this is a
 * post-processing of their predictions. Intervals are clipped to the mass
 * range of the validation split (the belt is not extrapolated).
 *
 * @module
 */

/** Central-interval probabilities a belt can invert: 10-90 per cent in steps of 10, 68 and 95. */
export const BELT_CENTRAL_LEVELS: readonly number[] = [
  0.1,
  0.2,
  0.3,
  0.4,
  0.5,
  0.6,
  0.68,
  0.7,
  0.8,
  0.9,
  0.95,
];

/** Quantile levels stored in a belt: the median and (1 -+ p) / 2 for every central level p. */
export const BELT_LEVELS: readonly number[] = [
  ...new Set(
    [0.5, ...BELT_CENTRAL_LEVELS.flatMap((p) => [(1 - p) / 2, (1 + p) / 2])].map((q) =>
      Math.round(q * 1e6) / 1e6
    ),
  ),
].sort((a, b) => a - b);

/** A fitted confidence belt (plain data: it is stored as JSON). */
export interface ConfidenceBelt {
  /** Grid of true log10(M200/Msun), increasing. */
  gridLog10M: number[];
  /** Quantile levels of the curves (BELT_LEVELS). */
  levels: number[];
  /** `curves[k][g]`: quantile `levels[k]` of log10 M_pred at `gridLog10M[g]`; non-decreasing in g. */
  curves: number[][];
  /** Kernel bandwidth [dex]. */
  bandwidthDex: number;
  /** Clusters and images the belt was fitted on. */
  clusters: number;
  images: number;
}

/** Options of {@linkcode fitConfidenceBelt}. */
export interface FitBeltOptions {
  /** Gaussian kernel sigma in log10 M_true [dex]. Default 0.12. */
  bandwidthDex?: number;
  /** Grid step [dex]. Default 0.025. */
  stepDex?: number;
}

function weightedQuantile(y: number[], w: number[], order: number[], p: number): number {
  let total = 0;
  for (const i of order) total += w[i];
  // Midpoint rule: the sorted values sit at cumulative weights (W_{<i} + w_i / 2) / W.
  let acc = 0;
  let prevX = NaN;
  let prevY = NaN;
  for (const i of order) {
    const x = (acc + w[i] / 2) / total;
    acc += w[i];
    if (x >= p) {
      if (Number.isNaN(prevX)) return y[i];
      return prevY + (y[i] - prevY) * (p - prevX) / (x - prevX);
    }
    prevX = x;
    prevY = y[i];
  }
  return prevY;
}

/** Pool-adjacent-violators: the non-decreasing sequence closest to `v` in least squares. */
export function isotonicIncreasing(v: number[]): number[] {
  const val: number[] = [];
  const cnt: number[] = [];
  for (const x of v) {
    val.push(x);
    cnt.push(1);
    while (val.length > 1 && val[val.length - 2] > val[val.length - 1]) {
      const c = cnt[cnt.length - 2] + cnt[cnt.length - 1];
      const m =
        (val[val.length - 2] * cnt[cnt.length - 2] + val[val.length - 1] * cnt[cnt.length - 1]) / c;
      val.splice(-2, 2, m);
      cnt.splice(-2, 2, c);
    }
  }
  const out: number[] = [];
  val.forEach((x, k) => {
    for (let j = 0; j < cnt[k]; j++) out.push(x);
  });
  return out;
}

/**
 * Fit a confidence belt on (true, predicted) masses in Msun with the cluster
 * id of each image. Throws a RangeError for fewer than 3 clusters or
 * non-positive masses.
 */
export function fitConfidenceBelt(
  data: { mTrueMsun: ArrayLike<number>; mPredMsun: ArrayLike<number>; cluster: ArrayLike<number> },
  options: FitBeltOptions = {},
): ConfidenceBelt {
  const n = data.mTrueMsun.length;
  if (data.mPredMsun.length !== n || data.cluster.length !== n) {
    throw new RangeError(
      "Cannot fit confidence belt: mTrueMsun, mPredMsun and cluster differ in length",
    );
  }
  const t: number[] = [];
  const y: number[] = [];
  const perCluster = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const a = data.mTrueMsun[i];
    const b = data.mPredMsun[i];
    if (!(a > 0 && b > 0 && Number.isFinite(a) && Number.isFinite(b))) {
      throw new RangeError(
        `Cannot fit confidence belt: masses must be positive and finite, got M_true ${a}, ` +
          `M_pred ${b} at row ${i} (a diverged network: train it longer)`,
      );
    }
    t.push(Math.log10(a));
    y.push(Math.log10(b));
    perCluster.set(data.cluster[i], (perCluster.get(data.cluster[i]) ?? 0) + 1);
  }
  if (perCluster.size < 3) {
    throw new RangeError(
      `Cannot fit confidence belt: the validation split holds ${perCluster.size} clusters, need >= 3`,
    );
  }
  const h = options.bandwidthDex ?? 0.12;
  const step = options.stepDex ?? 0.025;
  if (!(h > 0 && step > 0)) {
    throw new RangeError("Cannot fit confidence belt: bandwidth and step must be > 0");
  }
  const tMin = Math.min(...t);
  const tMax = Math.max(...t);
  const grid: number[] = [];
  for (let g = tMin; g < tMax + step / 2; g += step) grid.push(Math.min(g, tMax));
  if (grid.length < 2) grid.push(tMax + step);
  const raw: number[][] = BELT_LEVELS.map(() => []);
  const clusterW = Array.from({ length: n }, (_, i) => 1 / perCluster.get(data.cluster[i])!);
  for (const g of grid) {
    const w = t.map((ti, i) => clusterW[i] * Math.exp(-0.5 * ((ti - g) / h) ** 2));
    // Local-linear trend y ~ a + b (t - g) (weighted least squares), then quantiles of the
    // residuals: the kernel's width does not broaden the band.
    let sw = 0, st = 0, sy = 0;
    for (let i = 0; i < n; i++) {
      sw += w[i];
      st += w[i] * (t[i] - g);
      sy += w[i] * y[i];
    }
    const mt = st / sw;
    const my = sy / sw;
    let stt = 0, sty = 0;
    for (let i = 0; i < n; i++) {
      const dt = t[i] - g - mt;
      stt += w[i] * dt * dt;
      sty += w[i] * dt * (y[i] - my);
    }
    const b = stt > 1e-12 * sw ? sty / stt : 0;
    const a = my - b * mt;
    const e = t.map((ti, i) => y[i] - a - b * (ti - g));
    const order = [...e.keys()].sort((p, q) => e[p] - e[q]);
    BELT_LEVELS.forEach((p, k) => raw[k].push(a + weightedQuantile(e, w, order, p)));
  }
  const curves = raw.map(isotonicIncreasing);
  // Keep the levels ordered at every grid point.
  for (let g = 0; g < grid.length; g++) {
    for (let k = 1; k < curves.length; k++) {
      if (curves[k][g] < curves[k - 1][g]) curves[k][g] = curves[k - 1][g];
    }
  }
  return {
    gridLog10M: grid,
    levels: [...BELT_LEVELS],
    curves,
    bandwidthDex: h,
    clusters: perCluster.size,
    images: n,
  };
}

function curveOf(belt: ConfidenceBelt, level: number): number[] {
  const k = belt.levels.findIndex((l) => Math.abs(l - level) < 1e-6);
  if (k < 0) {
    throw new RangeError(
      `Confidence belt has no ${level} quantile curve (has ${belt.levels.join(", ")})`,
    );
  }
  return belt.curves[k];
}

/** Smallest grid t with curve(t) >= y (linear between grid points); the grid's end when none. */
function firstAtOrAbove(grid: number[], c: number[], y: number): number {
  if (y <= c[0]) return grid[0];
  for (let g = 1; g < grid.length; g++) {
    if (c[g] >= y) {
      const f = c[g] > c[g - 1] ? (y - c[g - 1]) / (c[g] - c[g - 1]) : 1;
      return grid[g - 1] + f * (grid[g] - grid[g - 1]);
    }
  }
  return grid[grid.length - 1];
}

/** Largest grid t with curve(t) <= y; the grid's start when none. */
function lastAtOrBelow(grid: number[], c: number[], y: number): number {
  const m = grid.length - 1;
  if (y >= c[m]) return grid[m];
  for (let g = m - 1; g >= 0; g--) {
    if (c[g] <= y) {
      const f = c[g + 1] > c[g] ? (y - c[g]) / (c[g + 1] - c[g]) : 0;
      return grid[g] + f * (grid[g + 1] - grid[g]);
    }
  }
  return grid[0];
}

/** A calibrated mass estimate [Msun]: median and central 68 and 95 per cent intervals. */
export interface MassInterval {
  m200Msun: number;
  p16Msun: number;
  p84Msun: number;
  p2_5Msun: number;
  p97_5Msun: number;
}

/** The central interval at level `p` (0.68 or 0.95 with the stored levels) for a prediction [log10 Msun]. */
export function beltInterval(
  belt: ConfidenceBelt,
  log10MPred: number,
  p: number,
): [number, number] {
  const lo = curveOf(belt, (1 - p) / 2);
  const hi = curveOf(belt, (1 + p) / 2);
  const a = firstAtOrAbove(belt.gridLog10M, hi, log10MPred);
  const b = lastAtOrBelow(belt.gridLog10M, lo, log10MPred);
  return a <= b ? [a, b] : [b, a];
}

/** Median and 68/95 per cent intervals of M200 [Msun] for a network prediction [Msun]. */
export function calibratedMass(belt: ConfidenceBelt, mPredMsun: number): MassInterval {
  if (!(mPredMsun > 0 && Number.isFinite(mPredMsun))) {
    throw new RangeError(`Cannot calibrate a prediction of ${mPredMsun} Msun: it must be > 0`);
  }
  const y = Math.log10(mPredMsun);
  const med = curveOf(belt, 0.5);
  const a = firstAtOrAbove(belt.gridLog10M, med, y);
  const b = lastAtOrBelow(belt.gridLog10M, med, y);
  const m = (a + b) / 2;
  const [l68, h68] = beltInterval(belt, y, 0.68);
  const [l95, h95] = beltInterval(belt, y, 0.95);
  return {
    m200Msun: 10 ** m,
    p16Msun: 10 ** Math.min(l68, m),
    p84Msun: 10 ** Math.max(h68, m),
    p2_5Msun: 10 ** Math.min(l95, l68, m),
    p97_5Msun: 10 ** Math.max(h95, h68, m),
  };
}
