/**
 * `mergeShards`: join the shard directories written by `simulate --shard i/N`
 * (lib/dataset/shard.ts) into one dataset directory, byte-identical to the
 * unsharded `simulate` with the same settings and seed.
 *
 * Everything is checked before anything is written: every directory must
 * hold a shard manifest (a shard without one did not finish), the shards must
 * come from the same settings (seed, profile, noise, line of sight, cluster
 * count, ...) and the same code, and shards 0..N-1 must each be given
 * exactly once. The files are streamed to temporary names in the output
 * directory and renamed into place, the manifest last, as `simulate` does.
 *
 * @module
 */
import { join } from "node:path";
import { ensureWritableDir, writeJsonAtomic } from "../io/mod.ts";
import { npyHeaderF32 } from "../io/npy_stream.ts";
import { TRACERS } from "../types/mod.ts";
import {
  CATALOG_COLUMNS,
  DATASET_FILES,
  DATASET_GALAXY_COLUMNS,
  IMAGE_SIZE_PIX,
} from "./format.ts";
import { SHARD_DEFERRED_KEYS, SHARD_FORMAT, type ShardManifest } from "./shard.ts";

/** Options of {@linkcode mergeShards}. */
export interface MergeOptions {
  /** Output dataset directory (created if missing). */
  out: string;
  /** The shard directories, in any order. */
  shards: string[];
  /**
   * Called once the shards are checked, before anything is written: the task
   * claims (creates and locks) the output folder here. Default: create it.
   */
  beforeWrite?: () => Promise<void>;
}

/** What {@linkcode mergeShards} wrote. */
export interface MergeResult {
  out: string;
  shards: number;
  clusters: number;
  images: number;
  seconds: number;
}

/** The settings whose difference is named on its own when shards disagree. */
const NAMED_SETTINGS: readonly [string, string][] = [
  ["seed", "seed"],
  ["profile", "profile"],
  ["noise", "noise"],
  ["noiseScale", "noise scale (--noise-scale)"],
  ["los", "line of sight (--no-los)"],
  ["clustersRequested", "number of clusters (--clusters)"],
  ["toolkit", "toolkit version"],
];

async function readShardManifest(dir: string): Promise<ShardManifest> {
  const path = join(dir, DATASET_FILES.manifest);
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      try {
        await Deno.stat(dir);
      } catch {
        throw new Error(`Cannot merge: shard directory ${dir} does not exist`);
      }
      throw new Error(
        `Cannot merge: shard ${dir} has no manifest.json, so its simulate did not finish; ` +
          `run its \`deno task simulate ... --shard i/N\` again`,
      );
    }
    throw e;
  }
  let m: ShardManifest;
  try {
    m = JSON.parse(text);
  } catch {
    throw new Error(`Cannot merge: ${path} is not valid JSON; simulate that shard again`);
  }
  if (m?.format !== SHARD_FORMAT) {
    throw new Error(
      `Cannot merge: ${dir} is not a shard (manifest format ${
        JSON.stringify(m?.format)
      }, expected "${SHARD_FORMAT}"); give the directories written by simulate --shard i/N`,
    );
  }
  return m;
}

function withoutDeferred(dataset: Record<string, unknown>): string {
  const copy = { ...dataset };
  for (const k of SHARD_DEFERRED_KEYS) delete copy[k];
  return JSON.stringify(copy);
}

