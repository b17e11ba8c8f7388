/**
 * Fig. 6 of Yan et al. (2020): the fractional mass bias M_pred/M_true - 1 of
 * each network in 0.25-dex bins of the true mass, error bars one standard
 * deviation of the bias in the bin, and the central range
 * 13.25 < log10(M_true/Msun) < 14.5 shaded. The bins come from
 * `lib/evaluate` ({@linkcode biasBins}), the same numbers `deno task evaluate`
 * writes to `bias_bins.json`.
 *
 * The networks' points are offset sideways by a few hundredths of a dex so
 * that their error bars do not overlap; the data rows keep the true bin centre
 * (`log10MCentre`) beside the drawn position (`xDrawn`).
 *
 * @module
 */
import type { BiasBin } from "../evaluate/mod.ts";
import { type NetworkKind, NETWORKS } from "../types/mod.ts";
import {
  CENTRAL_RANGE_LOG10,
  massRangeBandLayer,
  NETWORK_LABELS,
  networkColorScale,
  round,
  VEGA_LITE_SCHEMA,
} from "./_common.ts";
import type { TopLevelSpec } from "./render.ts";

export type { BiasBin };

/** Options of {@linkcode fig06BiasVsMass}. */
export interface Fig06Options {
  /** Shaded central range, log10(M_true/Msun). Default [13.25, 14.5] (paper §3). */
  centralRangeLog10?: readonly [number, number];
  /** Sideways offset between networks, dex. Default 0.03. */
  dodgeDex?: number;
  /** Chart size in pixels. Default 560 x 320. */
  width?: number;
  height?: number;
}

/** One point of Fig. 6 (the spec's data rows). */
export interface Fig06Row {
  network: string;
  log10MLo: number;
  log10MHi: number;
  log10MCentre: number;
  /** Drawn x position: the bin centre plus this network's offset. */
  xDrawn: number;
  n: number;
  /** Mean M_pred/M_true - 1 (fraction). */
  meanBias: number;
  /** Mean minus / plus one standard deviation (equal to the mean when n < 2). */
  lower: number;
  upper: number;
}

/** The data rows of Fig. 6: one per (network, non-empty bin). */
export function fig06Rows(
  bins: Partial<Record<NetworkKind, readonly BiasBin[]>>,
  options: Fig06Options = {},
): Fig06Row[] {
  const networks = NETWORKS.filter((n) => bins[n] !== undefined);
  const dodge = options.dodgeDex ?? 0.03;
  return networks.flatMap((n, k) =>
    bins[n]!.filter((b) => b.n > 0).map((b) => {
      const sd = b.sdFractionalBias ?? 0;
      return {
        network: NETWORK_LABELS[n],
        log10MLo: b.log10MLo,
        log10MHi: b.log10MHi,
        log10MCentre: b.log10MCentre,
        xDrawn: round(b.log10MCentre + (k - (networks.length - 1) / 2) * dodge, 8),
        n: b.n,
        meanBias: round(b.meanFractionalBias),
        lower: round(b.meanFractionalBias - sd),
        upper: round(b.meanFractionalBias + sd),
      };
    })
  );
}

/**
 * Build Fig. 6 from per-network bias bins.
 *
 * @example
 * ```ts
 * import { fig06BiasVsMass } from "./fig06_bias_vs_mass.ts";
 * const bin = { log10MLo: 13.5, log10MHi: 13.75, log10MCentre: 13.625, n: 3, meanFractionalBias: 0.02, sdFractionalBias: 0.1 };
 * const spec = fig06BiasVsMass({ fxs: [bin] });
 * if (!("layer" in spec)) throw new Error("shading, zero line, error bars, points");
 * ```
 */
export function fig06BiasVsMass(
  bins: Partial<Record<NetworkKind, readonly BiasBin[]>>,
  options: Fig06Options = {},
): TopLevelSpec {
  const networks = NETWORKS.filter((n) => bins[n] !== undefined);
  const rows = fig06Rows(bins, options);
  if (rows.length === 0) throw new RangeError("Cannot build Fig. 6: no non-empty bias bin given");
  const [c0, c1] = options.centralRangeLog10 ?? CENTRAL_RANGE_LOG10;
  const lo = Math.min(c0, ...rows.map((r) => r.log10MLo));
  const hi = Math.max(c1, ...rows.map((r) => r.log10MHi));
  const xScale = { domain: [lo, hi], nice: false, zero: false };
  const color = {
    field: "network",
    type: "nominal" as const,
    title: "Network",
    scale: networkColorScale(networks),
    sort: networks.map((n) => NETWORK_LABELS[n]),
  };
  const title = "Fractional bias Mpred / Mtrue − 1";
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: {
      text: "Fig. 6: mass bias against true mass",
      subtitle:
        `Mean per 0.25-dex bin, error bars: standard deviation; shaded: ${c0} < log10 Mtrue < ${c1}`,
    },
    width: options.width ?? 560,
    height: options.height ?? 320,
    layer: [
      massRangeBandLayer([c0, c1], xScale),
      {
        data: { values: [{ zero: 0 }] },
        mark: { type: "rule", color: "#555555", strokeDash: [4, 3] },
        encoding: { y: { field: "zero", type: "quantitative" } },
      },
      {
        data: { values: rows },
        layer: [
          {
            mark: { type: "rule", strokeWidth: 1.3 },
            encoding: {
              x: { field: "xDrawn", type: "quantitative", scale: xScale },
              y: { field: "lower", type: "quantitative", title, axis: { format: "%" } },
              y2: { field: "upper" },
              color,
            },
          },
          {
            mark: { type: "point", filled: true, size: 40 },
            encoding: {
              x: { field: "xDrawn", type: "quantitative", scale: xScale },
              y: { field: "meanBias", type: "quantitative", title },
              color,
              tooltip: [
                { field: "network", type: "nominal" },
                { field: "log10MCentre", type: "quantitative", title: "bin centre" },
                { field: "n", type: "quantitative" },
                { field: "meanBias", type: "quantitative", format: ".3f" },
              ],
            },
          },
        ],
      },
    ],
  };
}
