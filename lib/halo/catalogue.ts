/**
 * The cluster sample of Yan et al. (2020, §2.1, Fig. 1): haloes drawn from the
 * Tinker et al. (2008) M200c mass function in a virtual (400 Mpc/h)^3 box,
 * selected in 0.25-dex bins of DMO mass with at most 200 per bin, and matched
 * to "hydro" masses with the Velliscig et al. (2014) AGN mass shift.
 *
 * Mass range: the paper's text is inconsistent (10 bins of 0.25 dex cannot span
 * 1e13-1e15 Msun; its conclusion quotes 10^12.7-10^14.8). We use
 * log10 M200c,DMO from 12.5 to 15.0 by default (see
 * docs/mock-universe.md).
 *
 * @module
 */
import type { Rng } from "../random/mod.ts";
import type { Cosmology } from "../cosmology/mod.ts";
import { validateCosmology } from "../cosmology/mod.ts";
import { gridSampler, massGrid } from "./_mass_grid.ts";
import { duffy08Concentration } from "./duffy08.ts";
import { convertNfwMass, r200cMpc } from "./nfw.ts";
import { velliscig14MassShift } from "./velliscig14.ts";

/** One cluster of the catalogue. Masses in Msun, radii in physical Mpc, all at z = 0. */
export interface HaloRecord {
  /** Sequential id 0..N-1 (bin by bin, lowest mass bin first). */
  id: number;
  /** Index of the DMO-mass bin (0 = lowest). */
  bin: number;
  /** M200c in the dark-matter-only run [Msun] (selects the bin). */
  m200DmoMsun: number;
  /** M200c in the hydrodynamical run [Msun]: the label the networks learn. */
  m200Msun: number;
  /** NFW concentration c200c (Duffy et al. 2008 with log-normal scatter). */
  c200: number;
  /** r200c of the hydro halo at z = 0 [Mpc]. */
  r200Mpc: number;
  /** M500c of the hydro halo from its NFW profile [Msun]. */
  m500Msun: number;
  /** r500c of the hydro halo at z = 0 [Mpc]. */
  r500Mpc: number;
}

/** Options of {@link buildHaloCatalogue}. */
export interface HaloCatalogueOptions {
  /** Cosmology of the virtual box. */
  cosmology: Cosmology;
  /** Side of the virtual box [Mpc/h] (default 400, the BAHAMAS box). */
  boxMpcPerH?: number;
  /** Maximum number of haloes kept per bin (default 200). */
  perBin?: number;
  /** Lower edge of the lowest bin, log10(M200c,DMO / Msun) (default 12.5). */
  log10MMin?: number;
  /** Upper edge of the highest bin (default 15.0). */
  log10MMax?: number;
  /** Bin width [dex] (default 0.25). */
  binDex?: number;
  /** Log-normal scatter of M_hydro / M_DMO about the Velliscig mean [dex] (default 0.013, i.e. 3%). */
  hydroScatterDex?: number;
  /** Log-normal scatter of c200 about Duffy et al. (2008) [dex] (default 0.13). */
  concentrationScatterDex?: number;
}

/** Default options of {@link buildHaloCatalogue} (apart from the cosmology). */
export const HALO_CATALOGUE_DEFAULTS: Readonly<Required<Omit<HaloCatalogueOptions, "cosmology">>> =
  Object.freeze({
    boxMpcPerH: 400,
    perBin: 200,
    log10MMin: 12.5,
    log10MMax: 15,
    binDex: 0.25,
    hydroScatterDex: 0.013,
    concentrationScatterDex: 0.13,
  });

/** Cells of the tabulated mass function per bin are at most this wide [dex]. */
const CELL_DEX = 0.005;

/**
 * Expected number of haloes per DMO-mass bin in the virtual box (the Poisson
 * means used by {@link buildHaloCatalogue}), z = 0.
 */
export function expectedHaloCounts(options: HaloCatalogueOptions): number[] {
  const o = resolve(options);
  const { grid, cellsPerBin, nBins } = binGrid(o);
  const volume = (o.boxMpcPerH / o.cosmology.h) ** 3;
  const out: number[] = [];
  for (let b = 0; b < nBins; b++) {
    let n = 0;
    for (let i = b * cellsPerBin; i < (b + 1) * cellsPerBin; i++) n += grid.cellDensity[i];
    out.push(n * volume);
  }
  return out;
}

