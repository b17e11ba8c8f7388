/**
 * Tabulated linear power spectrum on fixed quadrature nodes in ln k (private).
 * sigma(R) integrals reuse the nodes, so each costs one pass over ~3700 nodes.
 *
 * @module
 */
import type { Cosmology } from "../cosmology/mod.ts";
import { cosmologyKey, validateCosmology } from "../cosmology/mod.ts";
import { makeEisensteinHu98Transfer } from "./eisenstein_hu98.ts";

/** ln k range of the sigma(R) quadrature [Mpc^-1] and panel width in ln k. */
const LN_K_MIN = Math.log(1e-6);
const LN_K_MAX = Math.log(1e4);
const PANEL = 0.1;

/** 16-point Gauss-Legendre nodes/weights on [-1, 1] (Abramowitz & Stegun table 25.4). */
const GL_X = [
  -0.9894009349916499,
  -0.9445750230732326,
  -0.8656312023878318,
  -0.7554044083550030,
  -0.6178762444026438,
  -0.4580167776572274,
  -0.2816035507792589,
  -0.0950125098376374,
  0.0950125098376374,
  0.2816035507792589,
  0.4580167776572274,
  0.6178762444026438,
  0.7554044083550030,
  0.8656312023878318,
  0.9445750230732326,
  0.9894009349916499,
];
const GL_W = [
  0.0271524594117541,
  0.0622535239386479,
  0.0951585116824928,
  0.1246289712555339,
  0.1495959888165767,
  0.1691565193950025,
  0.1826034150449236,
  0.1894506104550685,
  0.1894506104550685,
  0.1826034150449236,
  0.1691565193950025,
  0.1495959888165767,
  0.1246289712555339,
  0.0951585116824928,
  0.0622535239386479,
  0.0271524594117541,
];

/** Power spectrum data for one cosmology. */
export interface PowerTable {
  /** k at the quadrature nodes [Mpc^-1]. */
  k: Float64Array;
  /** weight_i * k^3 P(k, z=0) / (2 pi^2) at the nodes (normalised to sigma8). */
  wDelta2: Float64Array;
  /** Amplitude A of P(k, 0) = A k^ns T(k)^2 [Mpc^3 Mpc^ns]. */
  amplitude: number;
  /** T(k) for this cosmology. */
  transfer: (kMpcInv: number) => number;
}

/** Top-hat window W(x) = 3 (sin x - x cos x) / x^3, with a series for small x. */
export function topHat(x: number): number {
  if (x < 1e-2) {
    const x2 = x * x;
    return 1 - x2 / 10 + (x2 * x2) / 280;
  }
  return (3 * (Math.sin(x) - x * Math.cos(x))) / (x * x * x);
}

/** dW/dx = -3 j2(x) / x, with a series for small x. */
export function topHatDerivative(x: number): number {
  if (x < 1e-2) return -x / 5 + (x * x * x) / 70;
  const s = Math.sin(x);
  const c = Math.cos(x);
  const x2 = x * x;
  // j2(x) = (3/x^2 - 1) sin x / x - 3 cos x / x^2
  const j2 = ((3 / x2 - 1) * s) / x - (3 * c) / x2;
  return (-3 * j2) / x;
}

function buildTable(cosmo: Cosmology): PowerTable {
  const transfer = makeEisensteinHu98Transfer(cosmo);
  const panels = Math.ceil((LN_K_MAX - LN_K_MIN) / PANEL);
  const width = (LN_K_MAX - LN_K_MIN) / panels;
  const n = panels * GL_X.length;
  const k = new Float64Array(n);
  const wDelta2 = new Float64Array(n);
  let idx = 0;
  for (let p = 0; p < panels; p++) {
    const mid = LN_K_MIN + (p + 0.5) * width;
    for (let i = 0; i < GL_X.length; i++) {
      const kk = Math.exp(mid + 0.5 * width * GL_X[i]);
      const t = transfer(kk);
      k[idx] = kk;
      // unnormalised: k^3 * k^ns T^2 / (2 pi^2) * weight
      wDelta2[idx] = (0.5 * width * GL_W[i] * kk ** (3 + cosmo.ns) * t * t) /
        (2 * Math.PI * Math.PI);
      idx++;
    }
  }
  // normalise to sigma8 at R = 8/h Mpc
  const r8 = 8 / cosmo.h;
  let s2 = 0;
  for (let i = 0; i < n; i++) {
    const w = topHat(k[i] * r8);
    s2 += wDelta2[i] * w * w;
  }
  const amplitude = (cosmo.sigma8 * cosmo.sigma8) / s2;
  for (let i = 0; i < n; i++) wDelta2[i] *= amplitude;
  return { k, wDelta2, amplitude, transfer };
}

const CACHE = new Map<string, PowerTable>();

/**
 * The power table for a cosmology, memoised by parameter values (a pure
 * cache: results do not depend on call order).
 */
export function powerTable(cosmo: Cosmology): PowerTable {
  validateCosmology(cosmo);
  const key = cosmologyKey(cosmo);
  let table = CACHE.get(key);
  if (!table) {
    if (CACHE.size >= 16) CACHE.clear();
    table = buildTable(cosmo);
    CACHE.set(key, table);
  }
  return table;
}

/** sigma^2(R, z=0) and d sigma^2 / d ln R for a top-hat of comoving radius R [Mpc]. */
export function sigma2AndSlope(rMpc: number, table: PowerTable): { s2: number; ds2dlnR: number } {
  const { k, wDelta2 } = table;
  let s2 = 0;
  let ds2 = 0;
  for (let i = 0; i < k.length; i++) {
    const x = k[i] * rMpc;
    const w = topHat(x);
    s2 += wDelta2[i] * w * w;
    ds2 += wDelta2[i] * 2 * w * topHatDerivative(x) * x;
  }
  return { s2, ds2dlnR: ds2 };
}
