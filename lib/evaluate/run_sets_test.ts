import assert from "node:assert/strict";
import {
  combineMembers,
  foldSpread,
  intervalCoverage,
  runSetDir,
  widenInterval,
} from "./run_sets.ts";
import type { Table2Row } from "./table2.ts";

Deno.test("combineMembers() averages log-mass and gives the members' spread; refuses other images", () => {
  const base = { image: [0, 1], cluster: [5, 5], mTrueMsun: [1e14, 1e14] };
  const e = combineMembers([
    { ...base, mPredMsun: [1e14, 1e13] },
    { ...base, mPredMsun: [1e15, 1e13] },
    { ...base, mPredMsun: [1e16, 1e13] },
  ]);
  assert.ok(Math.abs(e.mPredMsun[0] / 1e15 - 1) < 1e-12);
  assert.ok(Math.abs(e.sdLog10[0] - 1) < 1e-12);
  assert.equal(e.sdLog10[1], 0);
  assert.equal(e.members, 3);
  assert.throws(
    () =>
      combineMembers([{ ...base, mPredMsun: [1, 1] }, {
        ...base,
        image: [0, 2],
        mPredMsun: [1, 1],
      }]),
    /member 1 predicts other test images/,
  );
});

Deno.test("foldSpread() is the mean and sample sd over folds", () => {
  const row = (rms: number): Table2Row => ({
    n: 10,
    meanLog10Ratio: 0,
    meanLog10RatioSe: 0,
    fractionalBiasPct: rms / 10,
    fractionalBiasPctSe: 0,
    rmsScatterPct: rms,
    rmsAboutZeroPct: rms,
  });
  const s = foldSpread([row(10), row(20), row(30)]);
  assert.deepEqual(s.rmsScatterPct, [20, 10]);
  assert.equal(s.folds, 3);
});

Deno.test("widenInterval() adds the spread in quadrature; intervalCoverage() weights clusters once", () => {
  const [lo, hi] = widenInterval(14, 13.7, 14.4, 0.3);
  assert.ok(Math.abs(lo - (14 - Math.hypot(0.3, 0.3))) < 1e-12);
  assert.ok(Math.abs(hi - (14 + 0.5)) < 1e-12);
  assert.deepEqual(widenInterval(14, 13.9, 14.1, 0), [13.9, 14.1]);
  // Cluster 1: 1 of 2 views covered; cluster 2: its one view covered; a cluster out of range ignored.
  const p = {
    image: [0, 1, 2, 3],
    cluster: [1, 1, 2, 3],
    mTrueMsun: [1e14, 1e14, 1e14, 1e15],
    mPredMsun: [1e14, 1e14, 1e14, 1e15],
  };
  const c = intervalCoverage(p, {
    "0.68": { lo: [13.9, 14.1, 13.9, 0], hi: [14.1, 14.2, 14.1, 99] },
  });
  assert.equal(c.clusters, 2);
  assert.equal(c.coverage["0.68"], 0.75);
});

Deno.test("runSetDir() lays out the plain run, ensemble members and fold runs", () => {
  assert.equal(runSetDir("ypar", null, 0), "ypar");
  assert.equal(runSetDir("ypar", null, 2), "ensemble/ypar/member2");
  assert.equal(runSetDir("multi", 4, 1), "folds/multi/fold4-member1");
});
