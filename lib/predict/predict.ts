/**
 * `predictMasses`: M200 with calibrated intervals for new images, from a
 * trained run. Images come as a `.npy` file, one FITS file, a directory of
 * FITS files (as `deno task export` writes them) or a dataset directory.
 * Before any prediction every image is checked against the run's training
 * data (recorded in `calibration.json`): shape, pixel scale and units (FITS
 * `BUNIT`), and the tracer; a mismatch is refused with an error that names it.
 *
 * `.npy` input: `[N, 120, 120]` or `[120, 120]` for a single-channel run,
 * `[N, 120, 120, 4]` (star, fxs, fxb, ypar) for the multichannel one; a
 * `.npy` file carries no pixel scale or unit, so they are taken to be the
 * training data's.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { basename, join } from "node:path";
import { decodeNpy, describeNonFinite, findNonFinite } from "../io/mod.ts";
import { DATASET_FILES, readCatalog, readManifest, readTracerImages } from "../dataset/format.ts";
import { loadTrainedModel } from "../train/mod.ts";
import type { Tracer } from "../types/mod.ts";
import { type FitsImageFile, normaliseUnit, readFitsImageFile } from "../fits/mod.ts";
import { readCalibration, type RunCalibration } from "./calibrate.ts";
import { calibratedMass, type ConfidenceBelt, type MassInterval } from "./confidence_belt.ts";
import { checkInput, readInputSummary, summariseTrainingInputs } from "./input_summary.ts";

/** Columns of the predict task's CSV. */
export const PREDICT_COLUMNS = [
  "image",
  "m200_msun",
  "m200_p16_msun",
  "m200_p84_msun",
  "m200_p2_5_msun",
  "m200_p97_5_msun",
  "input_check",
  "mass_range",
] as const;

/** Where a prediction lies against the calibrated mass range (the validation split's). */
export type MassRangeFlag = "inside" | "at-lower-edge" | "at-upper-edge";

/** One predicted image. */
export interface PredictedImage extends MassInterval {
  /** File name (FITS) or index (npy, dataset). */
  image: string;
  /** The network's raw prediction [Msun] before calibration. */
  networkMsun: number;
  /** Redshift of the image when known (header, dataset catalogue or option). */
  redshift: number | null;
  /**
   * "ok", or what of the image lies outside the run's training inputs
   * (`<tracer>:total`, `:mean`, `:spread`; lib/predict/input_summary.ts), or
   * "unchecked" when the run has no input summary and its dataset is gone.
   */
  inputCheck: string;
  /**
   * "inside", or "at-lower-edge" / "at-upper-edge" when the network's
   * prediction lies at or past the end of the calibrated range: the median
   * and intervals are then clipped to it, not measured.
   */
  massRange: MassRangeFlag;
}

/** Options of {@linkcode predictMasses}. */
export interface PredictOptions {
  /** `.npy`, `.fits`, a directory of FITS files, or a dataset directory. */
  images: string;
  /** Redshift of the images when their files do not say. */
  redshift?: number;
  /** Called with warnings (e.g. a redshift outside the training range). Default console.warn. */
  warn?: (message: string) => void;
  /** Called after each batch of images with the images done and the total (a progress bar). */
  onProgress?: (done: number, total: number) => void;
}

interface Batch {
  names: string[];
  /** [n, npix, npix, C] channel-last. */
  data: Float32Array;
  n: number;
  redshifts: (number | null)[];
}

function fail(message: string): never {
  throw new RangeError(`Cannot predict: ${message}`);
}

