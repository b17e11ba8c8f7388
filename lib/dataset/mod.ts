/**
 * The dataset writer: halo catalogue -> cluster particles -> four views per
 * cluster (four tracers each) -> the dataset directory contract
 * (`catalog.csv`, `images_{star,fxs,fxb,ypar}.npy`, `galaxies.csv`,
 * `manifest.json`), written atomically, rendered on Deno workers,
 * byte-for-byte reproducible from the seed.
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
