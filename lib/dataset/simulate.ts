/**
 * `simulateDataset`: the whole mock-data step (mock-universe.md) as a library
 * call, used by `deno task simulate` and by notebooks. It builds the halo
 * catalogue, selects clusters, renders four views per cluster on Deno
 * workers, and writes the dataset contract atomically:
 *
 * - `catalog.csv`: `image,cluster,projection,redshift,m200_msun,r200_mpc,r200_arcmin,split`;
 * - `images_star.npy`, `images_fxs.npy`, `images_fxb.npy`, `images_ypar.npy`:
 *   float32 [N, 120, 120], image = 4 k + projection for the k-th cluster (by id);
 * - `galaxies.csv`: `image,cluster,x_pix,y_pix,m_gal_msun`;
 * - `manifest.json`: units, cosmology, instruments, seed, profile, counts.
 *
 * Files are streamed to `<name>.partial-<pid>` inside the output directory and
 * renamed into place only when everything succeeded; an old `manifest.json`
 * is removed before the renames and the new one is written last, so a
 * directory with a manifest is always a complete dataset.
 *
 * Determinism: every cluster draws from `clusterRng(seed, clusterId)` only, so
 * the bytes depend on the seed and settings, not on the number of workers.
 *
 * @module
 */
import { type Cosmology, WMAP9_BAHAMAS } from "../cosmology/mod.ts";
import { buildHaloCatalogue, type HaloRecord } from "../halo/mod.ts";
import { ensureWritableDir, ProgressBar } from "../io/mod.ts";
import { resolveSimulateSettings } from "../profiles/mod.ts";
import { Rng } from "../random/mod.ts";
import { type NoiseSetting, type Profile, type Split, type Tracer, TRACERS } from "../types/mod.ts";
import {
  type ClusterViews,
  defaultRenderSettings,
  makeRenderContext,
  renderClusterViews,
  type RenderSettings,
} from "./render.ts";
import {
  catalogRowsOfViews,
  type DatasetManifest,
  DatasetWriter,
  type DatasetWritten,
  GALAXY_UNITS,
  type GalaxyRecord,
  IMAGE_UNITS,
  MANIFEST_PROJECTIONS,
  manifestGeometry,
  manifestHeader,
  manifestImaging,
  spreadInMass,
} from "./format.ts";
import {
  checkShard,
  SHARD_DEFERRED_KEYS,
  SHARD_FORMAT,
  type ShardManifest,
  shardRange,
  type ShardSpec,
} from "./shard.ts";

/** Options of {@linkcode simulateDataset}. */
export interface SimulateOptions {
  /** Output directory (created if missing). */
  out: string;
  /**
   * Profile for the defaults: smoke (60 clusters), quick or paper (full
   * catalogue). Default "smoke" (lib/profiles `resolveSimulateSettings`).
   */
  profile?: Profile | string;
  /** Number of clusters (spread evenly over the mass-sorted catalogue). Default: the profile's. */
  clusters?: number;
  /** Dataset seed. Default: the profile's. */
  seed?: number;
  /** Line-of-sight structure. Default: the profile's (on). */
  los?: boolean;
  /** Noise setting. Default "paper". */
  noise?: NoiseSetting | string;
  /** Worker threads; 0 renders in this thread. Default min(2, hardwareConcurrency). */
  workers?: number;
  /** No progress bar. Default false. */
  silent?: boolean;
  /** Cosmology. Default WMAP9_BAHAMAS. */
  cosmology?: Cosmology;
  /** Use these haloes instead of building the catalogue (e.g. a real simulation's). */
  haloes?: HaloRecord[];
  /** Star noise rms per pixel [Msun Mpc^-2] instead of Table 1's 2.14e11 (`paper`/`planck` only). */
  starNoiseMsun?: number;
  /**
   * Factor on each tracer's noise rms (0 = that tracer noiseless; the beam is
   * kept), e.g. `{ fxs: 0, fxb: 0 }` for the X-ray rows' noise ablation
   * (`--noise-scale fxs=0,fxb=0`). Default 1 for every tracer.
   */
  noiseScale?: Partial<Record<Tracer, number>>;
  /**
   * Write only this shard of the selected clusters (lib/dataset/shard.ts);
   * `deno task merge` joins the shards. `code` is recorded in the shard's
   * manifest so that shards of different code are not merged.
   */
  shard?: ShardSpec & { code?: string | null };
}

