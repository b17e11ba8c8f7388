/**
 * Cluster particles: the mock universe's answer to a simulation snapshot.
 * `generateClusterParticles` turns a halo into gas and star particles and a
 * galaxy catalogue (Vikhlinin et al. 2006 gas, Arnaud et al. 2010 pressure,
 * Giocoli et al. 2008 subhaloes, Moster et al. 2013 stars, triaxial shapes,
 * cool cores, mergers); `readParticleSnapshot` loads real simulation particles
 * written in the documented on-disk format, so the image maker treats both
 * alike.
 *
 * @example
 * ```ts
 * import { generateClusterParticles } from "./mod.ts";
 * import { WMAP9_BAHAMAS } from "../cosmology/mod.ts";
 * import { Rng } from "../random/mod.ts";
 * const halo = { m200Msun: 1e14, c200: 4.5, r200Mpc: 0.95, m500Msun: 7e13, r500Mpc: 0.62 };
 * const p = generateClusterParticles(halo, new Rng(1), { cosmology: WMAP9_BAHAMAS });
 * if (p.gas.count < 2000) throw new Error("a 1e14 Msun cluster has thousands of gas particles");
 * ```
 * @module
 */
export * from "./types.ts";
export * from "./vikhlinin06.ts";
export * from "./arnaud10_pressure.ts";
export * from "./moster13.ts";
export * from "./boylan_kolchin08.ts";
export * from "./stellar_budget.ts";
export * from "./giocoli08.ts";
export * from "./shen03.ts";
export * from "./cluster.ts";
export * from "./snapshot.ts";
