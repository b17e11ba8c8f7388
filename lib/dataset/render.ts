/**
 * One cluster to four views (paper §2.2): particles from the mock-cluster
 * model, imaged by lib/observe's `observeFourViews` (for each of the four
 * projections a random redshift z ~ U(0.03, 0.07) and rotation about the
 * line of sight, binning (eqs. 2-5), Gaussian noise and beam, Table 1), with
 * the optional line-of-sight field haloes and the galaxies of each view. Each cluster draws only from its own stream
 * (`clusterRng(seed, clusterId)`), so the result does not depend on which
 * worker renders it or in which order.
 *
 * @module
 */
import { type Cosmology, redshiftAtComovingDistance } from "../cosmology/mod.ts";
import { duffy08Concentration, type HaloRecord } from "../halo/mod.ts";
import {
  type ClusterHalo,
  type ClusterModelOptions,
  derivedHalo,
  generateClusterParticles,
} from "../particles/mod.ts";
import {
  binParticles,
  drawLineOfSightHaloes,
  type FourViews,
  gasObservables,
  instrumentsFor,
  type LineOfSightModel,
  makeLineOfSightModel,
  observeFourViews,
  projectGalaxies,
  type TracerInstrument,
} from "../observe/mod.ts";
import { Rng } from "../random/mod.ts";
import { ARCMIN_PER_RAD } from "../constants/mod.ts";
import type { NoiseSetting, Tracer } from "../types/mod.ts";
import { FIELD_OF_VIEW_ARCMIN, IMAGE_SIZE_PIX, VIEW_REDSHIFT_RANGE } from "./format.ts";

/** Stream key of the per-cluster generators under the dataset seed. */
export const CLUSTER_STREAM = 2;

/** The generator of cluster `clusterId` under dataset seed `seed`. */
export function clusterRng(seed: number, clusterId: number): Rng {
  return new Rng(seed).fork(CLUSTER_STREAM).fork(clusterId);
}

/** Settings shared by every cluster of a dataset (plain data: it crosses to workers). */
export interface RenderSettings {
  cosmology: Cosmology;
  /** Dataset seed. */
  seed: number;
  /** Pixels per side (120). */
  npix: number;
  /** Field of view [arcmin] (20). */
  fovArcmin: number;
  /** Redshift range of the views (paper: 0.03-0.07). */
  redshiftRange: [number, number];
  /** Line-of-sight structure on. */
  los: boolean;
  /** Half depth of the line-of-sight slab [comoving Mpc] (50). */
  losDepthMpc: number;
  /** Smallest line-of-sight halo M200c [Msun] (1e12). */
  losMinMassMsun: number;
  /** Noise setting. */
  noise: NoiseSetting;
  /** Instruments per tracer (noise rms in image units and beam FWHM). */
  instruments: Record<Tracer, TracerInstrument>;
  /** Options of the cluster model (without the cosmology). */
  model: Omit<ClusterModelOptions, "cosmology">;
  /** Options of the line-of-sight haloes' model (cheaper particle budget). */
  losModel: Omit<ClusterModelOptions, "cosmology">;
}

/** Default render settings for a cosmology, seed, noise and LOS switch. */
export function defaultRenderSettings(
  options: { cosmology: Cosmology; seed: number; noise?: NoiseSetting; los?: boolean },
): RenderSettings {
  const noise = options.noise ?? "paper";
  return {
    cosmology: options.cosmology,
    seed: options.seed,
    npix: IMAGE_SIZE_PIX,
    fovArcmin: FIELD_OF_VIEW_ARCMIN,
    redshiftRange: [...VIEW_REDSHIFT_RANGE],
    los: options.los ?? true,
    losDepthMpc: 50,
    losMinMassMsun: 1e12,
    noise,
    instruments: instrumentsFor(noise),
    model: { minGasParticles: 2000, maxGasParticles: 300000 },
    losModel: { minGasParticles: 200, maxGasParticles: 20000, mergerFraction: 0 },
  };
}

/** A galaxy in one view. */
export interface ViewGalaxy {
  projection: number;
  xPix: number;
  yPix: number;
  mGalMsun: number;
}

