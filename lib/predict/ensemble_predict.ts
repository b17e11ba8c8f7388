/**
 * `predict` with a deep ensemble (Lakshminarayanan et al. 2017): every
 * member run predicts with its own calibration, and per image the ensemble's
 * mass is the mean of the members' log-masses, its intervals the mean of
 * their log-bounds widened by the members' spread (z sd of their network
 * log-masses, z = 1 and 1.96, added in quadrature on each side).
 *
 * @module
 */
import { widenInterval } from "../evaluate/mod.ts";
import { type PredictedImage, predictMasses, type PredictOptions } from "./predict.ts";

const Z68 = 0.9945;
const Z95 = 1.96;

function mean(x: number[]): number {
  return x.reduce((a, b) => a + b, 0) / x.length;
}

/** The members' input checks as one: "ok" when every member's is, else their distinct flags. */
function combineInputChecks(checks: string[]): string {
  const flags = [...new Set(checks.flatMap((c) => c === "ok" ? [] : c.split(";")))];
  return flags.length === 0 ? "ok" : flags.join(";");
}

/**
 * Combine the members' predictions of the same images (see the module
 * docs). Throws when the members predicted different images.
 *
 * @example
 * ```ts
 * import { combineEnsemblePredictions } from "./ensemble_predict.ts";
 * const row = (m: number) => ({ image: "a", networkMsun: m, redshift: null, m200Msun: m,
 *   p16Msun: m / 2, p84Msun: 2 * m, p2_5Msun: m / 4, p97_5Msun: 4 * m,
 *   inputCheck: "ok", massRange: "inside" as const });
 * const [e] = combineEnsemblePredictions([[row(1e14)], [row(1e14)]]);
 * if (Math.abs(e.p84Msun / 2e14 - 1) > 1e-12) throw new Error("no spread, no widening");
 * ```
 */
export function combineEnsemblePredictions(members: PredictedImage[][]): PredictedImage[] {
  if (members.length === 0) throw new RangeError("Cannot combine an ensemble of no runs");
  const [first] = members;
  for (const [j, m] of members.entries()) {
    if (m.length !== first.length || m.some((r, i) => r.image !== first[i].image)) {
      throw new RangeError(
        `Cannot combine the ensemble: run ${j + 1} predicted other images than run 1`,
      );
    }
  }
  return first.map((row, i) => {
    const rows = members.map((m) => m[i]);
    const lg = (f: (r: PredictedImage) => number) => rows.map((r) => Math.log10(f(r)));
    const net = lg((r) => r.networkMsun);
    const netMean = mean(net);
    const sd = net.length > 1
      ? Math.sqrt(net.reduce((a, b) => a + (b - netMean) ** 2, 0) / (net.length - 1))
      : 0;
    const mid = mean(lg((r) => r.m200Msun));
    const [l68, h68] = widenInterval(
      mid,
      mean(lg((r) => r.p16Msun)),
      mean(lg((r) => r.p84Msun)),
      Z68 * sd,
    );
    const [l95, h95] = widenInterval(
      mid,
      mean(lg((r) => r.p2_5Msun)),
      mean(lg((r) => r.p97_5Msun)),
      Z95 * sd,
    );
    return {
      image: row.image,
      networkMsun: 10 ** netMean,
      redshift: row.redshift,
      m200Msun: 10 ** mid,
      p16Msun: 10 ** l68,
      p84Msun: 10 ** h68,
      p2_5Msun: 10 ** Math.min(l95, l68),
      p97_5Msun: 10 ** Math.max(h95, h68),
      inputCheck: combineInputChecks(rows.map((r) => r.inputCheck)),
      // An ensemble's median is at an edge when any member's is: clipped there, not measured.
      massRange: rows.find((r) => r.massRange !== "inside")?.massRange ?? "inside",
    };
  });
}

/** Predict with every run of an ensemble (each calibrated) and combine them. */
export async function predictEnsemble(
  runDirs: string[],
  options: PredictOptions,
): Promise<PredictedImage[]> {
  const members: PredictedImage[][] = [];
  for (const run of runDirs) members.push(await predictMasses(run, options));
  return combineEnsemblePredictions(members);
}
