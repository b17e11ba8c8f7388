/**
 * The dataset directory format (architecture.md, "Data on disk"): the one
 * place that knows its file names, its columns, its image size and field, the
 * manifest's fields, how to read each file and how to write a directory
 * atomically. `simulateDataset` and `importSnapshot` write through
 * {@linkcode DatasetWriter}; training, interpretation, figures, realism and
 * the FITS export read through {@linkcode readCatalog},
 * {@linkcode readGalaxies}, {@linkcode readTracerImages} and
 * {@linkcode readManifest}.
 *
 * A dataset directory holds
 * - `catalog.csv`: {@linkcode CATALOG_COLUMNS}, one row per image, images
 *   0..N-1 in order;
 * - `images_star.npy`, `images_fxs.npy`, `images_fxb.npy`,
 *   `images_ypar.npy`: float32 `[N, 120, 120]` (C order `[image][row y][col x]`);
 * - `galaxies.csv`: {@linkcode GALAXY_COLUMNS} (header only when no galaxy
 *   catalogue is known);
 * - `manifest.json` ({@linkcode DatasetManifest}), written last: a directory
 *   with a manifest is a complete dataset.
 *
 * @example
 * ```ts
 * import { FIELD_OF_VIEW_ARCMIN, IMAGE_SIZE_PIX, PIXELS_PER_ARCMIN } from "./format.ts";
 * if (IMAGE_SIZE_PIX / FIELD_OF_VIEW_ARCMIN !== PIXELS_PER_ARCMIN) throw new Error("10 arcsec");
 * ```
 * @module
 */
import { join } from "node:path";
import { formatCsv, parseCsv, readNpy, type Row, writeJsonAtomic } from "../io/mod.ts";
import { NpyStreamWriter } from "../io/npy_stream.ts";
import type { Cosmology } from "../cosmology/mod.ts";
import type { NoiseSetting, Profile, Split, Tracer } from "../types/mod.ts";
import { TRACERS } from "../types/mod.ts";
import denoJson from "../../deno.json" with { type: "json" };

/** Side of a dataset image in pixels (the paper's 120 pixels over 20 arcmin, §2.2). */
export const IMAGE_SIZE_PIX = 120;
/** Side of a dataset image [arcmin] (the paper's 20 arcmin, §2.2). */
export const FIELD_OF_VIEW_ARCMIN = 20;
/** Pixels per image (120 x 120). */
export const IMAGE_PIXELS = IMAGE_SIZE_PIX * IMAGE_SIZE_PIX;
/** Pixels per arcmin of the dataset images: 120 / 20 = 6 (10 arcsec pixels). */
export const PIXELS_PER_ARCMIN = IMAGE_SIZE_PIX / FIELD_OF_VIEW_ARCMIN;
/** Redshift range of the views (the paper's U(0.03, 0.07), §2.2). */
export const VIEW_REDSHIFT_RANGE: readonly [number, number] = [0.03, 0.07];

/** Names of the files of a dataset directory. */
export const DATASET_FILES = {
  catalog: "catalog.csv",
  galaxies: "galaxies.csv",
  manifest: "manifest.json",
  images: (t: Tracer) => `images_${t}.npy`,
} as const;

/** The header of `catalog.csv`, exactly. */
export const CATALOG_COLUMNS: readonly string[] = [
  "image",
  "cluster",
  "projection",
  "redshift",
  "m200_msun",
  "r200_mpc",
  "r200_arcmin",
  "split",
];

/** The header of `galaxies.csv`, exactly. */
export const GALAXY_COLUMNS: readonly string[] = [
  "image",
  "cluster",
  "x_pix",
  "y_pix",
  "m_gal_msun",
];

/** @deprecated Use {@linkcode GALAXY_COLUMNS}. */
export const DATASET_GALAXY_COLUMNS: string[] = [...GALAXY_COLUMNS];

