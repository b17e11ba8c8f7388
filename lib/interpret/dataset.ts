/**
 * The parts of a dataset directory that the interpretation needs (the shared
 * data contract of `deno task simulate`): `catalog.csv`, `galaxies.csv` and
 * `images_<tracer>.npy`, plus the choice of the clusters shown in Figs 8-11.
 *
 * @module
 */
import { join } from "node:path";
import { readCsv, readNpy, type Row } from "../io/mod.ts";
import type { Split, Tracer } from "../types/mod.ts";
import type { ImageStack } from "./core_ring.ts";

/** Image side in pixels (data contract: 120 px over 20 arcmin). */
export const IMAGE_SIZE_PX = 120;
/** Image side in arcmin (data contract). */
export const IMAGE_FIELD_ARCMIN = 20;
/** Pixels per arcmin of the dataset images: 120 / 20 = 6. */
export const PIXELS_PER_ARCMIN = IMAGE_SIZE_PX / IMAGE_FIELD_ARCMIN;

/** One row of `catalog.csv`. */
export interface CatalogEntry {
  image: number;
  cluster: number;
  projection: number;
  redshift: number;
  m200Msun: number;
  r200Mpc: number;
  r200Arcmin: number;
  split: Split;
}

/** One galaxy of `galaxies.csv` (continuous pixel coordinates, x = column, y = row). */
export interface GalaxyEntry {
  xPix: number;
  yPix: number;
  mGalMsun: number;
}

const num = (row: Row, col: string, source: string): number => {
  const v = row[col];
  if (typeof v !== "number") {
    throw new TypeError(
      `Cannot read ${source}: column ${col} must be numeric, got ${JSON.stringify(v)}`,
    );
  }
  return v;
};

/** Read `catalog.csv` of a dataset directory. */
export async function readCatalog(dataDir: string): Promise<CatalogEntry[]> {
  const path = join(dataDir, "catalog.csv");
  const rows = await readCsv(path);
  return rows.map((r) => {
    const split = String(r.split);
    if (split !== "train" && split !== "val" && split !== "test") {
      throw new TypeError(`Cannot read ${path}: split must be train|val|test, got ${split}`);
    }
    return {
      image: num(r, "image", path),
      cluster: num(r, "cluster", path),
      projection: num(r, "projection", path),
      redshift: num(r, "redshift", path),
      m200Msun: num(r, "m200_msun", path),
      r200Mpc: num(r, "r200_mpc", path),
      r200Arcmin: num(r, "r200_arcmin", path),
      split,
    };
  });
}

/** Read `galaxies.csv`, grouped by image index. A missing file gives an empty map. */
export async function readGalaxies(dataDir: string): Promise<Map<number, GalaxyEntry[]>> {
  const path = join(dataDir, "galaxies.csv");
  const out = new Map<number, GalaxyEntry[]>();
  let rows: Row[];
  try {
    rows = await readCsv(path);
  } catch (e) {
    if (e instanceof Error && e.message.includes("not found")) return out;
    if (e instanceof TypeError && e.message.includes("empty file")) return out;
    throw e;
  }
  for (const r of rows) {
    const image = num(r, "image", path);
    const g = {
      xPix: num(r, "x_pix", path),
      yPix: num(r, "y_pix", path),
      mGalMsun: num(r, "m_gal_msun", path),
    };
    const list = out.get(image);
    if (list) list.push(g);
    else out.set(image, [g]);
  }
  return out;
}

/** Read `images_<tracer>.npy` as an `[N, H, W]` stack, checking its shape. */
export async function readTracerImages(dataDir: string, tracer: Tracer): Promise<ImageStack> {
  const path = join(dataDir, `images_${tracer}.npy`);
  const a = await readNpy(path);
  if (a.shape.length !== 3) {
    throw new TypeError(`Cannot read ${path}: expected shape [N, H, W], got [${a.shape}]`);
  }
  return { data: a.data, shape: a.shape };
}

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
