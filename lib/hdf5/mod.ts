/**
 * HDF5 input through `h5wasm` (the HDF5 C library in WebAssembly): open a
 * file read-only, read datasets row range by row range (hyperslabs, so a
 * snapshot of tens of GB is never held in memory), read attributes, and find
 * the sibling files of a multi-file snapshot (`snap_099.0.hdf5`, `.1`, ...).
 * Missing groups, datasets and attributes throw errors that name them.
 *
 * @example
 * ```ts
 * import { Hdf5File } from "./mod.ts";
 * const path = await Deno.makeTempFile({ suffix: ".hdf5" });
 * await Deno.writeTextFile(path, "not HDF5");
 * let message = "";
 * try {
 *   await Hdf5File.open(path);
 * } catch (e) {
 *   message = (e as Error).message;
 * }
 * if (!message.includes("not an HDF5 file")) throw new Error(message);
 * await Deno.remove(path);
 * ```
 * @module
 */
export * from "./hdf5_file.ts";