/** One row of `catalog.csv` (one image). */
export interface CatalogEntry {
  /** Image index in the `.npy` arrays (0..N-1, the row number). */
  image: number;
  /** Cluster (group) id; its four projections share it. */
  cluster: number;
  /** Projection 0..3 (x, y, z, (sqrt2/2, -sqrt2/2, 0)). */
  projection: number;
  /** Redshift of the view. */
  redshift: number;
  /** M200c [Msun], the label. */
  m200Msun: number;
  /** r200c [physical Mpc]. */
  r200Mpc: number;
  /** r200 / d_A(redshift) [arcmin]. */
  r200Arcmin: number;
  split: Split;
}

/** One galaxy of `galaxies.csv` (continuous pixel coordinates, x = column, y = row). */
export interface GalaxyEntry {
  xPix: number;
  yPix: number;
  mGalMsun: number;
}

/**
 * The four catalogue rows of one object's views (images `firstImage` to
 * `firstImage + 3`, projections 0-3), from the views' redshifts and angular
 * r200 and the object's label.
 */
export function catalogRowsOfViews(
  views: { redshifts: readonly number[]; r200Arcmin: readonly number[] },
  object: { firstImage: number; cluster: number; m200Msun: number; r200Mpc: number; split: Split },
): CatalogEntry[] {
  return [0, 1, 2, 3].map((p) => ({
    image: object.firstImage + p,
    cluster: object.cluster,
    projection: p,
    redshift: views.redshifts[p],
    m200Msun: object.m200Msun,
    r200Mpc: object.r200Mpc,
    r200Arcmin: views.r200Arcmin[p],
    split: object.split,
  }));
}

/** A galaxy row as written: the image and cluster it belongs to, and the galaxy. */
export interface GalaxyRecord extends GalaxyEntry {
  image: number;
  cluster: number;
}

/** Noise rms (image units) and beam FWHM of one tracer, as the manifest records them. */
export interface ManifestInstrument {
  rms: number;
  beamFwhmArcmin: number;
}

/**
 * `manifest.json`: what a reader needs to interpret the arrays (image size,
 * field, units, noise and beam, cosmology, seed, the profile the data were
 * made with) and where they came from. Writers may add fields.
 */
export interface DatasetManifest {
  format: typeof DATASET_FORMAT;
  formatVersion: number;
  toolkit: { name: string; version: string };
  /** The run profile the dataset was simulated with; `null` for an import. */
  profile: Profile | null;
  seed: number;
  clusters: number;
  images: number;
  galaxies: number;
  splitClusters: Record<Split, number>;
  /** Pixels per side. */
  npix: number;
  /** Field of view per side [arcmin]. */
  fovArcmin: number;
  /** Pixel side [arcsec]. */
  pixelArcsec: number;
  centrePixel: [number, number];
  /** How image indices map to clusters and projections, and the array order. */
  imageOrder: string;
  /** The four projection axes. */
  projections: string[];
  /** Redshift range of the views. */
  redshiftRange: [number, number];
  /** Line-of-sight structure in the images. */
  los: boolean;
  noise: NoiseSetting;
  instruments: Record<Tracer, ManifestInstrument>;
  /** "Gaussian noise added first, then Gaussian beam smoothing (paper §2.2)". */
  noiseOrder: string;
  /** Units of the arrays and catalogue columns, by name. */
  units: Record<string, string>;
  /** F = L / (4 pi d_L^2). */
  fluxConvention: string;
  cosmology: Cosmology;
  [field: string]: unknown;
}

/** `manifest.json`'s `format`. */
export const DATASET_FORMAT = "yan2020-dataset";
/** `manifest.json`'s `formatVersion`. */
export const DATASET_FORMAT_VERSION = 1;

/** The manifest's first fields: format, version and the toolkit that wrote it. */
export function manifestHeader(): Pick<DatasetManifest, "format" | "formatVersion" | "toolkit"> {
  return {
    format: DATASET_FORMAT,
    formatVersion: DATASET_FORMAT_VERSION,
    toolkit: { name: denoJson.name, version: denoJson.version },
  };
}

/** The manifest's image geometry for `npix` pixels over `fovArcmin`. */
export function manifestGeometry(
  npix: number,
  fovArcmin: number,
): Pick<DatasetManifest, "npix" | "fovArcmin" | "pixelArcsec" | "centrePixel"> {
  return {
    npix,
    fovArcmin,
    pixelArcsec: (fovArcmin * 60) / npix,
    centrePixel: [npix / 2, npix / 2],
  };
}

