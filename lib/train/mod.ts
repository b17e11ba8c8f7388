/**
 * Training the paper's CNNs (Yan et al. 2020, §2.4): input scaling, Keras-2
 * RMSprop with decay, the epoch loop with validation, best-weight selection,
 * atomic per-epoch checkpoints and resume, data-parallel training over Deno
 * workers with single-threaded WASM backends, and loading a trained network as
 * a differentiable function from raw images to M200.
 *
 * @example
 * ```ts
 * import { KerasRmsprop } from "./mod.ts";
 * const opt = new KerasRmsprop(1, { learningRate: 0.01, decay: 1e-4 });
 * const p = new Float32Array([1]);
 * opt.step(p, new Float32Array([2]));
 * // First step: a = 0.1 g^2, p -= lr g / sqrt(a) = 0.01 / sqrt(0.1).
 * if (Math.abs(p[0] - (1 - 0.01 / Math.sqrt(0.1))) > 1e-6) throw new Error("RMSprop step");
 * ```
 * @module
 */
export * from "./scaling.ts";
export * from "./rmsprop.ts";
export * from "./train_network.ts";
export * from "./trained_model.ts";
export * from "./schedule.ts";