/**
 * Build the cluster catalogue (all physics at z = 0):
 * 1. expected counts per bin = box volume x integral of the Tinker08 M200c mass
 *    function over the bin; the number present is a Poisson draw;
 * 2. keep min(present, perBin) haloes: a random subset of Poisson-many i.i.d.
 *    draws is itself i.i.d. draws, so the kept DMO masses are sampled directly
 *    from the mass-function shape within the bin;
 * 3. c200 = Duffy08(M_DMO) x 10^N(0, concentrationScatterDex);
 * 4. M200,hydro = M_DMO (1 + Delta_b(M_DMO)) x 10^N(0, hydroScatterDex) with
 *    Delta_b from Velliscig et al. (2014) eq. 5 (AGN);
 * 5. r200 from M200,hydro and rho_crit(0); M500, r500 from the NFW profile.
 * Random numbers are consumed from `rng` sequentially, so the same seed gives the
 * same catalogue. Runs in ~0.1-0.3 s.
 *
 * @throws {RangeError} for invalid options (the message names the option).
 */
export function buildHaloCatalogue(rng: Rng, options: HaloCatalogueOptions): HaloRecord[] {
  const o = resolve(options);
  const cosmo = o.cosmology;
  const { grid, cellsPerBin, nBins } = binGrid(o);
  const volume = (o.boxMpcPerH / cosmo.h) ** 3;
  const out: HaloRecord[] = [];
  for (let b = 0; b < nBins; b++) {
    const first = b * cellsPerBin;
    const last = first + cellsPerBin;
    let expected = 0;
    for (let i = first; i < last; i++) expected += grid.cellDensity[i];
    expected *= volume;
    const present = rng.poisson(expected);
    const keep = Math.min(present, o.perBin);
    if (keep === 0) continue;
    const sample = gridSampler(grid, first, last);
    for (let j = 0; j < keep; j++) {
      const mDmo = sample(rng);
      const c200 = duffy08Concentration(mDmo, 0, cosmo) *
        rng.logNormalDex(o.concentrationScatterDex);
      const mHydro = mDmo * (1 + velliscig14MassShift(mDmo)) * rng.logNormalDex(o.hydroScatterDex);
      const m500 = convertNfwMass(mHydro, c200, 500, 0, cosmo);
      out.push({
        id: out.length,
        bin: b,
        m200DmoMsun: mDmo,
        m200Msun: mHydro,
        c200,
        r200Mpc: r200cMpc(mHydro, 0, cosmo),
        m500Msun: m500.mMsun,
        r500Mpc: m500.rMpc,
      });
    }
  }
  return out;
}

type Resolved = Required<HaloCatalogueOptions>;

function resolve(options: HaloCatalogueOptions): Resolved {
  if (!options || typeof options !== "object" || !options.cosmology) {
    throw new TypeError("Cannot build halo catalogue: options.cosmology is required");
  }
  validateCosmology(options.cosmology);
  const o: Resolved = { ...HALO_CATALOGUE_DEFAULTS, ...stripUndefined(options) } as Resolved;
  const positive: (keyof typeof HALO_CATALOGUE_DEFAULTS)[] = ["boxMpcPerH", "binDex"];
  for (const key of positive) {
    if (!(Number.isFinite(o[key]) && o[key] > 0)) {
      throw new RangeError(`Cannot build halo catalogue: ${key} must be > 0, got ${o[key]}`);
    }
  }
  for (const key of ["hydroScatterDex", "concentrationScatterDex"] as const) {
    if (!(Number.isFinite(o[key]) && o[key] >= 0)) {
      throw new RangeError(`Cannot build halo catalogue: ${key} must be >= 0, got ${o[key]}`);
    }
  }
  if (!(Number.isInteger(o.perBin) && o.perBin >= 0)) {
    throw new RangeError(
      `Cannot build halo catalogue: perBin must be an integer >= 0, got ${o.perBin}`,
    );
  }
  if (!(o.log10MMax > o.log10MMin && o.log10MMin >= 8 && o.log10MMax <= 16.5)) {
    throw new RangeError(
      `Cannot build halo catalogue: need 8 <= log10MMin < log10MMax <= 16.5, got ` +
        `${o.log10MMin}..${o.log10MMax}`,
    );
  }
  const nBins = (o.log10MMax - o.log10MMin) / o.binDex;
  if (Math.abs(nBins - Math.round(nBins)) > 1e-6) {
    throw new RangeError(
      `Cannot build halo catalogue: (log10MMax - log10MMin) / binDex must be a whole number ` +
        `of bins, got ${nBins}`,
    );
  }
  return o;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function binGrid(o: Resolved) {
  const nBins = Math.round((o.log10MMax - o.log10MMin) / o.binDex);
  const cellsPerBin = Math.max(1, Math.ceil(o.binDex / CELL_DEX));
  const grid = massGrid(o.log10MMin, o.log10MMax, nBins * cellsPerBin, 0, o.cosmology);
  return { grid, cellsPerBin, nBins };
}
