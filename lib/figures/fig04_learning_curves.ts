/**
 * Fig. 4 of Yan et al. (2020): the learning curves (validation loss, eq. 11,
 * against training epoch) of the five CNNs, with each network's best epoch
 * (minimum validation loss, whose weights are kept) marked.
 *
 * @module
 */
import { minIndex } from "./_d3.ts";
import { type NetworkKind, NETWORKS } from "../types/mod.ts";
import { NETWORK_LABELS, networkColorScale, round, VEGA_LITE_SCHEMA } from "./_common.ts";
import type { TopLevelSpec } from "./render.ts";

/** One network's training history (from `history.csv`). */
export interface LearningCurve {
  /** Epoch numbers (1-based as written by the train task). */
  epoch: readonly number[];
  /** Validation loss per epoch: mean squared log error, eq. (11), dimensionless. */
  valLoss: readonly number[];
}

/** Options of {@linkcode fig04LearningCurves}. */
export interface Fig04Options {
  /** Logarithmic loss axis. Default true (the loss falls by orders of magnitude early on). */
  logLoss?: boolean;
  /** Chart size in pixels. Default 520 x 320. */
  width?: number;
  height?: number;
}

/**
 * Build Fig. 4 from the histories of the networks present (any subset of the
 * five, drawn in the paper's order).
 *
 * @example
 * ```ts
 * import { fig04LearningCurves } from "./fig04_learning_curves.ts";
 * const spec = fig04LearningCurves({ ypar: { epoch: [1, 2, 3], valLoss: [0.2, 0.1, 0.05] } });
 * if (!("layer" in spec)) throw new Error("lines and best-epoch points");
 * ```
 */
export function fig04LearningCurves(
  curves: Partial<Record<NetworkKind, LearningCurve>>,
  options: Fig04Options = {},
): TopLevelSpec {
  const networks = NETWORKS.filter((n) => curves[n] !== undefined);
  if (networks.length === 0) throw new RangeError("Cannot build Fig. 4: no learning curve given");
  const rows: { network: string; epoch: number; valLoss: number }[] = [];
  const best: { network: string; epoch: number; valLoss: number }[] = [];
  for (const n of networks) {
    const c = curves[n]!;
    if (c.epoch.length !== c.valLoss.length || c.epoch.length === 0) {
      throw new RangeError(
        `Cannot build Fig. 4: ${n} has ${c.epoch.length} epochs and ${c.valLoss.length} losses; need equal, non-zero lengths`,
      );
    }
    c.epoch.forEach((e, i) => {
      const v = c.valLoss[i];
      if (Number.isFinite(v) && v > 0) {
        rows.push({ network: NETWORK_LABELS[n], epoch: e, valLoss: round(v) });
      }
    });
    const k = minIndex(c.valLoss, (v) => (Number.isFinite(v) ? v : undefined));
    if (k >= 0) {
      best.push({ network: NETWORK_LABELS[n], epoch: c.epoch[k], valLoss: round(c.valLoss[k]) });
    }
  }
  const color = {
    field: "network",
    type: "nominal" as const,
    title: "Network",
    scale: networkColorScale(networks),
    sort: networks.map((n) => NETWORK_LABELS[n]),
  };
  const x = { field: "epoch", type: "quantitative" as const, title: "Epoch" };
  const y = {
    field: "valLoss",
    type: "quantitative" as const,
    title: "Validation loss <(ln Mpred − ln Mtrue)²>",
    scale: options.logLoss === false ? { zero: false } : { type: "log" as const },
  };
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: {
      text: "Fig. 4: learning curves",
      subtitle: "Validation loss per epoch; dots: best epoch (weights kept)",
    },
    width: options.width ?? 520,
    height: options.height ?? 320,
    layer: [
      {
        data: { values: rows },
        mark: { type: "line", strokeWidth: 1.5, clip: true },
        encoding: { x, y, color },
      },
      {
        data: { values: best },
        mark: { type: "point", filled: true, size: 50, stroke: "white", strokeWidth: 0.8 },
        encoding: { x, y, color },
      },
    ],
  };
}
