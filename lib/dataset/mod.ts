/**
 * Datasets on disk. `format.ts` owns the dataset directory format
 * (`catalog.csv`, `images_{star,fxs,fxb,ypar}.npy`, `galaxies.csv`,
 * `manifest.json`: names, columns, image size and field, typed rows and
 * manifest, the readers and the atomic writer); `simulateDataset` makes one
 * from the mock (halo catalogue -> cluster particles -> four views per cluster,
 * rendered on Deno workers, byte-for-byte reproducible from the seed);
 * `loadDataset` reads one into per-split arrays for training.
 *
 * @example
 * ```ts
 * import { simulateDataset } from "./mod.ts";
 * const out = await Deno.makeTempDir();
 * const r = await simulateDataset({ out, clusters: 2, los: false, workers: 0, silent: true });
 * if (r.images !== 8) throw new Error("2 clusters give 8 images");
 * await Deno.remove(out, { recursive: true });
 * ```
 * @module
 */
export * from "./format.ts";
export * from "./render.ts";
export * from "./simulate.ts";
export * from "./load_dataset.ts";
export * from "./shard.ts";
export * from "./merge.ts";
export * from "./folds.ts";
export * from "./testing.ts";
