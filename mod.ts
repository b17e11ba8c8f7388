/**
 * Galaxy cluster mass estimation with deep learning: a reproduction of
 * Yan et al. (2020, MNRAS 499, 3445) in Deno and TensorFlow.js.
 *
 * The public API: each pipeline stage's `mod.ts`, re-exported.
 *
 * @module
 */
export * from "./lib/types/mod.ts";
export * from "./lib/random/mod.ts";
export * from "./lib/io/mod.ts";
export * from "./lib/profiles/mod.ts";
export * from "./lib/constants/mod.ts";
