/**
 * Files on disk: NumPy `.npy` arrays, CSV tables, atomic writes and progress.
 *
 * @example
 * ```ts
 * import { decodeNpy, encodeNpy } from "./mod.ts";
 * const a = { shape: [2, 2], data: new Float32Array([1, 2, 3, 4]) };
 * const b = decodeNpy(encodeNpy(a));
 * if (b.data[3] !== 4) throw new Error("round trip failed");
 * ```
 * @module
 */
export * from "./npy.ts";
export * from "./csv.ts";
export * from "./atomic.ts";
export * from "./progress.ts";
export * from "./npy_stream.ts";
export * from "./lock.ts";
export * from "./output_folder.ts";
export * from "./lifeline.ts";
export * from "./finite.ts";
