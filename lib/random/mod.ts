/**
 * Seeded random numbers, passed explicitly to every stage.
 *
 * @example
 * ```ts
 * import { Rng } from "./mod.ts";
 * const a = new Rng(42).normal();
 * const b = new Rng(42).normal();
 * if (a !== b) throw new Error("same seed must give the same numbers");
 * ```
 * @module
 */
export * from "./rng.ts";
