/**
 * Composite Gauss-Legendre quadrature (private helper).
 *
 * @module
 */

/** Nodes and weights of the n-point Gauss-Legendre rule on [-1, 1] (Newton on P_n). */
function gaussLegendre(n: number): { x: Float64Array; w: Float64Array } {
  const x = new Float64Array(n);
  const w = new Float64Array(n);
  for (let i = 0; i < Math.ceil(n / 2); i++) {
    let z = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    for (let iter = 0; iter < 100; iter++) {
      const [p, dp] = legendreWithDerivative(n, z);
      const dz = p / dp;
      z -= dz;
      if (Math.abs(dz) < 1e-15) break;
    }
    // the derivative at the converged node
    const dp = legendreWithDerivative(n, z)[1];
    x[i] = -z;
    x[n - 1 - i] = z;
    w[i] = w[n - 1 - i] = 2 / ((1 - z * z) * dp * dp);
  }
  return { x, w };
}

const GL16 = gaussLegendre(16);

/**
 * Integrate f over [a, b] with `segments` equal panels of 16-point
 * Gauss-Legendre (exact for polynomials of degree 31 per panel).
 */
export function integrateGL(f: (x: number) => number, a: number, b: number, segments = 8): number {
  const { x, w } = GL16;
  const h = (b - a) / segments;
  let sum = 0;
  for (let s = 0; s < segments; s++) {
    const mid = a + (s + 0.5) * h;
    const half = 0.5 * h;
    let part = 0;
    for (let i = 0; i < x.length; i++) part += w[i] * f(mid + half * x[i]);
    sum += part * half;
  }
  return sum;
}

/** P_n(z) and P_n'(z) by the three-term recurrence. */
function legendreWithDerivative(n: number, z: number): [number, number] {
  let p0 = 1;
  let p1 = z;
  for (let k = 2; k <= n; k++) {
    const p2 = ((2 * k - 1) * z * p1 - (k - 1) * p0) / k;
    p0 = p1;
    p1 = p2;
  }
  return [p1, (n * (z * p1 - p0)) / (z * z - 1)];
}
