/**
 * The mock's scaling relations beside published ones: every relation of the
 * toolkit's scatter budget (docs/mock-universe.md, "Scatter budget"), measured
 * on a {@linkcode MockSample}, with its target range, its published anchor and
 * the anchor's source, and a pass/fail verdict.
 *
 * Statistics (all log10, "dex"):
 * - scatter at fixed M200: in 0.5-dex bins of M200, the rms residual (n - 2
 *   degrees of freedom) about a power law fitted inside the bin, so that the
 *   curvature of a relation over the whole range does not count as scatter;
 * - slopes: a power law fitted over the stated mass range against M500;
 * - mass recovery: log10 M200 = a + b log10 S fitted on the images of the
 *   central range 10^13.25-10^14.5 (the paper's), then the Table 2 rms of
 *   M_pred/M_true (per cent);
 * - galaxy counts: var(N - <N|M>) / <N> in a bin (1 for Poisson);
 * - gas-star covariance: Pearson r of the residuals of log Y(<R500) and
 *   log M*(<R500) at fixed M200 in the 10^13.5-10^14.5 range.
 *
 * The four projections of one cluster are counted as four images, as in the
 * dataset; they share the cluster's intrinsic scatter, so the images are not
 * independent and the sample standard errors are larger than 1/sqrt(n).
 *
 * @module
 */
import { pearson } from "../interpret/core_ring.ts";
import { table2Stats } from "../evaluate/table2.ts";
import { fitLogPowerLaw } from "./integrated.ts";
import { type ImageMeasurement, SB_PROFILE_EDGES_R500, SB_SLOPE_RADII_R200 } from "./measure.ts";

/** One line of the realism report. */
export interface RealismCheck {
  /** Short identifier, e.g. `y500_scatter_14_14.5`. */
  id: string;
  /** What is measured, in words with units. */
  quantity: string;
  /** The mock's value (NaN when it cannot be measured on this sample). */
  value: number;
  /** Target range [lo, hi] (either may be +-Infinity). */
  target: [number, number];
  /** The published value or range it is set beside, in words. */
  anchor: string;
  /** Where the anchor comes from. */
  source: string;
  /** Images used. */
  n: number;
  /** value within target (false for NaN). */
  pass: boolean;
}

/** A fitted relation for the figure: points are the sample, lines the fit and the anchor. */
export interface RelationCurve {
  id: string;
  xLabel: string;
  yLabel: string;
  /** log10 x and log10 y of every image used. */
  points: { lx: number; ly: number }[];
  /** The mock's power law, log10 y = intercept + slope (log10 x - log10 pivot). */
  fit: { slope: number; intercept: number; pivot: number };
  /** The published relation over its range (omitted when there is no normalisation to draw). */
  published?: {
    slope: number;
    intercept: number;
    pivot: number;
    lxRange: [number, number];
    source: string;
  };
}

/** The whole report. */
export interface RealismReport {
  checks: RealismCheck[];
  curves: RelationCurve[];
  passed: number;
  failed: number;
}

const BINS: [number, number][] = [[13, 13.5], [13.5, 14], [14, 14.5], [14.5, 15]];

function check(
  c: Omit<RealismCheck, "pass">,
): RealismCheck {
  const pass = Number.isFinite(c.value) && c.value >= c.target[0] && c.value <= c.target[1];
  return { ...c, pass };
}

function inBin(m: ImageMeasurement, bin: [number, number]): boolean {
  const l = Math.log10(m.m200Msun);
  return l >= bin[0] && l < bin[1];
}

/** Rms residual of log y about a power law in log M200, inside one bin (NaN if < 8 images). */
export function binScatterDex(
  sample: ImageMeasurement[],
  value: (m: ImageMeasurement) => number,
  bin: [number, number],
): { scatterDex: number; n: number } {
  const xs: number[] = [], ys: number[] = [];
  for (const m of sample) {
    const v = value(m);
    if (inBin(m, bin) && v > 0 && Number.isFinite(v)) {
      xs.push(m.m200Msun);
      ys.push(v);
    }
  }
  if (xs.length < 8) return { scatterDex: NaN, n: xs.length };
  return { scatterDex: fitLogPowerLaw(xs, ys, 10 ** bin[0]).scatterDex, n: xs.length };
}

