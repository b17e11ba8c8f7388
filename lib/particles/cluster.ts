/**
 * The mock-cluster generator: a halo in, a particle set out (gas, stars and a
 * galaxy catalogue), following mock-universe.md §3 and the models named after
 * their papers in this folder. The particles are what a snapshot reader would
 * give for a simulated cluster; images are made from them only
 * (`lib/observe`).
 *
 * Model, per component (the main halo and, in a fraction of clusters, a
 * merging companion):
 * - shape: dark-matter axis ratios c/a ~ N(0.55, 0.1) truncated to [0.3, 1],
 *   b/a ~ U(c/a, 1); gas and stars rounder, q = 1 - 0.5 (1 - q_DM); random
 *   3D orientation. Radii are ellipsoidal radii of a volume-preserving ellipsoid.
 * - gas: Vikhlinin et al. (2006) density shape (group cores widened, see
 *   `drawVikhlinin06Params`) normalised so that
 *   M_gas(<r500) = f_gas,500 M500 with the mean f_gas,500 of `gas_fraction.ts`
 *   (0.05 at M500 = 1e13, 0.085 at 1e14, 0.125 at 1e15 Msun) x 10^N(0, s),
 *   s = 0.03-0.06 dex (`gasFractionScatterDex`), capped at Omega_b/Omega_m,
 *   truncated at 2 r200; temperature from the Arnaud et al. (2010) electron
 *   pressure, whose normalisation follows the gas fraction with
 *   `PRESSURE_SCATTER_DEX` (0.015 dex) on top, T = P_e / (n_e k_B); each particle's
 *   density gets a mean-preserving log-normal clumping of 0.1 dex (pressure
 *   equilibrium: denser elements are cooler).
 * - substructure: Giocoli et al. (2008) infall masses, positions following an
 *   NFW profile of concentration c200/2 (subhaloes are less concentrated than
 *   the dark matter; Gao et al. 2004, MNRAS 355, 819) within r200; the
 *   largest (m_infall > max(2 per cent of M200, 3e12 Msun), at most 5) keep a
 *   gas clump (bound mass 20-60 per cent of infall mass, gas fraction 3-10
 *   per cent of it, beta-model (beta = 2/3) with rc = 0.15 r200,sub truncated
 *   at 0.5 r200,sub, at the subhalo's virial temperature), so that clumps add
 *   visible substructure without dominating the X-ray luminosity.
 * - stars (`stellar_budget.ts`): one total stellar mass per halo (central +
 *   satellites + ICL) with the small scatter of hydrodynamical simulations
 *   (0.07 dex at 10^13.25 falling to 0.04 dex at 10^14.5; Pillepich et al.
 *   2018; Anbajagane et al. 2020), its deviate anti-correlated (r = -0.6)
 *   with the gas fraction's; satellites are the subhaloes that survive
 *   dynamical friction (Boylan-Kolchin et al. 2008) with Moster et al. (2013)
 *   stellar masses at infall, stripped by 10^U(-0.5, 0) (kept when M* >
 *   `minGalaxyStellarMassMsun`); the rest, the central's own stars and those
 *   of disrupted satellites, is split between the central galaxy (~58 per
 *   cent of the total at 10^13.5, ~30 at 10^14.25) and the ICL. Each galaxy
 *   is a Hernquist sphere with the Shen et al. (2003) half-mass radius
 *   (R_e = 1.8153 a); the ICL follows the (DM-shaped) NFW profile within
 *   r200.
 * - merger: with probability 0.3 the halo is split into a main component of
 *   M200/(1+q) and a companion of q M200/(1+q), q ~ U(0.1, 0.5), placed at
 *   U(0.3, 1.0) r200 in a random direction, each with its own gas, pressure,
 *   galaxies and ICL; gas, thermal energy and stars come out of the whole
 *   halo's budget. The label stays the catalogue M200.
 *
 * Particle masses: BAHAMAS' initial gas particle mass 7.66e8 Msun/h
 * (McCarthy et al. 2017) for gas and stars. Low-mass haloes would have too few
 * gas particles for smooth images, so the gas is split finer to reach at least
 * `minGasParticles` per component (default 2000; the total mass is unchanged).
 * A galaxy below one particle mass is one particle of its own mass.
 *
 * @module
 */
