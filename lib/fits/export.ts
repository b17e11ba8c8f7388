/**
 * Dataset images to FITS: one file per image and tracer, with a celestial
 * WCS (TAN projection, the dataset's 10 arcsec pixels), BUNIT, the view's
 * redshift, the cluster's M200 and the noise and beam of the instrument in
 * the header; and the reader `predict` uses, which refuses a file without a
 * celestial WCS.
 *
 * @module
 */
import { join } from "node:path";
import {
  DATASET_FILES,
  type DatasetManifest,
  imageGeometry,
  readCatalog,
  readManifest,
  readTracerImages,
} from "../dataset/format.ts";
import {
  describeNonFinite,
  ensureWritableDir,
  findNonFinite,
  ProgressBar,
  writeFileAtomic,
} from "../io/mod.ts";
import { parseTracer, type Tracer, TRACERS } from "../types/mod.ts";
import denoJson from "../../deno.json" with { type: "json" };
import {
  type CelestialWcs,
  celestialWcs,
  decodeFitsImage,
  encodeFitsImage,
  type FitsCard,
  type FitsValue,
} from "./fits.ts";

/**
 * FITS BUNIT of each tracer's images (FITS 4.0 §4.3 unit strings): stellar
 * surface density, X-ray flux per pixel, and Compton y (dimensionless, an
 * empty string).
 */
export const TRACER_BUNIT: Readonly<Record<Tracer, string>> = Object.freeze({
  star: "solMass Mpc-2",
  fxs: "erg s-1 cm-2",
  fxb: "erg s-1 cm-2",
  ypar: "",
});

/** Normalise a unit string for comparison (case, spaces, `**`, `^`, `.`). */
export function normaliseUnit(unit: string): string {
  return unit.trim().replace(/\*\*|\^/g, "").replace(/[.\s]+/g, " ").toLowerCase();
}

/** File name of image `image` of `tracer` in an export directory. */
export function fitsFileName(image: number, tracer: Tracer): string {
  return `image_${String(image).padStart(6, "0")}_${tracer}.fits`;
}

/** Options of {@linkcode exportDatasetFits}. */
export interface ExportFitsOptions {
  /** Output directory (created). */
  out: string;
  /** Tracers to export. Default all four. */
  tracers?: (Tracer | string)[];
  /** Right ascension of the field centre [deg] (mock images have none). Default 180. */
  raDeg?: number;
  /** Declination of the field centre [deg]. Default 0. */
  decDeg?: number;
  /** No progress bar. Default false. */
  silent?: boolean;
}