function residuals(
  sample: ImageMeasurement[],
  value: (m: ImageMeasurement) => number,
  keep: (m: ImageMeasurement) => boolean,
): Map<number, number> {
  const rows = sample.filter((m) => keep(m) && value(m) > 0);
  const out = new Map<number, number>();
  if (rows.length < 8) return out;
  const f = fitLogPowerLaw(rows.map((m) => m.m200Msun), rows.map(value), 1e14);
  for (const m of rows) {
    out.set(
      m.image,
      Math.log10(value(m)) - f.intercept - f.slope * Math.log10(m.m200Msun / 1e14),
    );
  }
  return out;
}

/** Galaxy counts N(M* > 1e10, < R200) about a least-squares line in log10 M200, and their mean. */
function galaxyCountResiduals(rows: ImageMeasurement[]): { residuals: number[]; mean: number } {
  const lm = rows.map((m) => Math.log10(m.m200Msun));
  const nn = rows.map((m) => m.nGalaxies200);
  const mx = lm.reduce((a, b) => a + b, 0) / lm.length;
  const my = nn.reduce((a, b) => a + b, 0) / nn.length;
  let sxx = 0, sxy = 0;
  for (let i = 0; i < lm.length; i++) {
    sxx += (lm[i] - mx) ** 2;
    sxy += (lm[i] - mx) * (nn[i] - my);
  }
  const b = sxy / sxx;
  return { residuals: nn.map((v, i) => v - my - b * (lm[i] - mx)), mean: my };
}

/** Table 2 rms [per cent] of M200 recovered from a power-law fit of `value` in the central range. */
export function massRecoveryPct(
  sample: ImageMeasurement[],
  value: (m: ImageMeasurement) => number,
): { rmsPct: number; n: number } {
  const rows = sample.filter((m) => {
    const l = Math.log10(m.m200Msun);
    return l > 13.25 && l < 14.5 && value(m) > 0;
  });
  if (rows.length < 8) return { rmsPct: NaN, n: rows.length };
  // log10 M = a + b log10 S: regress mass on signal, as an estimator would.
  const f = fitLogPowerLaw(rows.map(value), rows.map((m) => m.m200Msun), 1);
  const pred = rows.map((m) => 10 ** (f.intercept + f.slope * Math.log10(value(m))));
  return { rmsPct: table2Stats(rows.map((m) => m.m200Msun), pred).rmsScatterPct, n: rows.length };
}

function slopeFit(
  sample: ImageMeasurement[],
  x: (m: ImageMeasurement) => number,
  y: (m: ImageMeasurement) => number,
  keep: (m: ImageMeasurement) => boolean,
  pivot: number,
) {
  const rows = sample.filter((m) => keep(m) && y(m) > 0);
  if (rows.length < 8) return { slope: NaN, intercept: NaN, scatterDex: NaN, n: rows.length, rows };
  return { ...fitLogPowerLaw(rows.map(x), rows.map(y), pivot), rows };
}

const Y = (m: ImageMeasurement) => m.y500Mpc2;
const LBOL_RING = (m: ImageMeasurement) => m.lBolRingErgPerS;
const LSOFT_RING = (m: ImageMeasurement) => m.lSoftRingErgPerS;
const LBOL_CORE = (m: ImageMeasurement) => m.lBolCoreErgPerS;
const LSOFT_CORE = (m: ImageMeasurement) => m.lSoftCoreErgPerS;
const MSTAR200 = (m: ImageMeasurement) => m.mStar200Msun;
/** 10^13.5 <= M200 < 10^14.5: the range of the covariance checks. */
const from13_5to14_5 = (m: ImageMeasurement) => {
  const l = Math.log10(m.m200Msun);
  return l >= 13.5 && l < 14.5;
};
const central = (m: ImageMeasurement) => {
  const l = Math.log10(m.m200Msun);
  return l > 13.25 && l < 14.5;
};