/** The four projection axes as the manifest names them. */
export const MANIFEST_PROJECTIONS: readonly string[] = ["x", "y", "z", "(sqrt2/2, -sqrt2/2, 0)"];
/** The order of noise and beam, as the manifest states it. */
export const MANIFEST_NOISE_ORDER =
  "Gaussian noise added first, then Gaussian beam smoothing (paper §2.2)";
/** The flux convention, as the manifest states it. */
export const MANIFEST_FLUX_CONVENTION =
  "F = L / (4 pi d_L^2) (the paper's eq. 4 omits the square: a typo)";

/**
 * The manifest's description of the images' noise, beams, units, conventions
 * and cosmology, in the order both writers give them.
 */
export function manifestImaging(
  imaging:
    & Pick<DatasetManifest, "noise" | "instruments" | "units" | "cosmology">
    & { noiseScale?: Partial<Record<Tracer, number>> },
): Pick<
  DatasetManifest,
  "noise" | "instruments" | "noiseOrder" | "units" | "fluxConvention" | "cosmology"
> {
  return {
    noise: imaging.noise,
    instruments: imaging.instruments,
    noiseOrder: MANIFEST_NOISE_ORDER,
    // Written only when given (simulate's per-tracer noise factors), after the order of noise and beam.
    ...(imaging.noiseScale !== undefined ? { noiseScale: imaging.noiseScale } : {}),
    units: imaging.units,
    fluxConvention: MANIFEST_FLUX_CONVENTION,
    cosmology: imaging.cosmology,
  };
}

/** Units of the four image arrays and of the view redshift (manifest `units`). */
export const IMAGE_UNITS: Readonly<Record<Tracer | "redshift", string>> = Object.freeze({
  star: "Msun Mpc^-2: stellar surface density, paper eq. 2, stellar mass in the pixel over its " +
    "physical area S = (d_A * 10 arcsec)^2 in physical Mpc^2. Table 1 prints the unit as Msun; " +
    "its noise (2.14e11, '1/10 of the mean across the sample') is only consistent with this " +
    "surface density (mock mean pixel ~1e12 Msun Mpc^-2). Multiply by S for Msun per pixel.",
  fxs: "erg s^-1 cm^-2 per pixel, rest-frame 0.5-2 keV (Tozzi & Norman 2001 cooling with a " +
    "bremsstrahlung band fraction; see lib/observe/tozzi_norman01.ts)",
  fxb: "erg s^-1 cm^-2 per pixel, bolometric (Tozzi & Norman 2001, Z = 0.3 Zsun)",
  ypar: "Compton y (dimensionless), sum of Upsilon / S per pixel (paper eq. 5)",
  redshift: "redshift of the view (U(0.03, 0.07))",
});

/** Units of `galaxies.csv`'s columns (manifest `units`). */
export const GALAXY_UNITS: Readonly<Record<string, string>> = Object.freeze({
  x_pix: "continuous pixel coordinate, column (0..npix), centre at npix/2",
  y_pix: "continuous pixel coordinate, row (0..npix), centre at npix/2",
  m_gal_msun: "galaxy stellar mass [Msun] (> 1e10); cluster, companion and line-of-sight galaxies",
});

/** Image size and field of a dataset: the manifest's, or the format's defaults without one. */
export interface ImageGeometry {
  npix: number;
  fovArcmin: number;
  pixelArcsec: number;
}

/** The image geometry a manifest records (120 px over 20 arcmin when absent). */
export function imageGeometry(manifest: Partial<DatasetManifest> | null): ImageGeometry {
  const npix = typeof manifest?.npix === "number" ? manifest.npix : IMAGE_SIZE_PIX;
  const fovArcmin = typeof manifest?.fovArcmin === "number"
    ? manifest.fovArcmin
    : FIELD_OF_VIEW_ARCMIN;
  const pixelArcsec = typeof manifest?.pixelArcsec === "number"
    ? manifest.pixelArcsec
    : (fovArcmin * 60) / npix;
  return { npix, fovArcmin, pixelArcsec };
}

