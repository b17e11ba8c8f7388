/**
 * The mock's realism and the conventional baselines: integrated signals of a
 * noiseless sample in R500 apertures, fitted with power laws and set beside
 * published scaling relations and their scatter (`realismReport`), and the
 * scaling-relation mass estimate that Table 2 sets beside the CNNs
 * (`scalingRelationBaseline`).
 *
 * @example
 * ```ts
 * import { fitLogPowerLaw } from "./mod.ts";
 * const f = fitLogPowerLaw([1e14, 2e14, 4e14], [1, 2 ** (5 / 3), 4 ** (5 / 3)], 1e14);
 * if (Math.abs(f.slope - 5 / 3) > 1e-12) throw new Error("a pure power law has slope 5/3");
 * ```
 * @module
 */
export * from "./integrated.ts";
export * from "./measure.ts";
export * from "./report.ts";
export * from "./scaling_relation.ts";
export * from "./core_ring_check.ts";
