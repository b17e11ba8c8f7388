import assert from "node:assert/strict";
import { Rng } from "../random/mod.ts";
import { binScatterDex, massRecoveryPct, realismReport } from "./report.ts";
import { type ImageMeasurement, measureMockSample } from "./measure.ts";

function synthetic(n: number, scatterDex: number, seed = 1): ImageMeasurement[] {
  const rng = new Rng(seed);
  const out: ImageMeasurement[] = [];
  for (let i = 0; i < n; i++) {
    const m = 10 ** rng.uniform(13, 15);
    const y = 1e-5 * (m / 1e14) ** 1.7 * 10 ** (scatterDex * rng.normal());
    out.push({
      image: i,
      cluster: i,
      projection: 0,
      split: "test",
      redshift: 0,
      m200Msun: m,
      m500Msun: 0.7 * m,
      r500Mpc: 1,
      r200Mpc: 1.5,
      y500Mpc2: y,
      lBol500ErgPerS: 1,
      lBolCoreErgPerS: 1,
      lBolRingErgPerS: 1,
      lSoft500ErgPerS: 1,
      lSoftCoreErgPerS: 1,
      lSoftRingErgPerS: 1,
      mStar500Msun: 1,
      mStar200Msun: 1,
      mBcgMsun: 1,
      nGalaxies200: 1,
      xray: { sbSoft: [], sbSlope: [], cSB: NaN },
    });
  }
  return out;
}

Deno.test("binScatterDex() recovers an injected log-normal scatter of 0.05 dex within 10 per cent", () => {
  const s = synthetic(4000, 0.05);
  const r = binScatterDex(s, (m) => m.y500Mpc2, [14, 14.5]);
  assert.ok(r.n > 800, `n ${r.n}`);
  assert.ok(Math.abs(r.scatterDex / 0.05 - 1) < 0.1, `scatter ${r.scatterDex}`);
  assert.ok(Number.isNaN(binScatterDex(s.slice(0, 5), (m) => m.y500Mpc2, [14, 14.5]).scatterDex));
});

Deno.test("massRecoveryPct() is zero for an exact power law and ln10 sigma / slope for a noisy one", () => {
  assert.ok(massRecoveryPct(synthetic(500, 0), (m) => m.y500Mpc2).rmsPct < 1e-6);
  // log10 M = (log10 Y - c) / 1.7, so 0.05 dex in Y is 0.05 / 1.7 dex in M, about
  // 100 ln10 0.05 / 1.7 = 6.8 per cent (small-scatter limit; regression dilution lowers it a little).
  const r = massRecoveryPct(synthetic(6000, 0.05), (m) => m.y500Mpc2);
  const expected = 100 * Math.LN10 * 0.05 / 1.7;
  assert.ok(Math.abs(r.rmsPct / expected - 1) < 0.1, `rms ${r.rmsPct} vs ${expected}`);
});

Deno.test("the mock passes every target of its scatter budget on the full catalogue", () => {
  // The targets and their sources are in report.ts and docs/mock-universe.md; this is
  // what `deno task realism` measures (1799 clusters, four views each, seed 1).
  const sample = measureMockSample({ silent: true });
  assert.equal(sample.length, 7196);
  const report = realismReport(sample);
  const failed = report.checks.filter((c) => !c.pass);
  assert.deepEqual(
    failed.map((c) => `${c.id} = ${c.value.toFixed(3)} not in [${c.target}]`),
    [],
  );
  const y = report.checks.find((c) => c.id === "y500_scatter_14_14.5")!;
  assert.ok(y.value > 0.03 && y.value < 0.07);
});