const SPLITS: readonly Split[] = ["train", "val", "test"];

/** What to tell a user whose dataset directory `dir` is missing or incomplete. */
export function makeDatasetHint(dir: string): string {
  return `Make a dataset first, e.g. \`deno task simulate --profile smoke --out ${dir}\`.`;
}

/** What is wrong with a catalogue header: the columns missing, unexpected or out of order. */
function headerMismatch(got: string[]): string {
  const want: readonly string[] = CATALOG_COLUMNS;
  const missing = want.filter((c) => !got.includes(c));
  const extra = got.filter((c) => !want.includes(c));
  const expected = `expected the header "${want.join(",")}"`;
  if (missing.length > 0) {
    return `column${missing.length > 1 ? "s" : ""} ${missing.join(", ")} missing` +
      (extra.length > 0 ? ` (found ${extra.map((c) => `"${c}"`).join(", ")} instead)` : "") +
      `; ${expected}`;
  }
  if (extra.length > 0) return `unexpected column(s) ${extra.join(", ")}; ${expected}`;
  return `columns in the order "${got.join(",")}"; ${expected}`;
}

/**
 * Parse and check `catalog.csv`: the header, image indices 0..N-1 in order,
 * numeric columns, positive masses, integer clusters and known splits.
 */
export function parseCatalog(text: string, source = "catalog.csv"): CatalogEntry[] {
  const header = text.slice(0, text.search(/\r?\n|$/));
  if (header !== CATALOG_COLUMNS.join(",")) {
    throw new TypeError(`Cannot read ${source}: ${headerMismatch(header.split(","))}`);
  }
  const rows = parseCsv(text, source);
  if (rows.length === 0) {
    throw new RangeError(`Cannot read ${source}: no images. Simulate a dataset with clusters.`);
  }
  return rows.map((r, i) => {
    if (r.image !== i) {
      throw new TypeError(
        `Cannot read ${source}: row ${i + 2} has image ${r.image}, expected ${i} ` +
          `(rows must list images 0..N-1 in order)`,
      );
    }
    const m = r.m200_msun;
    if (typeof m !== "number" || !(m > 0)) {
      throw new RangeError(`Cannot read ${source}: row ${i + 2} has m200_msun ${m}, need > 0`);
    }
    if (typeof r.cluster !== "number" || !Number.isInteger(r.cluster)) {
      throw new TypeError(`Cannot read ${source}: row ${i + 2} has cluster ${r.cluster}`);
    }
    if (!(SPLITS as readonly unknown[]).includes(r.split)) {
      throw new TypeError(
        `Cannot read ${source}: row ${i + 2} has split "${r.split}", expected train, val or test`,
      );
    }
    return {
      image: i,
      cluster: r.cluster,
      projection: num(r, "projection", source, i),
      redshift: num(r, "redshift", source, i),
      m200Msun: m,
      r200Mpc: num(r, "r200_mpc", source, i),
      r200Arcmin: num(r, "r200_arcmin", source, i),
      split: r.split as Split,
    };
  });
}

function num(row: Row, col: string, source: string, i: number): number {
  const v = row[col];
  if (typeof v !== "number") {
    throw new TypeError(
      `Cannot read ${source}: row ${i + 2} has no numeric ${col} (got ${JSON.stringify(v)})`,
    );
  }
  return v;
}

async function readText(path: string, dir: string): Promise<string> {
  try {
    return await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new Error(`Cannot read dataset: ${path} is missing. ${makeDatasetHint(dir)}`);
    }
    throw e;
  }
}

/** Read and check `DIR/catalog.csv` ({@linkcode parseCatalog}). */
export async function readCatalog(dir: string): Promise<CatalogEntry[]> {
  const path = join(dir, DATASET_FILES.catalog);
  return parseCatalog(await readText(path, dir), path);
}