/** Header cards of one exported image. */
export function imageCards(options: {
  tracer: Tracer;
  npix: number;
  pixelArcsec: number;
  raDeg: number;
  decDeg: number;
  redshift: number;
  m200Msun?: number;
  r200Arcmin?: number;
  noise?: string;
  noiseRms?: number;
  beamFwhmArcmin?: number;
  image?: number;
  cluster?: number;
  projection?: number;
  split?: string;
  unitText?: string;
}): FitsCard[] {
  const o = options;
  const c = o.npix / 2 + 0.5;
  const deg = o.pixelArcsec / 3600;
  const cards: FitsCard[] = [
    { key: "BUNIT", value: TRACER_BUNIT[o.tracer], comment: "pixel unit" },
    { key: "WCSAXES", value: 2 },
    { key: "CTYPE1", value: "RA---TAN", comment: "gnomonic projection" },
    { key: "CTYPE2", value: "DEC--TAN" },
    { key: "CUNIT1", value: "deg" },
    { key: "CUNIT2", value: "deg" },
    { key: "CRPIX1", value: c, real: true, comment: "cluster centre (between the central pixels)" },
    { key: "CRPIX2", value: c, real: true },
    { key: "CRVAL1", value: o.raDeg, real: true, comment: "RA of the centre [deg] (arbitrary)" },
    { key: "CRVAL2", value: o.decDeg, real: true, comment: "Dec of the centre [deg] (arbitrary)" },
    { key: "CDELT1", value: -deg, real: true, comment: `${o.pixelArcsec} arcsec pixels` },
    { key: "CDELT2", value: deg, real: true },
    { key: "RADESYS", value: "ICRS" },
    { key: "EQUINOX", value: 2000, real: true },
    { key: "TRACER", value: o.tracer, comment: "star, fxs, fxb or ypar (Yan et al. 2020)" },
    { key: "REDSHIFT", value: o.redshift, real: true, comment: "redshift of the view" },
  ];
  if (o.m200Msun !== undefined) {
    cards.push({ key: "M200", value: o.m200Msun, real: true, comment: "true M200c [Msun]" });
  }
  if (o.r200Arcmin !== undefined) {
    cards.push({ key: "R200ARC", value: o.r200Arcmin, real: true, comment: "r200 [arcmin]" });
  }
  if (o.noise !== undefined) cards.push({ key: "NOISE", value: o.noise, comment: "noise setting" });
  if (o.noiseRms !== undefined) {
    cards.push({
      key: "NOISERMS",
      value: o.noiseRms,
      real: true,
      comment: "noise rms per pixel [BUNIT]",
    });
  }
  if (o.beamFwhmArcmin !== undefined) {
    cards.push({
      key: "BEAMFWHM",
      value: o.beamFwhmArcmin,
      real: true,
      comment: "beam FWHM [arcmin]",
    });
    if (o.beamFwhmArcmin > 0) {
      cards.push(
        { key: "BMAJ", value: o.beamFwhmArcmin / 60, real: true, comment: "beam FWHM [deg]" },
        { key: "BMIN", value: o.beamFwhmArcmin / 60, real: true },
        { key: "BPA", value: 0, real: true },
      );
    }
  }
  if (o.image !== undefined) cards.push({ key: "IMAGEID", value: o.image, comment: "image index" });
  if (o.cluster !== undefined) cards.push({ key: "CLUSTER", value: o.cluster });
  if (o.projection !== undefined) cards.push({ key: "PROJ", value: o.projection });
  if (o.split !== undefined) cards.push({ key: "SPLIT", value: o.split });
  cards.push({ key: "ORIGIN", value: `${denoJson.name} ${denoJson.version}`.slice(0, 60) });
  if (o.unitText) {
    for (let i = 0; i < o.unitText.length; i += 70) {
      cards.push({ key: "COMMENT", comment: o.unitText.slice(i, i + 70) });
    }
  }
  return cards;
}

function checkStack(path: string, shape: number[], n: number, npix: number): void {
  if (shape.length !== 3 || shape[0] !== n || shape[1] !== npix || shape[2] !== npix) {
    throw new RangeError(
      `Cannot export: ${path} has shape [${shape}], expected [${n}, ${npix}, ${npix}]`,
    );
  }
}

/**
 * Write every image of a dataset directory as FITS into `options.out`
 * (`image_000012_ypar.fits`, ...), each atomically. Returns the files written.
 */