import { type Cosmology, criticalDensityMsunPerMpc3 } from "../cosmology/mod.ts";
import { convertNfwMass, duffy08Concentration, r200cMpc } from "../halo/mod.ts";
import {
  G_MPC_KM2_PER_S2_MSUN,
  K_B_KEV_PER_K,
  KEV_ERG,
  M_P_G,
  MPC_CM,
  MSUN_G,
} from "../constants/mod.ts";
import type { Rng } from "../random/mod.ts";
import { arnaud10PressureKeVPerCm3 } from "./arnaud10_pressure.ts";
import { drawGiocoli08Subhaloes } from "./giocoli08.ts";
import {
  drawStellarBudget,
  meanTotalStellarMassMsun,
  totalStellarScatterDex,
} from "./stellar_budget.ts";
import { shen03EarlyTypeR50Kpc, shen03LateTypeR50Kpc } from "./shen03.ts";
import { drawVikhlinin06Params, vikhlinin06NpNe } from "./vikhlinin06.ts";
import { gasFractionScatterDex, meanGasFraction500 } from "./gas_fraction.ts";
import {
  allocGalaxies,
  allocGas,
  allocStars,
  type ClusterParticles,
  type GalaxyCatalogue,
  type GasParticles,
  mergeParticles,
  type StarParticles,
} from "./types.ts";
import {
  type Ellipsoid,
  ellipsoid,
  placeOnEllipsoid,
  radialTable,
  randomRotation,
  tableInterp,
  tableMassWithin,
  tableSampleRadius,
  unitVectorInto,
} from "./_sampling.ts";

/** Mean molecular weight of the ionised ICM (mock-universe.md §3). */
export const MU_GAS = 0.59;
/** Mean molecular weight per free electron (paper eq. 1: mu_e = 1.14). */
export const MU_E = 1.14;
/** Hydrogen mass fraction. */
export const X_HYDROGEN = 0.752;
/** BAHAMAS initial gas particle mass [Msun/h] (McCarthy et al. 2017). */
export const BAHAMAS_GAS_PARTICLE_MASS_MSUN_PER_H = 7.66e8;

/** The halo properties the generator needs (a `HaloRecord` has them all). */
export interface ClusterHalo {
  /** M200c [Msun] (the label). */
  m200Msun: number;
  /** NFW concentration c200c. */
  c200: number;
  /** r200c [Mpc]. */
  r200Mpc: number;
  /** M500c [Msun]. */
  m500Msun: number;
  /** r500c [Mpc]. */
  r500Mpc: number;
}

/** Options of {@linkcode generateClusterParticles}. */
export interface ClusterModelOptions {
  /** Cosmology (particle masses in Msun/h use its h; rho_crit(0)). */
  cosmology: Cosmology;
  /** Gas and star particle mass [Msun]. Default 7.66e8 / h. */
  particleMassMsun?: number;
  /** Minimum number of gas particles per component (mass split finer). Default 2000. */
  minGasParticles?: number;
  /** Maximum number of gas particles per component (mass split coarser). Default 300000. */
  maxGasParticles?: number;
  /** Probability of a merging companion. Default 0.3. */
  mergerFraction?: number;
  /** Probability of a cool core. Default 0.3 (Andrade-Santos et al. 2017; Rossetti et al. 2017). */
  coolCoreFraction?: number;
  /** Draw subhaloes, satellites and gas clumps. Default true. */
  substructure?: boolean;
  /** Smallest satellite stellar mass kept as star particles [Msun]. Default 1e9. */
  minGalaxyStellarMassMsun?: number;
  /** Smallest stellar mass listed in the galaxy catalogue [Msun]. Default 1e10. */
  catalogueMinStellarMassMsun?: number;
  /** Gas truncation radius in units of r200. Default 2. */
  truncationR200?: number;
}