/** What {@linkcode simulateDataset} wrote. */
export type SimulateResult = DatasetWritten;

interface Resolved {
  out: string;
  profile: Profile;
  clusters: number | null;
  seed: number;
  los: boolean;
  noise: NoiseSetting;
  workers: number;
  silent: boolean;
  cosmology: Cosmology;
  haloes?: HaloRecord[];
  starNoiseMsun?: number;
  noiseScale: Partial<Record<Tracer, number>>;
  shard?: ShardSpec & { code?: string | null };
}

/** Validate options; throws before any work or any write. */
export function resolveSimulateOptions(options: SimulateOptions): Resolved {
  if (typeof options.out !== "string" || options.out.length === 0) {
    throw new TypeError("Cannot simulate: an output directory is required (--out DIR)");
  }
  const { profile, clusters, seed, los, noise } = resolveSimulateSettings(options);
  const hw = typeof navigator !== "undefined" ? navigator.hardwareConcurrency ?? 2 : 2;
  const workers = options.workers ?? Math.min(2, hw);
  if (!(Number.isInteger(workers) && workers >= 0 && workers <= 64)) {
    throw new RangeError(`Cannot simulate: workers must be an integer in 0..64, got ${workers}`);
  }
  if (options.starNoiseMsun !== undefined && !(options.starNoiseMsun >= 0)) {
    throw new RangeError(
      `Cannot simulate: starNoiseMsun must be >= 0, got ${options.starNoiseMsun}`,
    );
  }
  const noiseScale = { ...(options.noiseScale ?? {}) };
  for (const [t, f] of Object.entries(noiseScale)) {
    if (!(TRACERS as readonly string[]).includes(t)) {
      throw new RangeError(
        `Cannot simulate: noiseScale names an unknown tracer "${t}"; expected ${
          TRACERS.join(", ")
        }`,
      );
    }
    if (!(Number.isFinite(f) && (f as number) >= 0)) {
      throw new RangeError(`Cannot simulate: noiseScale.${t} must be a number >= 0, got ${f}`);
    }
  }
  if (options.shard !== undefined) checkShard(options.shard);
  return {
    out: options.out,
    profile,
    clusters,
    seed,
    los,
    noise,
    workers,
    silent: options.silent ?? false,
    cosmology: options.cosmology ?? WMAP9_BAHAMAS,
    haloes: options.haloes,
    starNoiseMsun: options.starNoiseMsun,
    noiseScale,
    shard: options.shard,
  };
}

/**
 * Choose `n` haloes spread evenly over the mass-sorted list (all when n is
 * null or >= the list), returned in id order.
 */
export function selectClusters(haloes: HaloRecord[], n: number | null): HaloRecord[] {
  if (haloes.length === 0) throw new RangeError("Cannot select clusters: the catalogue is empty");
  return spreadInMass(haloes, n, { mass: (h) => h.m200Msun, id: (h) => h.id });
}

/** Split cluster ids 60/20/20 into train/val/test with a seeded shuffle. */
export function splitClusters(ids: number[], seed: number): Map<number, Split> {
  const order = new Rng(seed).fork(3).shuffle([...ids]);
  const n = order.length;
  const nTrain = Math.round(0.6 * n);
  const nVal = Math.round(0.2 * n);
  const out = new Map<number, Split>();
  order.forEach((id, i) => out.set(id, i < nTrain ? "train" : i < nTrain + nVal ? "val" : "test"));
  return out;
}

/** The number of clusters in each split. */
export function clustersPerSplit(split: ReadonlyMap<number, Split>): Record<Split, number> {
  const counts = { train: 0, val: 0, test: 0 };
  for (const s of split.values()) counts[s]++;
  return counts;
}

