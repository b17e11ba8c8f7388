/**
 * Sharded generation: `simulate --shard i/N` renders the i-th of N fixed,
 * contiguous blocks of the selected clusters (in id order) into a directory
 * of its own, and `merge` joins the N shard directories into the dataset
 * that an unsharded `simulate` with the same settings and seed writes, byte
 * for byte. Every cluster draws from its own stream (`clusterRng(seed, id)`),
 * and the cluster selection and the train/val/test split are made from the
 * whole catalogue in every shard, so a shard's images are those clusters'
 * images in the whole dataset.
 *
 * A shard directory holds the dataset files of its clusters, with the image
 * indices of the whole dataset in `catalog.csv` and `galaxies.csv` (so a
 * shard is not a loadable dataset by itself), and a `manifest.json` of
 * format {@linkcode SHARD_FORMAT}, written last: it holds the whole
 * dataset's manifest (the two totals that need every shard left `null`),
 * the shard's place and counts, and a hash of the code that made it.
 *
 * @module
 */

/** Which shard of how many: `index` in 0..count-1. */
export interface ShardSpec {
  /** 0-based shard index. */
  index: number;
  /** Number of shards (>= 1). */
  count: number;
}

/** The `format` of a shard directory's `manifest.json`. */
export const SHARD_FORMAT = "yan2020-dataset-shard";

/** The dataset manifest keys that only the merge can fill (they sum over every shard). */
export const SHARD_DEFERRED_KEYS = ["galaxies", "losHaloesPerImage"] as const;

/** The shard's own record inside its `manifest.json`. */
export interface ShardRecord {
  index: number;
  count: number;
  /** First cluster (rank in id order among the selected clusters) and how many. */
  firstCluster: number;
  clusters: number;
  /** First image index (4 x firstCluster) and how many. */
  firstImage: number;
  images: number;
  /** Galaxy rows in its galaxies.csv. */
  galaxies: number;
  /** Sum over its images of the line-of-sight haloes per image (an integer). */
  losHaloes: number;
  /** Hash of the code that wrote it (`codeHash` of tasks/simulate.ts), or null when unknown. */
  code: string | null;
}

/** A shard directory's `manifest.json`. */
export interface ShardManifest {
  format: typeof SHARD_FORMAT;
  shard: ShardRecord;
  /** The whole dataset's manifest, with {@linkcode SHARD_DEFERRED_KEYS} null. */
  dataset: Record<string, unknown>;
}

/**
 * Parse `i/N` (0 <= i < N). Throws a RangeError that names the fix.
 *
 * @example
 * ```ts
 * import { parseShard } from "./shard.ts";
 * const s = parseShard("1/4");
 * if (s.index !== 1 || s.count !== 4) throw new Error("1 of 4");
 * ```
 */
export function parseShard(text: string): ShardSpec {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m) {
    throw new RangeError(
      `Invalid --shard "${text}": expected i/N with 0 <= i < N, e.g. --shard 0/4 for the first of 4`,
    );
  }
  const spec = { index: Number(m[1]), count: Number(m[2]) };
  checkShard(spec, `--shard ${text}`);
  return spec;
}

/** Throw a RangeError unless `0 <= index < count` are integers. */
export function checkShard(spec: ShardSpec, what = "shard"): void {
  const { index, count } = spec;
  if (!(Number.isSafeInteger(count) && count >= 1)) {
    throw new RangeError(
      `Invalid ${what}: the count must be an integer >= 1, got ${count}`,
    );
  }
  if (!(Number.isSafeInteger(index) && index >= 0 && index < count)) {
    throw new RangeError(
      `Invalid ${what}: the index must be in 0..${count - 1} (counting from 0), got ${index}`,
    );
  }
}

/**
 * The clusters `[first, end)` (ranks in id order among `n` selected
 * clusters) of shard `spec`: contiguous blocks whose sizes differ by at most
 * one, so the shards' images concatenate in dataset order.
 */
export function shardRange(n: number, spec: ShardSpec): [number, number] {
  checkShard(spec);
  if (spec.count > n) {
    throw new RangeError(
      `Cannot shard ${n} clusters into ${spec.count} shards: every shard needs a cluster; ` +
        `use at most ${n} shards`,
    );
  }
  return [
    Math.floor((spec.index * n) / spec.count),
    Math.floor(((spec.index + 1) * n) / spec.count),
  ];
}

/** `i/N` as written on the command line. */
export function formatShard(spec: ShardSpec): string {
  return `${spec.index}/${spec.count}`;
}
