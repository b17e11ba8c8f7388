/**
 * The realism figure: the mock's scaling relations (one point per image of
 * the measured sample, the mock's power-law fit as a solid line) with the
 * published relations overlaid (dashed), one panel per relation, from the
 * `curves` of a realism report (`deno task realism`, `realism.json`).
 *
 * @module
 */
import { round, VEGA_LITE_SCHEMA } from "./_common.ts";
import type { TopLevelSpec } from "./render.ts";
import type { RelationCurve } from "../realism/report.ts";

/** One relation of a realism report (`deno task realism`, lib/realism). */
export type RealismCurve = RelationCurve;

/** Options of {@linkcode realismRelationsFigure}. */
export interface RealismFigureOptions {
  /** Most points drawn per panel (evenly thinned). Default 1500. */
  maxPoints?: number;
  /** Panel width and height in pixels. Default 260 x 240. */
  width?: number;
  height?: number;
}

function line(
  f: { slope: number; intercept: number; pivot: number },
  lx: [number, number],
  kind: "mock" | "published",
) {
  const lp = Math.log10(f.pivot);
  return lx.map((x) => ({
    lx: round(x, 4),
    ly: round(f.intercept + f.slope * (x - lp), 4),
    kind,
  }));
}

/** The author-year part of a source ("Pratt et al. 2009 Table B.2 ..." -> "Pratt et al. 2009"). */
function shortSource(source: string): string {
  const m = source.match(/^(.*?\d{4})/);
  return m ? m[1] : source.slice(0, 24);
}

/** Panel titles of the relations the realism report draws. */
const TITLES: Record<string, string> = {
  y500: "Y(<R500) - M500 (projected)",
  lx_soft: "L_X(0.5-2 keV, <R500) - M500",
  mstar500: "M*(<R500) - M500",
};

/**
 * Build the figure.
 *
 * @example
 * ```ts
 * import { realismRelationsFigure } from "./realism_relations.ts";
 * const spec = realismRelationsFigure([{
 *   id: "y", xLabel: "log M", yLabel: "log Y",
 *   points: [{ lx: 14, ly: -5 }, { lx: 15, ly: -3.3 }],
 *   fit: { slope: 1.7, intercept: -4, pivot: 6e14 },
 * }]);
 * if (!("hconcat" in spec)) throw new Error("one panel per relation");
 * ```
 */
export function realismRelationsFigure(
  curves: RealismCurve[],
  options: RealismFigureOptions = {},
): TopLevelSpec {
  if (curves.length === 0) {
    throw new RangeError("Cannot draw the realism figure: the report holds no relations");
  }
  const maxPoints = options.maxPoints ?? 1500;
  const width = options.width ?? 260;
  const height = options.height ?? 240;
  const panels = curves.map((c) => {
    const finite = c.points.filter((p) => Number.isFinite(p.lx) && Number.isFinite(p.ly));
    if (finite.length === 0) {
      throw new RangeError(`Cannot draw the realism figure: relation ${c.id} has no points`);
    }
    const step = Math.max(1, Math.ceil(finite.length / maxPoints));
    const pts = finite.filter((_, i) => i % step === 0).map((p) => ({
      lx: round(p.lx, 4),
      ly: round(p.ly, 4),
    }));
    const xs = finite.map((p) => p.lx);
    const range: [number, number] = [Math.min(...xs), Math.max(...xs)];
    const lines = [...line(c.fit, range, "mock")];
    if (c.published) lines.push(...line(c.published, c.published.lxRange, "published"));
    return {
      title: {
        text: TITLES[c.id] ?? c.id,
        subtitle: c.published
          ? `red: mock; dashed: ${shortSource(c.published.source)}`
          : "red: mock",
      },
      width,
      height,
      layer: [
        {
          data: { values: pts },
          mark: { type: "point" as const, filled: true, size: 6, opacity: 0.25, color: "#4c78a8" },
          encoding: {
            x: {
              field: "lx",
              type: "quantitative" as const,
              title: c.xLabel,
              scale: { zero: false },
            },
            y: {
              field: "ly",
              type: "quantitative" as const,
              title: c.yLabel,
              scale: { zero: false },
            },
          },
        },
        {
          data: { values: lines },
          mark: { type: "line" as const, strokeWidth: 2 },
          encoding: {
            x: { field: "lx", type: "quantitative" as const },
            y: { field: "ly", type: "quantitative" as const },
            color: {
              field: "kind",
              type: "nominal" as const,
              scale: { domain: ["mock", "published"], range: ["#d62728", "#111111"] },
              legend: null,
            },
            strokeDash: {
              field: "kind",
              type: "nominal" as const,
              scale: { domain: ["mock", "published"], range: [[1, 0], [6, 4]] },
              legend: null,
            },
          },
        },
      ],
    };
  });
  return {
    $schema: VEGA_LITE_SCHEMA,
    description:
      "The mock's scaling relations (points: views of the noiseless sample; solid: power-law fit) " +
      "beside published relations (dashed). The mock's Y is projected inside the R500 cylinder, " +
      "~0.08 dex above the spherical Y500 of Planck's relation (Arnaud et al. 2010).",
    hconcat: panels,
  } as TopLevelSpec;
}