/** Render clusters, in workers or inline, calling `onResult` in cluster order. */
async function renderAll(
  haloes: HaloRecord[],
  settings: RenderSettings,
  workers: number,
  onResult: (k: number, v: ClusterViews) => Promise<void>,
): Promise<void> {
  if (workers === 0) {
    const ctx = makeRenderContext(settings);
    for (let k = 0; k < haloes.length; k++) await onResult(k, renderClusterViews(haloes[k], ctx));
    return;
  }
  const nW = Math.min(workers, haloes.length);
  const pool: Worker[] = [];
  const pending = new Map<number, ClusterViews>();
  let next = 0;
  let emitted = 0;
  let chain = Promise.resolve();
  try {
    await new Promise<void>((resolve, reject) => {
      let failed = false;
      const fail = (e: unknown) => {
        if (failed) return;
        failed = true;
        reject(e instanceof Error ? e : new Error(String(e)));
      };
      // Back-pressure: at most MAX_PENDING finished clusters wait for their turn to be written.
      const MAX_PENDING = 8 * nW;
      const idle: Worker[] = [];
      const dispatch = (w: Worker) => {
        if (next >= haloes.length) return;
        if (pending.size >= MAX_PENDING) {
          idle.push(w);
          return;
        }
        const index = next++;
        w.postMessage({ type: "job", index, halo: haloes[index] });
      };
      for (let i = 0; i < nW; i++) {
        const w = new Worker(new URL("./_worker.ts", import.meta.url).href, { type: "module" });
        pool.push(w);
        w.onerror = (ev) => {
          ev.preventDefault();
          fail(new Error(`Cluster worker crashed: ${ev.message}`));
        };
        w.onmessage = (ev: MessageEvent) => {
          const msg = ev.data;
          if (msg.type === "ready") {
            dispatch(w);
            return;
          }
          if (msg.type === "error") {
            fail(
              new Error(`Rendering cluster ${haloes[msg.index]?.id ?? "?"} failed: ${msg.message}`),
            );
            return;
          }
          pending.set(msg.index, msg.views as ClusterViews);
          dispatch(w);
          // Emit in order, serialised through a promise chain.
          chain = chain.then(async () => {
            while (pending.has(emitted)) {
              const v = pending.get(emitted)!;
              pending.delete(emitted);
              await onResult(emitted, v);
              emitted++;
            }
            while (idle.length > 0 && pending.size < MAX_PENDING && next < haloes.length) {
              dispatch(idle.pop()!);
            }
            if (emitted === haloes.length) resolve();
          }).catch(fail);
        };
        w.postMessage({ type: "init", settings });
      }
    });
  } finally {
    for (const w of pool) w.terminate();
  }
}

/**
 * Simulate a dataset and write it to `options.out` (see the module docs for
 * the files). Validates every option before any work.
 */
