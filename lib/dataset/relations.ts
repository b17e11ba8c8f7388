/**
 * Realism check of the mock: integrated (3D, no noise) Y500, L_X and stellar
 * masses of clusters drawn from the catalogue, fitted with power laws and set
 * beside published relations:
 * - Planck Collaboration 2014 XX (A&A 571, A20) eq. 7:
 *   E^-2/3 D_A^2 Y500 = 10^-0.19 (M500/6e14)^1.79 x 1e-4 Mpc^2 (hydrostatic masses);
 * - Pratt et al. 2009 (A&A 498, 361) Table B.2, BCES(Y|X):
 *   L[0.1-2.4] = 1.03e44 (M500/2e14)^1.53 erg/s, times 1.77/2.86 for 0.5-2 keV;
 * - Kravtsov et al. 2018 (Astron. Lett. 44, 8): M*,BCG ∝ M500^(0.4 ± 0.1), 0.2 dex scatter.
 * All at z = 0 (E = 1), where the mock's clusters live.
 *
 * @module
 */
import { type Cosmology, WMAP9_BAHAMAS } from "../cosmology/mod.ts";
import { buildHaloCatalogue } from "../halo/mod.ts";
import {
  fitLogPowerLaw,
  gasObservables,
  integrateObservables,
  type PowerLawFit,
} from "../observe/mod.ts";
import { generateClusterParticles } from "../particles/mod.ts";
import { Rng } from "../random/mod.ts";
import { clusterRng } from "./render.ts";
import { selectClusters } from "./simulate.ts";

/** One fitted relation beside its published counterpart. */
export interface RelationReport {
  relation: string;
  pivot: number;
  fit: PowerLawFit;
  published: { slope: number; log10Norm: number; scatterDex?: number; source: string };
}

/**
 * Fit Y500-M500, L_soft-M500, L_bol-M500, M*(<r200)-M200 and M*,BCG-M500 on
 * `clusters` catalogue haloes (spread over the mass range) with the dataset's
 * per-cluster streams.
 */
export function scalingRelations(
  options: { clusters?: number; seed?: number; cosmology?: Cosmology } = {},
): RelationReport[] {
  const cosmology = options.cosmology ?? WMAP9_BAHAMAS;
  const seed = options.seed ?? 1;
  const haloes = selectClusters(
    buildHaloCatalogue(new Rng(seed).fork(1), { cosmology }),
    options.clusters ?? 400,
  );
  const m500: number[] = [], m200: number[] = [], y: number[] = [], ls: number[] = [];
  const lb: number[] = [], ms: number[] = [], bcg: number[] = [];
  for (const h of haloes) {
    const p = generateClusterParticles(h, clusterRng(seed, h.id).fork(0), { cosmology });
    const io = integrateObservables(p, gasObservables(p.gas), h);
    m500.push(h.m500Msun);
    m200.push(h.m200Msun);
    y.push(io.y500Mpc2);
    ls.push(io.lSoft500ErgPerS);
    lb.push(io.lBol500ErgPerS);
    ms.push(io.mStar200Msun);
    bcg.push(p.galaxies.massMsun[0]);
  }
  const pratt = Math.log10(1.03e44 * 1.77 / 2.86);
  return [
    {
      relation: "Y500 D_A^2 [Mpc^2] - M500",
      pivot: 6e14,
      fit: fitLogPowerLaw(m500, y, 6e14),
      published: {
        slope: 1.79,
        log10Norm: -4.19,
        scatterDex: 0.075,
        source: "Planck 2014 XX eq. 7, (1-b)=1",
      },
    },
    {
      relation: "L_X[0.5-2 keV, <r500] [erg/s] - M500",
      pivot: 2e14,
      fit: fitLogPowerLaw(m500, ls, 2e14),
      published: {
        slope: 1.53,
        log10Norm: pratt,
        scatterDex: undefined,
        source: "Pratt+09 Table B.2 (Y|X), x1.77/2.86",
      },
    },
    {
      relation: "L_X[bol, <r500] [erg/s] - M500",
      pivot: 2e14,
      fit: fitLogPowerLaw(m500, lb, 2e14),
      published: {
        slope: NaN,
        log10Norm: NaN,
        source: "not compared (no bolometric L-M reference at hand)",
      },
    },
    {
      relation: "M*(<r200) [Msun] - M200",
      pivot: Math.pow(10, 14.5),
      fit: fitLogPowerLaw(m200, ms, Math.pow(10, 14.5)),
      published: {
        slope: NaN,
        log10Norm: NaN,
        source: "Kravtsov+18 totals: M*/M ~ 1-3 per cent (see BCG row)",
      },
    },
    {
      relation: "M*,BCG [Msun] - M500 (M500 > 5e13)",
      pivot: 3e14,
      fit: fitLogPowerLaw(
        m500.filter((m) => m > 5e13),
        bcg.filter((_, i) => m500[i] > 5e13),
        3e14,
      ),
      published: { slope: 0.4, log10Norm: NaN, scatterDex: 0.2, source: "Kravtsov+18 abstract" },
    },
  ];
}