export async function exportDatasetFits(
  dataDir: string,
  options: ExportFitsOptions,
): Promise<string[]> {
  const tracers = (options.tracers ?? [...TRACERS]).map((t) => parseTracer(String(t)));
  const catalogPath = join(dataDir, DATASET_FILES.catalog);
  try {
    await Deno.stat(catalogPath);
  } catch {
    throw new Error(
      `Cannot export ${dataDir}: ${catalogPath} is missing. Make a dataset first with ` +
        "`deno task simulate` or `deno task import`.",
    );
  }
  const rows = await readCatalog(dataDir);
  // The manifest is optional: without it, the defaults of the dataset format.
  const manifest = await readManifest(dataDir).catch(() => null);
  const { npix, pixelArcsec } = imageGeometry(manifest);
  const instruments: Partial<DatasetManifest["instruments"]> = manifest?.instruments ?? {};
  const units: Record<string, string> = manifest?.units ?? {};
  // Every stack is checked (shape, finite pixels) before anything is written.
  for (const t of tracers) {
    const path = join(dataDir, DATASET_FILES.images(t));
    const arr = await readTracerImages(dataDir, t);
    checkStack(path, arr.shape, rows.length, npix);
    const bad = findNonFinite(arr.data, npix, npix);
    if (bad) {
      throw new RangeError(
        `Cannot export: ${path} has a non-finite pixel at ${describeNonFinite(bad)}; ` +
          "regenerate the dataset with `deno task simulate` or `deno task import`",
      );
    }
  }
  await ensureWritableDir(options.out);
  const written: string[] = [];
  const bar = new ProgressBar({
    label: "export",
    total: rows.length * tracers.length,
    unit: "img",
    silent: options.silent ?? false,
  });
  for (const t of tracers) {
    const path = join(dataDir, DATASET_FILES.images(t));
    const arr = await readTracerImages(dataDir, t);
    checkStack(path, arr.shape, rows.length, npix);
    const n2 = npix * npix;
    for (const r of rows) {
      const i = r.image;
      const cards = imageCards({
        tracer: t,
        npix,
        pixelArcsec,
        raDeg: options.raDeg ?? 180,
        decDeg: options.decDeg ?? 0,
        redshift: r.redshift,
        m200Msun: r.m200Msun,
        r200Arcmin: r.r200Arcmin,
        noise: typeof manifest?.noise === "string" ? manifest.noise : undefined,
        noiseRms: instruments[t]?.rms,
        beamFwhmArcmin: instruments[t]?.beamFwhmArcmin,
        image: i,
        cluster: r.cluster,
        projection: r.projection,
        split: r.split,
        unitText: units[t],
      });
      const bytes = encodeFitsImage(arr.data.subarray(i * n2, (i + 1) * n2), {
        width: npix,
        height: npix,
        cards,
      });
      const file = join(options.out, fitsFileName(i, t));
      await writeFileAtomic(file, bytes);
      written.push(file);
      bar.update(written.length);
    }
  }
  bar.done();
  return written;
}

/** An image read by {@linkcode readFitsImageFile}, with what predict checks. */
export interface FitsImageFile {
  path: string;
  width: number;
  height: number;
  data: Float32Array;
  wcs: CelestialWcs;
  /** TRACER keyword, when present. */
  tracer: Tracer | null;
  /** BUNIT, when present. */
  bunit: string | null;
  /** REDSHIFT, when present. */
  redshift: number | null;
  /** IMAGEID, when present. */
  image: number | null;
  header: Map<string, FitsValue>;
}

/** Read a FITS image and its celestial WCS; a file without one is refused, naming what is missing. */
export async function readFitsImageFile(path: string): Promise<FitsImageFile> {
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(path);
  } catch {
    throw new Error(`Cannot read FITS file ${path}: it does not exist`);
  }
  const img = decodeFitsImage(bytes, path);
  const wcs = celestialWcs(img.header, path);
  const h = img.header;
  const tr = h.get("TRACER");
  let tracer: Tracer | null = null;
  if (typeof tr === "string" && tr.trim() !== "") {
    try {
      tracer = parseTracer(tr.trim().toLowerCase());
    } catch {
      throw new RangeError(
        `Cannot read ${path}: TRACER = '${tr}' is not one of ${TRACERS.join(", ")}`,
      );
    }
  }
  const bunit = typeof h.get("BUNIT") === "string" ? h.get("BUNIT") as string : null;
  const z = h.get("REDSHIFT") ?? h.get("Z");
  const id = h.get("IMAGEID");
  return {
    path,
    width: img.width,
    height: img.height,
    data: img.data,
    wcs,
    tracer,
    bunit,
    redshift: typeof z === "number" ? z : null,
    image: typeof id === "number" ? id : null,
    header: h,
  };
}
