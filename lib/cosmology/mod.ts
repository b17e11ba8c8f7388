/**
 * Cosmology: the BAHAMAS WMAP9 parameter set, expansion rate, distances,
 * densities and the linear growth factor of a flat Lambda-CDM universe
 * (massless neutrinos, radiation neglected). Lengths in Mpc (not Mpc/h),
 * masses in Msun, H in km/s/Mpc.
 *
 * @example
 * ```ts
 * import { angularDiameterDistanceMpc, WMAP9_BAHAMAS } from "./mod.ts";
 * const dA = angularDiameterDistanceMpc(0.05, WMAP9_BAHAMAS);
 * if (!(dA > 200 && dA < 210)) throw new Error(`D_A(0.05) is about 205 Mpc, got ${dA}`);
 * ```
 * @module
 */
export * from "./parameters.ts";
export * from "./background.ts";
export * from "./growth.ts";
