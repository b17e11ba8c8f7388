/**
 * Read a dataset directory written by `deno task simulate` (the on-disk
 * contract of architecture.md) into per-split arrays for training, validating
 * everything before any training starts.
 *
 * @module
 */
import { join } from "node:path";
import { decodeNpy } from "../io/mod.ts";
import { type NetworkKind, NETWORKS, type Split, type Tracer, TRACERS } from "../types/mod.ts";
import {
  DATASET_FILES,
  type DatasetManifest,
  IMAGE_PIXELS,
  IMAGE_SIZE_PIX,
  makeDatasetHint,
  readCatalog,
  readManifest,
} from "./format.ts";
import { type FoldSpec, foldSplits } from "./folds.ts";

/** The images and labels of one split (train, val or test). */
export interface SplitData {
  /** Number of images in the split. */
  n: number;
  /**
   * One array per channel (in {@linkcode LoadedDataset.channels} order), each
   * `n * 120 * 120` float32 values in raw tracer units, C order
   * `[image][row][col]`. Backed by a `SharedArrayBuffer` so that training
   * workers can read it without copies.
   */
  images: Float32Array[];
  /** True M200 of each image in Msun (the label). */
  m200Msun: Float64Array;
  /** Image index of each row in the dataset's `.npy` arrays and `catalog.csv`. */
  image: Int32Array;
  /** Cluster id of each image. */
  cluster: Int32Array;
}

/** A dataset read for one network. */
export interface LoadedDataset {
  /** The dataset directory. */
  dir: string;
  /** The network the images were read for. */
  kind: NetworkKind;
  /** The channels read: `[tracer]`, or all four tracers in star, fxs, fxb, ypar order. */
  channels: Tracer[];
  /** Total images in the dataset. */
  nImages: number;
  /** The three splits. */
  splits: Record<Split, SplitData>;
  /** `manifest.json` parsed, or `null` when the file is absent. */
  manifest: DatasetManifest | null;
}

/** Options of {@linkcode loadDataset}. */
export interface LoadDatasetOptions {
  /** The network to read images for: one tracer or `"multi"` (all four). */
  tracer: NetworkKind | string;
  /**
   * K-fold cross-validation by cluster (lib/dataset/folds.ts): replace the
   * catalogue's split column with fold k's (test k, validation k + 1).
   */
  fold?: FoldSpec;
}

const SPLITS: readonly Split[] = ["train", "val", "test"];

/** The channels a network reads, in star, fxs, fxb, ypar order. */
export function channelsOf(kind: NetworkKind): Tracer[] {
  return kind === "multi" ? [...TRACERS] : [kind];
}

/**
 * Read `catalog.csv` and the `.npy` images a network needs from a dataset
 * directory, and check them before training: a missing directory or file, a
 * corrupt `.npy`, an image array whose shape is not `[N, 120, 120]` with
 * `N` = catalogue rows, NaN or infinite pixels, an unknown tracer or an empty
 * split all throw an error that says what is wrong and what to do.
 *
 * @example
 * ```ts ignore
 * import { loadDataset } from "./mod.ts";
 * const ds = await loadDataset("data/smoke", { tracer: "ypar" });
 * console.log(ds.splits.train.n, ds.splits.val.n, ds.splits.test.n);
 * ```
 */
