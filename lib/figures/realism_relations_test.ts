import assert from "node:assert/strict";
import { compileSpec } from "./render.ts";
import { realismRelationsFigure } from "./realism_relations.ts";

Deno.test("realismRelationsFigure() draws one panel per relation, the mock's fit and the published line", () => {
  const points = Array.from(
    { length: 50 },
    (_, i) => ({ lx: 13 + i / 25, ly: -7 + 1.75 * i / 25 }),
  );
  const spec = realismRelationsFigure([
    {
      id: "y500",
      xLabel: "log10 M500 [Msun]",
      yLabel: "log10 Y",
      points,
      fit: { slope: 1.75, intercept: -4.2, pivot: 6e14 },
      published: {
        slope: 1.79,
        intercept: -4.19,
        pivot: 6e14,
        lxRange: [14.3, 15.2],
        source: "Planck 2014 XX eq. 7",
      },
    },
    {
      id: "mstar500",
      xLabel: "x",
      yLabel: "y",
      points,
      fit: { slope: 0.6, intercept: 12, pivot: 3e14 },
    },
  ], { maxPoints: 20 });
  // deno-lint-ignore no-explicit-any
  const panels = (spec as any).hconcat;
  assert.equal(panels.length, 2);
  assert.equal(panels[0].layer[0].data.values.length, 17); // every 3rd of 50 points
  const lines = panels[0].layer[1].data.values;
  // The mock's line spans the points' range; at the pivot (log10 6e14 = 14.778) it is the intercept.
  assert.deepEqual(
    lines.filter((l: { kind: string }) => l.kind === "mock").map((l: { lx: number }) => l.lx),
    [13, 14.96],
  );
  const pub = lines.filter((l: { kind: string }) => l.kind === "published");
  assert.ok(Math.abs(pub[0].ly - (-4.19 + 1.79 * (14.3 - Math.log10(6e14)))) < 1e-3);
  assert.equal(panels[1].layer[1].data.values.length, 2, "no published line without one");
  assert.doesNotThrow(() => compileSpec(spec));
  assert.throws(() => realismRelationsFigure([]), RangeError);
});
