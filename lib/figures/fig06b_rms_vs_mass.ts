/**
 * Beside Fig. 6 (not in the paper): Table 2's rms scatter of each network in
 * 0.25-dex bins of the true mass, so that one can see where in mass a
 * network loses (noise-limited groups at the bottom of the central range,
 * say). The rows come from `lib/evaluate` ({@linkcode table2ByBin}), the same
 * numbers `deno task evaluate` writes to `table2.json` (`table2ByBin`); the
 * paper's central-range rms of each network is drawn as a dashed rule.
 *
 * @module
 */
import { PAPER_TABLE2, type Table2BinRow } from "../evaluate/mod.ts";
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

/** One point of the figure. */
export interface Fig06bRow {
  network: string;
  log10MCentre: number;
  n: number;
  /** rms of M_pred/M_true - 1 in the bin (fraction). */
  rms: number;
  /** Mean M_pred/M_true - 1 in the bin (fraction). */
  bias: number;
}

/** The data rows: one per (network, bin with at least 2 images). */
export function fig06bRows(
  bins: Partial<Record<NetworkKind, readonly Table2BinRow[]>>,
): Fig06bRow[] {
  return NETWORKS.filter((n) => bins[n] !== undefined).flatMap((n) =>
    bins[n]!.map((b) => ({
      network: NETWORK_LABELS[n],
      log10MCentre: round(0.5 * (b.log10MLo + b.log10MHi), 8),
      n: b.n,
      rms: round(b.rmsScatterPct / 100),
      bias: round(b.fractionalBiasPct / 100),
    }))
  );
}

/**
 * Build the rms-against-mass figure.
 *
 * @example
 * ```ts
 * import { fig06bRmsVsMass } from "./fig06b_rms_vs_mass.ts";
 * const row = { log10MLo: 13.5, log10MHi: 13.75, n: 40, meanLog10Ratio: 0, meanLog10RatioSe: 0.01,
 *   fractionalBiasPct: 1, fractionalBiasPctSe: 2, rmsScatterPct: 18, rmsAboutZeroPct: 18 };
 * const spec = fig06bRmsVsMass({ ypar: [row] });
 * if (!("layer" in spec)) throw new Error("shading, paper rules, lines and points");
 * ```
 */
export function fig06bRmsVsMass(
  bins: Partial<Record<NetworkKind, readonly Table2BinRow[]>>,
  options: { width?: number; height?: number } = {},
): TopLevelSpec {
  const networks = NETWORKS.filter((n) => bins[n] !== undefined && bins[n]!.length > 0);
  const rows = fig06bRows(bins);
  if (rows.length === 0) throw new RangeError("Cannot build Fig. 6b: no bin with 2 or more images");
  const [c0, c1] = CENTRAL_RANGE_LOG10;
  const lo = Math.min(c0, ...rows.map((r) => r.log10MCentre - 0.125));
  const hi = Math.max(c1, ...rows.map((r) => r.log10MCentre + 0.125));
  const xScale = { domain: [lo, hi], nice: false, zero: false };
  const color = {
    field: "network",
    type: "nominal" as const,
    title: "Network",
    scale: networkColorScale(networks),
    sort: networks.map((n) => NETWORK_LABELS[n]),
  };
  const paper = networks.map((n) => ({
    network: NETWORK_LABELS[n],
    rms: round(PAPER_TABLE2[n].rmsScatterPct / 100),
  }));
  const title = "rms of Mpred / Mtrue − 1";
  // Log axis: the lowest bins (noise-dominated groups) are ten times the central range's.
  const yScale = { type: "log" as const };
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: {
      text: "Fig. 6b: Table 2's rms in bins of true mass",
      subtitle: `Per 0.25-dex bin; dashed: the paper's central-range rms; shaded: ${c0} ` +
        `< log10 Mtrue < ${c1}`,
    },
    width: options.width ?? 560,
    height: options.height ?? 320,
    layer: [
      massRangeBandLayer(CENTRAL_RANGE_LOG10, xScale),
      {
        data: { values: paper },
        mark: { type: "rule", strokeDash: [4, 3], opacity: 0.7 },
        encoding: { y: { field: "rms", type: "quantitative", scale: yScale }, color },
      },
      {
        data: { values: rows },
        layer: [
          {
            mark: { type: "line", strokeWidth: 1.5 },
            encoding: {
              x: { field: "log10MCentre", type: "quantitative", scale: xScale },
              y: {
                field: "rms",
                type: "quantitative",
                title,
                scale: yScale,
                axis: { format: "%" },
              },
              color,
            },
          },
          {
            mark: { type: "point", filled: true, size: 40 },
            encoding: {
              x: { field: "log10MCentre", type: "quantitative", scale: xScale },
              y: { field: "rms", type: "quantitative", title, scale: yScale },
              color,
              tooltip: [
                { field: "network", type: "nominal" },
                { field: "log10MCentre", type: "quantitative", title: "bin centre" },
                { field: "n", type: "quantitative" },
                { field: "rms", type: "quantitative", format: ".3f" },
                { field: "bias", type: "quantitative", format: ".3f" },
              ],
            },
          },
        ],
      },
    ],
  };
}
