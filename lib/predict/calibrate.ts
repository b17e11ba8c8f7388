/**
 * The calibration of a trained run: its network's predictions on the
 * validation split, a confidence belt fitted to them
 * (lib/predict/confidence_belt.ts), and what `predict` must check about new
 * images (shape, pixel scale, units, channels), written to
 * `RUNDIR/calibration.json` (and the validation predictions to
 * `RUNDIR/predictions_val.csv`). `deno task evaluate` makes it when it is
 * missing or older than the run's weights.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { join, resolve } from "node:path";
import {
  type DatasetManifest,
  IMAGE_PIXELS,
  IMAGE_SIZE_PIX,
  imageGeometry,
  loadDataset,
  type SplitData,
} from "../dataset/mod.ts";
import { writeJsonAtomic } from "../io/mod.ts";
import { writePredictions } from "../evaluate/predictions.ts";
import { loadTrainedModel, type TrainedModel } from "../train/mod.ts";
import { type NetworkKind, type Tracer, TRACERS } from "../types/mod.ts";
import { TRACER_BUNIT } from "../fits/mod.ts";
import { type ConfidenceBelt, type FitBeltOptions, fitConfidenceBelt } from "./confidence_belt.ts";

/** What a run's training images were, as `predict` checks new images against it. */
export interface TrainingDataDescription {
  /** The dataset directory the run was trained on. */
  dataDir: string;
  /** Network input channels, in order. */
  channels: Tracer[];
  /** Pixels per side. */
  npix: number;
  /** Pixel size [arcsec]. */
  pixelArcsec: number;
  /** FITS BUNIT of each channel. */
  bunit: Partial<Record<Tracer, string>>;
  /** The dataset's unit descriptions (manifest.json `units`). */
  units: Partial<Record<Tracer, string>>;
  /** Noise setting and instruments of the training images. */
  noise: string | null;
  instruments: Record<string, unknown> | null;
  /** Redshift range of the training views. */
  redshiftRange: [number, number] | null;
}

/** The content of `calibration.json`. */
export interface RunCalibration {
  format: "yan2020-calibration";
  version: 1;
  network: NetworkKind;
  method: string;
  /** FNV-1a checksum of weights.bin the calibration was made with. */
  weightsChecksum: string;
  belt: ConfidenceBelt;
  data: TrainingDataDescription;
  createdAt: string;
}

/** File name of a run's calibration. */
export const CALIBRATION_FILE = "calibration.json";

/** 32-bit FNV-1a of a byte array, hex. */
export function fnv1aHex(bytes: Uint8Array): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 16777619) >>> 0;
  return h.toString(16).padStart(8, "0");
}

/**
 * Predicted M200 [Msun] of the images of one split with a trained model, in
 * batches of `batchSize` (channels interleaved to [n, 120, 120, C]).
 */
export async function predictSplit(
  trained: TrainedModel,
  split: SplitData,
  options: { batchSize?: number } = {},
): Promise<Float64Array> {
  const batch = options.batchSize ?? 50;
  const c = split.images.length;
  const px = IMAGE_PIXELS;
  const out = new Float64Array(split.n);
  for (let s = 0; s < split.n; s += batch) {
    const e = Math.min(split.n, s + batch);
    const buf = new Float32Array((e - s) * px * c);
    for (let i = s; i < e; i++) {
      for (let k = 0; k < c; k++) {
        const src = split.images[k];
        for (let p = 0; p < px; p++) buf[((i - s) * px + p) * c + k] = src[i * px + p];
      }
    }
    const x = tf.tensor4d(buf, [e - s, IMAGE_SIZE_PIX, IMAGE_SIZE_PIX, c]);
    const y = trained.predictMassMsun(x);
    out.set(await y.data(), s);
    x.dispose();
    y.dispose();
  }
  return out;
}

/** Options of {@linkcode calibrateRun}. */
export interface CalibrateOptions extends FitBeltOptions {
  /** Dataset directory (default: `dataDir` of the run's training.json). */
  dataDir?: string;
}