/** What was drawn for a cluster (for checks and for the record). */
export interface ClusterInfo {
  coolCore: boolean;
  /** f_gas,500 drawn (before the baryon-fraction cap). */
  fGas500: number;
  /** Gas mass inside r500 (ellipsoidal) of the main component [Msun]. */
  mGas500Msun: number;
  /** Arnaud pressure normalisation factor drawn. */
  pressureNorm: number;
  /** Axis ratios of the dark matter (b/a, c/a). */
  axisRatios: [number, number];
  /** Companion mass ratio q (0 = none). */
  companionRatio: number;
  /** Number of subhaloes drawn (main component). */
  subhaloes: number;
  /** Total stellar mass [Msun]. */
  mStarMsun: number;
  /** Gas particle mass used by the main component [Msun]. */
  gasParticleMassMsun: number;
}

type Resolved = Required<Omit<ClusterModelOptions, "cosmology">> & {
  cosmology: Cosmology;
  rhoCrit0: number;
};

function resolve(options: ClusterModelOptions): Resolved {
  const c = options.cosmology;
  const r: Resolved = {
    cosmology: c,
    particleMassMsun: options.particleMassMsun ?? BAHAMAS_GAS_PARTICLE_MASS_MSUN_PER_H / c.h,
    minGasParticles: options.minGasParticles ?? 2000,
    maxGasParticles: options.maxGasParticles ?? 300000,
    mergerFraction: options.mergerFraction ?? 0.3,
    coolCoreFraction: options.coolCoreFraction ?? 0.3,
    substructure: options.substructure ?? true,
    minGalaxyStellarMassMsun: options.minGalaxyStellarMassMsun ?? 1e9,
    catalogueMinStellarMassMsun: options.catalogueMinStellarMassMsun ?? 1e10,
    truncationR200: options.truncationR200 ?? 2,
    rhoCrit0: criticalDensityMsunPerMpc3(0, c),
  };
  if (!(r.particleMassMsun > 0)) {
    throw new RangeError(
      `Cannot generate cluster: particleMassMsun must be > 0, got ${r.particleMassMsun}`,
    );
  }
  if (!(Number.isInteger(r.minGasParticles) && r.minGasParticles >= 1)) {
    throw new RangeError(
      `Cannot generate cluster: minGasParticles must be an integer >= 1, got ${r.minGasParticles}`,
    );
  }
  if (!(r.maxGasParticles >= r.minGasParticles)) {
    throw new RangeError(
      `Cannot generate cluster: maxGasParticles must be >= minGasParticles, got ${r.maxGasParticles}`,
    );
  }
  for (const k of ["mergerFraction", "coolCoreFraction"] as const) {
    if (!(r[k] >= 0 && r[k] <= 1)) {
      throw new RangeError(`Cannot generate cluster: ${k} must be in [0, 1], got ${r[k]}`);
    }
  }
  return r;
}

function validateHalo(h: ClusterHalo): void {
  for (const k of ["m200Msun", "c200", "r200Mpc", "m500Msun", "r500Mpc"] as const) {
    if (!(Number.isFinite(h[k]) && h[k] > 0)) {
      throw new RangeError(
        `Cannot generate cluster: halo.${k} must be finite and > 0, got ${h[k]}`,
      );
    }
  }
}

/**
 * Generate the particles of one cluster (z = 0 physics).
 *
 * @param halo The halo (M200c, c200, r200, M500, r500); the catalogue's record.
 * @param rng The cluster's own generator (e.g. `root.fork(clusterId)`).
 * @param options Model switches and particle masses.
 * @returns Particles in physical Mpc around the halo centre, and what was drawn.
 */
