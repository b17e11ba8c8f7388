/**
 * K-fold cross-validation by cluster (Ntampaka et al. 2019, Ho et al. 2019
 * report the spread of their statistics over folds): the dataset's clusters
 * are shuffled with a fixed seed and dealt into K folds; for fold k the test
 * set is fold k, the validation set fold k + 1 (mod K) and the training set
 * the rest. A cluster's four views are always in one fold, so no cluster is
 * seen in training and in testing, and over the K folds every cluster is
 * tested exactly once.
 *
 * @module
 */
import { Rng } from "../random/mod.ts";
import type { Split } from "../types/mod.ts";
import { checkShard, type ShardSpec } from "./shard.ts";

/** Fold `index` of `count` (0-based), as `--fold k/K` on the command line. */
export type FoldSpec = ShardSpec;

/** The seed of the fold assignment when none is given (it is independent of the dataset's). */
export const DEFAULT_FOLD_SEED = 20200101;

/**
 * Parse `k/K` with 0 <= k < K and K >= 3 (a test, a validation and at least
 * one training fold). Throws a RangeError that names the fix.
 *
 * @example
 * ```ts
 * import { parseFold } from "./folds.ts";
 * if (parseFold("4/5").index !== 4) throw new Error("fold 4 of 5");
 * ```
 */
export function parseFold(text: string): FoldSpec {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m) {
    throw new RangeError(
      `Invalid --fold "${text}": expected k/K with 0 <= k < K, e.g. --fold 0/5 for the first of 5`,
    );
  }
  const spec = { index: Number(m[1]), count: Number(m[2]) };
  checkFold(spec, `--fold ${text}`);
  return spec;
}

/** Throw a RangeError unless `0 <= index < count` and `count >= 3`. */
export function checkFold(spec: FoldSpec, what = "fold"): void {
  if (Number.isSafeInteger(spec.count) && spec.count < 3) {
    throw new RangeError(
      `Invalid ${what}: K-fold needs K >= 3 (a test, a validation and a training fold), ` +
        `got K = ${spec.count}`,
    );
  }
  checkShard(spec, what);
}

/**
 * The split of every cluster for fold `spec`: `test` for fold k, `val` for
 * fold k + 1 (mod K), `train` otherwise. The assignment depends only on the
 * set of cluster ids and `seed`, not on their order.
 */
export function foldSplits(
  clusterIds: readonly number[],
  spec: FoldSpec,
  seed = DEFAULT_FOLD_SEED,
): Map<number, Split> {
  checkFold(spec);
  const ids = [...new Set(clusterIds)].sort((a, b) => a - b);
  if (ids.length < spec.count) {
    throw new RangeError(
      `Cannot make ${spec.count} folds of ${ids.length} clusters: use at most ${ids.length} folds`,
    );
  }
  const order = new Rng(seed).fork(7).shuffle(ids);
  const out = new Map<number, Split>();
  order.forEach((id, i) => {
    const f = i % spec.count;
    out.set(
      id,
      f === spec.index ? "test" : f === (spec.index + 1) % spec.count ? "val" : "train",
    );
  });
  return out;
}
