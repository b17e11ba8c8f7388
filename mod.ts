/**
 * Galaxy cluster mass estimation with deep learning: a reproduction of
 * Yan et al. (2020, MNRAS 499, 3445) in Deno and TensorFlow.js.
 *
 * The public API: each pipeline stage's `mod.ts`, re-exported, in the order
 * the data flows: cosmology -> haloes -> particles -> images -> dataset ->
 * CNN training -> evaluation -> figures and interpretation.
 *
 * @example
 * ```ts
 * import { angularDiameterDistanceMpc, WMAP9_BAHAMAS } from "./mod.ts";
 * const dA = angularDiameterDistanceMpc(0.05, WMAP9_BAHAMAS);
 * if (!(dA > 200 && dA < 210)) throw new Error(`D_A(0.05) = ${dA} Mpc`);
 * ```
 * @module
 */
export * from "./lib/types/mod.ts";
export * from "./lib/constants/mod.ts";
export * from "./lib/random/mod.ts";
export * from "./lib/io/mod.ts";
export * from "./lib/profiles/mod.ts";
export * from "./lib/cosmology/mod.ts";
export * from "./lib/halo/mod.ts";
export * from "./lib/particles/mod.ts";
export * from "./lib/observe/mod.ts";
export * from "./lib/dataset/mod.ts";
export * from "./lib/model/mod.ts";
export * from "./lib/backend/mod.ts";
export * from "./lib/train/mod.ts";
export * from "./lib/evaluate/mod.ts";
export * from "./lib/interpret/mod.ts";
export * from "./lib/figures/mod.ts";
export * from "./lib/hdf5/mod.ts";
export * from "./lib/import/mod.ts";
export * from "./lib/fits/mod.ts";
export * from "./lib/predict/mod.ts";
export * from "./lib/realism/mod.ts";
export * from "./lib/pipeline/mod.ts";
