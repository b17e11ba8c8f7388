/**
 * Shared vocabulary of the figure builders: the Vega-Lite schema URL, the
 * networks' display names and colours, and small numeric helpers.
 *
 * @module
 */
import { CENTRAL_LOG10_MAX, CENTRAL_LOG10_MIN } from "../evaluate/mod.ts";
import type { NetworkKind, Tracer } from "../types/mod.ts";
import type { TopLevelSpec } from "./render.ts";

/** One layer of a layered Vega-Lite spec. */
export type LayerOf = Extract<TopLevelSpec, { layer: unknown }>["layer"][number];

/** The `$schema` every spec carries (Vega-Lite 6, the version in deno.json). */
export const VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";

/** Display names as in the paper's Table 2. */
export const NETWORK_LABELS: Readonly<Record<NetworkKind, string>> = {
  star: "Star",
  fxs: "Fxs",
  fxb: "Fxb",
  ypar: "Ypar",
  multi: "Multichannel",
};

/** Column titles of Fig. 2 (the paper's names of the observables). */
export const TRACER_TITLES: Readonly<Record<Tracer, string>> = {
  star: "Star (stellar mass)",
  fxs: "Fxs (soft X-ray)",
  fxb: "Fxb (bolometric X-ray)",
  ypar: "Ypar (Compton y)",
};

/** One fixed colour per network (Tableau 10), the same in every figure. */
export const NETWORK_COLORS: Readonly<Record<NetworkKind, string>> = {
  star: "#e15759",
  fxs: "#4e79a7",
  fxb: "#59a14f",
  ypar: "#f28e2b",
  multi: "#222222",
};

/** Stroke dash per network: gas tracers dashed (paper Fig. 7), star and multichannel solid. */
export const NETWORK_DASH: Readonly<Record<NetworkKind, number[]>> = {
  star: [1, 0],
  fxs: [6, 3],
  fxb: [2, 2],
  ypar: [8, 3, 2, 3],
  multi: [1, 0],
};

/** The paper's central mass range, log10(M200,true/Msun) (Fig. 6 shading, Fig. 7, Table 2). */
export const CENTRAL_RANGE_LOG10: readonly [number, number] = [
  CENTRAL_LOG10_MIN,
  CENTRAL_LOG10_MAX,
];

/**
 * The grey band of a mass range on a log10(M200,true) axis (Figs 6 and 6b), a
 * Vega-Lite layer sharing the figure's x scale.
 */
export function massRangeBandLayer(
  range: readonly [number, number],
  xScale: { domain: number[]; nice: boolean; zero: boolean },
): LayerOf {
  return {
    data: { values: [{ x0: range[0], x1: range[1] }] },
    mark: { type: "rect", color: "#bbbbbb", opacity: 0.3 },
    encoding: {
      x: { field: "x0", type: "quantitative", scale: xScale, title: "log10(M200,true / Msun)" },
      x2: { field: "x1" },
    },
  };
}

/** Vega-Lite colour scale mapping network labels to {@linkcode NETWORK_COLORS}. */
export function networkColorScale(
  networks: readonly NetworkKind[],
): { domain: string[]; range: string[] } {
  return {
    domain: networks.map((n) => NETWORK_LABELS[n]),
    range: networks.map((n) => NETWORK_COLORS[n]),
  };
}

/** Networks present in `records`, in the paper's order. */
export function networksIn(
  records: readonly { network: NetworkKind }[],
  order: readonly NetworkKind[],
): NetworkKind[] {
  const seen = new Set(records.map((r) => r.network));
  return order.filter((n) => seen.has(n));
}

/** Throw a RangeError when `value` is not a finite positive number. */
export function assertPositive(what: string, name: string, value: number): void {
  if (!(Number.isFinite(value) && value > 0)) {
    throw new RangeError(`Cannot build ${what}: ${name} must be a finite number > 0, got ${value}`);
  }
}

/** Round to `digits` significant decimals so that specs stay small and diff-able. */
export function round(value: number, digits = 6): number {
  if (!Number.isFinite(value)) return value;
  return Number(value.toPrecision(digits));
}
