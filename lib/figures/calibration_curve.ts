/**
 * Calibration curve of the networks' mass intervals (not a figure of the
 * paper; the toolkit's check of `deno task predict`'s uncertainties): the
 * empirical coverage of the central interval at each nominal level, on the
 * test split in the central range 13.25 < log10(M_true/Msun) < 14.5, counted
 * by cluster, with +-2 binomial standard errors, against the diagonal.
 * Input: `coverage.json` written by `deno task evaluate`.
 *
 * @module
 */
import type { CoverageReport } from "../predict/coverage.ts";
import { type NetworkKind, NETWORKS } from "../types/mod.ts";
import { NETWORK_LABELS, networkColorScale, round, VEGA_LITE_SCHEMA } from "./_common.ts";
import type { TopLevelSpec } from "./render.ts";

/** One point of the calibration curve. */
export interface CalibrationPoint {
  network: string;
  nominal: number;
  empirical: number;
  lo: number;
  hi: number;
  clusters: number;
}

/** The points of {@linkcode calibrationCurve}: central-range coverage per nominal level. */
export function calibrationPoints(
  coverage: Partial<Record<NetworkKind, CoverageReport>>,
): CalibrationPoint[] {
  const out: CalibrationPoint[] = [];
  for (const n of NETWORKS) {
    const r = coverage[n];
    if (!r) continue;
    for (const p of r.levels) {
      const k = p.toFixed(2);
      const c = r.central.coverage[k];
      const se = r.central.binomialSe[k];
      if (!Number.isFinite(c)) continue;
      out.push({
        network: NETWORK_LABELS[n],
        nominal: p,
        empirical: round(c, 6),
        lo: round(Math.max(0, p - 2 * se), 6),
        hi: round(Math.min(1, p + 2 * se), 6),
        clusters: r.central.clusters,
      });
    }
  }
  return out;
}

/**
 * Build the calibration curve from `coverage.json`'s `coverage` object.
 * The grey band is nominal +-2 binomial standard errors (the expected spread
 * of a calibrated method with this many clusters).
 *
 * @example
 * ```ts
 * import { calibrationCurve } from "./calibration_curve.ts";
 * const cell = { log10MLo: 13.25, log10MHi: 14.5, clusters: 50, images: 200,
 *   coverage: { "0.68": 0.66, "0.95": 0.94 }, binomialSe: { "0.68": 0.066, "0.95": 0.031 } };
 * const spec = calibrationCurve({ ypar: { levels: [0.68, 0.95], central: cell, bins: [cell],
 *   checks: { centralWithin3Points: true, centralBinsWithin2Se: true } } });
 * if (!spec.$schema) throw new Error("schema");
 * ```
 */
export function calibrationCurve(
  coverage: Partial<Record<NetworkKind, CoverageReport>>,
  options: { width?: number; height?: number } = {},
): TopLevelSpec {
  const points = calibrationPoints(coverage);
  const networks = NETWORKS.filter((n) => coverage[n]);
  if (points.length === 0) {
    throw new RangeError(
      "Cannot build the calibration curve: coverage.json holds no network with central-range " +
        "test clusters (run `deno task evaluate` on trained runs)",
    );
  }
  const size = { width: options.width ?? 360, height: options.height ?? 360 };
  const axis = { scale: { domain: [0, 1] }, axis: { format: "%" } };
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: {
      text: "Calibration of the mass intervals",
      subtitle: "Test clusters with 13.25 < log10 Mtrue < 14.5; band: nominal ± 2 binomial se",
    },
    ...size,
    layer: [
      {
        data: { values: [{ x: 0, y: 0 }, { x: 1, y: 1 }] },
        mark: { type: "line", color: "#999999", strokeDash: [4, 4] },
        encoding: {
          x: { field: "x", type: "quantitative", title: "Nominal coverage", ...axis },
          y: { field: "y", type: "quantitative", title: "Empirical coverage", ...axis },
        },
      },
      {
        data: { values: points },
        mark: { type: "area", opacity: 0.15, color: "#888888" },
        encoding: {
          x: { field: "nominal", type: "quantitative" },
          y: { field: "lo", type: "quantitative" },
          y2: { field: "hi" },
          detail: { field: "network", type: "nominal" },
        },
      },
      {
        data: { values: points },
        mark: { type: "line", point: true },
        encoding: {
          x: { field: "nominal", type: "quantitative" },
          y: { field: "empirical", type: "quantitative" },
          color: {
            field: "network",
            type: "nominal",
            scale: networkColorScale(networks),
            legend: { title: "Network" },
          },
          tooltip: [
            { field: "network", type: "nominal" },
            { field: "nominal", type: "quantitative", format: ".0%" },
            { field: "empirical", type: "quantitative", format: ".1%" },
            { field: "clusters", type: "quantitative" },
          ],
        },
      },
    ],
  } as TopLevelSpec;
}
