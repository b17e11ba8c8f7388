/**
 * Measure a mock sample the way an observer with perfect masses would, in
 * circular apertures set by the catalogue's own R500 and R200, in each of the
 * paper's four projections of every cluster:
 *
 * - Y(<R500) D_A^2 [Mpc^2]: the summed Upsilon of the gas (paper eq. 1)
 *   inside the projected R500 cylinder;
 * - L_X [erg/s] (bolometric and 0.5-2 keV) inside R500, in the core
 *   (R < 0.15 R500) and in the core-excised ring (0.15-1 R500);
 * - M*(<R500) and M*(<R200) [Msun] (projected);
 * - the central galaxy's stellar mass and the number of catalogued galaxies
 *   (M* > 1e10 Msun) inside projected R200, the central excluded;
 * - the shape of the 0.5-2 keV surface brightness ({@linkcode XrayShape}):
 *   its mean in annuli of R500, its local logarithmic slope at 0.4 R200 and
 *   R200, and the concentration c_SB = L(<40 kpc) / L(<400 kpc).
 *
 * Two ways: {@linkcode measureMockSample} sums the particles of each
 * cluster directly (no pixels, no noise, no field edge: the mock's physics),
 * and {@linkcode measureDatasetImages} sums the pixels of a dataset's images
 * (the 20-arcmin field clips R500 for massive clusters at z ~ 0.03, which
 * adds scatter that belongs to the field, not to the clusters; with noise or
 * line-of-sight structure, what the networks see).
 *
 * @module
 */
import { join } from "node:path";
import { angularDiameterDistanceMpc, type Cosmology, WMAP9_BAHAMAS } from "../cosmology/mod.ts";
import { ARCMIN_PER_RAD, MPC_CM } from "../constants/mod.ts";
import { buildHaloCatalogue, type HaloRecord } from "../halo/mod.ts";
import { ProgressBar } from "../io/mod.ts";
import { gasObservables, PROJECTION_AXES } from "../observe/mod.ts";
import { generateClusterParticles } from "../particles/mod.ts";
import { Rng } from "../random/mod.ts";
import { enclosedSums, intrinsicFactor, RadialSums } from "./_apertures.ts";
import { clusterRng } from "../dataset/render.ts";
import { selectClusters, simulateDataset, splitClusters } from "../dataset/simulate.ts";
import {
  DATASET_FILES,
  imageGeometry,
  readCatalog,
  readGalaxies,
  readManifest,
  readTracerImages,
} from "../dataset/format.ts";
import type { NoiseSetting, Split, Tracer } from "../types/mod.ts";

/** Core radius used for the X-ray core / core-excised split, in units of R500 (Pratt et al. 2009). */
export const CORE_FRACTION_OF_R500 = 0.15;

/** Edges of the annuli of the surface-brightness profile, in units of R500. */
export const SB_PROFILE_EDGES_R500: readonly number[] = [0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 1];
/** Radii of the local surface-brightness slope, in units of R200 (Ettori & Balestra 2009 quote these two). */
export const SB_SLOPE_RADII_R200: readonly number[] = [0.4, 1];
/**
 * Outer / inner radius of each of the two annuli, [r/q, r] and [r, q r], whose
 * mean surface brightnesses S1, S2 give the slope at r as ln(S2/S1) / ln q
 * (exact for a power law, whatever q).
 */
export const SB_SLOPE_RATIO = 1.25;
/** Apertures of c_SB = L(<40 kpc) / L(<400 kpc) [Mpc] (Santos et al. 2008, A&A 483, 35). */
export const CSB_APERTURES_MPC: readonly number[] = [0.04, 0.4];

/** Shape of a view's 0.5-2 keV surface brightness S_X (NaN where the view does not reach a radius). */
export interface XrayShape {
  /** Mean S_X in each annulus of {@linkcode SB_PROFILE_EDGES_R500} [erg/s/Mpc^2, intrinsic]. */
  sbSoft: number[];
  /** d ln S_X / d ln R at each of {@linkcode SB_SLOPE_RADII_R200}. */
  sbSlope: number[];
  /** Surface-brightness concentration c_SB = L(<40 kpc) / L(<400 kpc). */
  cSB: number;
}

/** The projected radii [Mpc] at which {@linkcode xrayShape} reads the enclosed signal, in its order. */
export function xrayShapeRadiiMpc(r500Mpc: number, r200Mpc: number): number[] {
  const q = SB_SLOPE_RATIO;
  return [
    ...CSB_APERTURES_MPC,
    ...SB_PROFILE_EDGES_R500.map((x) => x * r500Mpc),
    ...SB_SLOPE_RADII_R200.flatMap((x) => [x * r200Mpc / q, x * r200Mpc, x * r200Mpc * q]),
  ];
}