export function generateClusterParticles(
  halo: ClusterHalo,
  rng: Rng,
  options: ClusterModelOptions,
): ClusterParticles & { info: ClusterInfo } {
  validateHalo(halo);
  const o = resolve(options);
  const merger = rng.random() < o.mergerFraction;
  const baryons = drawBaryonDeviates(rng);
  // One stellar budget for the whole halo (stellar_budget.ts), its deviate
  // anti-correlated with the gas fraction's; a merger shares it.
  const starTotal = meanTotalStellarMassMsun(halo.m200Msun) *
    Math.pow(10, totalStellarScatterDex(halo.m200Msun) * baryons.star);
  if (!merger) {
    const main = generateComponent(halo, rng, o, {
      baryons,
      pressureBoost: 1,
      gasBoost: 1,
      starTotalMsun: starTotal,
    });
    return { ...main.particles, info: { ...main.info, companionRatio: 0 } };
  }
  const q = rng.uniform(0.1, 0.5);
  const mMain = halo.m200Msun / (1 + q);
  const mainHalo = derivedHalo(mMain, halo.c200, o);
  const compHalo = derivedHalo(
    q * mMain,
    duffy08Concentration(q * mMain, 0, o.cosmology) * rng.logNormalDex(0.13),
    o,
  );
  // The merger keeps the system's thermal energy and gas: the main component
  // carries Y(M) - Y(M_comp) and M_gas(M) - M_gas(M_comp) of a relaxed halo of
  // the total mass (Y ~ M^1.79, Arnaud et al. 2010; M_gas ~ M^1.2 from the
  // f_gas trend), with a +-0.04 dex boost or deficit around pericentre
  // (Poole et al. 2007, MNRAS 380, 437; Krause et al. 2012, MNRAS 419, 1766).
  const pressureBoost = (Math.pow(1 + q, MERGER_Y_EXPONENT) - Math.pow(q, MERGER_Y_EXPONENT)) *
    rng.logNormalDex(MERGER_Y_SCATTER_DEX);
  const gasBoost = Math.pow(1 + q, MERGER_GAS_EXPONENT) - Math.pow(q, MERGER_GAS_EXPONENT);
  // The stars come out of the same budget, shared as relaxed haloes of the
  // two masses would hold them.
  const tMain = meanTotalStellarMassMsun(mMain);
  const tComp = meanTotalStellarMassMsun(q * mMain);
  const main = generateComponent(mainHalo, rng, o, {
    baryons,
    pressureBoost,
    gasBoost,
    starTotalMsun: starTotal * tMain / (tMain + tComp),
  });
  const comp = generateComponent(compHalo, rng, o, {
    baryons: drawBaryonDeviates(rng),
    pressureBoost: 1,
    gasBoost: 1,
    starTotalMsun: starTotal * tComp / (tMain + tComp),
  });
  const d = rng.uniform(0.3, 1.0) * halo.r200Mpc;
  const [ux, uy, uz] = rng.unitVector();
  const merged = mergeParticles([main.particles, comp.particles], [[0, 0, 0], [
    d * ux,
    d * uy,
    d * uz,
  ]]);
  return {
    ...merged,
    info: {
      ...main.info,
      companionRatio: q,
      mStarMsun: main.info.mStarMsun + comp.info.mStarMsun,
    },
  };
}

/** Exponent of Y500 ~ M^a used to share a merger's thermal energy (Arnaud et al. 2010: 1.78). */
export const MERGER_Y_EXPONENT = 1.79;
/** Exponent of M_gas,500 ~ M^a used to share a merger's gas (f_gas ~ M^0.2). */
export const MERGER_GAS_EXPONENT = 1.2;
/** Log10 scatter of a merger's Y about the relaxed value [dex] (Poole et al. 2007). */
export const MERGER_Y_SCATTER_DEX = 0.04;
/** Log10 scatter of the thermal pressure at fixed gas fraction [dex] (temperature scatter). */
export const PRESSURE_SCATTER_DEX = 0.015;
/**
 * Correlation of the gas-fraction and total-stellar-mass deviates at fixed
 * mass: negative, as in BAHAMAS (Farahi et al. 2018, MNRAS 478, 2618: r ~ -0.5
 * between M_gas and M_star at fixed halo mass) and as expected when a fixed
 * baryon budget is shared between hot gas and stars (Wu et al. 2015).
 */
