import assert from "node:assert/strict";
import { coverageStats } from "../predict/mod.ts";
import { fitConfidenceBelt } from "../predict/mod.ts";
import { Rng } from "../random/mod.ts";
import { calibrationCurve, calibrationPoints } from "./calibration_curve.ts";
import { compileSpec } from "./render.ts";
import { vegaLiteSchemaErrors } from "./_schema.ts";

function sample(rng: Rng, n: number) {
  const mTrueMsun: number[] = [], mPredMsun: number[] = [], cluster: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = rng.uniform(12.5, 15);
    mTrueMsun.push(10 ** t);
    mPredMsun.push(10 ** (t + rng.normal(0, 0.1)));
    cluster.push(i);
  }
  return { mTrueMsun, mPredMsun, cluster };
}

Deno.test("calibrationCurve() plots central-range coverage per nominal level; the spec validates and compiles", async () => {
  const rng = new Rng(3);
  const belt = fitConfidenceBelt(sample(rng.fork(1), 1000));
  const report = coverageStats(sample(rng.fork(2), 1000), belt);
  const pts = calibrationPoints({ ypar: report });
  assert.equal(pts.length, report.levels.length);
  const p68 = pts.find((p) => p.nominal === 0.68)!;
  assert.equal(p68.empirical, Math.round(report.central.coverage["0.68"] * 1e6) / 1e6);
  // The band is nominal +- 2 sqrt(p (1 - p) / n).
  const se = Math.sqrt(0.68 * 0.32 / report.central.clusters);
  assert.ok(Math.abs(p68.hi - (0.68 + 2 * se)) < 1e-6);
  const spec = calibrationCurve({ ypar: report });
  assert.deepEqual(await vegaLiteSchemaErrors(spec), []);
  assert.deepEqual(compileSpec(spec).warnings, []);
  assert.throws(() => calibrationCurve({}), /no network/);
});
