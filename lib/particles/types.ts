/**
 * Particle schema: the same struct-of-arrays layout a reader of a real
 * hydrodynamical snapshot (e.g. BAHAMAS / GADGET-3 via a subfind group) would
 * produce, restricted to what the paper's images need (Yan et al. 2020, §2.1).
 *
 * Conventions (all explicit in the names):
 * - positions `x, y, z` in physical Mpc, centred on the cluster (the halo's
 *   potential minimum), at the simulation redshift (z = 0 for the mock);
 * - masses in Msun (not Msun/h);
 * - gas density `densityMsunPerMpc3` is the (SPH) mass density in physical
 *   Msun Mpc^-3; `temperatureK` is the gas temperature in kelvin.
 *
 * @module
 */

/** Gas particles (struct of arrays, one entry per particle). */
export interface GasParticles {
  /** Number of particles (every array has this length). */
  count: number;
  /** Position [physical Mpc], cluster-centred. */
  x: Float32Array;
  /** Position [physical Mpc], cluster-centred. */
  y: Float32Array;
  /** Position [physical Mpc], cluster-centred. */
  z: Float32Array;
  /** Particle mass [Msun]. */
  massMsun: Float32Array;
  /** Gas mass density at the particle [physical Msun Mpc^-3]. */
  densityMsunPerMpc3: Float32Array;
  /** Gas temperature [K]. */
  temperatureK: Float32Array;
}

/** Star particles (struct of arrays). */
export interface StarParticles {
  /** Number of particles. */
  count: number;
  /** Position [physical Mpc], cluster-centred. */
  x: Float32Array;
  /** Position [physical Mpc], cluster-centred. */
  y: Float32Array;
  /** Position [physical Mpc], cluster-centred. */
  z: Float32Array;
  /** Particle mass [Msun]. */
  massMsun: Float32Array;
}

/** A galaxy catalogue (subfind-like): centres and stellar masses. */
export interface GalaxyCatalogue {
  /** Number of galaxies. */
  count: number;
  /** Centre [physical Mpc], cluster-centred. */
  x: Float64Array;
  /** Centre [physical Mpc], cluster-centred. */
  y: Float64Array;
  /** Centre [physical Mpc], cluster-centred. */
  z: Float64Array;
  /** Stellar mass [Msun]. */
  massMsun: Float64Array;
}

/** All particles of one object (a cluster with its companions, or a field halo). */
export interface ClusterParticles {
  gas: GasParticles;
  stars: StarParticles;
  galaxies: GalaxyCatalogue;
}

/** Empty gas set with room for `n` particles. */
export function allocGas(n: number): GasParticles {
  return {
    count: n,
    x: new Float32Array(n),
    y: new Float32Array(n),
    z: new Float32Array(n),
    massMsun: new Float32Array(n),
    densityMsunPerMpc3: new Float32Array(n),
    temperatureK: new Float32Array(n),
  };
}

/** Empty star set with room for `n` particles. */
export function allocStars(n: number): StarParticles {
  return {
    count: n,
    x: new Float32Array(n),
    y: new Float32Array(n),
    z: new Float32Array(n),
    massMsun: new Float32Array(n),
  };
}

/** Empty galaxy catalogue with room for `n` galaxies. */
export function allocGalaxies(n: number): GalaxyCatalogue {
  return {
    count: n,
    x: new Float64Array(n),
    y: new Float64Array(n),
    z: new Float64Array(n),
    massMsun: new Float64Array(n),
  };
}

type Columns<T> = { [K in keyof T]: T[K] extends Float32Array | Float64Array ? K : never }[keyof T];

function concatColumns<T extends { count: number }>(
  parts: T[],
  alloc: (n: number) => T,
  keys: Columns<T>[],
): T {
  const n = parts.reduce((s, p) => s + p.count, 0);
  const out = alloc(n);
  let off = 0;
  for (const p of parts) {
    for (const k of keys) {
      const dst = out[k] as unknown as Float32Array | Float64Array;
      const src = p[k] as unknown as Float32Array | Float64Array;
      dst.set(src.subarray(0, p.count), off);
    }
    off += p.count;
  }
  return out;
}

const GAS_KEYS: Columns<GasParticles>[] = [
  "x",
  "y",
  "z",
  "massMsun",
  "densityMsunPerMpc3",
  "temperatureK",
];
const STAR_KEYS: Columns<StarParticles>[] = ["x", "y", "z", "massMsun"];
const GALAXY_KEYS: Columns<GalaxyCatalogue>[] = ["x", "y", "z", "massMsun"];

/**
 * Concatenate several particle sets into one, shifting each by its offset
 * [Mpc] (used to place a merging companion beside the main halo).
 */
export function mergeParticles(
  parts: ClusterParticles[],
  offsetsMpc?: [number, number, number][],
): ClusterParticles {
  const shifted = parts.map((p, i) => {
    const o = offsetsMpc?.[i];
    if (!o || (o[0] === 0 && o[1] === 0 && o[2] === 0)) return p;
    return shiftParticles(p, o);
  });
  return {
    gas: concatColumns(shifted.map((p) => p.gas), allocGas, GAS_KEYS),
    stars: concatColumns(shifted.map((p) => p.stars), allocStars, STAR_KEYS),
    galaxies: concatColumns(shifted.map((p) => p.galaxies), allocGalaxies, GALAXY_KEYS),
  };
}

/** A copy of `p` with every position shifted by `offsetMpc`. */
export function shiftParticles(
  p: ClusterParticles,
  offsetMpc: [number, number, number],
): ClusterParticles {
  const [dx, dy, dz] = offsetMpc;
  const gas = concatColumns([p.gas], allocGas, GAS_KEYS);
  const stars = concatColumns([p.stars], allocStars, STAR_KEYS);
  const galaxies = concatColumns([p.galaxies], allocGalaxies, GALAXY_KEYS);
  for (const s of [gas, stars, galaxies]) {
    for (let i = 0; i < s.count; i++) {
      s.x[i] += dx;
      s.y[i] += dy;
      s.z[i] += dz;
    }
  }
  return { gas, stars, galaxies };
}

/** Column names of each particle family, as written on disk. */
export const PARTICLE_COLUMNS = {
  gas: GAS_KEYS as string[],
  stars: STAR_KEYS as string[],
  galaxies: GALAXY_KEYS as string[],
} as const;
