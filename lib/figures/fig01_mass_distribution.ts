/**
 * Fig. 1 of Yan et al. (2020): the mass distribution of the cluster sample
 * (hydrodynamical M200), with the dark-matter-only selection bins of §2.1
 * (up to 200 haloes in each of ten 0.25-dex bins) drawn as dashed rules and,
 * when known, each bar coloured by the DMO bin its halo was selected in (so one
 * sees hydro masses spill across the DMO bin edges). The paper quotes ten
 * bins "spanning 10^13-10^15 Msun", which is eight bins of 0.25 dex; the
 * default edges here are those `lib/halo` selects with
 * ({@linkcode HALO_CATALOGUE_DEFAULTS}: 10^12.5-10^15, ten bins).
 *
 * @module
 */
import { bin, range } from "./_d3.ts";
import { HALO_CATALOGUE_DEFAULTS } from "../halo/mod.ts";
import { assertPositive, round, VEGA_LITE_SCHEMA } from "./_common.ts";
import type { TopLevelSpec } from "./render.ts";

/** One cluster of the sample (one row per cluster, not per projection). */
export interface Fig01Cluster {
  /** Hydrodynamical M200 in Msun (the label the CNNs learn). */
  m200Msun: number;
  /** Index of the DMO selection bin (0 = lowest), when known. */
  dmoBin?: number;
}

/** Options of {@linkcode fig01MassDistribution}. */
export interface Fig01Options {
  /** DMO selection bin edges in log10(M200/Msun). Default {@linkcode DMO_BIN_EDGES_LOG10}. */
  dmoBinEdgesLog10?: readonly number[];
  /** Histogram bin width in dex. Default 0.05. */
  histBinDex?: number;
  /** Chart width and height in pixels. Default 520 x 300. */
  width?: number;
  height?: number;
}

/** DMO selection bin edges of `lib/halo`'s catalogue, log10(M200,DMO/Msun): 12.5 to 15 in 0.25 dex. */
export const DMO_BIN_EDGES_LOG10: readonly number[] = (() => {
  const { log10MMin, log10MMax, binDex } = HALO_CATALOGUE_DEFAULTS;
  const n = Math.round((log10MMax - log10MMin) / binDex);
  return range(0, n + 1).map((i) => round(log10MMin + binDex * i, 10));
})();

/** One bar segment of Fig. 1 (the spec's data rows). */
export interface Fig01Row {
  /** Histogram bin edges, log10(M200/Msun). */
  log10MLo: number;
  log10MHi: number;
  /** Number of clusters. */
  count: number;
  /** DMO selection bin as text, e.g. "13.00-13.25", or "all" when unknown. */
  dmoBin: string;
}

function dmoLabel(edges: readonly number[], i: number): string {
  if (i < 0 || i >= edges.length - 1) return "outside";
  return `${edges[i].toFixed(2)}-${edges[i + 1].toFixed(2)}`;
}

/** The histogram of Fig. 1 (d3-array `bin` over log10 M200), one row per non-empty segment. */
export function fig01Histogram(
  clusters: readonly Fig01Cluster[],
  options: Fig01Options = {},
): Fig01Row[] {
  const what = "Fig. 1";
  if (clusters.length === 0) {
    throw new RangeError(`Cannot build ${what}: no clusters given`);
  }
  const edges = options.dmoBinEdgesLog10 ?? DMO_BIN_EDGES_LOG10;
  const width = options.histBinDex ?? 0.05;
  assertPositive(what, "histBinDex", width);
  const logs = clusters.map((c, i) => {
    assertPositive(what, `clusters[${i}].m200Msun`, c.m200Msun);
    return Math.log10(c.m200Msun);
  });
  const lo = Math.floor(Math.min(...logs, edges[0]) / width) * width;
  const hi = (Math.floor(Math.max(...logs, edges[edges.length - 1]) / width) + 1) * width;
  const thresholds = range(0, Math.round((hi - lo) / width) + 1).map((i) =>
    round(lo + i * width, 10)
  );
  const known = clusters.every((c) => c.dmoBin !== undefined);
  const groups = new Map<string, number[]>();
  clusters.forEach((c, i) => {
    const key = known ? dmoLabel(edges, c.dmoBin!) : "all";
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(logs[i]);
  });
  const binner = bin<number, number>()
    .domain([thresholds[0], thresholds[thresholds.length - 1]])
    .thresholds(thresholds);
  const rows: Fig01Row[] = [];
  for (const [key, values] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    for (const b of binner(values)) {
      if (b.length === 0) continue;
      rows.push({
        log10MLo: round(b.x0!, 10),
        log10MHi: round(b.x1!, 10),
        count: b.length,
        dmoBin: key,
      });
    }
  }
  return rows;
}

/**
 * Build Fig. 1: histogram of log10(M200/Msun) of the clusters, DMO bin edges
 * as dashed rules.
 *
 * @example
 * ```ts
 * import { fig01MassDistribution } from "./fig01_mass_distribution.ts";
 * const spec = fig01MassDistribution([{ m200Msun: 2e13 }, { m200Msun: 3e14 }]);
 * if (!spec.$schema) throw new Error("every spec carries $schema");
 * ```
 */
export function fig01MassDistribution(
  clusters: readonly Fig01Cluster[],
  options: Fig01Options = {},
): TopLevelSpec {
  const rows = fig01Histogram(clusters, options);
  const edges = options.dmoBinEdgesLog10 ?? DMO_BIN_EDGES_LOG10;
  const byDmo = rows.some((r) => r.dmoBin !== "all");
  const x = {
    field: "log10MLo",
    type: "quantitative" as const,
    title: "log10(M200 / Msun), hydrodynamical",
    scale: { zero: false, nice: false },
  };
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: {
      text: "Fig. 1: mass distribution of the cluster sample",
      subtitle: `${clusters.length} clusters; dashed lines: DMO selection bin edges (0.25 dex)`,
    },
    width: options.width ?? 520,
    height: options.height ?? 300,
    layer: [
      {
        data: { values: rows },
        mark: { type: "bar", stroke: "white", strokeWidth: 0.3 },
        encoding: {
          x,
          x2: { field: "log10MHi" },
          y: {
            aggregate: "sum",
            field: "count",
            type: "quantitative",
            title: "Number of clusters",
            stack: "zero",
          },
          ...(byDmo
            ? {
              color: {
                field: "dmoBin",
                type: "ordinal",
                title: "DMO bin, log10 M",
                scale: { scheme: "viridis" },
              },
            }
            : { color: { value: "#4e79a7" } }),
        },
      },
      {
        data: { values: edges.map((e) => ({ edgeLog10: e })) },
        mark: { type: "rule", strokeDash: [4, 3], color: "#555555" },
        encoding: { x: { field: "edgeLog10", type: "quantitative" } },
      },
    ],
  };
}
