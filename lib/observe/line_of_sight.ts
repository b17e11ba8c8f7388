/**
 * Line-of-sight structure (paper §2.2; mock-universe.md §5): field haloes
 * above 1e12 Msun between 50 Mpc in front of and 50 Mpc behind the cluster
 * (comoving), in the image footprint (plus a margin so that haloes centred
 * just outside still spill in), drawn from the Tinker et al. (2008) M200c
 * mass function and correlated with the cluster through
 *
 *   dN = n(M) [1 + b(M) b_cl xi_lin(r)] dV dM,
 *
 * b from Tinker et al. (2010) for Delta = 200c (expressed w.r.t. the mean),
 * and xi_lin(r) = (r / r0)^-gamma, gamma = 1.8, a power law whose r0 is fixed by
 * sigma_8 through the top-hat variance of a power-law correlation function
 * (Peebles 1980, eq. 59.3): sigma_R^2 = 72 (r0/R)^gamma / [(3-gamma)(4-gamma)(6-gamma) 2^gamma]
 * with R = 8 Mpc/h (r0 = 6.5 Mpc for WMAP9-BAHAMAS). It follows the linear
 * xi within ~20 per cent for 2 < r < 30 Mpc and overestimates it beyond
 * ~40 Mpc, where xi < 0.05 and the boost is small anyway. The cluster's own
 * region (r < 2 r200) is excluded: its substructure is part of the cluster
 * model. Sampling is by thinning a uniform Poisson process.
 *
 * @module
 */
import type { Cosmology } from "../cosmology/mod.ts";
import {
  delta200cAsMean,
  fieldHaloNumberDensity,
  type HaloMassSampler,
  makeHaloMassSampler,
  tinker10Bias,
} from "../halo/mod.ts";
import type { Rng } from "../random/mod.ts";

/** Options of {@linkcode makeLineOfSightModel}. */
export interface LineOfSightModelOptions {
  cosmology: Cosmology;
  /** Smallest field-halo M200c [Msun]. Default 1e12. */
  minMassMsun?: number;
  /** Largest field-halo M200c [Msun]. Default 10^15.5. */
  maxMassMsun?: number;
  /** Half depth of the slab along the line of sight [comoving Mpc]. Default 50. */
  depthMpc?: number;
  /** Slope of the power-law xi_lin. Default 1.8. */
  xiSlope?: number;
}

/** A ready-to-sample line-of-sight model (tables built once). */
export interface LineOfSightModel {
  cosmology: Cosmology;
  depthMpc: number;
  /** Comoving number density of field haloes in the mass range [Mpc^-3]. */
  numberDensityPerMpc3: number;
  /** Correlation length of the power-law xi_lin [Mpc]. */
  r0Mpc: number;
  xiSlope: number;
  log10MMin: number;
  log10MMax: number;
  sampleMass: HaloMassSampler;
  /** Tinker10 bias of M200c haloes, tabulated. */
  bias: (mMsun: number) => number;
}

/** r0 [Mpc] of a power-law xi with slope gamma that has the cosmology's sigma_8 (Peebles 1980 eq. 59.3). */
export function powerLawCorrelationLengthMpc(cosmo: Cosmology, gamma = 1.8): number {
  const denom = (3 - gamma) * (4 - gamma) * (6 - gamma) * Math.pow(2, gamma);
  const r8 = 8 / cosmo.h;
  return r8 * Math.pow((cosmo.sigma8 * cosmo.sigma8 * denom) / 72, 1 / gamma);
}

/** The power-law linear correlation function xi_lin(r) = (r/r0)^-gamma. */
export function xiLinPowerLaw(rMpc: number, model: { r0Mpc: number; xiSlope: number }): number {
  return Math.pow(rMpc / model.r0Mpc, -model.xiSlope);
}

