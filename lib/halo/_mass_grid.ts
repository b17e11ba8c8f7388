/**
 * Tabulated M200c mass function on a log-mass grid, with exact per-cell
 * integrals and O(1) sampling (Walker/Vose alias table over cells, then an
 * exact inverse transform within a cell where dn/dlnM is log-linear) (private).
 *
 * @module
 */
import type { Rng } from "../random/mod.ts";
import type { Cosmology } from "../cosmology/mod.ts";
import { tinker08MassFunction200c } from "./tinker08.ts";

/** dn/dlnM [Mpc^-3] at grid nodes and the number density in each cell. */
export interface MassGrid {
  /** ln M at the nodes (nCells + 1). */
  lnM: Float64Array;
  /** dn/dlnM at the nodes [Mpc^-3]. */
  dndlnM: Float64Array;
  /** Number density of haloes in each cell [Mpc^-3], log-linear interpolation. */
  cellDensity: Float64Array;
}

/** Tabulate the Tinker08 M200c mass function from 10^log10MMin to 10^log10MMax in nCells cells. */
export function massGrid(
  log10MMin: number,
  log10MMax: number,
  nCells: number,
  z: number,
  cosmo: Cosmology,
): MassGrid {
  const lnM = new Float64Array(nCells + 1);
  const dndlnM = new Float64Array(nCells + 1);
  for (let i = 0; i <= nCells; i++) {
    const log10M = log10MMin + ((log10MMax - log10MMin) * i) / nCells;
    lnM[i] = log10M * Math.LN10;
    dndlnM[i] = tinker08MassFunction200c(10 ** log10M, z, cosmo);
  }
  const cellDensity = new Float64Array(nCells);
  for (let i = 0; i < nCells; i++) {
    const w = lnM[i + 1] - lnM[i];
    const n0 = dndlnM[i];
    const n1 = dndlnM[i + 1];
    const r = Math.log(n1 / n0);
    cellDensity[i] = Math.abs(r) < 1e-12 ? n0 * w : (w * (n1 - n0)) / r;
  }
  return { lnM, dndlnM, cellDensity };
}

/** Build an O(1) sampler of M [Msun] over cells [first, last) of a grid. */
export function gridSampler(grid: MassGrid, first: number, last: number): (rng: Rng) => number {
  const n = last - first;
  const weights = Array.from(grid.cellDensity.subarray(first, last));
  const total = weights.reduce((s, w) => s + w, 0);
  // Vose's alias method
  const prob = new Float64Array(n);
  const alias = new Int32Array(n);
  const scaled = weights.map((w) => (w * n) / total);
  const small: number[] = [];
  const large: number[] = [];
  scaled.forEach((p, i) => (p < 1 ? small : large).push(i));
  while (small.length && large.length) {
    const s = small.pop()!;
    const l = large.pop()!;
    prob[s] = scaled[s];
    alias[s] = l;
    scaled[l] = scaled[l] + scaled[s] - 1;
    (scaled[l] < 1 ? small : large).push(l);
  }
  for (const i of large) prob[i] = 1;
  for (const i of small) prob[i] = 1;
  const { lnM, dndlnM } = grid;
  return (rng: Rng) => {
    const u = rng.random() * n;
    let cell = Math.floor(u);
    if (cell >= n) cell = n - 1;
    if (u - cell >= prob[cell]) cell = alias[cell];
    const i = first + cell;
    const w = lnM[i + 1] - lnM[i];
    const slope = Math.log(dndlnM[i + 1] / dndlnM[i]) / w; // d ln(dn/dlnM) / d lnM
    const v = rng.random();
    const t = Math.abs(slope * w) < 1e-10 ? v * w : Math.log1p(v * Math.expm1(slope * w)) / slope;
    return Math.exp(lnM[i] + t);
  };
}