/** Check that the shards belong together and are complete; returns them in index order. */
function checkShards(
  dirs: string[],
  manifests: ShardManifest[],
): { dir: string; m: ShardManifest }[] {
  const first = manifests[0];
  for (let i = 1; i < manifests.length; i++) {
    const m = manifests[i];
    for (const [key, label] of NAMED_SETTINGS) {
      const a = JSON.stringify(first.dataset[key]);
      const b = JSON.stringify(m.dataset[key]);
      if (a !== b) {
        throw new Error(
          `Cannot merge: the shards differ in ${label}: ${dirs[0]} has ${a}, ${
            dirs[i]
          } has ${b}; ` +
            `simulate every shard with the same settings`,
        );
      }
    }
    if (withoutDeferred(first.dataset) !== withoutDeferred(m.dataset)) {
      throw new Error(
        `Cannot merge: ${dirs[0]} and ${dirs[i]} were simulated with different settings ` +
          `(their dataset manifests differ); simulate every shard with the same settings`,
      );
    }
    if (m.shard.code !== first.shard.code) {
      throw new Error(
        `Cannot merge: ${dirs[0]} and ${dirs[i]} were written by different code versions ` +
          `(${first.shard.code?.slice(0, 12) ?? "unknown"} and ${
            m.shard.code?.slice(0, 12) ?? "unknown"
          }); simulate the shards again with this code`,
      );
    }
    if (m.shard.count !== first.shard.count) {
      throw new Error(
        `Cannot merge: ${dirs[0]} is one of ${first.shard.count} shards, ${dirs[i]} one of ` +
          `${m.shard.count}; give the shards of one --shard i/N plan`,
      );
    }
  }
  const n = first.shard.count;
  const byIndex = new Map<number, number>();
  manifests.forEach((m, i) => {
    const seen = byIndex.get(m.shard.index);
    if (seen !== undefined) {
      throw new Error(
        `Cannot merge: shard ${m.shard.index}/${n} is given twice (${dirs[seen]} and ${
          dirs[i]
        }); ` +
          `give each shard once`,
      );
    }
    byIndex.set(m.shard.index, i);
  });
  const missing = Array.from({ length: n }, (_, i) => i).filter((i) => !byIndex.has(i));
  if (missing.length > 0) {
    throw new Error(
      `Cannot merge: shard${missing.length > 1 ? "s" : ""} ${
        missing.map((i) => `${i}/${n}`).join(", ")
      } missing (got ${manifests.length} of ${n}); simulate ${
        missing.length > 1 ? "them" : "it"
      } with --shard and pass every shard directory`,
    );
  }
  const ordered = Array.from({ length: n }, (_, i) => {
    const j = byIndex.get(i)!;
    return { dir: dirs[j], m: manifests[j] };
  });
  let nextImage = 0;
  for (const { dir, m } of ordered) {
    if (m.shard.firstImage !== nextImage || m.shard.images !== 4 * m.shard.clusters) {
      throw new Error(
        `Cannot merge: shard ${dir} starts at image ${m.shard.firstImage}, expected ${nextImage}; ` +
          `simulate the shards again with this code`,
      );
    }
    nextImage += m.shard.images;
  }
  if (nextImage !== first.dataset.images) {
    throw new Error(
      `Cannot merge: the shards hold ${nextImage} images, the dataset ${first.dataset.images}`,
    );
  }
  return ordered;
}

/** Body of a CSV file (lines after the header), checking the header. */
async function csvBody(path: string, header: string): Promise<string> {
  const text = await Deno.readTextFile(path);
  const nl = text.indexOf("\n");
  const head = nl < 0 ? text : text.slice(0, nl);
  if (head !== header) {
    throw new Error(`Cannot merge: ${path} has header "${head}", expected "${header}"`);
  }
  return nl < 0 ? "" : text.slice(nl + 1);
}

async function writeAll(file: Deno.FsFile, bytes: Uint8Array): Promise<void> {
  let off = 0;
  while (off < bytes.length) off += await file.write(bytes.subarray(off));
}

/** Append the data part of a shard's float32 `.npy` file of `images` images to `out`. */
async function appendNpyData(out: Deno.FsFile, path: string, images: number): Promise<void> {
  using file = await Deno.open(path, { read: true });
  const expected = npyHeaderF32([images, IMAGE_SIZE_PIX, IMAGE_SIZE_PIX]);
  const head = new Uint8Array(expected.length);
  let got = 0;
  while (got < head.length) {
    const n = await file.read(head.subarray(got));
    if (n === null) break;
    got += n;
  }
  if (got !== head.length || !head.every((b, i) => b === expected[i])) {
    throw new Error(
      `Cannot merge: ${path} is not a float32 [${images}, ${IMAGE_SIZE_PIX}, ${IMAGE_SIZE_PIX}] ` +
        `array as its manifest says; simulate that shard again`,
    );
  }
  const want = images * IMAGE_SIZE_PIX * IMAGE_SIZE_PIX * 4;
  const buffer = new Uint8Array(1 << 20);
  let copied = 0;
  while (true) {
    const n = await file.read(buffer);
    if (n === null) break;
    copied += n;
    if (copied > want) break;
    await writeAll(out, buffer.subarray(0, n));
  }
  if (copied !== want) {
    throw new Error(
      `Cannot merge: ${path} holds ${copied} bytes of images, expected ${want}; ` +
        `simulate that shard again`,
    );
  }
}

