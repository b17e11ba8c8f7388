/**
 * The paper's CNNs (Yan et al. 2020, §2.4, Fig. 3) as TensorFlow.js
 * LayersModels, and the convention of their output (`log10(M200/Msun) - 14`).
 *
 * @example
 * ```ts
 * import { buildSingleChannelModel, massToTarget, outputToMassMsun } from "./mod.ts";
 * const model = buildSingleChannelModel({ seed: 7, inputSize: 16 });
 * const t = massToTarget(3e14); // 0.477...
 * if (Math.abs(outputToMassMsun(t) / 3e14 - 1) > 1e-12) throw new Error("round trip");
 * model.dispose();
 * ```
 * @module
 */
export * from "./yan20_cnn.ts";