/**
 * The X-ray shape from the signal enclosed within each of `radii`
 * ({@linkcode xrayShapeRadiiMpc}, same order): from particles
 * (`enclosedSums`) or from image pixels (`RadialSums`).
 */
export function xrayShape(enclosed: ArrayLike<number>, radii: readonly number[]): XrayShape {
  const mean = (i: number, j: number) =>
    (enclosed[j] - enclosed[i]) / (Math.PI * (radii[j] * radii[j] - radii[i] * radii[i]));
  const nc = CSB_APERTURES_MPC.length;
  const np = SB_PROFILE_EDGES_R500.length;
  return {
    sbSoft: Array.from({ length: np - 1 }, (_, k) => mean(nc + k, nc + k + 1)),
    sbSlope: SB_SLOPE_RADII_R200.map((_, k) => {
      const i = nc + np + 3 * k;
      return Math.log(mean(i + 1, i + 2) / mean(i, i + 1)) / Math.log(SB_SLOPE_RATIO);
    }),
    cSB: enclosed[0] / enclosed[1],
  };
}

/** What is measured on one image (one projection of one cluster). */
export interface ImageMeasurement {
  image: number;
  cluster: number;
  projection: number;
  split: Split;
  redshift: number;
  m200Msun: number;
  m500Msun: number;
  r500Mpc: number;
  r200Mpc: number;
  /** Y(<R500) D_A^2 [Mpc^2] (projected cylinder). */
  y500Mpc2: number;
  /** Bolometric L_X inside R500 / inside 0.15 R500 / in 0.15-1 R500 [erg/s]. */
  lBol500ErgPerS: number;
  lBolCoreErgPerS: number;
  lBolRingErgPerS: number;
  /** 0.5-2 keV L_X, same apertures [erg/s]. */
  lSoft500ErgPerS: number;
  lSoftCoreErgPerS: number;
  lSoftRingErgPerS: number;
  /** Stellar mass inside R500 [Msun] (projected). */
  mStar500Msun: number;
  /** Stellar mass inside R200 [Msun] (projected; on images, clipped by the field edge). */
  mStar200Msun: number;
  /** Stellar mass of the central galaxy [Msun] (0 if none listed). */
  mBcgMsun: number;
  /** Catalogued galaxies (M* > 1e10 Msun) inside projected R200, the BCG excluded. */
  nGalaxies200: number;
  /** Shape of the 0.5-2 keV surface brightness (on images: NaN beyond the field). */
  xray: XrayShape;
}

/** Options of {@linkcode measureMockSample}. */
export interface MeasureOptions {
  /** Number of catalogue clusters (spread over the mass range); null = all. Default null. */
  clusters?: number | null;
  /** Dataset seed. Default 1 (the quick profile's). */
  seed?: number;
  /** Noise setting of the images. Default "none". */
  noise?: NoiseSetting;
  /** Line-of-sight structure. Default false. */
  los?: boolean;
  /** Render workers. Default min(2, cores). */
  workers?: number;
  /** No progress bar. Default false. */
  silent?: boolean;
  /** Images only: measure this dataset directory if it holds one, else render into it and keep it (default: a temporary directory, removed). */
  dataDir?: string;
  /** Cosmology. Default WMAP9_BAHAMAS. */
  cosmology?: Cosmology;
}

/** The measurements, and the dataset they came from. */
export interface MockSample {
  images: ImageMeasurement[];
  noise: NoiseSetting;
  los: boolean;
  seed: number;
  /** Image stacks kept for core/ring statistics (per tracer, C order [n, 120, 120]). */
  stacks?: Partial<Record<Tracer, Float32Array>>;
  /** R200 of each image in pixels. */
  r200Pix: Float64Array;
}

/**
 * Measure the four projections of one cluster from its particles (projected
 * cylinders, no field edge). The particles and projection axes are those the
 * dataset's renderer draws for this cluster under `seed`.
 */
