import assert from "node:assert/strict";
import { Rng } from "../random/mod.ts";
import {
  DMO_BIN_EDGES_LOG10,
  fig01Histogram,
  fig01MassDistribution,
} from "./fig01_mass_distribution.ts";
import { compileSpec } from "./render.ts";

function sample(n: number, seed: number, withBins: boolean) {
  const rng = new Rng(seed);
  return Array.from({ length: n }, (_, i) => {
    const bin = i % 10;
    const lm = 12.5 + 0.25 * bin + rng.uniform(0, 0.25) + rng.normal(0, 0.05);
    return withBins ? { m200Msun: 10 ** lm, dmoBin: bin } : { m200Msun: 10 ** lm };
  });
}

Deno.test("fig01Histogram() counts every cluster once, in bins of the requested width", () => {
  const clusters = sample(400, 1, false);
  const rows = fig01Histogram(clusters, { histBinDex: 0.1 });
  assert.equal(rows.reduce((s, r) => s + r.count, 0), 400);
  for (const r of rows) assert.ok(Math.abs(r.log10MHi - r.log10MLo - 0.1) < 1e-9);
  for (const r of rows) assert.equal(r.dmoBin, "all");
  // Independent count of one bin.
  const r = rows.find((r) => r.log10MLo === 13.5)!;
  const expected = clusters.filter((c) => {
    const lm = Math.log10(c.m200Msun);
    return lm >= 13.5 && lm < 13.6;
  }).length;
  assert.equal(r.count, expected);
});

Deno.test("fig01MassDistribution() stacks bars by DMO bin when known and draws the eleven DMO bin edges", () => {
  const clusters = sample(240, 2, true);
  const spec = fig01MassDistribution(clusters) as {
    layer: {
      data: { values: Record<string, unknown>[] };
      encoding: Record<string, { field?: string }>;
    }[];
  };
  const [bars, rules] = spec.layer;
  assert.equal(bars.encoding.color.field, "dmoBin");
  const labels = new Set(bars.data.values.map((v) => v.dmoBin));
  assert.equal(labels.size, 10);
  assert.ok(labels.has("12.50-12.75") && labels.has("14.75-15.00"));
  assert.deepEqual(rules.data.values.map((v) => v.edgeLog10), [...DMO_BIN_EDGES_LOG10]);
  // lib/halo's HALO_CATALOGUE_DEFAULTS: ten 0.25-dex bins from 10^12.5 to 10^15 Msun.
  assert.deepEqual(DMO_BIN_EDGES_LOG10, [
    12.5,
    12.75,
    13,
    13.25,
    13.5,
    13.75,
    14,
    14.25,
    14.5,
    14.75,
    15,
  ]);
  assert.equal(bars.data.values.reduce((s, v) => s + (v.count as number), 0), 240);
  assert.deepEqual(compileSpec(spec as never).warnings, []);
});

Deno.test("fig01MassDistribution() refuses an empty sample and non-positive masses", () => {
  assert.throws(() => fig01MassDistribution([]), RangeError);
  assert.throws(
    () => fig01MassDistribution([{ m200Msun: -1 }]),
    /m200Msun must be a finite number > 0/,
  );
});
