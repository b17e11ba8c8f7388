/**
 * The choice of the clusters shown in Figs 8-11. The dataset itself is read
 * through lib/dataset's format (`readCatalog`, `readGalaxies`,
 * `readTracerImages`).
 *
 * @module
 */
import type { CatalogEntry } from "../dataset/format.ts";
import type { Split } from "../types/mod.ts";

/** Options of {@linkcode selectSpanningMasses}. */
export interface SelectOptions {
  /** How many clusters; default 4 (Figs 8-11). */
  count?: number;
  /** Split to choose from; default "test". */
  split?: Split;
}

/**
 * Choose `count` distinct clusters of a split that span its mass range: the
 * targets are evenly spaced in log10 M200 from the lightest to the heaviest
 * cluster, and each takes the not-yet-chosen cluster nearest in log mass. One
 * image per cluster (its lowest projection index). Returned lightest first.
 * Deterministic: ties go to the lower image index.
 */
export function selectSpanningMasses(
  catalog: readonly CatalogEntry[],
  options: SelectOptions = {},
): CatalogEntry[] {
  const count = options.count ?? 4;
  const split = options.split ?? "test";
  if (!Number.isInteger(count) || count < 1) {
    throw new RangeError(`Cannot select clusters: count must be a positive integer, got ${count}`);
  }
  const perCluster = new Map<number, CatalogEntry>();
  for (const e of catalog) {
    if (e.split !== split) continue;
    const cur = perCluster.get(e.cluster);
    if (
      !cur || e.projection < cur.projection ||
      (e.projection === cur.projection && e.image < cur.image)
    ) perCluster.set(e.cluster, e);
  }
  const pool = [...perCluster.values()].sort((a, b) => a.image - b.image);
  if (pool.length < count) {
    throw new RangeError(
      `Cannot select ${count} clusters: the ${split} split has only ${pool.length}; ` +
        `simulate more clusters or ask for fewer`,
    );
  }
  const lm = (e: CatalogEntry) => Math.log10(e.m200Msun);
  const lo = Math.min(...pool.map(lm));
  const hi = Math.max(...pool.map(lm));
  const chosen: CatalogEntry[] = [];
  const used = new Set<number>();
  for (let k = 0; k < count; k++) {
    const target = count === 1 ? (lo + hi) / 2 : lo + (hi - lo) * k / (count - 1);
    let best: CatalogEntry | undefined;
    for (const e of pool) {
      if (used.has(e.cluster)) continue;
      if (!best || Math.abs(lm(e) - target) < Math.abs(lm(best) - target)) best = e;
    }
    used.add(best!.cluster);
    chosen.push(best!);
  }
  return chosen.sort((a, b) => a.m200Msun - b.m200Msun || a.image - b.image);
}
