/**
 * Number densities and random masses of field haloes (M200c) drawn from the
 * Tinker et al. (2008) mass function, for line-of-sight structure.
 *
 * @module
 */
import type { Rng } from "../random/mod.ts";
import type { Cosmology } from "../cosmology/mod.ts";
import { assertRedshift, cosmologyKey } from "../cosmology/mod.ts";
import { gridSampler, massGrid } from "./_mass_grid.ts";

/** Grid resolution of the tabulated mass function [dex]. */
const GRID_DEX = 0.01;

function checkRange(log10MMin: number, log10MMax: number, z: number, what: string): number {
  if (!(Number.isFinite(log10MMin) && Number.isFinite(log10MMax) && log10MMax > log10MMin)) {
    throw new RangeError(
      `Cannot ${what}: need finite log10MMin < log10MMax, got ${log10MMin} and ${log10MMax}`,
    );
  }
  if (log10MMin < 6 || log10MMax > 17) {
    throw new RangeError(
      `Cannot ${what}: log10 masses must lie in [6, 17] (Msun), got ${log10MMin}..${log10MMax}`,
    );
  }
  assertRedshift(z, what);
  return Math.max(1, Math.ceil((log10MMax - log10MMin) / GRID_DEX));
}

/**
 * Comoving number density [Mpc^-3] of haloes with 10^log10MMin < M200c < 10^log10MMax
 * [Msun] at redshift z: the integral of the Tinker08 M200c mass function
 * (log-linear interpolation on a 0.01-dex grid; relative error < 1e-4).
 */
export function fieldHaloNumberDensity(
  log10MMin: number,
  log10MMax: number,
  z: number,
  cosmo: Cosmology,
): number {
  const n = checkRange(log10MMin, log10MMax, z, "integrate the mass function");
  return massGrid(log10MMin, log10MMax, n, z, cosmo).cellDensity.reduce((s, x) => s + x, 0);
}

/** A sampler of halo masses: each call returns one M200c [Msun]. */
export type HaloMassSampler = (rng: Rng) => number;

/**
 * Build a sampler of M200c [Msun] distributed as the Tinker08 mass function
 * between 10^log10MMin and 10^log10MMax at redshift z. Setup tabulates the mass
 * function once (~ a few ms per 0.1 dex); each draw is O(1) and uses exactly two
 * uniform numbers from `rng`.
 */
export function makeHaloMassSampler(
  log10MMin: number,
  log10MMax: number,
  z: number,
  cosmo: Cosmology,
): HaloMassSampler {
  const n = checkRange(log10MMin, log10MMax, z, "build a halo mass sampler");
  return gridSampler(massGrid(log10MMin, log10MMax, n, z, cosmo), 0, n);
}

const SAMPLERS = new Map<string, HaloMassSampler>();

/**
 * Draw one M200c [Msun] from the Tinker08 mass function between the given
 * limits. Samplers are memoised by their arguments (a pure cache), so repeated
 * calls cost O(1); prefer {@link makeHaloMassSampler} in tight loops.
 */
export function sampleHaloMass(
  rng: Rng,
  log10MMin: number,
  log10MMax: number,
  z: number,
  cosmo: Cosmology,
): number {
  const key = `${log10MMin},${log10MMax},${z},${cosmologyKey(cosmo)}`;
  let sampler = SAMPLERS.get(key);
  if (!sampler) {
    if (SAMPLERS.size >= 64) SAMPLERS.clear();
    sampler = makeHaloMassSampler(log10MMin, log10MMax, z, cosmo);
    SAMPLERS.set(key, sampler);
  }
  return sampler(rng);
}
