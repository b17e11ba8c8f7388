/**
 * Reading a dataset directory (the output of `deno task simulate`) for
 * training: per-split image arrays, labels, image indices and cluster ids,
 * validated before any training starts.
 *
 * @example
 * ```ts
 * import { loadDataset, writeSyntheticDataset } from "./mod.ts";
 * const dir = await Deno.makeTempDir();
 * await writeSyntheticDataset(dir, { clusters: 5, tracers: ["ypar"] });
 * const ds = await loadDataset(dir, { tracer: "ypar" });
 * if (ds.splits.train.n + ds.splits.val.n + ds.splits.test.n !== 20) throw new Error("20 images");
 * await Deno.remove(dir, { recursive: true });
 * ```
 * @module
 */
export * from "./load_dataset.ts";
export * from "./testing.ts";