/** Measure every relation of the scatter budget on a noiseless sample. */
export function realismReport(sample: ImageMeasurement[]): RealismReport {
  const checks: RealismCheck[] = [];
  const curves: RelationCurve[] = [];
  const KAY = "Kay et al. 2012 (~0.04 dex, true masses); Planck 2014 XX (0.075 dex observed); " +
    "McCarthy et al. 2017 (BAHAMAS)";
  const LRING = "Maughan 2007 (11 % at fixed Y_X, core excised); Mantz et al. 2018 " +
    "(centre-excised L as tight as M_gas, T, Y_X)";

  // --- Y500 ---
  const ys = slopeFit(sample, (m) => m.m500Msun, Y, (m) => m.m500Msun > 1e13, 6e14);
  checks.push(check({
    id: "y500_slope",
    quantity: "slope of Y(<R500) D_A^2 - M500 (M500 > 1e13 Msun)",
    value: ys.slope,
    target: [1.6, 1.85],
    anchor: "1.79 +- 0.08",
    source: "Planck 2014 XX eq. 7; self-similar 5/3",
    n: ys.n,
  }));
  curves.push({
    id: "y500",
    xLabel: "log10 M500 [Msun]",
    yLabel: "log10 Y(<R500) D_A^2 [Mpc^2]",
    points: ys.rows.map((m) => ({ lx: Math.log10(m.m500Msun), ly: Math.log10(Y(m)) })),
    fit: { slope: ys.slope, intercept: ys.intercept, pivot: 6e14 },
    published: {
      slope: 1.79,
      intercept: -4.19 - 0.19 * 0, // 10^-0.19 x 1e-4 Mpc^2 at 6e14, (1-b) = 1
      pivot: 6e14,
      lxRange: [14.3, 15.2],
      source: "Planck 2014 XX eq. 7, (1-b) = 1",
    },
  });
  for (
    const [bin, hi] of [[[13, 13.5], 0.10], [[14, 14.5], 0.07]] as [[number, number], number][]
  ) {
    const s = binScatterDex(sample, Y, bin);
    checks.push(check({
      id: `y500_scatter_${bin[0]}_${bin[1]}`,
      quantity: `scatter of Y(<R500) D_A^2 at fixed M200, 10^${bin[0]}-10^${bin[1]} [dex]`,
      value: s.scatterDex,
      target: [bin[0] >= 14 ? 0.03 : 0, hi],
      anchor: bin[0] >= 14 ? "0.04-0.07 dex" : "<= 0.10 dex in groups",
      source: KAY,
      n: s.n,
    }));
  }

  // --- core-excised L_X ---
  for (const [name, f] of [["bolometric", LBOL_RING], ["0.5-2 keV", LSOFT_RING]] as const) {
    for (
      const [bin, lo, hi] of [[[13, 13.5], 0, 0.15], [[14, 14.5], 0.04, 0.12]] as [
        [number, number],
        number,
        number,
      ][]
    ) {
      const s = binScatterDex(sample, f, bin);
      checks.push(check({
        id: `lx_ring_${name === "bolometric" ? "bol" : "soft"}_scatter_${bin[0]}_${bin[1]}`,
        quantity: `scatter of L_X (${name}, 0.15-1 R500) at fixed M200, 10^${bin[0]}-10^${
          bin[1]
        } [dex]`,
        value: s.scatterDex,
        target: [lo, hi],
        anchor: bin[0] >= 14 ? "~0.05-0.1 dex" : "<= 0.15 dex in groups",
        source: LRING,
        n: s.n,
      }));
    }
  }

  // --- mass recovery from idealised signals ---
  const recY = massRecoveryPct(sample, Y);
  checks.push(check({
    id: "mass_recovery_y500",
    quantity: "rms of M200 recovered from Y(<R500), central range [per cent]",
    value: recY.rmsPct,
    target: [5, 13],
    anchor: "5-18 per cent for idealised Y or core-excised L_X",
    source: "Kravtsov et al. 2006; Ntampaka et al. 2019",
    n: recY.n,
  }));
  for (const [name, f] of [["bolometric", LBOL_RING], ["0.5-2 keV", LSOFT_RING]] as const) {
    const r = massRecoveryPct(sample, f);
    checks.push(check({
      id: `mass_recovery_lx_ring_${name === "bolometric" ? "bol" : "soft"}`,
      quantity: `rms of M200 recovered from L_X (${name}, 0.15-1 R500), central range [per cent]`,
      value: r.rmsPct,
      target: [8, 20],
      anchor: "5-18 per cent for idealised Y or core-excised L_X",
      source: "Kravtsov et al. 2006; Ntampaka et al. 2019",
      n: r.n,
    }));
  }

  // --- X-ray cores ---
  for (const bin of [[13.5, 14], [14, 14.5]] as [number, number][]) {
    for (
      const [name, core, ring] of [["bol", LBOL_CORE, LBOL_RING], [
        "soft",
        LSOFT_CORE,
        LSOFT_RING,
      ]] as const
    ) {
      const c = binScatterDex(sample, core, bin);
      const r = binScatterDex(sample, ring, bin);
      checks.push(check({
        id: `lx_core_${name}_scatter_${bin[0]}_${bin[1]}`,
        quantity: `scatter of L_X (${name}, < 0.15 R500) at fixed M200, 10^${bin[0]}-10^${
          bin[1]
        } [dex]`,
        value: c.scatterDex,
        target: [0.25, Infinity],
        anchor: ">= 0.25 dex, bimodal (cool / non-cool cores)",
        source: "Pratt et al. 2009; Cavagnolo et al. 2009",
        n: c.n,
      }));
      checks.push(check({
        id: `lx_core_to_ring_${name}_${bin[0]}_${bin[1]}`,
        quantity: `core / core-excised scatter ratio (${name}), 10^${bin[0]}-10^${bin[1]}`,
        value: c.scatterDex / r.scatterDex,
        target: [2, Infinity],
        anchor: "core excision cuts the scatter by more than 2",
        source: "Pratt et al. 2009",
        n: Math.min(c.n, r.n),
      }));
    }
  }

  // --- L_X - M500 inclusive ---
  const lx = slopeFit(
    sample,
    (m) => m.m500Msun,
    (m) => m.lSoft500ErgPerS,
    (m) => m.m500Msun > 1e13,
    2e14,
  );
  checks.push(check({
    id: "lx_soft_m500_slope",
    quantity: "slope of L_X(0.5-2 keV, < R500) - M500 (M500 > 1e13 Msun)",
    value: lx.slope,
    target: [1.6, 2.2],
    anchor: "1.66 +- 0.22 (BAHAMAS: ~2.3 groups, ~1.7 clusters)",
    source: "Lovisari et al. 2015; McCarthy et al. 2017",
    n: lx.n,
  }));
  checks.push(check({
    id: "lx_soft_m500_scatter",
    quantity: "inclusive scatter of L_X(0.5-2 keV, < R500) - M500 [dex]",
    value: lx.scatterDex,
    target: [0.15, 0.26],
    anchor: "0.15-0.26 dex",
    source: "Lovisari et al. 2015; Pratt et al. 2009",
    n: lx.n,
  }));
  // Pratt et al. 2009 (A&A 498, 361) Table B.2, BCES(Y|X), 0.1-2.4 keV, converted to 0.5-2 keV by x1.77/2.86.
  curves.push({
    id: "lx_soft",
    xLabel: "log10 M500 [Msun]",
    yLabel: "log10 L_X(0.5-2 keV, < R500) [erg/s]",
    points: lx.rows.map((m) => ({ lx: Math.log10(m.m500Msun), ly: Math.log10(m.lSoft500ErgPerS) })),
    fit: { slope: lx.slope, intercept: lx.intercept, pivot: 2e14 },
    published: {
      slope: 1.53,
      intercept: Math.log10(1.03e44 * 1.77 / 2.86),
      pivot: 2e14,
      lxRange: [13.9, 15.1],
      source: "Pratt et al. 2009 Table B.2 (0.1-2.4 keV x 1.77/2.86)",
    },
  });

  // --- stars ---
  const ms = slopeFit(
    sample,
    (m) => m.m500Msun,
    (m) => m.mStar500Msun,
    (m) => m.m500Msun > 3e13,
    3e14,
  );
  checks.push(check({
    id: "mstar500_slope",
    quantity: "slope of M*(<R500) - M500 (M500 > 3e13 Msun)",
    value: ms.slope,
    target: [0.55, 0.75],
    anchor: "0.59 +- 0.08",
    source: "Kravtsov et al. 2018 (total stellar mass)",
    n: ms.n,
  }));
  // Total stellar mass within R200 at fixed M200 (central + satellites + ICL).
  const TOTAL_SRC = "Pillepich et al. 2018 (TNG300); Anbajagane et al. 2020 " +
    "(BAHAMAS+MACSIS, TNG300, Magneticum)";
  for (
    const [bin, lo, hi, anchor] of [
      [[13.25, 13.75], 0.05, 0.09, "~0.07 dex in TNG300"],
      [[14, 14.5], 0.03, 0.06, "~0.045 dex in TNG300"],
    ] as [[number, number], number, number, string][]
  ) {
    const s = binScatterDex(sample, MSTAR200, bin);
    checks.push(check({
      id: `mstar200_scatter_${bin[0]}_${bin[1]}`,
      quantity: `scatter of total M*(<R200) at fixed M200, 10^${bin[0]}-10^${bin[1]} [dex]`,
      value: s.scatterDex,
      target: [lo, hi],
      anchor,
      source: TOTAL_SRC,
      n: s.n,
    }));
  }
  const ms200 = slopeFit(sample, (m) => m.m200Msun, MSTAR200, central, 1e14);
  checks.push(check({
    id: "mstar200_slope",
    quantity: "slope of total M*(<R200) - M200, 10^13.25-10^14.5",
    value: ms200.slope,
    target: [0.6, 0.95],
    anchor: "~0.6 observed within R500; ~0.85-0.9 in TNG300 within R200",
    source: "Kravtsov et al. 2018; Pillepich et al. 2018",
    n: ms200.n,
  }));
  for (
    const [bin, lo, hi, anchor] of [
      [[13.25, 13.75], 0.45, 0.65, "~0.55 at 10^13.5"],
      [[14, 14.5], 0.25, 0.45, "0.30-0.40 at 10^14.25"],
    ] as [[number, number], number, number, string][]
  ) {
    const rows = sample.filter((m) => inBin(m, bin) && m.mStar200Msun > 0);
    const share = rows.reduce((a, m) => a + m.mBcgMsun / m.mStar200Msun, 0) / rows.length;
    checks.push(check({
      id: `central_share_${bin[0]}_${bin[1]}`,
      quantity: `central galaxy's share of M*(<R200), 10^${bin[0]}-10^${bin[1]}`,
      value: rows.length >= 8 ? share : NaN,
      target: [lo, hi],
      anchor,
      source: "Pillepich et al. 2018 (TNG300)",
      n: rows.length,
    }));
  }
  for (const bin of [[13.25, 13.75], [14, 14.5]] as [number, number][]) {
    const s = binScatterDex(sample, (m) => m.mBcgMsun, bin);
    checks.push(check({
      id: `central_scatter_${bin[0]}_${bin[1]}`,
      quantity: `scatter of the central's M* at fixed M200, 10^${bin[0]}-10^${bin[1]} [dex]`,
      value: s.scatterDex,
      target: [0.12, 0.2],
      anchor: "0.13-0.2 dex",
      source: "Pillepich et al. 2018; Kravtsov et al. 2018",
      n: s.n,
    }));
  }
  {
    const rc = residuals(sample, (m) => m.mBcgMsun, from13_5to14_5);
    const rows = sample.filter((m) => from13_5to14_5(m) && rc.has(m.image));
    const r = rows.length >= 8
      ? pearson(rows.map((m) => rc.get(m.image)!), galaxyCountResiduals(rows).residuals)
      : NaN;
    checks.push(check({
      id: "central_vs_satellites",
      quantity: "r of the central's M* residual and N(M* > 1e10, < R200) residual, 10^13.5-10^14.5",
      value: r,
      target: [-1, -0.1],
      anchor: "negative: smaller centrals have more satellites",
      source: "Pillepich et al. 2018; Anbajagane et al. 2020",
      n: rows.length,
    }));
  }
  for (
    const [id, f, name] of [
      ["mass_recovery_mstar200", MSTAR200, "R200"],
      ["mass_recovery_mstar500", (m: ImageMeasurement) => m.mStar500Msun, "R500"],
    ] as [string, (m: ImageMeasurement) => number, string][]
  ) {
    const r = massRecoveryPct(sample, f);
    checks.push(check({
      id,
      quantity: `rms of M200 recovered from total M*(<${name}), central range [per cent]`,
      value: r.rmsPct,
      target: [13, 25],
      anchor: "ln10 x 0.05-0.07 dex / slope 0.85",
      source: TOTAL_SRC,
      n: r.n,
    }));
  }
  curves.push({
    id: "mstar500",
    xLabel: "log10 M500 [Msun]",
    yLabel: "log10 M*(<R500) [Msun]",
    points: ms.rows.map((m) => ({ lx: Math.log10(m.m500Msun), ly: Math.log10(m.mStar500Msun) })),
    fit: { slope: ms.slope, intercept: ms.intercept, pivot: 3e14 },
  });
  const bcg = slopeFit(
    sample,
    (m) => m.m500Msun,
    (m) => m.mBcgMsun,
    (m) => m.m500Msun > 5e13,
    3e14,
  );
  checks.push(check({
    id: "bcg_slope",
    quantity: "slope of M*,BCG - M500 (M500 > 5e13 Msun)",
    value: bcg.slope,
    target: [0.3, 0.5],
    anchor: "0.4 +- 0.1",
    source: "Kravtsov et al. 2018",
    n: bcg.n,
  }));
  checks.push(check({
    id: "bcg_scatter",
    quantity: "scatter of M*,BCG - M500 [dex]",
    value: bcg.scatterDex,
    target: [0.15, 0.2],
    anchor: "0.15-0.2 dex",
    source: "Kravtsov et al. 2018",
    n: bcg.n,
  }));
  const nBin: [number, number] = [14, 14.5];
  const nRows = sample.filter((m) => inBin(m, nBin));
  let vmr = NaN;
  if (nRows.length >= 8) {
    const { residuals: dn, mean } = galaxyCountResiduals(nRows);
    vmr = dn.reduce((a, v) => a + v * v, 0) / (dn.length - 2) / mean;
  }
  checks.push(check({
    id: "galaxy_count_poisson",
    quantity: "var/mean of N(M* > 1e10 Msun, < R200) at fixed M200, 10^14-10^14.5",
    value: vmr,
    target: [0.6, 1.6],
    anchor: "close to Poisson (1)",
    source: "Kravtsov et al. 2004 (subhalo occupation is Poisson at high N)",
    n: nRows.length,
  }));
  const rg = residuals(sample, Y, from13_5to14_5);
  const rs = residuals(sample, (m) => m.mStar500Msun, from13_5to14_5);
  const a: number[] = [], b: number[] = [];
  for (const [k, v] of rg) {
    const w = rs.get(k);
    if (w !== undefined) {
      a.push(v);
      b.push(w);
    }
  }
  checks.push(check({
    id: "gas_star_covariance",
    quantity: "r of log Y(<R500) and log M*(<R500) residuals at fixed M200, 10^13.5-10^14.5",
    value: a.length >= 8 ? pearson(a, b) : NaN,
    target: [-0.8, -0.05],
    anchor: "negative (gas and stars trade baryons)",
    source: "Farahi et al. 2018 (BAHAMAS); Wu et al. 2015",
    n: a.length,
  }));
  const passed = checks.filter((c) => c.pass).length;
  return { checks, curves, passed, failed: checks.length - passed };
}