async function readNpyInput(path: string, cal: RunCalibration): Promise<Batch> {
  const { npix, channels } = cal.data;
  const arr = decodeNpy(await Deno.readFile(path), path);
  const s = arr.shape;
  const c = channels.length;
  let n: number;
  if (c === 1 && s.length === 2) n = 1;
  else if (c === 1 && s.length === 3) n = s[0];
  else if (c === 4 && s.length === 4 && s[3] === 4) n = s[0];
  else {
    fail(
      `${path} has shape [${s}]; the ${cal.network} run takes ` +
        (c === 1 ? `[N, ${npix}, ${npix}] or [${npix}, ${npix}]` : `[N, ${npix}, ${npix}, 4]`),
    );
  }
  const [h, w] = c === 1 && s.length === 2 ? s : [s[1], s[2]];
  if (h !== npix || w !== npix) {
    fail(`${path} holds ${h} x ${w} pixel images; the run was trained on ${npix} x ${npix}`);
  }
  const data = Float32Array.from(arr.data);
  const bad = findNonFinite(data, npix, npix, c);
  if (bad) {
    fail(
      `${path} has a non-finite pixel at ${describeNonFinite(bad, channels)}; ` +
        "replace or drop that image",
    );
  }
  return {
    names: Array.from({ length: n }, (_, i) => String(i)),
    data,
    n,
    redshifts: Array(n).fill(null),
  };
}

async function readFitsInputs(paths: string[], cal: RunCalibration): Promise<Batch> {
  const { npix, channels, pixelArcsec, bunit } = cal.data;
  const files: FitsImageFile[] = [];
  for (const p of paths) files.push(await readFitsImageFile(p));
  const check = (f: FitsImageFile, tracer: Tracer) => {
    const bad = findNonFinite(f.data, f.height, f.width);
    if (bad) {
      fail(
        `${f.path} has a non-finite pixel at row ${bad.row}, column ${bad.column} (${bad.value}` +
          `${bad.count > 1 ? `; ${bad.count} in all` : ""}); replace or drop that image`,
      );
    }
    if (f.width !== npix || f.height !== npix) {
      fail(
        `${f.path} is ${f.width} x ${f.height} pixels; the run was trained on ${npix} x ${npix}`,
      );
    }
    for (const s of f.wcs.pixelArcsec) {
      if (Math.abs(s / pixelArcsec - 1) > 1e-3) {
        fail(
          `${f.path} has ${
            s.toPrecision(6)
          } arcsec pixels (from its WCS); the run was trained on ` +
            `${pixelArcsec} arcsec pixels. Resample the image first.`,
        );
      }
    }
    const want = bunit[tracer] ?? "";
    const got = f.bunit;
    if (
      (got === null && want !== "") || (got !== null && normaliseUnit(got) !== normaliseUnit(want))
    ) {
      fail(
        `${f.path} has BUNIT ${
          got === null ? "missing" : `'${got}'`
        }; the run's ${tracer} images ` +
          `are in '${want}'${want === "" ? " (Compton y, dimensionless)" : ""}`,
      );
    }
  };
  if (channels.length === 1) {
    const t = channels[0];
    const use = files.filter((f) => f.tracer === null || f.tracer === t);
    if (use.length === 0) {
      fail(
        `none of the ${files.length} FITS file(s) holds a ${t} image (TRACER keywords: ` +
          `${[...new Set(files.map((f) => f.tracer))].join(", ")}); the run is the ${t} network`,
      );
    }
    if (paths.length === 1 && use.length === 0) fail(`${paths[0]} is not a ${t} image`);
    const data = new Float32Array(use.length * npix * npix);
    use.forEach((f, i) => {
      check(f, t);
      data.set(f.data, i * npix * npix);
    });
    return {
      names: use.map((f) => basename(f.path)),
      data,
      n: use.length,
      redshifts: use.map((f) => f.redshift),
    };
  }
  // Multichannel: four files per image, grouped by IMAGEID (or the file name without _<tracer>).
  const groups = new Map<string, Map<Tracer, FitsImageFile>>();
  for (const f of files) {
    if (f.tracer === null) fail(`${f.path} has no TRACER keyword; the multichannel run needs it`);
    const key = f.image !== null
      ? `image_${f.image}`
      : basename(f.path).replace(/_[a-z]+\.fits$/i, "");
    const g = groups.get(key) ?? new Map();
    g.set(f.tracer, f);
    groups.set(key, g);
  }
  const keys = [...groups.keys()];
  const data = new Float32Array(keys.length * npix * npix * 4);
  const px = npix * npix;
  keys.forEach((k, i) => {
    const g = groups.get(k)!;
    channels.forEach((t, c) => {
      const f = g.get(t);
      if (!f) fail(`image ${k} has no ${t} FITS file; the multichannel run needs all four tracers`);
      check(f, t);
      for (let p = 0; p < px; p++) data[(i * px + p) * 4 + c] = f.data[p];
    });
  });
  return {
    names: keys,
    data,
    n: keys.length,
    redshifts: keys.map((k) => groups.get(k)!.values().next().value?.redshift ?? null),
  };
}