/** The four views of one cluster, with its galaxies and line-of-sight haloes. */
export interface ClusterViews extends FourViews {
  clusterId: number;
  /** Galaxies above the catalogue threshold inside each view (cluster and line of sight). */
  galaxies: ViewGalaxy[];
  /** Number of line-of-sight haloes drawn per view. */
  losHaloes: number[];
}

/** Per-process cache of the line-of-sight model (tables cost ~0.1 s to build). */
export interface RenderContext {
  settings: RenderSettings;
  losModel: LineOfSightModel | null;
}

/** Build the context (line-of-sight tables) once per worker. */
export function makeRenderContext(settings: RenderSettings): RenderContext {
  return {
    settings,
    losModel: settings.los
      ? makeLineOfSightModel({
        cosmology: settings.cosmology,
        minMassMsun: settings.losMinMassMsun,
        depthMpc: settings.losDepthMpc,
      })
      : null,
  };
}

/**
 * Render the four views of one cluster.
 *
 * @param halo The catalogue record (id selects the random stream).
 * @param ctx Settings and tables from {@linkcode makeRenderContext}.
 */
export function renderClusterViews(
  halo: HaloRecord | (ClusterHalo & { id: number }),
  ctx: RenderContext,
): ClusterViews {
  const s = ctx.settings;
  const cosmo = s.cosmology;
  const rng = clusterRng(s.seed, halo.id);
  const particles = generateClusterParticles(halo, rng.fork(0), { ...s.model, cosmology: cosmo });
  const obs = gasObservables(particles.gas);
  const galaxies: ViewGalaxy[] = [];
  const losCounts: number[] = [];
  const fovRad = s.fovArcmin / ARCMIN_PER_RAD;
  const grid = { npix: s.npix, fovArcmin: s.fovArcmin };
  const options = {
    ...grid,
    cosmology: cosmo,
    redshiftRange: s.redshiftRange,
    instruments: s.instruments,
    r200Mpc: halo.r200Mpc,
  };
  const views = observeFourViews(rng, options, (view) => {
    const { projection: p, frame, placement, rng: vr } = view;
    const dC = placement.dCMpc;
    const img = binParticles(particles, { ...grid, frame, placement, observables: obs });
    for (const g of projectGalaxies(particles.galaxies, { ...grid, frame, placement })) {
      galaxies.push({ projection: p, ...g });
    }
    let nLos = 0;
    if (ctx.losModel) {
      const halfWidth = 0.5 * fovRad * (dC + s.losDepthMpc) + 1;
      const los = drawLineOfSightHaloes(ctx.losModel, vr.fork(0), {
        clusterM200Msun: halo.m200Msun,
        clusterR200Mpc: halo.r200Mpc,
        halfWidthMpc: halfWidth,
      });
      nLos = los.length;
      for (let j = 0; j < los.length; j++) {
        const lh = los[j];
        const hr = vr.fork(1 + j);
        const c200 = duffy08Concentration(lh.m200Msun, 0, cosmo) * hr.logNormalDex(0.13);
        const h = derivedHalo(lh.m200Msun, c200, { cosmology: cosmo });
        const lp = generateClusterParticles(h, hr, { ...s.losModel, cosmology: cosmo });
        const dCh = dC + lh.losMpc;
        const zh = redshiftAtComovingDistance(dCh, cosmo);
        const lPlacement = {
          dAMpc: dCh / (1 + zh),
          dLMpc: dCh * (1 + zh),
          thetaOffsetRad: [lh.e1Mpc / dCh, lh.e2Mpc / dCh] as [number, number],
        };
        binParticles(lp, {
          ...grid,
          frame,
          placement: lPlacement,
          observables: gasObservables(lp.gas),
          into: img,
        });
        for (const g of projectGalaxies(lp.galaxies, { ...grid, frame, placement: lPlacement })) {
          galaxies.push({ projection: p, ...g });
        }
      }
    }
    losCounts.push(nLos);
    return img;
  });
  return { clusterId: halo.id, ...views, galaxies, losHaloes: losCounts };
}