export const GAS_STAR_CORRELATION = -0.6;

/** Largest gas mass of one subhalo clump, as a fraction of the host's gas mass. */
export const CLUMP_MAX_HOST_GAS_FRACTION = 0.004;

/** Standard-normal deviates of a component's gas fraction and total stellar mass. */
interface BaryonDeviates {
  gas: number;
  star: number;
}

function drawBaryonDeviates(rng: Rng): BaryonDeviates {
  const a = rng.normal();
  const b = rng.normal();
  const r = GAS_STAR_CORRELATION;
  return { gas: a, star: r * a + Math.sqrt(1 - r * r) * b };
}

interface ComponentDraws {
  baryons: BaryonDeviates;
  /** Factor on the pressure normalisation (a merger's main component). */
  pressureBoost: number;
  /** Factor on the gas mass (a merger's main component). */
  gasBoost: number;
  /** The component's total stellar mass (central + satellites + ICL) [Msun]. */
  starTotalMsun: number;
}

/** Halo properties for a mass and concentration at z = 0 (NFW conversion to 500c). */
export function derivedHalo(
  m200Msun: number,
  c200: number,
  o: { cosmology: Cosmology },
): ClusterHalo {
  const r200Mpc = r200cMpc(m200Msun, 0, o.cosmology);
  const h500 = convertNfwMass(m200Msun, c200, 500, 0, o.cosmology);
  return { m200Msun, c200, r200Mpc, m500Msun: h500.mMsun, r500Mpc: h500.rMpc };
}

function drawShape(rng: Rng): { dm: Ellipsoid; baryon: Ellipsoid; qb: number; qc: number } {
  const qc = rng.truncatedNormal(0.55, 0.1, 0.3, 1);
  const qb = rng.uniform(qc, 1);
  const rot = randomRotation(rng);
  const round = (q: number) => 1 - 0.5 * (1 - q);
  return { dm: ellipsoid(qb, qc, rot), baryon: ellipsoid(round(qb), round(qc), rot), qb, qc };
}

const RHO_MSUN_MPC3_TO_G_CM3 = MSUN_G / (MPC_CM * MPC_CM * MPC_CM);

/** Virial-like temperature kT = mu m_p G M / (2 r) [keV] of a halo of mass M within r. */
function virialKeV(mMsun: number, rMpc: number): number {
  // G M / r in (km/s)^2 -> erg/g: x 1e10
  const phi = G_MPC_KM2_PER_S2_MSUN * mMsun / rMpc * 1e10;
  return MU_GAS * M_P_G * phi / 2 / KEV_ERG;
}

interface Galaxy {
  x: number;
  y: number;
  z: number;
  mStar: number;
  r50Kpc: number;
}

