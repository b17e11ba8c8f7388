/**
 * Readers that turn the toolkit's files (dataset directory, training runs)
 * into the plain inputs of the figure builders. Each throws an Error naming
 * the missing or malformed file.
 *
 * @module
 */
import { join } from "node:path";
import { readCsv } from "../io/mod.ts";
import { DATASET_FILES, readCatalog, readManifest } from "../dataset/format.ts";
import { readPredictions } from "../evaluate/predictions.ts";
import { buildHaloCatalogue } from "../halo/mod.ts";
import { Rng } from "../random/mod.ts";
import { type NetworkKind, NETWORKS, type Tracer, TRACERS } from "../types/mod.ts";
import type { Fig01Cluster } from "./fig01_mass_distribution.ts";
import {
  FIG02_MASS_RANGES_LOG10,
  type Fig02CatalogRow,
  type Fig02Cluster,
  selectFig02Images,
} from "./fig02_images.ts";
import type { LearningCurve } from "./fig04_learning_curves.ts";
import type { MassPairs } from "./fig05_pred_vs_true.ts";
import { readNpyRows } from "./_npy_rows.ts";

/** True when `path` exists (file or directory). */
export async function pathExists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
}

function num(row: Record<string, string | number>, col: string, path: string, i: number): number {
  const v = row[col];
  if (typeof v !== "number") {
    throw new TypeError(
      `Cannot read ${path}: row ${i + 2} has no numeric ${col} (got ${JSON.stringify(v)})`,
    );
  }
  return v;
}

/** The catalogue's rows as Fig. 2 needs them (`DIR/catalog.csv`, lib/dataset's `readCatalog`). */
export async function readCatalogRows(dataDir: string): Promise<Fig02CatalogRow[]> {
  return (await readCatalog(dataDir)).map((r) => ({
    image: r.image,
    cluster: r.cluster,
    projection: r.projection,
    m200Msun: r.m200Msun,
  }));
}

/**
 * Rebuild the halo catalogue a dataset was simulated from (seed and cosmology
 * from its `manifest.json`, `lib/dataset`'s draw order: `new Rng(seed).fork(1)`)
 * and return each cluster's DMO bin, but only when every cluster's rebuilt
 * hydro M200 equals the catalogue's to 1e-6 (the CSV keeps 8 digits)
 * (otherwise, e.g. a dataset made from other haloes or by another version,
 * `undefined`).
 */
export async function recoverDmoBins(
  dataDir: string,
  clusters: ReadonlyMap<number, number>,
): Promise<Map<number, number> | undefined> {
  const manifest = await readManifest(dataDir);
  if (typeof manifest?.seed !== "number" || typeof manifest.cosmology !== "object") {
    return undefined;
  }
  let haloes;
  try {
    haloes = buildHaloCatalogue(new Rng(manifest.seed).fork(1), { cosmology: manifest.cosmology });
  } catch {
    return undefined;
  }
  const byId = new Map(haloes.map((h) => [h.id, h]));
  const out = new Map<number, number>();
  for (const [id, m200Msun] of clusters) {
    const h = byId.get(id);
    if (!h || !(Math.abs(h.m200Msun / m200Msun - 1) < 1e-6)) return undefined;
    out.set(id, h.bin);
  }
  return out;
}

/**
 * One {@linkcode Fig01Cluster} per cluster of `DIR/catalog.csv` (projections
 * collapsed), with its DMO selection bin when {@linkcode recoverDmoBins} can
 * rebuild it.
 */
export async function readFig01Clusters(dataDir: string): Promise<Fig01Cluster[]> {
  const byCluster = new Map<number, Fig01Cluster>();
  for (const r of await readCatalog(dataDir)) {
    if (!byCluster.has(r.cluster)) byCluster.set(r.cluster, { m200Msun: r.m200Msun });
  }
  const bins = await recoverDmoBins(
    dataDir,
    new Map([...byCluster].map(([id, c]) => [id, c.m200Msun])),
  );
  if (bins) { for (const [id, c] of byCluster) c.dmoBin = bins.get(id); }
  return [...byCluster.values()];
}

/** The unit part of a `manifest.json` unit description: the text before the first ":", "," or " (". */
export function shortUnit(description: string): string {
  const cut = description.search(/:|,| \(/);
  return (cut < 0 ? description : description.slice(0, cut)).trim();
}

/** Units per tracer from `DIR/manifest.json` (short form), or `undefined` when absent. */
export async function readTracerUnits(
  dataDir: string,
): Promise<Partial<Record<Tracer, string>> | undefined> {
  const units = (await readManifest(dataDir))?.units;
  if (typeof units !== "object" || units === null) return undefined;
  const out: Partial<Record<Tracer, string>> = {};
  for (const t of TRACERS) if (typeof units[t] === "string") out[t] = shortUnit(units[t]);
  return out;
}

/**
 * The four Fig. 2 clusters (one per mass range, see
 * {@linkcode selectFig02Images}) with their four tracer images, reading only
 * those rows of the `images_*.npy` files.
 */
export async function readFig02Clusters(
  dataDir: string,
  options: { rangesLog10?: readonly (readonly [number, number])[] } = {},
): Promise<Fig02Cluster[]> {
  const catalog = await readCatalogRows(dataDir);
  const chosen = selectFig02Images(catalog, {
    rangesLog10: options.rangesLog10 ?? FIG02_MASS_RANGES_LOG10,
  });
  if (chosen.length === 0) {
    throw new RangeError(
      `Cannot build Fig. 2: no projection-0 image of ${dataDir}/catalog.csv lies in the mass ranges`,
    );
  }
  const images = await Promise.all(
    TRACERS.map((t) =>
      readNpyRows(join(dataDir, DATASET_FILES.images(t)), chosen.map((c) => c.image))
    ),
  );
  return chosen.map((c, k) => ({
    cluster: c.cluster,
    m200Msun: c.m200Msun,
    label: [
      `range ${c.rangeLog10[0]}–${c.rangeLog10[1]}`,
      `log M200 = ${Math.log10(c.m200Msun).toFixed(2)}`,
    ],
    images: {
      star: images[0].rows[k],
      fxs: images[1].rows[k],
      fxb: images[2].rows[k],
      ypar: images[3].rows[k],
    },
  }));
}

/** Read a run's `history.csv` (header `epoch,loss,val_loss,lr,seconds,images_per_s`). */
export async function readLearningCurve(path: string): Promise<LearningCurve> {
  const rows = await readCsv(path);
  if (rows.length === 0) throw new RangeError(`Cannot read ${path}: no epochs`);
  return {
    epoch: rows.map((r, i) => num(r, "epoch", path, i)),
    valLoss: rows.map((r, i) => num(r, "val_loss", path, i)),
  };
}

/** The learning curves of every network with a `RUNS/<network>/history.csv`. */
export async function readLearningCurves(
  runsDir: string,
): Promise<Partial<Record<NetworkKind, LearningCurve>>> {
  const out: Partial<Record<NetworkKind, LearningCurve>> = {};
  for (const n of NETWORKS) {
    const path = join(runsDir, n, "history.csv");
    if (await pathExists(path)) out[n] = await readLearningCurve(path);
  }
  return out;
}

/** The test-set predictions of every network with a `RUNS/<network>/predictions.csv`. */
export async function readMassPairs(
  runsDir: string,
): Promise<Partial<Record<NetworkKind, MassPairs>>> {
  const out: Partial<Record<NetworkKind, MassPairs>> = {};
  for (const n of NETWORKS) {
    const path = join(runsDir, n, "predictions.csv");
    if (await pathExists(path)) out[n] = await readPredictions(path);
  }
  return out;
}
