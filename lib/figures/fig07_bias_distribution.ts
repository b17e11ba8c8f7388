/**
 * Fig. 7 of Yan et al. (2020): the probability distribution of the fractional
 * mass bias M_pred/M_true - 1 of each network, for test images in the central
 * range 13.25 < log10(M_true/Msun) < 14.5 (strict, as in `lib/evaluate`),
 * as histogram lines normalised to unit area (d3-array `bin`); the gas tracers
 * (Fxs, Fxb, Ypar) are dashed, as in the paper.
 *
 * @module
 */
import { bin, range } from "./_d3.ts";
import { CENTRAL_LOG10_MAX, CENTRAL_LOG10_MIN } from "../evaluate/mod.ts";
import { type NetworkKind, NETWORKS } from "../types/mod.ts";
import {
  assertPositive,
  NETWORK_DASH,
  NETWORK_LABELS,
  networkColorScale,
  round,
  VEGA_LITE_SCHEMA,
} from "./_common.ts";
import { checkMassPairs, type MassPairs } from "./fig05_pred_vs_true.ts";
import type { TopLevelSpec } from "./render.ts";

/** Options of {@linkcode fig07BiasDistribution}. */
export interface Fig07Options {
  /** Selected range of log10(M_true/Msun), exclusive. Default [13.25, 14.5]. */
  centralRangeLog10?: readonly [number, number];
  /** Histogram range of the bias (fraction). Default [-0.8, 0.8]; values outside count in the normalisation but are not drawn. */
  biasRange?: readonly [number, number];
  /** Histogram bin width (fraction). Default 0.05. */
  binWidth?: number;
  /** Chart size in pixels. Default 520 x 320. */
  width?: number;
  height?: number;
}

/** One histogram point of Fig. 7. */
export interface Fig07Row {
  network: string;
  /** Bin centre, M_pred/M_true - 1. */
  bias: number;
  /** Probability density: count / (n_selected x bin width). */
  density: number;
}

/** The histogram rows of Fig. 7 and the number of selected images per network. */
export function fig07Histograms(
  predictions: Partial<Record<NetworkKind, MassPairs>>,
  options: Fig07Options = {},
): { rows: Fig07Row[]; counts: Partial<Record<NetworkKind, number>> } {
  const [m0, m1] = options.centralRangeLog10 ?? [CENTRAL_LOG10_MIN, CENTRAL_LOG10_MAX];
  const [b0, b1] = options.biasRange ?? [-0.8, 0.8];
  const width = options.binWidth ?? 0.05;
  assertPositive("Fig. 7", "binWidth", width);
  if (!(b1 > b0)) {
    throw new RangeError(`Cannot build Fig. 7: biasRange must be increasing, got [${b0}, ${b1}]`);
  }
  const nb = Math.round((b1 - b0) / width);
  const thresholds = range(nb + 1).map((i) => round(b0 + i * width, 10));
  const binner = bin<number, number>().domain([thresholds[0], thresholds[nb]]).thresholds(
    thresholds.slice(1, -1),
  );
  const rows: Fig07Row[] = [];
  const counts: Partial<Record<NetworkKind, number>> = {};
  for (const n of NETWORKS) {
    const p = predictions[n];
    if (!p) continue;
    checkMassPairs("Fig. 7", n, p);
    const bias: number[] = [];
    for (let i = 0; i < p.mTrueMsun.length; i++) {
      const lm = Math.log10(p.mTrueMsun[i]);
      if (lm > m0 && lm < m1) bias.push(p.mPredMsun[i] / p.mTrueMsun[i] - 1);
    }
    counts[n] = bias.length;
    if (bias.length === 0) continue;
    for (const b of binner(bias.filter((v) => v >= b0 && v <= b1))) {
      rows.push({
        network: NETWORK_LABELS[n],
        bias: round((b.x0! + b.x1!) / 2, 8),
        density: round(b.length / (bias.length * (b.x1! - b.x0!))),
      });
    }
  }
  return { rows, counts };
}

/**
 * Build Fig. 7 from the test-set predictions of the networks present.
 *
 * @example
 * ```ts
 * import { fig07BiasDistribution } from "./fig07_bias_distribution.ts";
 * const spec = fig07BiasDistribution({ fxb: { mTrueMsun: [1e14, 1e14], mPredMsun: [0.9e14, 1.1e14] } });
 * if (!spec.$schema) throw new Error("schema");
 * ```
 */
export function fig07BiasDistribution(
  predictions: Partial<Record<NetworkKind, MassPairs>>,
  options: Fig07Options = {},
): TopLevelSpec {
  const { rows, counts } = fig07Histograms(predictions, options);
  const networks = NETWORKS.filter((n) => (counts[n] ?? 0) > 0);
  if (networks.length === 0) {
    throw new RangeError(
      "Cannot build Fig. 7: no test image of any network lies in the central mass range",
    );
  }
  const [m0, m1] = options.centralRangeLog10 ?? [CENTRAL_LOG10_MIN, CENTRAL_LOG10_MAX];
  const labels = networks.map((n) => NETWORK_LABELS[n]);
  const legend = { title: "Network" };
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: {
      text: "Fig. 7: distribution of the mass bias",
      subtitle: `Test images with ${m0} < log10 Mtrue < ${m1}; gas tracers dashed`,
    },
    width: options.width ?? 520,
    height: options.height ?? 320,
    data: { values: rows },
    mark: { type: "line", interpolate: "step", strokeWidth: 1.6 },
    encoding: {
      x: { field: "bias", type: "quantitative", title: "Mpred / Mtrue − 1", axis: { format: "%" } },
      y: { field: "density", type: "quantitative", title: "Probability density" },
      color: {
        field: "network",
        type: "nominal",
        scale: networkColorScale(networks),
        sort: labels,
        legend,
      },
      strokeDash: {
        field: "network",
        type: "nominal",
        scale: { domain: labels, range: networks.map((n) => NETWORK_DASH[n]) },
        sort: labels,
        legend,
      },
    },
  };
}
