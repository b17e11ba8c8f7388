/**
 * Masses for new images with calibrated per-cluster uncertainties: a
 * Neyman confidence belt fitted on a run's validation split
 * (`calibration.json`), and `predictMasses`, which checks images (`.npy`,
 * FITS, a dataset) against the run's training data before predicting the
 * median M200 and its 68 and 95 per cent intervals.
 *
 * @example
 * ```ts
 * import { calibratedMass, fitConfidenceBelt } from "./mod.ts";
 * // A network with a 0.1 dex log-normal scatter and no bias.
 * const mTrueMsun: number[] = [], mPredMsun: number[] = [], cluster: number[] = [];
 * for (let i = 0; i < 400; i++) {
 *   const t = 13 + 1.5 * ((i * 0.618034) % 1);
 *   const u = ((i * 0.7548777) % 1) * 0.998 + 0.001;
 *   // Inverse normal CDF (a rough rational approximation is enough here).
 *   const q = Math.sqrt(-2 * Math.log(Math.min(u, 1 - u)));
 *   const z = Math.sign(u - 0.5) * (q - (2.515517 + 0.802853 * q + 0.010328 * q * q) /
 *     (1 + 1.432788 * q + 0.189269 * q * q + 0.001308 * q ** 3));
 *   mTrueMsun.push(10 ** t);
 *   mPredMsun.push(10 ** (t + 0.1 * z));
 *   cluster.push(i);
 * }
 * const belt = fitConfidenceBelt({ mTrueMsun, mPredMsun, cluster });
 * const m = calibratedMass(belt, 10 ** 13.75);
 * const half = Math.log10(m.p84Msun / m.p16Msun) / 2;
 * if (Math.abs(half - 0.1) > 0.02) throw new Error(`68% half-width ${half} dex, expected 0.1`);
 * ```
 * @module
 */
export * from "./confidence_belt.ts";
export * from "./calibrate.ts";
export * from "./predict.ts";
export * from "./coverage.ts";
export * from "./coverage_runs.ts";
export * from "./input_summary.ts";
export * from "./run_sets.ts";
export * from "./ensemble_predict.ts";
