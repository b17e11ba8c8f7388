/**
 * The whole interpretation step behind `deno task interpret`: for every
 * single-channel tracer, the core/ring correlations on the test split
 * (`correlations.json`) and, where a trained network is given, Deep Dream and
 * the Gaussian-mask sweep on four test clusters spanning the mass range
 * (`<tracer>/`, see {@linkcode interpretTracer}).
 *
 * @module
 */
import { join } from "node:path";
import { writeJsonAtomic } from "../io/mod.ts";
import { type Tracer, TRACERS } from "../types/mod.ts";
import {
  CORE_FRACTION_OF_R200,
  coreRingCorrelation,
  PAPER_CORE_RING_CORRELATION,
  type RegionCorrelation,
} from "./core_ring.ts";
import {
  type CatalogEntry,
  PIXELS_PER_ARCMIN,
  readCatalog,
  readGalaxies,
  readTracerImages,
} from "../dataset/format.ts";
import { selectSpanningMasses } from "./select_clusters.ts";
import type { PredictFn } from "./deep_dream.ts";
import { type InterpretSelection, interpretTracer } from "./interpret_tracer.ts";

/** A loaded network for one tracer. */
export interface TracerPredictor {
  predict: PredictFn;
  /** Identifies the model (e.g. a hash of its weights) for resuming. */
  modelKey: string;
  /** Release the model. */
  dispose?: () => void;
}

/** Options of {@linkcode interpretDataset}. */
export interface InterpretDatasetOptions {
  /** Dataset directory (`deno task simulate --out`). */
  dataDir: string;
  /** Output directory (created). */
  outDir: string;
  /**
   * Load the trained network of a tracer, or return undefined when there is
   * none (that tracer then gets correlations only).
   */
  loadPredictor: (tracer: Tracer) => Promise<TracerPredictor | undefined>;
  /** Tracers; default all four. */
  tracers?: readonly Tracer[];
  /** Clusters shown per tracer; default 4. */
  clustersShown?: number;
  /** Mask centre stride in pixels; default 1 (the paper's). */
  stride?: number;
  /** Deep Dream iterations (1 or 2); default 2 (Figs 8-11 captions). */
  iterations?: number;
  /** Normalised Deep Dream step; default 0.01. */
  step?: number;
  /** Mask sigma, pixels; default 5. */
  sigmaPx?: number;
  /** Masked images per forward call; default 100. */
  batchSize?: number;
  /** Progress of one tracer's sweep (forward passes done / total). */
  onProgress?: (tracer: Tracer, done: number, total: number, status: string) => void;
  /** Called when a tracer starts and ends (for progress bars and logs). */
  onTracer?: (
    tracer: Tracer,
    event: "start" | "done" | "skipped" | "reused",
    total: number,
  ) => void;
}

/** Core/ring correlations of one tracer in `correlations.json`. */
export interface TracerCorrelation {
  /** Test images used. */
  n: number;
  /** Of those, images whose R200 reaches past the image edge (ring cut by the field). */
  nRingTruncated: number;
  /** Pearson r of log10 M_true with log10 F (F <= 0 left out). */
  log: RegionCorrelation;
  /** Pearson r of M_true with F (linear). */
  linear: RegionCorrelation;
  /** The paper's values (§4.2), or null where it gives none. */
  paper: { core: number; ring: number } | null;
}

/** Contents of `correlations.json`. */
export interface CorrelationsFile {
  definition: string;
  split: "test";
  coreFractionOfR200: number;
  pixelsPerArcmin: number;
  tracers: Partial<Record<Tracer, TracerCorrelation>>;
}

/** Result of {@linkcode interpretDataset}. */
export interface InterpretDatasetResult {
  correlations: CorrelationsFile;
  /** Selections written (tracers with a network). */
  selections: Partial<Record<Tracer, InterpretSelection>>;
  /** The catalogue rows shown, in row order. */
  shown: CatalogEntry[];
}

/** Run the interpretation step; see the module notes. */
export async function interpretDataset(
  options: InterpretDatasetOptions,
): Promise<InterpretDatasetResult> {
  const tracers = options.tracers ?? TRACERS;
  const catalog = await readCatalog(options.dataDir);
  const galaxies = await readGalaxies(options.dataDir);
  const shown = selectSpanningMasses(catalog, { count: options.clustersShown ?? 4 });
  const test = catalog.filter((e) => e.split === "test");
  if (test.length < 3) {
    throw new RangeError(
      `Cannot interpret ${options.dataDir}: the test split has ${test.length} images, need >= 3`,
    );
  }
  await Deno.mkdir(options.outDir, { recursive: true });
  const correlations: CorrelationsFile = {
    definition: "Pearson r over the test images of M_true (or log10 M_true) with the integrated " +
      "image signal F (or log10 F) in the core r < 0.15 R200 and in the ring " +
      "0.15 R200 <= r < R200 around the image centre; pixels belong to the region holding " +
      "their centre; log: images with F <= 0 left out (counts nCore/nRing)",
    split: "test",
    coreFractionOfR200: CORE_FRACTION_OF_R200,
    pixelsPerArcmin: PIXELS_PER_ARCMIN,
    tracers: {},
  };
  const selections: Partial<Record<Tracer, InterpretSelection>> = {};
  for (const tracer of tracers) {
    const images = await readTracerImages(options.dataDir, tracer);
    if (images.shape[0] !== catalog.length) {
      throw new RangeError(
        `Cannot interpret ${tracer}: images_${tracer}.npy holds ${images.shape[0]} images but ` +
          `catalog.csv has ${catalog.length} rows`,
      );
    }
    const cr = coreRingCorrelation(images, {
      indices: test.map((e) => e.image),
      r200Pix: test.map((e) => e.r200Arcmin * PIXELS_PER_ARCMIN),
      m200Msun: test.map((e) => e.m200Msun),
    });
    correlations.tracers[tracer] = {
      n: cr.n,
      nRingTruncated: cr.nRingTruncated,
      log: cr.log,
      linear: cr.linear,
      paper: PAPER_CORE_RING_CORRELATION[tracer],
    };
    await writeJsonAtomic(join(options.outDir, "correlations.json"), correlations);

    const predictor = await options.loadPredictor(tracer);
    const [, h, w] = images.shape;
    const stride = options.stride ?? 1;
    const total = shown.length * (h / stride) * (w / stride);
    if (!predictor) {
      options.onTracer?.(tracer, "skipped", total);
      continue;
    }
    try {
      options.onTracer?.(tracer, "start", total);
      const res = await interpretTracer(predictor.predict, {
        tracer,
        images,
        selection: shown,
        galaxies,
        outDir: join(options.outDir, tracer),
        modelKey: predictor.modelKey,
        stride,
        iterations: options.iterations,
        step: options.step,
        sigmaPx: options.sigmaPx,
        batchSize: options.batchSize,
        onProgress: (d, t, s) => options.onProgress?.(tracer, d, t, s),
      });
      selections[tracer] = res.selection;
      options.onTracer?.(tracer, res.reused ? "reused" : "done", total);
    } finally {
      predictor.dispose?.();
    }
  }
  return { correlations, selections, shown };
}
