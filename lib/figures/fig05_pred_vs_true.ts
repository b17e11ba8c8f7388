/**
 * Fig. 5 of Yan et al. (2020): CNN-predicted M200 against the true M200 for
 * every test image, one panel per network, with the one-to-one line. Both
 * axes are log10(M200/Msun) and share one range across panels.
 *
 * @module
 */
import { extent } from "./_d3.ts";
import { type NetworkKind, NETWORKS } from "../types/mod.ts";
import { NETWORK_COLORS, NETWORK_LABELS, round, VEGA_LITE_SCHEMA } from "./_common.ts";
import type { TopLevelSpec } from "./render.ts";

/** Test-set masses of one network (the columns of `predictions.csv`), in Msun. */
export interface MassPairs {
  mTrueMsun: ArrayLike<number>;
  mPredMsun: ArrayLike<number>;
}

/** Options of {@linkcode fig05PredVsTrue}. */
export interface Fig05Options {
  /** Panels per row. Default 3. */
  columns?: number;
  /** Panel side in pixels. Default 210. */
  panelPx?: number;
}

/** Check a network's mass pairs (equal length, positive finite); throws a RangeError. */
export function checkMassPairs(what: string, network: string, p: MassPairs): void {
  if (p.mTrueMsun.length !== p.mPredMsun.length) {
    throw new RangeError(
      `Cannot build ${what}: ${network} has ${p.mTrueMsun.length} true masses but ${p.mPredMsun.length} predictions`,
    );
  }
  for (let i = 0; i < p.mTrueMsun.length; i++) {
    if (!(p.mTrueMsun[i] > 0 && p.mPredMsun[i] > 0 && Number.isFinite(p.mPredMsun[i]))) {
      throw new RangeError(
        `Cannot build ${what}: ${network} row ${i} has M_true ${p.mTrueMsun[i]}, M_pred ${
          p.mPredMsun[i]
        }; masses must be positive and finite`,
      );
    }
  }
}

/**
 * Build Fig. 5 from the test-set predictions of the networks present.
 *
 * @example
 * ```ts
 * import { fig05PredVsTrue } from "./fig05_pred_vs_true.ts";
 * const spec = fig05PredVsTrue({ star: { mTrueMsun: [1e13, 1e14], mPredMsun: [2e13, 9e13] } });
 * if (!("concat" in spec)) throw new Error("one panel per network");
 * ```
 */
export function fig05PredVsTrue(
  predictions: Partial<Record<NetworkKind, MassPairs>>,
  options: Fig05Options = {},
): TopLevelSpec {
  const networks = NETWORKS.filter((n) => predictions[n] !== undefined);
  if (networks.length === 0) throw new RangeError("Cannot build Fig. 5: no predictions given");
  const side = options.panelPx ?? 210;
  const all: number[] = [];
  const data = networks.map((n) => {
    const p = predictions[n]!;
    checkMassPairs("Fig. 5", n, p);
    const rows = [];
    for (let i = 0; i < p.mTrueMsun.length; i++) {
      const t = Math.log10(p.mTrueMsun[i]);
      const q = Math.log10(p.mPredMsun[i]);
      all.push(t, q);
      rows.push({ log10MTrue: round(t, 5), log10MPred: round(q, 5) });
    }
    return rows;
  });
  const [min, max] = extent(all) as [number, number];
  const domain = [Math.floor(min * 4) / 4, Math.ceil(max * 4) / 4];
  if (domain[1] === domain[0]) domain[1] += 0.25;
  const scale = { domain, nice: false, zero: false };
  const panels = networks.map((n, k) => ({
    title: `${NETWORK_LABELS[n]} (${data[k].length} test images)`,
    width: side,
    height: side,
    layer: [
      {
        data: { values: [{ a: domain[0] }, { a: domain[1] }] },
        mark: { type: "line" as const, color: "#555555", strokeDash: [4, 3], strokeWidth: 1 },
        encoding: {
          x: { field: "a", type: "quantitative" as const, scale, title: "log10(M200,true / Msun)" },
          y: { field: "a", type: "quantitative" as const, scale, title: "log10(M200,pred / Msun)" },
        },
      },
      {
        data: { values: data[k] },
        mark: {
          type: "circle" as const,
          size: 9,
          opacity: 0.45,
          color: NETWORK_COLORS[n],
          clip: true,
        },
        encoding: {
          x: {
            field: "log10MTrue",
            type: "quantitative" as const,
            scale,
            title: "log10(M200,true / Msun)",
          },
          y: {
            field: "log10MPred",
            type: "quantitative" as const,
            scale,
            title: "log10(M200,pred / Msun)",
          },
        },
      },
    ],
  }));
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: {
      text: "Fig. 5: predicted against true M200 (test set)",
      subtitle: "Dashed: one-to-one line",
    },
    columns: options.columns ?? 3,
    concat: panels,
  } as TopLevelSpec;
}