export async function loadDataset(
  dir: string,
  options: LoadDatasetOptions,
): Promise<LoadedDataset> {
  const kind = options.tracer;
  if (!(NETWORKS as readonly string[]).includes(kind)) {
    throw new RangeError(
      `Cannot load dataset: unknown tracer "${kind}", expected one of ${NETWORKS.join(", ")}`,
    );
  }
  const channels = channelsOf(kind as NetworkKind);
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(dir);
  } catch {
    throw new Error(
      `Cannot load dataset: directory ${dir} does not exist. ${makeDatasetHint(dir)}`,
    );
  }
  if (!info.isDirectory) {
    throw new Error(`Cannot load dataset: ${dir} is not a directory. ${makeDatasetHint(dir)}`);
  }
  const catalogPath = join(dir, DATASET_FILES.catalog);
  const rows = await readCatalog(dir);
  const n = rows.length;
  // Check all files exist before reading any large one.
  for (const t of channels) await mustExist(join(dir, DATASET_FILES.images(t)), dir);

  const folds = options.fold ? foldSplits(rows.map((r) => r.cluster), options.fold) : null;
  const splitOf = rows.map((r) => folds?.get(r.cluster) ?? r.split);
  const counts: Record<Split, number> = { train: 0, val: 0, test: 0 };
  for (const s of splitOf) counts[s]++;
  for (const s of SPLITS) {
    if (counts[s] === 0) {
      throw new RangeError(
        `Cannot load dataset ${dir}: the ${s} split is empty (catalog.csv has ` +
          `${counts.train} train, ${counts.val} val, ${counts.test} test images). ` +
          `Simulate more clusters (--clusters) so that every split holds at least one.`,
      );
    }
  }
  const splits = {} as Record<Split, SplitData>;
  const posInSplit = new Int32Array(n);
  for (const s of SPLITS) {
    const m = counts[s];
    splits[s] = {
      n: m,
      images: channels.map(() => sharedFloat32(m * IMAGE_PIXELS)),
      m200Msun: new Float64Array(m),
      image: new Int32Array(m),
      cluster: new Int32Array(m),
    };
  }
  const fill: Record<Split, number> = { train: 0, val: 0, test: 0 };
  rows.forEach((r, i) => {
    const s = splitOf[i];
    const k = fill[s]++;
    posInSplit[i] = k;
    splits[s].m200Msun[k] = r.m200Msun;
    splits[s].image[k] = r.image;
    splits[s].cluster[k] = r.cluster;
  });

  for (const [c, tracer] of channels.entries()) {
    const path = join(dir, DATASET_FILES.images(tracer));
    const bytes = await Deno.readFile(path);
    const arr = decodeNpy(bytes, path);
    const [a, b, d] = arr.shape;
    if (arr.shape.length !== 3 || b !== IMAGE_SIZE_PIX || d !== IMAGE_SIZE_PIX) {
      throw new RangeError(
        `Cannot load dataset: ${path} has shape [${arr.shape}], expected [N, ${IMAGE_SIZE_PIX}, ` +
          `${IMAGE_SIZE_PIX}]. Regenerate the dataset with \`deno task simulate\`.`,
      );
    }
    if (a !== n) {
      throw new RangeError(
        `Cannot load dataset: ${path} holds ${a} images but ${catalogPath} has ${n} rows. ` +
          `The files come from different runs; regenerate the dataset with \`deno task simulate\`.`,
      );
    }
    const data = arr.data;
    for (let i = 0; i < n; i++) {
      const src = data.subarray(i * IMAGE_PIXELS, (i + 1) * IMAGE_PIXELS);
      for (let p = 0; p < IMAGE_PIXELS; p++) {
        if (!Number.isFinite(src[p])) {
          throw new RangeError(
            `Cannot load dataset: ${path} has a non-finite pixel (${src[p]}) in image ${i} ` +
              `(first bad image; row ${p / IMAGE_SIZE_PIX | 0}, column ${p % IMAGE_SIZE_PIX}). ` +
              `Regenerate the dataset with \`deno task simulate\`.`,
          );
        }
      }
      const s = splitOf[i];
      splits[s].images[c].set(src, posInSplit[i] * IMAGE_PIXELS);
    }
  }

  const manifest = await readManifest(dir);
  return { dir, kind: kind as NetworkKind, channels, nImages: n, splits, manifest };
}

function sharedFloat32(length: number): Float32Array {
  return new Float32Array(new SharedArrayBuffer(length * 4));
}

async function mustExist(path: string, dir: string): Promise<void> {
  try {
    await Deno.stat(path);
  } catch {
    throw new Error(`Cannot load dataset: ${path} is missing. ${makeDatasetHint(dir)}`);
  }
}
