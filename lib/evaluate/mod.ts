/**
 * Evaluation of trained networks: the mass bias and scatter of Table 2 in the
 * central mass range and the binned fractional bias of Fig. 6.
 *
 * @example
 * ```ts
 * import { table2Stats } from "./mod.ts";
 * const mTrue = [1e14, 1e14, 1e14];
 * const row = table2Stats(mTrue, [0.9e14, 1e14, 1.1e14]);
 * if (Math.abs(row.rmsScatterPct - 10) > 1e-9) throw new Error("sd of 0.9, 1, 1.1 is 0.1");
 * ```
 * @module
 */
export * from "./table2.ts";
export * from "./predictions.ts";
export * from "./run_sets.ts";