/** Read `DIR/galaxies.csv`, grouped by image index. A missing or empty file gives an empty map. */
export async function readGalaxies(dir: string): Promise<Map<number, GalaxyEntry[]>> {
  const path = join(dir, DATASET_FILES.galaxies);
  const out = new Map<number, GalaxyEntry[]>();
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return out;
    throw e;
  }
  if (text.trim().length === 0) return out;
  parseCsv(text, path).forEach((r, i) => {
    const image = num(r, "image", path, i);
    const g = {
      xPix: num(r, "x_pix", path, i),
      yPix: num(r, "y_pix", path, i),
      mGalMsun: num(r, "m_gal_msun", path, i),
    };
    const list = out.get(image);
    if (list) list.push(g);
    else out.set(image, [g]);
  });
  return out;
}

/**
 * Read `DIR/images_<tracer>.npy` as an `[N, H, W]` stack (C order
 * `[image][row][column]`), checking its shape.
 */
export async function readTracerImages(
  dir: string,
  tracer: Tracer,
): Promise<{ data: Float32Array; shape: number[] }> {
  const path = join(dir, DATASET_FILES.images(tracer));
  const a = await readNpy(path);
  if (a.shape.length !== 3) {
    throw new TypeError(`Cannot read ${path}: expected shape [N, H, W], got [${a.shape}]`);
  }
  return { data: a.data as Float32Array, shape: a.shape };
}

/**
 * Read `DIR/manifest.json`, or `null` when the directory has none (a
 * hand-made dataset); a manifest that is not JSON throws.
 */
export async function readManifest(dir: string): Promise<DatasetManifest | null> {
  const path = join(dir, DATASET_FILES.manifest);
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
  try {
    return JSON.parse(text) as DatasetManifest;
  } catch {
    throw new TypeError(`Cannot read dataset: ${path} is not valid JSON`);
  }
}

/** What a writer of a dataset directory wrote. */
export interface DatasetWritten {
  out: string;
  clusters: number;
  images: number;
  seconds: number;
  /** The manifest written: the dataset's, or a shard's (lib/dataset/shard.ts). */
  manifest: DatasetManifest | Record<string, unknown>;
}

/**
 * Writes a dataset directory atomically: the image arrays are streamed to
 * `<name>.partial-<pid>` files as views arrive, the catalogue and galaxies
 * are written beside them at the end, and {@linkcode DatasetWriter.commit}
 * removes any old manifest, renames everything into place and writes the new
 * manifest last. {@linkcode DatasetWriter.abort} removes the temporary files.
 */
export class DatasetWriter {
  readonly #out: string;
  readonly #suffix = `.partial-${Deno.pid}`;
  readonly #writers: Partial<Record<Tracer, NpyStreamWriter>> = {};
  readonly #tempFiles: string[] = [];
  readonly #catalog: Row[] = [];
  readonly #galaxies: Row[] = [];
  #images = 0;

  private constructor(out: string) {
    this.#out = out;
  }

  /** Open the image streams of a dataset of `nImages` images of `npix` x `npix` in `out`. */
  static async create(
    out: string,
    shape: { nImages: number; npix?: number },
  ): Promise<DatasetWriter> {
    const w = new DatasetWriter(out);
    const npix = shape.npix ?? IMAGE_SIZE_PIX;
    try {
      for (const t of TRACERS) {
        const path = w.#temp(DATASET_FILES.images(t));
        w.#tempFiles.push(path);
        w.#writers[t] = await NpyStreamWriter.create(path, [shape.nImages, npix, npix]);
      }
    } catch (e) {
      await w.abort();
      throw e;
    }
    return w;
  }

  #temp(name: string): string {
    return join(this.#out, name + this.#suffix);
  }

  /** Images written so far. */
  get images(): number {
    return this.#images;
  }

  /** Galaxy rows added so far. */
  get galaxies(): number {
    return this.#galaxies.length;
  }

