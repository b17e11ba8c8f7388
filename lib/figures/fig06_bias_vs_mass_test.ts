// deno-lint-ignore-file no-explicit-any -- tests read spec JSON loosely
import assert from "node:assert/strict";
import { biasBins } from "../evaluate/mod.ts";
import { Rng } from "../random/mod.ts";
import { NETWORKS } from "../types/mod.ts";
import { fig06BiasVsMass, fig06Rows } from "./fig06_bias_vs_mass.ts";
import { compileSpec } from "./render.ts";

function bins(seed: number) {
  const rng = new Rng(seed);
  const t = Array.from({ length: 200 }, () => 10 ** rng.uniform(13, 15));
  return biasBins(t, t.map((m) => m * rng.logNormalDex(0.07)));
}

Deno.test("fig06BiasVsMass() has one point per (network, bin) with mean ± sd error bars and the central range shaded", () => {
  const input = Object.fromEntries(NETWORKS.map((n, k) => [n, bins(k + 1)]));
  const spec = fig06BiasVsMass(input) as unknown as { layer: any[] };
  const [shade, zero, marks] = spec.layer;
  assert.deepEqual(shade.data.values, [{ x0: 13.25, x1: 14.5 }]);
  assert.equal(shade.encoding.x.field, "x0");
  assert.equal(shade.encoding.x2.field, "x1");
  assert.deepEqual(zero.data.values, [{ zero: 0 }]);
  const rows = marks.data.values as Record<string, number>[];
  const expected = NETWORKS.reduce((s, n) => s + input[n].length, 0);
  assert.equal(rows.length, expected);
  const keys = new Set(rows.map((r) => `${r.network}@${r.log10MCentre}`));
  assert.equal(keys.size, expected, "no (network, bin) twice");
  const b = input.fxs[2];
  const r = rows.find((r) =>
    (r.network as unknown) === "Fxs" && r.log10MCentre === b.log10MCentre
  )!;
  assert.ok(Math.abs(r.meanBias - b.meanFractionalBias) < 1e-6);
  assert.ok(Math.abs(r.upper - r.lower - 2 * b.sdFractionalBias!) < 1e-5);
  assert.ok(Math.abs(r.xDrawn - r.log10MCentre) <= 0.06 + 1e-12, "dodge stays inside the bin");
  const [bars, points] = marks.layer;
  assert.equal(bars.mark.type, "rule");
  assert.equal(bars.encoding.y.field, "lower");
  assert.equal(bars.encoding.y2.field, "upper");
  assert.equal(points.encoding.y.field, "meanBias");
  assert.deepEqual(compileSpec(spec as never).warnings, []);
});

Deno.test("fig06Rows() draws a single-image bin without an error bar and skips empty bins", () => {
  const rows = fig06Rows({
    ypar: [
      {
        log10MLo: 13,
        log10MHi: 13.25,
        log10MCentre: 13.125,
        n: 1,
        meanFractionalBias: 0.2,
        sdFractionalBias: null,
      },
      {
        log10MLo: 13.25,
        log10MHi: 13.5,
        log10MCentre: 13.375,
        n: 0,
        meanFractionalBias: NaN,
        sdFractionalBias: null,
      },
    ],
  });
  assert.equal(rows.length, 1);
  assert.equal(rows[0].lower, 0.2);
  assert.equal(rows[0].upper, 0.2);
  assert.equal(rows[0].xDrawn, 13.125);
  assert.throws(() => fig06BiasVsMass({}), RangeError);
});
