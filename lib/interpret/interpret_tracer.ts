/**
 * Run Deep Dream and the Gaussian-mask sweep on the clusters shown in one of
 * Figs 8-11 and write the interpretation directory of one tracer:
 * `images.npy`, `deepdream.npy`, `gradient.npy`, `mask.npy`, `mask_grid.npy`
 * and `selection.json` (written last: its presence marks a complete result).
 *
 * Resumable: each finished image is kept under `.partial/` until all are done,
 * so a killed run restarts at the image it was on; settings that differ from
 * the partial results' (model, stride, iterations, ...) discard them.
 *
 * @module
 */
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { readNpy, writeJsonAtomic, writeNpyAtomic } from "../io/mod.ts";
import type { Tracer } from "../types/mod.ts";
import type { ImageStack } from "./core_ring.ts";
import { CORE_FRACTION_OF_R200 } from "./core_ring.ts";
import { type CatalogEntry, type GalaxyEntry, PIXELS_PER_ARCMIN } from "../dataset/format.ts";
import { DEEP_DREAM_DEFAULT_STEP, deepDream, type PredictFn } from "./deep_dream.ts";
import { maskSweep, PAPER_MASK_SIGMA_PX } from "./gaussian_mask.ts";

/** Galaxies drawn on Fig. 8 are those above this stellar mass (Msun). */
export const GALAXY_MIN_MASS_MSUN = 1e10;

/** Settings that determine an interpretation result (stored in `selection.json`). */
export interface InterpretSettings {
  tracer: Tracer;
  /** Identifies the trained model (e.g. a hash of its weights). */
  modelKey: string;
  /** Image indices shown, in row order. */
  images: number[];
  stride: number;
  iterations: number;
  /** Normalised Deep Dream step (see `DeepDreamOptions.step`). */
  step: number;
  sigmaPx: number;
}

/** One shown cluster in `selection.json`. */
export interface SelectedImage {
  /** Row index in the dataset's `.npy` arrays. */
  image: number;
  cluster: number;
  projection: number;
  redshift: number;
  m200Msun: number;
  r200Arcmin: number;
  /** R200 in pixels (6 px per arcmin). */
  r200Pix: number;
  /** The core radius 0.15 R200 in pixels. */
  rCorePix: number;
  /** M_pred of the unmasked image, Msun. */
  mPredMsun: number;
  /** M_pred after the Deep Dream iterations, Msun. */
  mPredAfterDreamMsun: number;
  /** Deep Dream step size alpha, raw image units per Msun. */
  deepDreamAlpha: number;
  /** Wall time of the mask sweep, s. */
  maskSeconds: number;
  /** Galaxies with M_gal > 1e10 Msun in this image (continuous pixel coordinates). */
  galaxies: GalaxyEntry[];
}

/** Contents of `<tracer>/selection.json`. */
export interface InterpretSelection {
  settings: InterpretSettings;
  /** Image side in pixels, and the cluster centre in continuous pixel coordinates. */
  imageSizePx: number;
  centrePix: [number, number];
  pixelsPerArcmin: number;
  /** Shape of `mask_grid.npy`: [k, rows, cols]. */
  maskGridShape: [number, number, number];
  clusters: SelectedImage[];
  /** Total wall time, s, and the TensorFlow.js backend used. */
  seconds: number;
  backend: string;
}

/** Options of {@linkcode interpretTracer}. */
export interface InterpretTracerOptions {
  tracer: Tracer;
  /** The tracer's full image stack `[N, H, W]` (raw units). */
  images: ImageStack;
  /** Catalogue rows of the clusters to show, in row order. */
  selection: readonly CatalogEntry[];
  /** Galaxies by image index (only those shown are used). */
  galaxies: ReadonlyMap<number, readonly GalaxyEntry[]>;
  /** Output directory of this tracer (created). */
  outDir: string;
  /** Identifies the model so that stale partial results are not reused. */
  modelKey: string;
  /** Mask centre stride in pixels; default 1 (the paper's full sweep). */
  stride?: number;
  /** Deep Dream iterations, 1 or 2; default 2 (Figs 8-11 captions). */
  iterations?: number;
  /** Normalised Deep Dream step; default 0.01. */
  step?: number;
  /** Mask sigma in pixels; default 5. */
  sigmaPx?: number;
  /** Masked images per forward call; default 100. */
  batchSize?: number;
  /** Progress in forward passes (mask evaluations) over all images. */
  onProgress?: (done: number, total: number, status: string) => void;
}