  /**
   * Append the next images (per tracer, projection-major, `rows.length`
   * images each) and their catalogue rows, and the galaxies seen in them.
   */
  async append(
    images: Record<Tracer, Float32Array>,
    rows: readonly CatalogEntry[],
    galaxies: readonly GalaxyRecord[] = [],
  ): Promise<void> {
    for (const t of TRACERS) await this.#writers[t]!.append(images[t]);
    for (const r of rows) {
      this.#catalog.push({
        image: r.image,
        cluster: r.cluster,
        projection: r.projection,
        redshift: r.redshift.toPrecision(8),
        m200_msun: r.m200Msun.toPrecision(8),
        r200_mpc: r.r200Mpc.toPrecision(8),
        r200_arcmin: r.r200Arcmin.toPrecision(8),
        split: r.split,
      });
    }
    for (const g of galaxies) {
      this.#galaxies.push({
        image: g.image,
        cluster: g.cluster,
        x_pix: g.xPix.toFixed(3),
        y_pix: g.yPix.toFixed(3),
        m_gal_msun: g.mGalMsun.toPrecision(6),
      });
    }
    this.#images += rows.length;
  }

  /**
   * Call `fill` (which appends every image), then {@linkcode DatasetWriter.finish};
   * on any error remove the temporary files and rethrow.
   */
  async fill(fill: (writer: DatasetWriter) => Promise<void>): Promise<void> {
    try {
      await fill(this);
    } catch (e) {
      await this.abort();
      throw e;
    }
    await this.finish();
  }

  /** Close the image streams and write the catalogue and galaxies (still under temporary names). */
  async finish(): Promise<void> {
    try {
      for (const t of TRACERS) await this.#writers[t]!.close();
      const catPath = this.#temp(DATASET_FILES.catalog);
      const galPath = this.#temp(DATASET_FILES.galaxies);
      this.#tempFiles.push(catPath, galPath);
      this.#galaxies.sort((a, b) => (a.image as number) - (b.image as number));
      await Deno.writeTextFile(catPath, formatCsv(this.#catalog, [...CATALOG_COLUMNS]));
      await Deno.writeTextFile(galPath, formatCsv(this.#galaxies, [...GALAXY_COLUMNS]));
    } catch (e) {
      await this.abort();
      throw e;
    }
  }

  /**
   * Publish: drop the old manifest, rename the files into place, write
   * `manifest` (the dataset's, or a shard's) last. `written` says how many
   * clusters and images this writer wrote; `startedMs` (a `performance.now()`)
   * times the whole write.
   */
  async commit(
    manifest: DatasetManifest | Record<string, unknown>,
    written: { clusters: number; images: number },
    startedMs: number,
  ): Promise<DatasetWritten> {
    const out = this.#out;
    await Deno.remove(join(out, DATASET_FILES.manifest)).catch(() => {});
    for (const t of TRACERS) {
      await Deno.rename(this.#temp(DATASET_FILES.images(t)), join(out, DATASET_FILES.images(t)));
    }
    await Deno.rename(this.#temp(DATASET_FILES.catalog), join(out, DATASET_FILES.catalog));
    await Deno.rename(this.#temp(DATASET_FILES.galaxies), join(out, DATASET_FILES.galaxies));
    await writeJsonAtomic(join(out, DATASET_FILES.manifest), manifest);
    return {
      out,
      ...written,
      seconds: (performance.now() - startedMs) / 1000,
      manifest,
    };
  }

  /** Stop writing and remove the temporary files. */
  async abort(): Promise<void> {
    for (const t of TRACERS) this.#writers[t]?.abort();
    for (const f of this.#tempFiles) await Deno.remove(f).catch(() => {});
  }
}

/**
 * Choose `n` items spread evenly over the mass-sorted list (all when `n` is
 * null or >= the list), returned in id order; ties in mass go to the lower id.
 * Used for the clusters of a simulated dataset and the groups of an import.
 */
export function spreadInMass<T>(
  items: readonly T[],
  n: number | null,
  key: { mass: (t: T) => number; id: (t: T) => number },
): T[] {
  if (n === null || n >= items.length) return [...items].sort((a, b) => key.id(a) - key.id(b));
  const sorted = [...items].sort((a, b) => key.mass(a) - key.mass(b) || key.id(a) - key.id(b));
  const picked = new Set<number>();
  for (let i = 0; i < n; i++) {
    picked.add(
      n === 1
        ? Math.floor((sorted.length - 1) / 2)
        : Math.round((i * (sorted.length - 1)) / (n - 1)),
    );
  }
  return [...picked].map((k) => sorted[k]).sort((a, b) => key.id(a) - key.id(b));
}