export async function simulateDataset(options: SimulateOptions): Promise<SimulateResult> {
  const o = resolveSimulateOptions(options);
  const t0 = performance.now();
  await ensureWritableDir(o.out);
  const catalogue = o.haloes ??
    buildHaloCatalogue(new Rng(o.seed).fork(1), { cosmology: o.cosmology });
  const haloes = selectClusters(catalogue, o.clusters);
  if (o.clusters !== null && o.clusters > haloes.length && !o.silent) {
    console.warn(
      `simulate: asked for ${o.clusters} clusters but the catalogue holds ${haloes.length}; using all`,
    );
  }
  const split = splitClusters(haloes.map((h) => h.id), o.seed);
  // A shard renders a contiguous block of the selection; image indices stay the whole dataset's.
  const [first, end] = o.shard ? shardRange(haloes.length, o.shard) : [0, haloes.length];
  const mine = haloes.slice(first, end);
  const firstImage = 4 * first;
  const settings = defaultRenderSettings({
    cosmology: o.cosmology,
    seed: o.seed,
    noise: o.noise,
    los: o.los,
  });
  if (o.starNoiseMsun !== undefined && o.noise !== "none") {
    settings.instruments.star.rms = o.starNoiseMsun;
  }
  for (const [t, f] of Object.entries(o.noiseScale) as [Tracer, number][]) {
    settings.instruments[t].rms *= f;
  }
  const nImages = 4 * mine.length;
  const bar = new ProgressBar({
    label: "simulate",
    total: mine.length,
    unit: "cl",
    silent: o.silent,
  });
  let losTotal = 0;
  const writer = await DatasetWriter.create(o.out, { nImages, npix: settings.npix });
  await writer.fill(async () => {
    await renderAll(mine, settings, o.workers, async (k, v) => {
      const h = mine[k];
      const rows = catalogRowsOfViews(v, {
        firstImage: firstImage + 4 * k,
        cluster: h.id,
        m200Msun: h.m200Msun,
        r200Mpc: h.r200Mpc,
        split: split.get(h.id)!,
      });
      for (const n of v.losHaloes) losTotal += n;
      const galaxies: GalaxyRecord[] = v.galaxies.map((g) => ({
        image: firstImage + 4 * k + g.projection,
        cluster: h.id,
        xPix: g.xPix,
        yPix: g.yPix,
        mGalMsun: g.mGalMsun,
      }));
      await writer.append(v.images, rows, galaxies);
      bar.update(k + 1, `cluster ${h.id}`);
    });
  });
  bar.done();
  const counts = clustersPerSplit(split);
  const datasetManifest = buildManifest(o, settings, {
    clusters: haloes.length,
    images: 4 * haloes.length,
    galaxies: writer.galaxies,
    splitClusters: counts,
    losHaloesPerImage: nImages > 0 ? losTotal / nImages : 0,
    catalogueSize: catalogue.length,
    clustersRequested: o.clusters,
  });
  let manifest: Record<string, unknown> = datasetManifest;
  if (o.shard) {
    for (const key of SHARD_DEFERRED_KEYS) (datasetManifest as Record<string, unknown>)[key] = null;
    const shardManifest: ShardManifest = {
      format: SHARD_FORMAT,
      shard: {
        index: o.shard.index,
        count: o.shard.count,
        firstCluster: first,
        clusters: mine.length,
        firstImage,
        images: nImages,
        galaxies: writer.galaxies,
        losHaloes: losTotal,
        code: o.shard.code ?? null,
      },
      dataset: datasetManifest,
    };
    manifest = shardManifest as unknown as Record<string, unknown>;
  }
  // Publish: drop the old manifest, rename data into place, write the manifest last.
  return await writer.commit(manifest, { clusters: mine.length, images: nImages }, t0);
}

function buildManifest(
  o: Resolved,
  s: RenderSettings,
  counts: Pick<DatasetManifest, "clusters" | "images" | "galaxies" | "splitClusters"> & {
    losHaloesPerImage: number;
    catalogueSize: number;
    clustersRequested: number | null;
  },
): DatasetManifest {
  return {
    ...manifestHeader(),
    profile: o.profile,
    seed: o.seed,
    ...counts,
    ...manifestGeometry(s.npix, s.fovArcmin),
    imageOrder:
      "image = 4 * (rank of the cluster by id) + projection; arrays [image][row y][col x]",
    projections: [...MANIFEST_PROJECTIONS],
    redshiftRange: s.redshiftRange,
    los: o.los,
    losDepthMpc: s.losDepthMpc,
    losMinMassMsun: s.losMinMassMsun,
    ...manifestImaging({
      noise: o.noise,
      instruments: Object.fromEntries(
        TRACERS.map((
          t,
        ) => [t, { rms: s.instruments[t].rms, beamFwhmArcmin: s.instruments[t].beamFwhmArcmin }]),
      ) as DatasetManifest["instruments"],
      units: {
        ...IMAGE_UNITS,
        m200_msun: "M200c of the hydro halo [Msun], the label",
        r200_mpc: "r200c [physical Mpc] at z = 0",
        r200_arcmin: "r200 / d_A(redshift) [arcmin]",
        ...GALAXY_UNITS,
      },
      cosmology: s.cosmology,
      noiseScale: o.noiseScale,
    }),
    model: {
      generator: "lib/particles generateClusterParticles (mock-universe.md §3)",
      particleMassMsun: s.model.particleMassMsun ?? 7.66e8 / s.cosmology.h,
      clusterModel: s.model,
      losModel: s.losModel,
    },
  };
}
