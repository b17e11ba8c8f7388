/**
 * TensorFlow.js backends for training: WebGPU, WASM (with this toolkit's fast
 * convolution gradient kernels) and the pure-JS cpu backend, chosen by name or
 * automatically.
 *
 * @example
 * ```ts
 * import { parseBackendName, setupBackend } from "./mod.ts";
 * const info = await setupBackend(parseBackendName("wasm"), { quiet: true });
 * if (info.name !== "wasm" || info.threads !== 1) throw new Error("single-threaded WASM");
 * ```
 * @module
 */
export * from "./backend.ts";
export * from "./wasm_kernels.ts";
export { readFloat32Into, type ReadIntoOptions, SIMD_CONV_WASM_URL } from "./simd_conv.ts";
export {
  convolutionRoute,
  loadOneDnn,
  MEASURED_STEP_KERNEL_MS,
  ONEDNN_LIBRARY,
  oneDnnAdvice,
  oneDnnImplementation,
  oneDnnKernelsActive,
  type OneDnnStatus,
  oneDnnStatus,
  setOneDnnKernels,
} from "./onednn.ts";
export {
  conv2dBiasRelu,
  conv2dBiasReluWeightsOnly,
  fusableConvConfig,
  fuseConvLayersForTraining,
  type FuseOptions,
} from "./fused_conv.ts";
