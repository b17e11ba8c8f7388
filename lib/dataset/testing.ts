/**
 * A small dataset in the exact on-disk contract of `deno task simulate`
 * (catalog.csv, images_*.npy, galaxies.csv, manifest.json), for tests of the
 * reader and of training that must not wait for the full simulator. Each
 * image is a smooth blob whose amplitude and size grow with M200 (so that a
 * network can learn the mass) plus Gaussian noise at the paper's Table 1 rms.
 * It is a test fixture, not a model of clusters: use `deno task simulate` for
 * science.
 *
 * @module
 */
import { join } from "node:path";
import { formatCsv, type Row, writeJsonAtomic, writeNpyAtomic } from "../io/mod.ts";
import { Rng } from "../random/mod.ts";
import { type Tracer, TRACERS } from "../types/mod.ts";
import { CATALOG_COLUMNS, IMAGE_PIXELS, IMAGE_SIZE_PIX } from "./format.ts";

/** Options of {@linkcode writeSyntheticDataset}. */
export interface SyntheticDatasetOptions {
  /** Number of clusters (4 projections each). Default 10. */
  clusters?: number;
  /** Seed. Default 1. */
  seed?: number;
  /** Tracers to write. Default all four. */
  tracers?: readonly Tracer[];
  /** log10(M200/Msun) range of the clusters. Default [13, 14.75]. */
  log10MassRange?: [number, number];
}

/** Noise rms per pixel of the paper's Table 1 (Star Msun, Fx erg/s/cm^2, Ypar). */
const NOISE: Record<Tracer, number> = { star: 2.14e11, fxs: 9e-16, fxb: 9e-16, ypar: 1e-8 };
/** Peak signal of a 10^14 Msun blob, in each tracer's units (order of magnitude only). */
const PEAK: Record<Tracer, number> = { star: 3e12, fxs: 2e-14, fxb: 5e-14, ypar: 2e-6 };
/** Power of M200 that scales the peak. */
const SLOPE: Record<Tracer, number> = { star: 1, fxs: 1.3, fxb: 1.5, ypar: 1.6 };

/**
 * Write a synthetic dataset to `dir` (created if needed) and return its
 * catalogue rows. Splits are by cluster: the first 60 per cent of a seeded
 * shuffle train, the next 20 per cent validate, the rest test (each at least
 * one cluster when there are 3 or more).
 */
export async function writeSyntheticDataset(
  dir: string,
  options: SyntheticDatasetOptions = {},
): Promise<Row[]> {
  const nClusters = options.clusters ?? 10;
  if (!Number.isInteger(nClusters) || nClusters < 1) {
    throw new RangeError(`Cannot write synthetic dataset: clusters must be >= 1, got ${nClusters}`);
  }
  const rng = new Rng(options.seed ?? 1);
  const tracers = options.tracers ?? TRACERS;
  const [lo, hi] = options.log10MassRange ?? [13, 14.75];
  await Deno.mkdir(dir, { recursive: true });
  const order = rng.shuffle([...Array(nClusters).keys()]);
  const nVal = Math.max(nClusters >= 3 ? 1 : 0, Math.round(0.2 * nClusters));
  const nTest = nVal;
  const splitOf = new Array<string>(nClusters);
  order.forEach((c, k) => {
    splitOf[c] = k < nClusters - nVal - nTest ? "train" : k < nClusters - nTest ? "val" : "test";
  });
  const n = nClusters * 4;
  const rows: Row[] = [];
  const images = Object.fromEntries(tracers.map((t) => [t, new Float32Array(n * IMAGE_PIXELS)]));
  const galaxies: Row[] = [];
  for (let c = 0; c < nClusters; c++) {
    const logM = rng.uniform(lo, hi);
    const m = 10 ** logM;
    const r200Arcmin = 3 * (m / 1e14) ** (1 / 3);
    for (let p = 0; p < 4; p++) {
      const i = c * 4 + p;
      const z = rng.uniform(0.03, 0.07);
      rows.push({
        image: i,
        cluster: c,
        projection: p,
        redshift: z,
        m200_msun: m,
        r200_mpc: 0.7 * (m / 1e14) ** (1 / 3),
        r200_arcmin: r200Arcmin,
        split: splitOf[c],
      });
      const sigmaPix = (r200Arcmin * 6) / 3; // 6 px per arcmin, blob sigma = R200 / 3
      const q = rng.uniform(0.6, 1);
      const ang = rng.uniform(0, Math.PI);
      const [ca, sa] = [Math.cos(ang), Math.sin(ang)];
      for (const t of tracers) {
        const img = images[t].subarray(i * IMAGE_PIXELS, (i + 1) * IMAGE_PIXELS);
        const amp = PEAK[t] * (m / 1e14) ** SLOPE[t] * rng.logNormalDex(0.1);
        for (let y = 0; y < IMAGE_SIZE_PIX; y++) {
          for (let x = 0; x < IMAGE_SIZE_PIX; x++) {
            const dx = x + 0.5 - 60, dy = y + 0.5 - 60;
            const u = ca * dx + sa * dy, v = (-sa * dx + ca * dy) / q;
            const r2 = (u * u + v * v) / (sigmaPix * sigmaPix);
            img[y * IMAGE_SIZE_PIX + x] = amp * Math.exp(-0.5 * r2) + rng.normal(0, NOISE[t]);
          }
        }
      }
      const nGal = 1 + rng.poisson(3 * m / 1e14);
      for (let g = 0; g < nGal; g++) {
        galaxies.push({
          image: i,
          cluster: c,
          x_pix: 60 + rng.normal(0, sigmaPix),
          y_pix: 60 + rng.normal(0, sigmaPix),
          m_gal_msun: 1e10 * 10 ** rng.uniform(0, 2),
        });
      }
    }
  }
  await Deno.writeTextFile(join(dir, "catalog.csv"), formatCsv(rows, [...CATALOG_COLUMNS]));
  await Deno.writeTextFile(
    join(dir, "galaxies.csv"),
    formatCsv(galaxies, ["image", "cluster", "x_pix", "y_pix", "m_gal_msun"]),
  );
  for (const t of tracers) {
    await writeNpyAtomic(join(dir, `images_${t}.npy`), {
      shape: [n, IMAGE_SIZE_PIX, IMAGE_SIZE_PIX],
      data: images[t],
    });
  }
  await writeJsonAtomic(join(dir, "manifest.json"), {
    synthetic: true,
    note: "test fixture from lib/dataset/testing.ts, not a simulation",
    clusters: nClusters,
    images: n,
    seed: options.seed ?? 1,
    noise: NOISE,
  });
  return rows;
}
