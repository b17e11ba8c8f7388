/**
 * Table 2 of Yan et al. (2020): mean mass bias and scatter of each network on
 * the test images with 13.25 < log10(M_true/Msun) < 14.5, ours beside the
 * paper's, as JSON (machine-readable), Markdown (`formatTable2Markdown` from
 * `lib/evaluate`, which also computes the statistics) and a Vega-Lite text
 * table for the gallery.
 *
 * @module
 */
import { PAPER_TABLE2, type Table2Row } from "../evaluate/mod.ts";
import { type NetworkKind, NETWORKS } from "../types/mod.ts";
import { NETWORK_LABELS, VEGA_LITE_SCHEMA } from "./_common.ts";
import type { TopLevelSpec } from "./render.ts";

export type { Table2Row };

/** The paper's values of one row (`n` is not printed in the paper). */
export type PaperTable2Row = (typeof PAPER_TABLE2)[NetworkKind];

/** Table 2 as JSON: definitions, then one entry per network with ours and the paper's. */
export interface Table2Json {
  definitions: Record<string, string>;
  rows: { network: NetworkKind; label: string; ours: Table2Row; paper: PaperTable2Row }[];
}

/** Table 2 rows with the paper's beside ours, in the paper's order. */
export function table2Json(table2: Partial<Record<NetworkKind, Table2Row>>): Table2Json {
  const rows = NETWORKS.filter((n) => table2[n] !== undefined).map((n) => ({
    network: n,
    label: NETWORK_LABELS[n],
    ours: table2[n]!,
    paper: PAPER_TABLE2[n],
  }));
  if (rows.length === 0) {
    throw new RangeError("Cannot build Table 2: no network's statistics given");
  }
  return {
    definitions: {
      range: "test images with 13.25 < log10(M_true/Msun) < 14.5",
      meanLog10Ratio: "mean of log10(M_pred/M_true) ± its standard error",
      fractionalBiasPct: "100 (<M_pred/M_true> - 1) ± its standard error, per cent",
      rmsScatterPct:
        "100 x sample standard deviation of M_pred/M_true - 1 (the paper's rms), per cent",
      source: "paper: Yan et al. 2020, MNRAS, Table 2",
    },
    rows,
  };
}

const COLUMNS = [
  "Data set",
  "n",
  "<log10 Mpred/Mtrue>",
  "paper",
  "<Mpred/Mtrue> − 1 (%)",
  "paper ",
  "rms (%)",
  "paper  ",
];

/** A scaling-relation baseline row of Table 2 (`deno task evaluate --data`). */
export interface Table2BaselineRow {
  /** Row label, e.g. "Ypar (5' aperture)". */
  label: string;
  table2: Table2Row;
}

/** Options of {@linkcode table2Spec}. */
export interface Table2SpecOptions {
  /** Baseline rows drawn under the networks' (no paper values). */
  baselines?: Table2BaselineRow[];
}

/**
 * Build Table 2 as a Vega-Lite text table (one text mark per cell), so the
 * gallery shows it beside the figures.
 *
 * @example
 * ```ts
 * import { table2Spec } from "./table2.ts";
 * const row = { n: 900, meanLog10Ratio: -0.004, meanLog10RatioSe: 0.002, fractionalBiasPct: 0.5,
 *   fractionalBiasPctSe: 0.5, rmsScatterPct: 16, rmsAboutZeroPct: 16 };
 * const spec = table2Spec({ fxb: row });
 * if (!spec.$schema) throw new Error("schema");
 * ```
 */
export function table2Spec(
  table2: Partial<Record<NetworkKind, Table2Row>>,
  options: Table2SpecOptions = {},
): TopLevelSpec {
  const { rows } = table2Json(table2);
  const f = (x: number, d: number) => x.toFixed(d);
  const baselineCells = (options.baselines ?? []).flatMap((b, k) => {
    const o = b.table2;
    const values = [
      b.label,
      String(o.n),
      `${f(o.meanLog10Ratio, 3)} ± ${f(o.meanLog10RatioSe, 3)}`,
      "",
      `${f(o.fractionalBiasPct, 3)} ± ${f(o.fractionalBiasPctSe, 3)}`,
      "",
      f(o.rmsScatterPct, 3),
      "",
    ];
    return values.map((text, j) => ({
      row: rows.length + 2 + k,
      column: COLUMNS[j],
      text,
      paper: false,
    }));
  });
  const baselineHeader = baselineCells.length > 0
    ? [{
      row: rows.length + 1,
      column: COLUMNS[0],
      text: "Scaling relations (no CNN):",
      paper: false,
    }]
    : [];
  const cells = rows.flatMap((r, i) => {
    const o = r.ours;
    const p = r.paper;
    const values = [
      r.label,
      String(o.n),
      `${f(o.meanLog10Ratio, 3)} ± ${f(o.meanLog10RatioSe, 3)}`,
      `${p.meanLog10Ratio} ± ${p.meanLog10RatioSe}`,
      `${f(o.fractionalBiasPct, 3)} ± ${f(o.fractionalBiasPctSe, 3)}`,
      `${p.fractionalBiasPct} ± ${p.fractionalBiasPctSe}`,
      f(o.rmsScatterPct, 3),
      String(p.rmsScatterPct),
    ];
    return values.map((text, j) => ({
      row: i + 1,
      column: COLUMNS[j],
      text,
      paper: COLUMNS[j].startsWith("paper"),
    }));
  });
  const header = COLUMNS.map((c) => ({
    row: 0,
    column: c,
    text: c.trim(),
    paper: c.startsWith("paper"),
  }));
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: {
      text: "Table 2: mean mass bias and scatter, 13.25 < log10 Mtrue < 14.5",
      subtitle: "Ours (this run's test set) beside the paper's values (grey)",
    },
    width: { step: 120 },
    height: { step: 22 },
    encoding: {
      x: { field: "column", type: "ordinal", sort: COLUMNS, axis: null },
      y: { field: "row", type: "ordinal", axis: null },
      text: { field: "text", type: "nominal" },
      color: {
        field: "paper",
        type: "nominal",
        scale: { domain: [false, true], range: ["#000000", "#888888"] },
        legend: null,
      },
    },
    layer: [
      { data: { values: header }, mark: { type: "text", fontSize: 11, fontWeight: "bold" } },
      { data: { values: [...cells, ...baselineCells] }, mark: { type: "text", fontSize: 11 } },
      ...(baselineHeader.length > 0
        ? [{
          data: { values: baselineHeader },
          mark: { type: "text" as const, fontSize: 11, fontStyle: "italic" },
        }]
        : []),
    ],
    config: { view: { stroke: null } },
  };
}