/** Scatter of a quantity in every 0.5-dex bin (for the report's table of bins). */
export function binnedScatterTable(
  sample: ImageMeasurement[],
): { bin: [number, number]; y500: number; lBolRing: number; lBolCore: number; n: number }[] {
  return BINS.map((bin) => ({
    bin,
    y500: binScatterDex(sample, Y, bin).scatterDex,
    lBolRing: binScatterDex(sample, LBOL_RING, bin).scatterDex,
    lBolCore: binScatterDex(sample, LBOL_CORE, bin).scatterDex,
    n: binScatterDex(sample, Y, bin).n,
  }));
}

/** One annulus of the surface-brightness profile table. */
export interface SbProfileRow {
  /** Inner and outer radius [R500]. */
  annulusR500: [number, number];
  /** Median over the views with M500 >= 1e14 Msun of S_X / S_X(0.3-0.5 R500). */
  medianShape: number;
  /** Scatter of log S_X at fixed M200 in each 0.5-dex bin of `XrayShapeReport.bins` [dex]. */
  scatterDex: number[];
}

/** The checks of the X-ray surface-brightness shape, and the profile table they come from. */
export interface XrayShapeReport {
  checks: RealismCheck[];
  profile: SbProfileRow[];
  bins: [number, number][];
}

function median(values: number[]): number {
  const a = values.filter(Number.isFinite).sort((x, y) => x - y);
  const n = a.length;
  if (n === 0) return NaN;
  return n % 2 ? a[(n - 1) / 2] : 0.5 * (a[n / 2 - 1] + a[n / 2]);
}

