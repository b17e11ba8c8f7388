/**
 * Interpreting the networks (Yan et al. 2020, §4): Deep Dream gradients
 * (eq. 12), Gaussian-mask occlusion maps (eq. 13), and the correlation of the
 * true mass with the core and ring signals; plus the driver that writes the
 * interpretation directory behind Figs 8-11.
 *
 * Every analysis takes a differentiable prediction function
 * `(rawImages: tf.Tensor4D) => tf.Tensor1D` (raw image units in, M_pred in
 * Msun out), so it works on any network, trained or built by hand.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { deepDream, maskSweep } from "./mod.ts";
 * await tf.setBackend("cpu");
 * // A "network" that weighs the pixels of the left half only.
 * const w = tf.concat([tf.ones([8, 4, 1]), tf.zeros([8, 4, 1])], 1);
 * const predict = (x: tf.Tensor4D) => x.mul(w).sum([1, 2, 3]) as tf.Tensor1D;
 * const img = tf.ones([1, 8, 8, 1]) as tf.Tensor4D;
 * const dd = await deepDream(predict, img, { alpha: 1 });
 * if (dd.gradient[0] !== 1 || dd.gradient[7] !== 0) throw new Error("left half only");
 * const m = await maskSweep(predict, img, { stride: 4, sigmaPx: 1 });
 * if (!(m.grid[0] < m.grid[1])) throw new Error("masking the left half costs more mass");
 * img.dispose();
 * w.dispose();
 * ```
 * @module
 */
export * from "./deep_dream.ts";
export * from "./gaussian_mask.ts";
export * from "./core_ring.ts";
export * from "./select_clusters.ts";
export * from "./interpret_tracer.ts";
export * from "./interpret_dataset.ts";
