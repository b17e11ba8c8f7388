/**
 * Natural cubic spline through tabulated points (private helper).
 *
 * @module
 */

/** Return a function that evaluates the natural cubic spline through (xs, ys); xs ascending. */
export function naturalCubicSpline(
  xs: readonly number[],
  ys: readonly number[],
): (x: number) => number {
  const n = xs.length;
  const m = new Float64Array(n); // second derivatives, m[0] = m[n-1] = 0
  const u = new Float64Array(n);
  for (let i = 1; i < n - 1; i++) {
    const sig = (xs[i] - xs[i - 1]) / (xs[i + 1] - xs[i - 1]);
    const p = sig * m[i - 1] + 2;
    m[i] = (sig - 1) / p;
    const dd = (ys[i + 1] - ys[i]) / (xs[i + 1] - xs[i]) -
      (ys[i] - ys[i - 1]) / (xs[i] - xs[i - 1]);
    u[i] = ((6 * dd) / (xs[i + 1] - xs[i - 1]) - sig * u[i - 1]) / p;
  }
  m[n - 1] = 0;
  for (let i = n - 2; i >= 0; i--) m[i] = m[i] * m[i + 1] + u[i];
  m[0] = 0;
  return (x: number) => {
    let lo = 0;
    let hi = n - 1;
    while (hi - lo > 1) {
      const mid = (hi + lo) >> 1;
      if (xs[mid] > x) hi = mid;
      else lo = mid;
    }
    const h = xs[hi] - xs[lo];
    const a = (xs[hi] - x) / h;
    const b = (x - xs[lo]) / h;
    return a * ys[lo] + b * ys[hi] +
      (((a * a * a - a) * m[lo] + (b * b * b - b) * m[hi]) * h * h) / 6;
  };
}
