// deno-lint-ignore-file no-explicit-any -- tests read spec JSON loosely
import assert from "node:assert/strict";
import { Rng } from "../random/mod.ts";
import { fig07BiasDistribution, fig07Histograms } from "./fig07_bias_distribution.ts";
import { NETWORK_DASH } from "./_common.ts";
import { compileSpec } from "./render.ts";

Deno.test("fig07Histograms() keeps only the central mass range and normalises each network to unit area", () => {
  const rng = new Rng(11);
  const t = Array.from({ length: 500 }, () => 10 ** rng.uniform(13, 15));
  const p = t.map((m) => m * (1 + rng.normal(0, 0.1)));
  const { rows, counts } = fig07Histograms({ star: { mTrueMsun: t, mPredMsun: p } }, {
    binWidth: 0.05,
  });
  const inRange = t.filter((m) => Math.log10(m) > 13.25 && Math.log10(m) < 14.5).length;
  assert.equal(counts.star, inRange);
  const area = rows.reduce((s, r) => s + r.density * 0.05, 0);
  assert.ok(Math.abs(area - 1) < 1e-4, `area ${area}`); // all biases lie within ±80 per cent here
  assert.equal(rows.length, 32);
});

Deno.test("fig07BiasDistribution() dashes the gas tracers and draws the stellar and multichannel curves solid", () => {
  const rng = new Rng(12);
  const t = Array.from({ length: 200 }, () => 10 ** rng.uniform(13.3, 14.4));
  const pair = () => ({ mTrueMsun: t, mPredMsun: t.map((m) => m * (1 + rng.normal(0, 0.15))) });
  const spec = fig07BiasDistribution({
    star: pair(),
    fxs: pair(),
    fxb: pair(),
    ypar: pair(),
    multi: pair(),
  }) as unknown as {
    encoding: Record<string, any>;
    data: { values: unknown[] };
  };
  const dash = spec.encoding.strokeDash.scale;
  assert.deepEqual(dash.domain, ["Star", "Fxs", "Fxb", "Ypar", "Multichannel"]);
  const solid = (d: number[]) => d.length === 2 && d[1] === 0;
  assert.deepEqual(dash.range.map(solid), [true, false, false, false, true]);
  assert.deepEqual(dash.range, [
    NETWORK_DASH.star,
    NETWORK_DASH.fxs,
    NETWORK_DASH.fxb,
    NETWORK_DASH.ypar,
    NETWORK_DASH.multi,
  ]);
  assert.equal(spec.data.values.length, 5 * 32);
  assert.equal(spec.encoding.x.field, "bias");
  assert.deepEqual(compileSpec(spec as never).warnings, []);
});

Deno.test("fig07BiasDistribution() says so when no image lies in the central range", () => {
  assert.throws(
    () => fig07BiasDistribution({ star: { mTrueMsun: [1e15], mPredMsun: [1e15] } }),
    /central mass range/,
  );
});
