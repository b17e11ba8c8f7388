import assert from "node:assert/strict";
import { Rng } from "../random/mod.ts";
import {
  beltInterval,
  calibratedMass,
  coverageStats,
  fitConfidenceBelt,
  isotonicIncreasing,
} from "./mod.ts";

/**
 * A mock network with the pull towards the mean the paper's Fig. 6 shows:
 * log10 M_pred = 13.9 + 0.8 (t - 13.9) + a cluster term (0.08 dex) + a
 * projection term (0.08 dex), four projections per cluster, t uniform in
 * 12.5-15 (the catalogue's range).
 */
function mockSample(rng: Rng, clusters: number, idOffset: number) {
  const mTrueMsun: number[] = [];
  const mPredMsun: number[] = [];
  const cluster: number[] = [];
  for (let c = 0; c < clusters; c++) {
    const t = rng.uniform(12.5, 15);
    const a = rng.normal(0, 0.08);
    for (let p = 0; p < 4; p++) {
      mTrueMsun.push(10 ** t);
      mPredMsun.push(10 ** (13.9 + 0.8 * (t - 13.9) + a + rng.normal(0, 0.08)));
      cluster.push(idOffset + c);
    }
  }
  return { mTrueMsun, mPredMsun, cluster };
}

Deno.test("isotonicIncreasing() pools adjacent violators (least-squares monotone fit)", () => {
  // By hand: [1, 3, 2, 4] -> [1, 2.5, 2.5, 4]; [3, 2, 1] -> [2, 2, 2].
  assert.deepEqual(isotonicIncreasing([1, 3, 2, 4]), [1, 2.5, 2.5, 4]);
  assert.deepEqual(isotonicIncreasing([3, 2, 1]), [2, 2, 2]);
});

Deno.test("fitConfidenceBelt(): an unbiased 0.1 dex scatter gives +-0.1 dex (68%) and +-0.196 dex (95%) intervals", () => {
  const rng = new Rng(7);
  const mTrueMsun: number[] = [], mPredMsun: number[] = [], cluster: number[] = [];
  for (let i = 0; i < 4000; i++) {
    const t = rng.uniform(12.5, 15);
    mTrueMsun.push(10 ** t);
    mPredMsun.push(10 ** (t + rng.normal(0, 0.1)));
    cluster.push(i);
  }
  const belt = fitConfidenceBelt({ mTrueMsun, mPredMsun, cluster });
  // Gaussian quantiles: z(0.84) = 0.994, z(0.975) = 1.960; tolerance 0.015 dex (sampling noise).
  const [a, b] = beltInterval(belt, 13.8, 0.68);
  assert.ok(Math.abs((b - a) / 2 - 0.0994) < 0.015, `68% half-width ${(b - a) / 2}`);
  const [c, d] = beltInterval(belt, 13.8, 0.95);
  assert.ok(Math.abs((d - c) / 2 - 0.196) < 0.015, `95% half-width ${(d - c) / 2}`);
  const m = calibratedMass(belt, 10 ** 13.8);
  assert.ok(Math.abs(Math.log10(m.m200Msun) - 13.8) < 0.01);
  assert.ok(m.p2_5Msun < m.p16Msun && m.p16Msun < m.m200Msun && m.m200Msun < m.p84Msun);
  assert.ok(m.p84Msun < m.p97_5Msun);
});

Deno.test("fitConfidenceBelt(): intervals of a network pulled towards the mean cover at the nominal rate per mass bin, counted by cluster", () => {
  const rng = new Rng(11);
  // Large splits, so that the test measures the method and not the sampling noise: with the
  // quick profile's 360 validation and 360 test clusters the central 68% coverage of this same
  // mock scatters by +-0.035 between seeds (binomial noise of ~180 clusters plus the belt's).
  const val = mockSample(rng.fork(1), 1500, 0);
  const test = mockSample(rng.fork(2), 1500, 10000);
  const belt = fitConfidenceBelt(val);
  const r = coverageStats(test, belt);
  // The slope 0.8 means the raw +-scatter interval would be wrong: the belt widens it by 1/0.8.
  for (const p of ["0.68", "0.95"]) {
    const c = r.central.coverage[p];
    assert.ok(Math.abs(c - Number(p)) <= 0.03, `central ${p}: ${c}`);
  }
  for (const b of r.bins.filter((b) => b.log10MLo >= 13.25 - 1e-9 && b.log10MHi <= 14.5 + 1e-9)) {
    for (const p of ["0.68", "0.95"]) {
      const c = b.coverage[p];
      assert.ok(
        Math.abs(c - Number(p)) <= 2 * b.binomialSe[p],
        `bin ${b.log10MLo}: ${p} coverage ${c} (${b.clusters} clusters)`,
      );
    }
  }
});

Deno.test("fitConfidenceBelt() refuses fewer than 3 clusters and non-positive masses", () => {
  assert.throws(
    () => fitConfidenceBelt({ mTrueMsun: [1e14, 1e14], mPredMsun: [1e14, 1e14], cluster: [1, 2] }),
    /holds 2 clusters, need >= 3/,
  );
  assert.throws(
    () =>
      fitConfidenceBelt({
        mTrueMsun: [1e14, 1e14, 1e14],
        mPredMsun: [1e14, -1, 1e14],
        cluster: [1, 2, 3],
      }),
    /positive and finite/,
  );
});