function generateComponent(
  halo: ClusterHalo,
  rng: Rng,
  o: Resolved,
  draws: ComponentDraws,
): { particles: ClusterParticles; info: ClusterInfo } {
  const shape = drawShape(rng);
  const tmp = new Float64Array(3);
  const pos = new Float64Array(3);

  // ---------- gas: Vikhlinin density, Arnaud pressure ----------
  // The ICM is scaled with the M500 and r500 of the halo's M200 at the mean
  // Duffy et al. (2008) concentration, not with its own: its pressure and
  // density follow the depth of the whole potential well, not the inner
  // concentration of the dark matter. At fixed M200 a halo's own M500 varies
  // by ~0.03 dex with its concentration (0.13 dex log-normal), which through
  // Y ~ M500^1.8 would add ~0.05 dex to the Y scatter at fixed M200, as much
  // as the whole Y-M scatter of simulated clusters (Kay et al. 2012); the
  // ICM's thermal energy tracks the total mass and accretion history, the
  // inner concentration far less (Battaglia et al. 2012, ApJ 758, 74: Y200 is
  // tighter than Y500). Concentration still shapes the dark matter, the
  // satellites and the ICL, and the catalogue keeps the halo's own R500.
  const gasScale = derivedHalo(
    halo.m200Msun,
    duffy08Concentration(halo.m200Msun, 0, o.cosmology),
    o,
  );
  const vp = drawVikhlinin06Params(gasScale.r500Mpc, rng, {
    coolCoreFraction: o.coolCoreFraction,
    m500Msun: gasScale.m500Msun,
  });
  const fBaryon = o.cosmology.omegaB / o.cosmology.omegaM;
  const gasDeviation = Math.pow(10, gasFractionScatterDex(gasScale.m500Msun) * draws.baryons.gas);
  const fGas500 = meanGasFraction500(gasScale.m500Msun) * gasDeviation * draws.gasBoost;
  const fGasUsed = Math.min(fGas500, fBaryon);
  // Y = M_gas <T>: at fixed mass the pressure follows the gas fraction, with a
  // small temperature scatter on top.
  const pressureNorm = (fGasUsed / (fGas500 / gasDeviation)) * draws.pressureBoost *
    rng.logNormalDex(PRESSURE_SCATTER_DEX);
  const rTrunc = o.truncationR200 * halo.r200Mpc;
  const rMin = 1e-3 * gasScale.r500Mpc;
  const table = radialTable((r) => Math.sqrt(vikhlinin06NpNe(r, vp)), rMin, rTrunc, 256);
  const rho0 = fGasUsed * gasScale.m500Msun / tableMassWithin(table, gasScale.r500Mpc);
  const mGasTotal = rho0 * table.cum[table.cum.length - 1];
  // Pressure table (electron pressure, keV cm^-3) on the same grid.
  const nGrid = table.lnR.length;
  const lnP = new Float64Array(nGrid);
  const lnRho = new Float64Array(nGrid);
  for (let i = 0; i < nGrid; i++) {
    const r = Math.exp(table.lnR[i]);
    lnP[i] = Math.log(
      arnaud10PressureKeVPerCm3(r / gasScale.r500Mpc, gasScale.m500Msun, {
        cosmology: o.cosmology,
        normalisation: pressureNorm,
      }),
    );
    lnRho[i] = Math.log(rho0 * table.rho[i]);
  }
  let nIcm = Math.round(mGasTotal / o.particleMassMsun);
  nIcm = Math.min(o.maxGasParticles, Math.max(o.minGasParticles, nIcm));
  const mGasParticle = mGasTotal / nIcm;

  // ---------- substructure ----------
  const minInfall = Math.pow(10, 10.8);
  const infallMasses = o.substructure
    ? drawGiocoli08Subhaloes(halo.m200Msun, rng, { minMassMsun: minInfall })
    : [];
  // Which subhaloes survive to z = 0, and how the stars are shared.
  const budget = drawStellarBudget(
    { m200Msun: halo.m200Msun, subhaloInfallMsun: infallMasses },
    rng,
    {
      totalMsun: draws.starTotalMsun,
      minInfallMassMsun: minInfall,
      minGalaxyStellarMassMsun: o.minGalaxyStellarMassMsun,
    },
  );
  // Survivors, in decreasing infall mass; `budget.satellites` index this list
  // through `survivorIndex`.
  const subMasses = budget.survivors.map((i) => infallMasses[i]);
  const survivorIndex = new Map(budget.survivors.map((i, k) => [i, k]));
  const cSub = Math.max(1, halo.c200 / 2);
  const subTable = radialTable(
    (r) => {
      const x = (cSub * r) / halo.r200Mpc;
      return 1 / (x * (1 + x) * (1 + x));
    },
    1e-3 * halo.r200Mpc,
    halo.r200Mpc,
    128,
    512,
  );
  const subPos = new Float64Array(3 * subMasses.length);
  for (let s = 0; s < subMasses.length; s++) {
    const r = tableSampleRadius(subTable, rng.random());
    unitVectorInto(rng, tmp);
    placeOnEllipsoid(shape.dm, r, tmp[0], tmp[1], tmp[2], pos);
    subPos.set(pos, 3 * s);
  }
  interface Clump {
    s: number;
    mGas: number;
    rc: number;
    rt: number;
    kT: number;
    n: number;
    table: ReturnType<typeof radialTable>;
  }
  const clumps: Clump[] = [];
  for (let s = 0; s < subMasses.length && clumps.length < 5; s++) {
    if (subMasses[s] < Math.max(0.02 * halo.m200Msun, 3e12)) break;
    const mBound = subMasses[s] * rng.uniform(0.2, 0.6);
    // Stripped coronae: a few per cent of the bound mass, and never more than
    // CLUMP_MAX_HOST_GAS_FRACTION of the host's gas, so that clumps add
    // visible substructure but a few per cent of the luminosity (Zhuravleva
    // et al. 2013, MNRAS 428, 3274: clumps carry a small part of the X-ray
    // emission inside r500; cluster-galaxy coronae, Sun et al. 2007, ApJ 657, 197).
    const mGas = Math.min(
      mBound * rng.uniform(0.02, 0.06),
      CLUMP_MAX_HOST_GAS_FRACTION * mGasTotal,
    );
    const r200s = Math.cbrt((3 * mBound) / (4 * Math.PI * 200 * o.rhoCrit0));
    const rc = 0.15 * r200s;
    const rt = 0.5 * r200s;
    const n = Math.max(20, Math.round(mGas / mGasParticle));
    clumps.push({
      s,
      mGas,
      rc,
      rt,
      kT: virialKeV(mBound, r200s),
      n,
      table: radialTable((r) => Math.pow(1 + (r / rc) ** 2, -1), 1e-2 * rc, rt, 64, 256),
    });
  }

  // ---------- gas particles ----------
  const nGas = nIcm + clumps.reduce((a, c) => a + c.n, 0);
  const gas: GasParticles = allocGas(nGas);
  const clumpSigma = 0.1 * Math.LN10;
  const clumpMeanCorr = Math.exp(-0.5 * clumpSigma * clumpSigma);
  const keVToK = 1 / K_B_KEV_PER_K;
  const neFactor = RHO_MSUN_MPC3_TO_G_CM3 / (MU_E * M_P_G); // n_e [cm^-3] per Msun/Mpc^3
  let mGas500 = 0;
  for (let i = 0; i < nIcm; i++) {
    const r = tableSampleRadius(table, rng.random());
    unitVectorInto(rng, tmp);
    placeOnEllipsoid(shape.baryon, r, tmp[0], tmp[1], tmp[2], pos);
    gas.x[i] = pos[0];
    gas.y[i] = pos[1];
    gas.z[i] = pos[2];
    gas.massMsun[i] = mGasParticle;
    const rho = Math.exp(tableInterp(table, lnRho, r)) *
      Math.exp(clumpSigma * rng.normal()) * clumpMeanCorr;
    const pe = Math.exp(tableInterp(table, lnP, r));
    gas.densityMsunPerMpc3[i] = rho;
    gas.temperatureK[i] = pe / (rho * neFactor) * keVToK;
    if (r <= gasScale.r500Mpc) mGas500 += mGasParticle;
  }
  let k = nIcm;
  for (const c of clumps) {
    const mp = c.mGas / c.n;
    const cx = subPos[3 * c.s];
    const cy = subPos[3 * c.s + 1];
    const cz = subPos[3 * c.s + 2];
    const rhoC = c.mGas / c.table.cum[c.table.cum.length - 1];
    for (let j = 0; j < c.n; j++, k++) {
      const r = tableSampleRadius(c.table, rng.random());
      unitVectorInto(rng, tmp);
      gas.x[k] = cx + r * tmp[0];
      gas.y[k] = cy + r * tmp[1];
      gas.z[k] = cz + r * tmp[2];
      gas.massMsun[k] = mp;
      // Clump density on top of the ambient ICM at the clump centre.
      const rAmb = Math.max(rMin, Math.hypot(cx, cy, cz));
      const rho = rhoC * tableInterp(c.table, c.table.rho, Math.max(r, c.rc * 1e-2)) +
        Math.exp(tableInterp(table, lnRho, rAmb));
      gas.densityMsunPerMpc3[k] = rho;
      gas.temperatureK[k] = c.kT * keVToK;
    }
  }

  // ---------- galaxies ----------
  const galaxies: Galaxy[] = [];
  const mCentral = budget.centralMsun;
  galaxies.push({ x: 0, y: 0, z: 0, mStar: mCentral, r50Kpc: shen03EarlyTypeR50Kpc(mCentral) });
  for (const sat of budget.satellites) {
    const s = survivorIndex.get(sat.subhalo)!;
    const mStar = sat.mStarMsun;
    const r50 = mStar > 3e10 ? shen03EarlyTypeR50Kpc(mStar) : shen03LateTypeR50Kpc(mStar);
    galaxies.push({
      x: subPos[3 * s],
      y: subPos[3 * s + 1],
      z: subPos[3 * s + 2],
      mStar,
      r50Kpc: r50,
    });
  }
  const mGalaxies = galaxies.reduce((a, g) => a + g.mStar, 0);
  const mIcl = budget.iclMsun;
  const mp = o.particleMassMsun;
  const counts = galaxies.map((g) => Math.max(1, Math.round(g.mStar / mp)));
  const nIcl = Math.max(1, Math.round(mIcl / mp));
  const nStars = counts.reduce((a, b) => a + b, 0) + nIcl;
  const stars: StarParticles = allocStars(nStars);
  k = 0;
  for (let g = 0; g < galaxies.length; g++) {
    const gal = galaxies[g];
    const a = (gal.r50Kpc / 1000) / 1.8153; // Hernquist scale length [Mpc]
    const m = gal.mStar / counts[g];
    for (let j = 0; j < counts[g]; j++, k++) {
      const su = Math.sqrt(rng.random() * 0.98);
      const r = (a * su) / (1 - su);
      unitVectorInto(rng, tmp);
      stars.x[k] = gal.x + r * tmp[0];
      stars.y[k] = gal.y + r * tmp[1];
      stars.z[k] = gal.z + r * tmp[2];
      stars.massMsun[k] = m;
    }
  }
  const iclTable = radialTable(
    (r) => {
      const x = (halo.c200 * r) / halo.r200Mpc;
      return 1 / (x * (1 + x) * (1 + x));
    },
    1e-3 * halo.r200Mpc,
    halo.r200Mpc,
    128,
    512,
  );
  for (let j = 0; j < nIcl; j++, k++) {
    const r = tableSampleRadius(iclTable, rng.random());
    unitVectorInto(rng, tmp);
    placeOnEllipsoid(shape.dm, r, tmp[0], tmp[1], tmp[2], pos);
    stars.x[k] = pos[0];
    stars.y[k] = pos[1];
    stars.z[k] = pos[2];
    stars.massMsun[k] = mIcl / nIcl;
  }
  const listed = galaxies.filter((g) => g.mStar > o.catalogueMinStellarMassMsun);
  const cat: GalaxyCatalogue = allocGalaxies(listed.length);
  listed.forEach((g, i) => {
    cat.x[i] = g.x;
    cat.y[i] = g.y;
    cat.z[i] = g.z;
    cat.massMsun[i] = g.mStar;
  });
  return {
    particles: { gas, stars, galaxies: cat },
    info: {
      coolCore: vp.coolCore,
      fGas500,
      mGas500Msun: mGas500,
      pressureNorm,
      axisRatios: [shape.qb, shape.qc],
      companionRatio: 0,
      subhaloes: subMasses.length,
      mStarMsun: mGalaxies + mIcl,
      gasParticleMassMsun: mGasParticle,
    },
  };
}