async function readDatasetInput(dir: string, cal: RunCalibration): Promise<Batch> {
  const m = (await readManifest(dir))!;
  const { npix, pixelArcsec, channels } = cal.data;
  if (m.npix !== undefined && m.npix !== npix) {
    fail(
      `${dir} holds ${m.npix} x ${m.npix} pixel images; the run was trained on ${npix} x ${npix}`,
    );
  }
  if (m.pixelArcsec !== undefined && Math.abs(m.pixelArcsec / pixelArcsec - 1) > 1e-3) {
    fail(`${dir} has ${m.pixelArcsec} arcsec pixels; the run was trained on ${pixelArcsec}`);
  }
  for (const t of channels) {
    const a = m.units?.[t];
    const b = cal.data.units[t];
    // The unit is the description's head: the text before the first ":", "," or " (".
    const head = (u: string) => u.slice(0, u.search(/:|,| \(|$/)).trim();
    if (typeof a === "string" && typeof b === "string" && head(a) !== head(b)) {
      fail(`${dir}'s ${t} images are in "${head(a)}", the run's in "${head(b)}"`);
    }
  }
  const stacks = [];
  for (const t of channels) {
    const path = join(dir, DATASET_FILES.images(t));
    const arr = await readTracerImages(dir, t);
    if (arr.shape.length !== 3 || arr.shape[1] !== npix || arr.shape[2] !== npix) {
      fail(`${path} has shape [${arr.shape}], expected [N, ${npix}, ${npix}]`);
    }
    stacks.push(arr);
  }
  const n = stacks[0].shape[0];
  const c = channels.length;
  const px = npix * npix;
  const data = new Float32Array(n * px * c);
  for (let i = 0; i < n * px; i++) for (let k = 0; k < c; k++) data[i * c + k] = stacks[k].data[i];
  let redshifts: (number | null)[] = Array(n).fill(null);
  try {
    redshifts = (await readCatalog(dir)).map((r) => r.redshift);
  } catch {
    // no catalogue: redshifts unknown
  }
  return { names: Array.from({ length: n }, (_, i) => String(i)), data, n, redshifts };
}

/**
 * Predict M200 with calibrated 68 and 95 per cent intervals for the images
 * at `options.images` with the run in `runDir` (which must hold
 * `calibration.json`: `deno task evaluate` writes it).
 */
export async function predictMasses(
  runDir: string,
  options: PredictOptions,
): Promise<PredictedImage[]> {
  const isRun = await Deno.stat(join(runDir, "model.json")).then((i) => i.isFile, () => false);
  if (!isRun) {
    const exists = await Deno.stat(runDir).then(() => true, () => false);
    throw new Error(
      `Cannot predict: ${runDir} ${exists ? "holds no model.json" : "does not exist"}: it is ` +
        "not a trained run. Give --run the folder that `deno task train --out` wrote",
    );
  }
  const cal = await readCalibration(runDir);
  if (!cal) {
    throw new Error(
      `Cannot predict: ${join(runDir, "calibration.json")} is missing. Calibrate the run first: ` +
        `\`deno task evaluate --runs DIR\` (DIR holding this run) writes it.`,
    );
  }
  const path = options.images;
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(path);
  } catch {
    throw new Error(`Cannot predict: ${path} does not exist`);
  }
  let batch: Batch;
  if (info.isDirectory) {
    const isDataset = await Deno.stat(join(path, DATASET_FILES.manifest)).then(
      () => true,
      () => false,
    );
    if (isDataset) batch = await readDatasetInput(path, cal);
    else {
      const fits: string[] = [];
      for await (const e of Deno.readDir(path)) {
        if (e.isFile && /\.fits?$/i.test(e.name)) fits.push(join(path, e.name));
      }
      if (fits.length === 0) fail(`${path} holds no .fits files and no dataset (manifest.json)`);
      batch = await readFitsInputs(fits.sort(), cal);
    }
  } else if (/\.npy$/i.test(path)) batch = await readNpyInput(path, cal);
  else if (/\.fits?$/i.test(path)) batch = await readFitsInputs([path], cal);
  else fail(`${path}: give a .npy file, a .fits file or a directory`);

  const warn = options.warn ?? ((m: string) => console.warn(m));
  const zr = cal.data.redshiftRange;
  const redshifts = batch.redshifts.map((z) => z ?? options.redshift ?? null);
  if (zr) {
    const out = redshifts.filter((z) => z !== null && (z < zr[0] || z > zr[1]));
    if (out.length > 0) {
      warn(
        `predict: ${out.length} image(s) have redshifts outside the training range ` +
          `${zr[0]}-${zr[1]} (e.g. ${out[0]}); the network has not seen such images`,
      );
    }
  }
  const trained = await loadTrainedModel(runDir);
  let inputCheck: string[];
  try {
    const summary = await readInputSummary(runDir) ??
      await summariseTrainingInputs(cal.data.dataDir, trained.scaling).catch(() => null);
    if (summary) {
      const r = checkInput(batch.data, batch.n, summary, trained.scaling, path);
      inputCheck = r.flags;
      if (r.flagged > 0) {
        warn(
          `predict: ${r.flagged} of ${batch.n} image(s) lie outside the run's training inputs ` +
            `(column input_check); their masses are extrapolations`,
        );
      }
    } else {
      inputCheck = Array(batch.n).fill("unchecked");
      warn(
        `predict: ${runDir} has no ${"input_summary.json"} and its dataset ${cal.data.dataDir} ` +
          "is gone: images are not checked against the training inputs",
      );
    }
  } catch (e) {
    trained.model.dispose();
    throw e;
  }
  const c = cal.data.channels.length;
  const npix = cal.data.npix;
  const px = npix * npix;
  const result: PredictedImage[] = [];
  try {
    for (let s = 0; s < batch.n; s += 50) {
      const e = Math.min(batch.n, s + 50);
      const x = tf.tensor4d(batch.data.subarray(s * px * c, e * px * c), [e - s, npix, npix, c]);
      const y = trained.predictMassMsun(x);
      const v = await y.data();
      x.dispose();
      y.dispose();
      options.onProgress?.(e, batch.n);
      for (let i = s; i < e; i++) {
        const m = v[i - s];
        result.push({
          image: batch.names[i],
          networkMsun: m,
          redshift: redshifts[i],
          ...calibratedMass(cal.belt, m),
          inputCheck: inputCheck[i],
          massRange: massRangeFlag(cal.belt, m),
        });
      }
    }
  } finally {
    trained.model.dispose();
  }
  const edge = result.filter((r) => r.massRange !== "inside").length;
  if (edge > 0) {
    const lo = 10 ** cal.belt.gridLog10M[0];
    const hi = 10 ** cal.belt.gridLog10M[cal.belt.gridLog10M.length - 1];
    warn(
      `predict: ${edge} of ${result.length} prediction(s) lie at or past the edge of the ` +
        `calibrated range ${lo.toExponential(2)}-${hi.toExponential(2)} Msun (column ` +
        "mass_range): their medians and intervals are clipped to it, not measured",
    );
  }
  return result;
}

/** Where a network prediction [Msun] lies against the belt's calibrated range. */
export function massRangeFlag(belt: ConfidenceBelt, mPredMsun: number): MassRangeFlag {
  const k = belt.levels.findIndex((l) => Math.abs(l - 0.5) < 1e-6);
  const med = belt.curves[k];
  const y = Math.log10(mPredMsun);
  if (y <= med[0]) return "at-lower-edge";
  if (y >= med[med.length - 1]) return "at-upper-edge";
  return "inside";
}