/** Index of the profile annulus 0.3-0.5 R500, the reference of the shape and of the scatter ratio. */
const SB_REF = SB_PROFILE_EDGES_R500.indexOf(0.3);

/**
 * The shape of the 0.5-2 keV surface brightness S_X (`ImageMeasurement.xray`)
 * beside published profiles (docs/mock-universe.md, "Shape of the X-ray
 * emission"). The profile is compared in shape only: slopes, a concentration
 * and the scatter at fixed M200 do not depend on the normalisation, so no
 * self-similar scaling is applied; the table's median profile is normalised
 * by each view's own S_X at 0.3-0.5 R500.
 */
export function xrayShapeReport(sample: ImageMeasurement[]): XrayShapeReport {
  const checks: RealismCheck[] = [];
  const sb = (k: number) => (m: ImageMeasurement) => m.xray.sbSoft[k];
  const rms = (v: number[]) => {
    if (v.length < 2) return NaN;
    const mean = v.reduce((a, b) => a + b, 0) / v.length;
    return Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1));
  };

  // Local slopes at 0.4 R200 and R200 (Ettori & Balestra 2009: 11 X-ray luminous clusters at
  // z > 0.3; mean slope and the rms of the sample; the target is mean +- rms).
  const massive = sample.filter((m) => m.m500Msun >= 3e14);
  for (
    const [x, mean, sigma] of [[0.4, -3.6, 0.8], [1, -4.3, 0.9]] as [number, number, number][]
  ) {
    const k = SB_SLOPE_RADII_R200.indexOf(x);
    const v = massive.map((m) => m.xray.sbSlope[k]).filter(Number.isFinite);
    checks.push(check({
      id: `sb_slope_${x}r200`,
      quantity: `median d ln S_X / d ln R of the 0.5-2 keV surface brightness at ${x} R200, ` +
        `M500 >= 3e14 Msun (rms over the views ${rms(v).toFixed(2)})`,
      value: v.length >= 8 ? median(v) : NaN,
      target: [mean - sigma, mean + sigma],
      anchor: `${mean} (sample rms ${sigma})`,
      source: "Ettori & Balestra 2009 (A&A 496, 343), abstract",
      n: v.length,
    }));
  }

  // Scatter in the core against the scatter at intermediate radii.
  for (const bin of [[14, 14.5], [14.5, 15]] as [number, number][]) {
    const core = binScatterDex(sample, sb(0), bin);
    const mid = binScatterDex(sample, sb(SB_REF), bin);
    checks.push(check({
      id: `sb_scatter_core_to_mid_${bin[0]}_${bin[1]}`,
      quantity: `scatter of S_X at fixed M200 in 0.05-0.1 R500 / in 0.3-0.5 R500, ` +
        `10^${bin[0]}-10^${bin[1]} (${core.scatterDex.toFixed(3)} / ${
          mid.scatterDex.toFixed(3)
        } dex)`,
      value: core.scatterDex / mid.scatterDex,
      target: [2, Infinity],
      anchor: "central densities differ greatly; much less scatter at ~0.3 R500 (no per-radius " +
        "number in the abstracts)",
      source: "Croston et al. 2008 (A&A 487, 431); Ghirardini et al. 2019 (A&A 621, A41)",
      n: Math.min(core.n, mid.n),
    }));
  }

  // Cool-core fraction by the surface-brightness concentration.
  const cs = sample.filter((m) => m.m500Msun >= 2e14 && Number.isFinite(m.xray.cSB));
  const frac = (lo: number) => cs.filter((m) => m.xray.cSB > lo).length / cs.length;
  checks.push(check({
    id: "csb_cool_core_fraction",
    quantity: `fraction of views with c_SB = L(<40 kpc)/L(<400 kpc) > 0.075, M500 >= 2e14 Msun ` +
      `(> 0.155: ${frac(0.155).toFixed(3)}; median c_SB ${
        median(cs.map((m) => m.xray.cSB)).toFixed(3)
      })`,
    value: cs.length >= 8 ? frac(0.075) : NaN,
    target: [0.25, 0.41],
    anchor: "29 +- 4 % (Planck PSZ1); 36 +- 5 % (Planck ESZ); classes of Santos et al. 2008",
    source: "Rossetti et al. 2017 (MNRAS 468, 1917); Andrade-Santos et al. 2017 (ApJ 843, 76)",
    n: cs.length,
  }));

  const ref = sample.filter((m) => m.m500Msun >= 1e14);
  const profile = SB_PROFILE_EDGES_R500.slice(1).map((outer, k): SbProfileRow => ({
    annulusR500: [SB_PROFILE_EDGES_R500[k], outer],
    medianShape: median(ref.map((m) => m.xray.sbSoft[k] / m.xray.sbSoft[SB_REF])),
    scatterDex: BINS.map((bin) => binScatterDex(sample, sb(k), bin).scatterDex),
  }));
  return { checks, profile, bins: BINS };
}