/** Result of {@linkcode interpretTracer}. */
export interface InterpretTracerResult {
  selection: InterpretSelection;
  /** True when a complete result with the same settings was already on disk. */
  reused: boolean;
}

const sameSettings = (a: InterpretSettings, b: InterpretSettings) =>
  JSON.stringify(a) === JSON.stringify(b);

async function readJson<T>(path: string): Promise<T | undefined> {
  try {
    return JSON.parse(await Deno.readTextFile(path)) as T;
  } catch {
    return undefined;
  }
}

/**
 * Interpret one single-channel network on the selected clusters and write the
 * tracer's interpretation directory. See the module notes for the files.
 *
 * @param predict raw images `[n, H, W, 1]` -> M_pred `[n]` in Msun, differentiable
 */
export async function interpretTracer(
  predict: PredictFn,
  options: InterpretTracerOptions,
): Promise<InterpretTracerResult> {
  const t0 = performance.now();
  const { tracer, images, outDir } = options;
  if (images.shape.length !== 3) {
    throw new RangeError(
      `Cannot interpret ${tracer}: images must be [N, H, W], got [${images.shape}]`,
    );
  }
  const [nAll, h, w] = images.shape;
  if (options.selection.length === 0) {
    throw new RangeError(`Cannot interpret ${tracer}: the selection is empty`);
  }
  for (const e of options.selection) {
    if (!(e.image >= 0 && e.image < nAll)) {
      throw new RangeError(
        `Cannot interpret ${tracer}: image ${e.image} is outside the stack of ${nAll} images`,
      );
    }
  }
  const settings: InterpretSettings = {
    tracer,
    modelKey: options.modelKey,
    images: options.selection.map((e) => e.image),
    stride: options.stride ?? 1,
    iterations: options.iterations ?? 2,
    step: options.step ?? DEEP_DREAM_DEFAULT_STEP,
    sigmaPx: options.sigmaPx ?? PAPER_MASK_SIGMA_PX,
  };
  if (h % settings.stride !== 0 || w % settings.stride !== 0) {
    throw new RangeError(
      `Cannot interpret ${tracer}: stride ${settings.stride} must divide the image size ${h} x ${w}`,
    );
  }
  await Deno.mkdir(outDir, { recursive: true });
  const done = await readJson<InterpretSelection>(join(outDir, "selection.json"));
  if (done && sameSettings(done.settings, settings)) return { selection: done, reused: true };

  const partialDir = join(outDir, ".partial");
  const partialSettings = await readJson<InterpretSettings>(join(partialDir, "settings.json"));
  if (!partialSettings || !sameSettings(partialSettings, settings)) {
    await Deno.remove(partialDir, { recursive: true }).catch(() => {});
    await Deno.mkdir(partialDir, { recursive: true });
    await writeJsonAtomic(join(partialDir, "settings.json"), settings);
  }

  const k = options.selection.length;
  const rows = h / settings.stride, cols = w / settings.stride;
  const perImage = rows * cols;
  const size = h * w;
  const out = {
    images: new Float32Array(k * size),
    deepdream: new Float32Array(k * size),
    gradient: new Float32Array(k * size),
    mask: new Float32Array(k * size),
    grid: new Float32Array(k * perImage),
  };
  const clusters: SelectedImage[] = [];
  const report = options.onProgress ?? (() => {});
  for (let r = 0; r < k; r++) {
    const e = options.selection[r];
    const raw = images.data.subarray(e.image * size, (e.image + 1) * size);
    out.images.set(raw, r * size);
    const base = join(partialDir, `image_${e.image}`);
    let meta = await readJson<Omit<SelectedImage, "galaxies">>(`${base}.json`);
    let arrays: Float32Array | undefined;
    if (meta) {
      try {
        const a = await readNpy(`${base}.npy`);
        if (a.data.length === 3 * size + perImage) arrays = Float32Array.from(a.data);
      } catch { /* recompute below */ }
    }
    if (!meta || !arrays) {
      const status = `${tracer} image ${e.image} (${r + 1}/${k})`;
      const x = tf.tensor4d(Float32Array.from(raw), [1, h, w, 1]);
      try {
        const dd = await deepDream(predict, x, {
          iterations: settings.iterations,
          step: settings.step,
        });
        const sweep = await maskSweep(predict, x, {
          sigmaPx: settings.sigmaPx,
          stride: settings.stride,
          batchSize: options.batchSize,
          onProgress: (d) => report(r * perImage + d, k * perImage, status),
        });
        arrays = new Float32Array(3 * size + perImage);
        arrays.set(dd.change, 0);
        arrays.set(dd.gradient, size);
        arrays.set(sweep.map, 2 * size);
        arrays.set(sweep.grid, 3 * size);
        meta = {
          image: e.image,
          cluster: e.cluster,
          projection: e.projection,
          redshift: e.redshift,
          m200Msun: e.m200Msun,
          r200Arcmin: e.r200Arcmin,
          r200Pix: e.r200Arcmin * PIXELS_PER_ARCMIN,
          rCorePix: CORE_FRACTION_OF_R200 * e.r200Arcmin * PIXELS_PER_ARCMIN,
          mPredMsun: sweep.mPredMsun,
          mPredAfterDreamMsun: dd.mPredFinalMsun,
          deepDreamAlpha: dd.alpha,
          maskSeconds: sweep.seconds,
        };
        await writeNpyAtomic(`${base}.npy`, { shape: [3 * size + perImage], data: arrays });
        await writeJsonAtomic(`${base}.json`, meta);
      } finally {
        x.dispose();
      }
    } else report((r + 1) * perImage, k * perImage, `${tracer} image ${e.image} resumed`);
    out.deepdream.set(arrays.subarray(0, size), r * size);
    out.gradient.set(arrays.subarray(size, 2 * size), r * size);
    out.mask.set(arrays.subarray(2 * size, 3 * size), r * size);
    out.grid.set(arrays.subarray(3 * size), r * perImage);
    const galaxies = (options.galaxies.get(e.image) ?? [])
      .filter((g) => g.mGalMsun > GALAXY_MIN_MASS_MSUN)
      .map((g) => ({ xPix: g.xPix, yPix: g.yPix, mGalMsun: g.mGalMsun }));
    clusters.push({ ...meta, galaxies });
  }

  await writeNpyAtomic(join(outDir, "images.npy"), { shape: [k, h, w], data: out.images });
  await writeNpyAtomic(join(outDir, "deepdream.npy"), { shape: [k, h, w], data: out.deepdream });
  await writeNpyAtomic(join(outDir, "gradient.npy"), { shape: [k, h, w], data: out.gradient });
  await writeNpyAtomic(join(outDir, "mask.npy"), { shape: [k, h, w], data: out.mask });
  await writeNpyAtomic(join(outDir, "mask_grid.npy"), { shape: [k, rows, cols], data: out.grid });
  const selection: InterpretSelection = {
    settings,
    imageSizePx: h,
    centrePix: [w / 2, h / 2],
    pixelsPerArcmin: PIXELS_PER_ARCMIN,
    maskGridShape: [k, rows, cols],
    clusters,
    seconds: (performance.now() - t0) / 1000,
    backend: tf.getBackend(),
  };
  await writeJsonAtomic(join(outDir, "selection.json"), selection);
  await Deno.remove(partialDir, { recursive: true }).catch(() => {});
  return { selection, reused: false };
}

/** The arrays and selection of one tracer's interpretation directory, as read back. */
export interface InterpretTracerOutput {
  tracer: Tracer;
  /** `[k, H, W]` raw images shown. */
  images: ImageStack;
  /** `[k, H, W]` Deep Dream image change. */
  deepdream: ImageStack;
  /** `[k, H, W]` Delta M_pred map, Msun. */
  mask: ImageStack;
  selection: InterpretSelection;
}

/** Read `<interpretDir>/<tracer>/` back (for the figures). */
export async function readInterpretTracer(
  interpretDir: string,
  tracer: Tracer,
): Promise<InterpretTracerOutput> {
  const dir = join(interpretDir, tracer);
  const selPath = join(dir, "selection.json");
  let selection: InterpretSelection;
  try {
    selection = JSON.parse(await Deno.readTextFile(selPath));
  } catch (e) {
    throw new Error(
      `Cannot read ${selPath}: ${e instanceof Error ? e.message : e}; run \`deno task interpret\``,
    );
  }
  const [images, deepdream, mask] = await Promise.all(
    ["images", "deepdream", "mask"].map((n) => readNpy(join(dir, `${n}.npy`))),
  );
  return { tracer, images, deepdream, mask, selection };
}
