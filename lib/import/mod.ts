/**
 * Real simulations in: a Gadget-format HDF5 snapshot and its group catalogue
 * (IllustrisTNG or EAGLE/BAHAMAS layout, single or multi-file) to a dataset
 * directory in the format `deno task simulate` writes, read in hyperslabs with
 * periodic boundaries, four projections per group labelled with the group
 * catalogue's M200c.
 *
 * @example
 * ```ts
 * import { parseSnapshotFormat, tngTemperatureK } from "./mod.ts";
 * // Fully ionised gas (x_e = 1.158, mu = 0.588) with u = 1e6 (km/s)^2 is at 4.75e7 K.
 * const t = tngTemperatureK(1e6, 1.158);
 * if (!(t > 4.7e7 && t < 4.8e7)) throw new Error(`T = ${t}`);
 * let message = "";
 * try {
 *   parseSnapshotFormat("gizmo");
 * } catch (e) {
 *   message = (e as Error).message;
 * }
 * if (!message.includes("gizmo")) throw new Error(message);
 * ```
 * @module
 */
export * from "./formats.ts";
export * from "./snapshot_import.ts";