/** Build the tables of the line-of-sight model (mass function, bias) at z = 0. */
export function makeLineOfSightModel(options: LineOfSightModelOptions): LineOfSightModel {
  const cosmo = options.cosmology;
  const log10MMin = Math.log10(options.minMassMsun ?? 1e12);
  const log10MMax = Math.log10(options.maxMassMsun ?? Math.pow(10, 15.5));
  if (!(log10MMax > log10MMin)) {
    throw new RangeError(
      `Cannot build line-of-sight model: maxMassMsun must exceed minMassMsun, got 10^${log10MMin}..10^${log10MMax}`,
    );
  }
  const depthMpc = options.depthMpc ?? 50;
  if (!(depthMpc > 0)) {
    throw new RangeError(`Cannot build line-of-sight model: depthMpc must be > 0, got ${depthMpc}`);
  }
  const xiSlope = options.xiSlope ?? 1.8;
  const deltaMean = delta200cAsMean(0, cosmo);
  const nTab = Math.ceil((log10MMax - log10MMin) / 0.05) + 1;
  const tab = new Float64Array(nTab);
  const step = (log10MMax - log10MMin) / (nTab - 1);
  for (let i = 0; i < nTab; i++) {
    tab[i] = tinker10Bias(Math.pow(10, log10MMin + i * step), 0, cosmo, { deltaMean });
  }
  const bias = (m: number) => {
    let f = (Math.log10(m) - log10MMin) / step;
    f = Math.min(nTab - 1.000001, Math.max(0, f));
    const i = Math.floor(f);
    return tab[i] + (f - i) * (tab[i + 1] - tab[i]);
  };
  return {
    cosmology: cosmo,
    depthMpc,
    numberDensityPerMpc3: fieldHaloNumberDensity(log10MMin, log10MMax, 0, cosmo),
    r0Mpc: powerLawCorrelationLengthMpc(cosmo, xiSlope),
    xiSlope,
    log10MMin,
    log10MMax,
    sampleMass: makeHaloMassSampler(log10MMin, log10MMax, 0, cosmo),
    bias,
  };
}

/** A field halo placed along the line of sight of an image. */
export interface LineOfSightHalo {
  /** M200c [Msun]. */
  m200Msun: number;
  /** Comoving offset from the cluster along the image axis e1 [Mpc]. */
  e1Mpc: number;
  /** Comoving offset along e2 [Mpc]. */
  e2Mpc: number;
  /** Comoving offset along the line of sight [Mpc], > 0 behind the cluster. */
  losMpc: number;
}

/** Options of {@linkcode drawLineOfSightHaloes}. */
export interface DrawLineOfSightOptions {
  /** M200c of the cluster [Msun] (for its bias). */
  clusterM200Msun: number;
  /** r200 of the cluster [Mpc]: haloes within 2 r200 are excluded. */
  clusterR200Mpc: number;
  /** Half width of the footprint [comoving Mpc] (field half width plus a margin). */
  halfWidthMpc: number;
}

/**
 * Draw the field haloes in the slab |los| < depth, |e1|, |e2| < halfWidth
 * around a cluster: a Poisson process of intensity n [1 + b(M) b_cl xi(r)]
 * sampled by thinning.
 */
export function drawLineOfSightHaloes(
  model: LineOfSightModel,
  rng: Rng,
  options: DrawLineOfSightOptions,
): LineOfSightHalo[] {
  const { clusterM200Msun, clusterR200Mpc, halfWidthMpc } = options;
  if (!(clusterM200Msun > 0 && clusterR200Mpc > 0 && halfWidthMpc > 0)) {
    throw new RangeError(
      `Cannot draw line-of-sight haloes: cluster mass, r200 and halfWidthMpc must be > 0, got ` +
        `${clusterM200Msun}, ${clusterR200Mpc}, ${halfWidthMpc}`,
    );
  }
  const bCl = model.bias(clusterM200Msun);
  const rExcl = 2 * clusterR200Mpc;
  const bMax = model.bias(Math.pow(10, model.log10MMax));
  const boostMax = 1 + bMax * bCl * xiLinPowerLaw(rExcl, model);
  const volume = 4 * halfWidthMpc * halfWidthMpc * 2 * model.depthMpc;
  const nCand = rng.poisson(model.numberDensityPerMpc3 * volume * boostMax);
  const out: LineOfSightHalo[] = [];
  for (let i = 0; i < nCand; i++) {
    const m = model.sampleMass(rng);
    const e1 = rng.uniform(-halfWidthMpc, halfWidthMpc);
    const e2 = rng.uniform(-halfWidthMpc, halfWidthMpc);
    const los = rng.uniform(-model.depthMpc, model.depthMpc);
    const u = rng.random();
    const r = Math.hypot(e1, e2, los);
    if (r < rExcl) continue;
    const boost = 1 + model.bias(m) * bCl * xiLinPowerLaw(r, model);
    if (u * boostMax < boost) out.push({ m200Msun: m, e1Mpc: e1, e2Mpc: e2, losMpc: los });
  }
  return out;
}