export function measureClusterViews(
  halo: HaloRecord,
  options: { seed: number; cosmology: Cosmology; split?: Split },
): ImageMeasurement[] {
  const rng = clusterRng(options.seed, halo.id);
  const p = generateClusterParticles(halo, rng.fork(0), { cosmology: options.cosmology });
  const obs = gasObservables(p.gas);
  const out: ImageMeasurement[] = [];
  const r5 = halo.r500Mpc ** 2;
  const rc = (CORE_FRACTION_OF_R500 * halo.r500Mpc) ** 2;
  const r2 = halo.r200Mpc ** 2;
  const shapeRadii = xrayShapeRadiiMpc(halo.r500Mpc, halo.r200Mpc);
  const d2s = new Float64Array(p.gas.count);
  for (let v = 0; v < 4; v++) {
    const n = PROJECTION_AXES[v];
    const proj2 = (x: number, y: number, z: number) => {
      const d = n[0] * x + n[1] * y + n[2] * z;
      return x * x + y * y + z * z - d * d;
    };
    const g = p.gas;
    let y = 0, lbc = 0, lbr = 0, lsc = 0, lsr = 0;
    for (let i = 0; i < g.count; i++) {
      const d2 = d2s[i] = proj2(g.x[i], g.y[i], g.z[i]);
      if (d2 >= r5) continue;
      y += obs.upsilonCm2[i];
      if (d2 < rc) {
        lbc += obs.lBolErgPerS[i];
        lsc += obs.lSoftErgPerS[i];
      } else {
        lbr += obs.lBolErgPerS[i];
        lsr += obs.lSoftErgPerS[i];
      }
    }
    let ms = 0, ms2 = 0;
    const s = p.stars;
    for (let i = 0; i < s.count; i++) {
      const d2 = proj2(s.x[i], s.y[i], s.z[i]);
      if (d2 < r5) ms += s.massMsun[i];
      if (d2 < r2) ms2 += s.massMsun[i];
    }
    let bcg = 0, nGal = 0;
    const gl = p.galaxies;
    for (let i = 0; i < gl.count; i++) {
      const d2 = proj2(gl.x[i], gl.y[i], gl.z[i]);
      if (gl.x[i] === 0 && gl.y[i] === 0 && gl.z[i] === 0) bcg = Math.max(bcg, gl.massMsun[i]);
      else if (d2 <= r2) nGal++;
    }
    out.push({
      image: 4 * halo.id + v,
      cluster: halo.id,
      projection: v,
      split: options.split ?? "train",
      redshift: 0,
      m200Msun: halo.m200Msun,
      m500Msun: halo.m500Msun,
      r500Mpc: halo.r500Mpc,
      r200Mpc: halo.r200Mpc,
      y500Mpc2: y / (MPC_CM * MPC_CM),
      lBol500ErgPerS: lbc + lbr,
      lBolCoreErgPerS: lbc,
      lBolRingErgPerS: lbr,
      lSoft500ErgPerS: lsc + lsr,
      lSoftCoreErgPerS: lsc,
      lSoftRingErgPerS: lsr,
      mStar500Msun: ms,
      mStar200Msun: ms2,
      mBcgMsun: bcg,
      nGalaxies200: nGal,
      xray: xrayShape(enclosedSums(d2s, obs.lSoftErgPerS, shapeRadii), shapeRadii),
    });
  }
  return out;
}

/**
 * Measure catalogue clusters from their particles (see the module docs):
 * `clusters` haloes spread over the mass range (all by default).
 */
export function measureMockSample(options: MeasureOptions = {}): ImageMeasurement[] {
  const cosmology = options.cosmology ?? WMAP9_BAHAMAS;
  const seed = options.seed ?? 1;
  const haloes = selectClusters(
    buildHaloCatalogue(new Rng(seed).fork(1), { cosmology }),
    options.clusters ?? null,
  );
  const split = splitClusters(haloes.map((h) => h.id), seed);
  const bar = new ProgressBar({
    label: "realism",
    total: haloes.length,
    unit: "cl",
    silent: options.silent ?? false,
  });
  const out: ImageMeasurement[] = [];
  haloes.forEach((h, k) => {
    out.push(...measureClusterViews(h, { seed, cosmology, split: split.get(h.id) }));
    bar.update(k + 1);
  });
  return out;
}

/**
 * Render a dataset (noise and line of sight as asked; by default neither) and
 * measure its images, or measure an existing dataset directory (`dataDir`
 * holding a manifest). With `keepStacks`, those image stacks stay in memory.
 */