function describeData(
  dataDir: string,
  channels: Tracer[],
  manifest: DatasetManifest | null,
): TrainingDataDescription {
  const m: Partial<DatasetManifest> = manifest ?? {};
  const units = (m.units ?? {}) as Record<string, string>;
  const { npix, pixelArcsec } = imageGeometry(manifest);
  return {
    dataDir: resolve(dataDir),
    channels,
    npix,
    pixelArcsec,
    bunit: Object.fromEntries(channels.map((t) => [t, TRACER_BUNIT[t]])),
    units: Object.fromEntries(channels.filter((t) => units[t]).map((t) => [t, units[t]])),
    noise: typeof m.noise === "string" ? m.noise : null,
    instruments: (m.instruments ?? null) as Record<string, unknown> | null,
    redshiftRange: Array.isArray(m.redshiftRange) ? m.redshiftRange as [number, number] : null,
  };
}

/**
 * Calibrate a trained run on its validation split and write
 * `RUNDIR/calibration.json` and `RUNDIR/predictions_val.csv`. Uses the
 * active tfjs backend (call `setupBackend` first).
 */
export async function calibrateRun(
  runDir: string,
  options: CalibrateOptions = {},
): Promise<RunCalibration> {
  const trained = await loadTrainedModel(runDir);
  try {
    const dataDir = options.dataDir ?? (trained.training.dataDir as string | undefined);
    if (typeof dataDir !== "string") {
      throw new TypeError(
        `Cannot calibrate ${runDir}: training.json names no dataDir; pass the dataset directory`,
      );
    }
    let ds;
    try {
      ds = await loadDataset(dataDir, { tracer: trained.kind });
    } catch (e) {
      throw new Error(
        `Cannot calibrate ${runDir}: its validation split is read from ${dataDir} ` +
          `(training.json dataDir): ${(e as Error).message}`,
      );
    }
    const val = ds.splits.val;
    const mPred = await predictSplit(trained, val);
    const belt = fitConfidenceBelt(
      { mTrueMsun: val.m200Msun, mPredMsun: mPred, cluster: val.cluster },
      options,
    );
    const weights = await Deno.readFile(join(runDir, "weights.bin"));
    const cal: RunCalibration = {
      format: "yan2020-calibration",
      version: 1,
      network: trained.kind,
      method: "Neyman confidence belt on the validation split: kernel-weighted quantiles of " +
        "log10 M_pred given log10 M_true (Gaussian kernel, each cluster weighted once), made " +
        "non-decreasing, inverted for each prediction (lib/predict/confidence_belt.ts)",
      weightsChecksum: fnv1aHex(weights),
      belt,
      data: describeData(dataDir, ds.channels.filter((t) => TRACERS.includes(t)), ds.manifest),
      createdAt: new Date().toISOString(),
    };
    await writePredictions(join(runDir, "predictions_val.csv"), {
      image: val.image,
      cluster: val.cluster,
      mTrueMsun: val.m200Msun,
      mPredMsun: mPred,
    });
    await writeJsonAtomic(join(runDir, CALIBRATION_FILE), cal);
    return cal;
  } finally {
    trained.model.dispose();
  }
}

/** Read `RUNDIR/calibration.json`, or `null` when absent; throws when it is not a calibration. */
export async function readCalibration(runDir: string): Promise<RunCalibration | null> {
  const path = join(runDir, CALIBRATION_FILE);
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch {
    return null;
  }
  const c = JSON.parse(text);
  if (c?.format !== "yan2020-calibration" || !c.belt || !c.data) {
    throw new TypeError(`Cannot read ${path}: not a calibration written by calibrateRun`);
  }
  return c as RunCalibration;
}

/**
 * The run's calibration, made afresh (with {@linkcode calibrateRun}) when
 * missing or made with other weights.
 */
export async function ensureCalibration(
  runDir: string,
  options: CalibrateOptions = {},
): Promise<{ calibration: RunCalibration; fresh: boolean }> {
  const c = await readCalibration(runDir);
  if (c) {
    const w = await Deno.readFile(join(runDir, "weights.bin")).catch(() => null);
    if (w && fnv1aHex(w) === c.weightsChecksum) return { calibration: c, fresh: false };
  }
  return { calibration: await calibrateRun(runDir, options), fresh: true };
}