/**
 * Merge shard directories into one dataset directory (see the module docs).
 * Throws, naming the problem, before writing anything when the shards do not
 * belong together or are incomplete.
 */
export async function mergeShards(options: MergeOptions): Promise<MergeResult> {
  const t0 = performance.now();
  if (!options.out) {
    throw new TypeError("Cannot merge: an output directory is required (--out DIR)");
  }
  if (options.shards.length === 0) {
    throw new RangeError("Cannot merge: no shard directories given; pass SHARD_DIR...");
  }
  const manifests: ShardManifest[] = [];
  for (const dir of options.shards) manifests.push(await readShardManifest(dir));
  const ordered = checkShards(options.shards, manifests);
  const dataset = { ...ordered[0].m.dataset };
  const images = dataset.images as number;

  // The shards are checked: now the output may be made (and, in the task, locked).
  if (options.beforeWrite) await options.beforeWrite();
  else await ensureWritableDir(options.out);
  const suffix = `.partial-${Deno.pid}`;
  const temp = (name: string) => join(options.out, name + suffix);
  const written: string[] = [];
  try {
    for (const t of TRACERS) {
      const path = temp(DATASET_FILES.images(t));
      written.push(path);
      using out = await Deno.open(path, { write: true, create: true, truncate: true });
      await writeAll(out, npyHeaderF32([images, IMAGE_SIZE_PIX, IMAGE_SIZE_PIX]));
      for (const { dir, m } of ordered) {
        await appendNpyData(out, join(dir, DATASET_FILES.images(t)), m.shard.images);
      }
      await out.syncData().catch(() => {});
    }
    const catalogHeader = CATALOG_COLUMNS.join(",");
    const galaxyHeader = DATASET_GALAXY_COLUMNS.join(",");
    let catalog = catalogHeader + "\n";
    let galaxies = galaxyHeader + "\n";
    let galaxyCount = 0;
    let losTotal = 0;
    for (const { dir, m } of ordered) {
      const body = await csvBody(join(dir, DATASET_FILES.catalog), catalogHeader);
      const lines = body.split("\n").filter((l) => l.length > 0);
      lines.forEach((line, i) => {
        const image = Number(line.slice(0, line.indexOf(",")));
        if (lines.length !== m.shard.images || image !== m.shard.firstImage + i) {
          throw new Error(
            `Cannot merge: ${
              join(dir, DATASET_FILES.catalog)
            } does not list images ${m.shard.firstImage}..${
              m.shard.firstImage + m.shard.images - 1
            } as its manifest says; simulate that shard again`,
          );
        }
      });
      catalog += body;
      const gal = await csvBody(join(dir, DATASET_FILES.galaxies), galaxyHeader);
      const nGal = gal.split("\n").filter((l) => l.length > 0).length;
      if (nGal !== m.shard.galaxies) {
        throw new Error(
          `Cannot merge: ${
            join(dir, DATASET_FILES.galaxies)
          } has ${nGal} rows, its manifest ${m.shard.galaxies}; simulate that shard again`,
        );
      }
      galaxies += gal;
      galaxyCount += m.shard.galaxies;
      losTotal += m.shard.losHaloes;
    }
    written.push(temp(DATASET_FILES.catalog), temp(DATASET_FILES.galaxies));
    await Deno.writeTextFile(temp(DATASET_FILES.catalog), catalog);
    await Deno.writeTextFile(temp(DATASET_FILES.galaxies), galaxies);
    dataset.galaxies = galaxyCount;
    dataset.losHaloesPerImage = images > 0 ? losTotal / images : 0;
  } catch (e) {
    for (const f of written) await Deno.remove(f).catch(() => {});
    throw e;
  }
  // Publish as simulate does: drop the old manifest, rename into place, manifest last.
  await Deno.remove(join(options.out, DATASET_FILES.manifest)).catch(() => {});
  for (const t of TRACERS) {
    await Deno.rename(temp(DATASET_FILES.images(t)), join(options.out, DATASET_FILES.images(t)));
  }
  await Deno.rename(temp(DATASET_FILES.catalog), join(options.out, DATASET_FILES.catalog));
  await Deno.rename(temp(DATASET_FILES.galaxies), join(options.out, DATASET_FILES.galaxies));
  await writeJsonAtomic(join(options.out, DATASET_FILES.manifest), dataset);
  return {
    out: options.out,
    shards: ordered.length,
    clusters: dataset.clusters as number,
    images,
    seconds: (performance.now() - t0) / 1000,
  };
}