export async function measureDatasetImages(
  options: MeasureOptions = {},
  keep: { keepStacks?: Tracer[] } = {},
): Promise<MockSample> {
  const cosmology = options.cosmology ?? WMAP9_BAHAMAS;
  const seed = options.seed ?? 1;
  const noise = options.noise ?? "none";
  const los = options.los ?? false;
  const existing = options.dataDir !== undefined &&
    await Deno.stat(join(options.dataDir, DATASET_FILES.manifest)).then(() => true, () => false);
  const dir = options.dataDir ?? await Deno.makeTempDir({ prefix: "realism-" });
  try {
    if (!existing) {
      await simulateDataset({
        out: dir,
        profile: "quick",
        clusters: options.clusters ?? undefined,
        seed,
        noise,
        los,
        workers: options.workers,
        silent: options.silent,
        cosmology,
      });
    }
    const haloes = new Map<number, HaloRecord>();
    for (const h of buildHaloCatalogue(new Rng(seed).fork(1), { cosmology })) haloes.set(h.id, h);
    const catalog = await readCatalog(dir);
    const galaxies = await readGalaxies(dir);
    const { npix, fovArcmin } = imageGeometry(await readManifest(dir));
    const pixRad = fovArcmin / npix / ARCMIN_PER_RAD;
    const ap = new RadialSums(npix);
    const n = catalog.length;
    const out: ImageMeasurement[] = [];
    const r500Pix = new Float64Array(n);
    const r200Pix = new Float64Array(n);
    const pixMpc = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const row = catalog[i];
      const h = haloes.get(row.cluster);
      if (!h) throw new RangeError(`Cannot measure: cluster ${row.cluster} not in the catalogue`);
      const z = row.redshift;
      const dA = angularDiameterDistanceMpc(z, cosmology);
      pixMpc[i] = dA * pixRad;
      r500Pix[i] = h.r500Mpc / pixMpc[i];
      r200Pix[i] = h.r200Mpc / pixMpc[i];
      out.push({
        image: row.image,
        cluster: h.id,
        projection: row.projection,
        split: row.split,
        redshift: z,
        m200Msun: row.m200Msun,
        m500Msun: h.m500Msun,
        r500Mpc: h.r500Mpc,
        r200Mpc: h.r200Mpc,
        y500Mpc2: 0,
        lBol500ErgPerS: 0,
        lBolCoreErgPerS: 0,
        lBolRingErgPerS: 0,
        lSoft500ErgPerS: 0,
        lSoftCoreErgPerS: 0,
        lSoftRingErgPerS: 0,
        mStar500Msun: 0,
        mStar200Msun: 0,
        mBcgMsun: 0,
        nGalaxies200: 0,
        xray: { sbSoft: [], sbSlope: [], cSB: NaN },
      });
    }
    const stacks: Partial<Record<Tracer, Float32Array>> = {};
    for (const t of ["ypar", "fxb", "fxs", "star"] as Tracer[]) {
      const { data } = await readTracerImages(dir, t);
      for (let i = 0; i < n; i++) {
        const m = out[i];
        const cum = ap.cumulative(data, i);
        const total = ap.within(cum, r500Pix[i]);
        const core = ap.within(cum, CORE_FRACTION_OF_R500 * r500Pix[i]);
        const ring = total - core;
        const f = intrinsicFactor(t, m.redshift, pixRad, cosmology);
        if (t === "ypar") m.y500Mpc2 = total * f;
        else if (t === "star") {
          m.mStar500Msun = total * f;
          m.mStar200Msun = ap.within(cum, r200Pix[i]) * f;
        } else if (t === "fxb") {
          m.lBolCoreErgPerS = core * f;
          m.lBolRingErgPerS = ring * f;
          m.lBol500ErgPerS = total * f;
        } else {
          m.lSoftCoreErgPerS = core * f;
          m.lSoftRingErgPerS = ring * f;
          m.lSoft500ErgPerS = total * f;
          // Apertures past the inscribed circle of the field are not measured.
          const radii = xrayShapeRadiiMpc(m.r500Mpc, m.r200Mpc);
          const px = radii.map((r) => r / pixMpc[i]);
          m.xray = xrayShape(px.map((r) => r <= npix / 2 ? ap.within(cum, r) * f : NaN), radii);
        }
      }
      if (keep.keepStacks?.includes(t)) stacks[t] = data;
    }
    const c = npix / 2;
    for (const [i, list] of galaxies) {
      const m = out[i];
      for (const g of list) {
        const d = Math.hypot(g.xPix - c, g.yPix - c);
        if (d < 0.5) m.mBcgMsun = Math.max(m.mBcgMsun, g.mGalMsun);
        if (d <= r200Pix[i]) m.nGalaxies200++;
      }
    }
    for (const m of out) if (m.mBcgMsun > 0) m.nGalaxies200--;
    return { images: out, noise, los, seed, stacks, r200Pix };
  } finally {
    if (!options.dataDir) await Deno.remove(dir, { recursive: true });
  }
}
