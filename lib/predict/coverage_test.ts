import assert from "node:assert/strict";
import type { ConfidenceBelt } from "./mod.ts";
import { coverageStats } from "./mod.ts";

/** A belt with quantile curves y = t + c_level (a pure shift), so intervals are y - c_hi .. y - c_lo. */
function shiftBelt(): ConfidenceBelt {
  const grid = [12, 16];
  // 68%: q16 = t - 0.1, q84 = t + 0.1 -> interval [y - 0.1, y + 0.1]; 95%: +-0.2; median t.
  const levels = [0.025, 0.16, 0.5, 0.84, 0.975];
  const off = [-0.2, -0.1, 0, 0.1, 0.2];
  return {
    gridLog10M: grid,
    levels,
    curves: off.map((o) => grid.map((g) => g + o)),
    bandwidthDex: 0.1,
    clusters: 3,
    images: 12,
  };
}

Deno.test("coverageStats() counts clusters, not images: a cluster's four projections count once", () => {
  // Cluster 1 (13.6): all 4 projections within 0.1 dex -> covered at 68%.
  // Cluster 2 (13.7): 1 of 4 within 0.1 dex, all within 0.2 -> 0.25 at 68%, 1 at 95%.
  const t = [13.6, 13.6, 13.6, 13.6, 13.7, 13.7, 13.7, 13.7];
  const d = [0.05, -0.05, 0.0, 0.09, 0.05, 0.15, -0.15, 0.19];
  const r = coverageStats(
    {
      mTrueMsun: t.map((x) => 10 ** x),
      mPredMsun: t.map((x, i) => 10 ** (x + d[i])),
      cluster: [1, 1, 1, 1, 2, 2, 2, 2],
    },
    shiftBelt(),
    { levels: [0.68, 0.95] },
  );
  assert.equal(r.central.clusters, 2);
  assert.equal(r.central.images, 8);
  // By hand: (1 + 0.25) / 2 = 0.625 at 68%; (1 + 1) / 2 = 1 at 95%.
  assert.ok(Math.abs(r.central.coverage["0.68"] - 0.625) < 1e-12);
  assert.equal(r.central.coverage["0.95"], 1);
  assert.ok(Math.abs(r.central.binomialSe["0.68"] - Math.sqrt(0.68 * 0.32 / 2)) < 1e-12);
  // Both clusters sit in the 13.5-13.75 bin.
  assert.equal(r.bins.length, 1);
  assert.equal(r.bins[0].log10MLo, 13.5);
});
