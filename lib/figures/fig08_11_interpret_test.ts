import assert from "node:assert/strict";
import { Rng } from "../random/mod.ts";
import type { Tracer } from "../types/mod.ts";
import { buildInterpretFigure, type InterpretFigureInput } from "./fig08_11_interpret.ts";
import { compileSpec, renderSpec } from "./render.ts";
import { vegaLiteSchemaErrors } from "./_schema.ts";

/** A synthetic interpretation directory of 4 clusters (seeded). */
function input(tracer: Tracer, galaxiesPerCluster: number[]): InterpretFigureInput {
  const rng = new Rng(88);
  const k = 4, n = 120, size = n * n;
  const images = new Float32Array(k * size),
    dd = new Float32Array(k * size),
    mask = new Float32Array(k * size);
  for (let r = 0; r < k; r++) {
    for (let y = 0; y < n; y++) {
      for (let x = 0; x < n; x++) {
        const d2 = (x + 0.5 - 60) ** 2 + (y + 0.5 - 60) ** 2;
        const i = r * size + y * n + x;
        images[i] = 1e-14 * (r + 1) * Math.exp(-d2 / 400) + rng.normal(0, 1e-17);
        dd[i] = rng.normal(0, 1e-16);
        mask[i] = -1e12 * (r + 1) * Math.exp(-d2 / 200);
      }
    }
  }
  return {
    tracer,
    images: { data: images, shape: [k, n, n] },
    deepdream: { data: dd, shape: [k, n, n] },
    mask: { data: mask, shape: [k, n, n] },
    selection: {
      settings: { iterations: 2, stride: 4, sigmaPx: 5 },
      clusters: galaxiesPerCluster.map((ng, r) => ({
        m200Msun: 10 ** (13 + 0.5 * r),
        mPredMsun: 10 ** (13.1 + 0.5 * r),
        r200Pix: 20 + 8 * r,
        cluster: r,
        image: 4 * r,
        galaxies: Array.from({ length: ng }, () => ({
          xPix: rng.uniform(10, 110),
          yPix: rng.uniform(10, 110),
          mGalMsun: 10 ** rng.uniform(10, 12),
        })),
      })),
    },
  };
}

// deno-lint-ignore no-explicit-any
type Any = any;

/** Distinct circles (polyline ids) drawn in each panel, by kind. */
function circlesPerPanel(spec: Any): { core: number; r200: number; galaxy: number }[] {
  const panels = spec.concat.filter((p: Any) => p.layer);
  return panels.map((p: Any) => {
    const pts = spec.datasets[p.layer[1].data.name] as { id: string; kind: string }[];
    const ids = new Map<string, string>();
    for (const q of pts) ids.set(q.id, q.kind);
    const count = { core: 0, r200: 0, galaxy: 0 } as Record<string, number>;
    for (const kind of ids.values()) count[kind]++;
    return count as { core: number; r200: number; galaxy: number };
  });
}

Deno.test("buildInterpretFigure() gives Fig. 8 with 4 rows x 3 columns, R200 circles and galaxies", async () => {
  const gal = [3, 5, 8, 13];
  const spec = buildInterpretFigure(input("star", gal)) as Any;
  assert.equal(spec.$schema, "https://vega.github.io/schema/vega-lite/v6.json");
  assert.match(spec.title.text, /^Fig\. 8/);
  assert.equal(spec.columns, 3);
  assert.equal(spec.concat.length, 4 * 3 + 3, "12 panels and 3 colour bars");
  const circles = circlesPerPanel(spec);
  assert.equal(circles.length, 12);
  circles.forEach((c, p) => {
    assert.equal(c.core, 1);
    assert.equal(c.r200, 1);
    assert.equal(c.galaxy, gal[Math.floor(p / 3)], `panel ${p}`);
  });
  // R200 circle of row 0: 20 px = 20/6 arcmin from the centre.
  const r200 = spec.datasets.circles_row0.filter((q: Any) => q.id === "r200");
  for (const q of r200) assert.ok(Math.abs(Math.hypot(q.x, q.y) - 20 / 6) < 1e-4);
  const core = spec.datasets.circles_row3.filter((q: Any) => q.id === "core");
  for (const q of core) assert.ok(Math.abs(Math.hypot(q.x, q.y) - 0.15 * 44 / 6) < 1e-4);
  const { warnings } = compileSpec(spec);
  assert.deepEqual(warnings, []);
  assert.deepEqual(await vegaLiteSchemaErrors(spec), []);
  const bytes = new TextEncoder().encode(JSON.stringify(spec)).length;
  assert.ok(bytes < 2e6, `spec is ${bytes} bytes`);
  const { svg } = await renderSpec(spec);
  assert.equal((svg.match(/<image /g) ?? []).length, 12, "one raster per panel");
});

Deno.test("buildInterpretFigure() draws no galaxies for the gas tracers (Figs 9-11)", async () => {
  for (const [tracer, fig] of [["fxs", 9], ["fxb", 10], ["ypar", 11]] as const) {
    const spec = buildInterpretFigure(input(tracer, [2, 2, 2, 2])) as Any;
    assert.match(spec.title.text, new RegExp(`^Fig\\. ${fig}:`));
    for (const c of circlesPerPanel(spec)) assert.deepEqual(c, { core: 1, r200: 1, galaxy: 0 });
    assert.deepEqual(compileSpec(spec).warnings, []);
    assert.deepEqual(await vegaLiteSchemaErrors(spec), []);
  }
});

Deno.test("buildInterpretFigure() rejects stacks that do not match the selection", () => {
  const bad = input("fxs", [0, 0, 0, 0]);
  bad.mask = { data: new Float32Array(3 * 14400), shape: [3, 120, 120] };
  assert.throws(() => buildInterpretFigure(bad), /mask must have shape \[4, 120, 120\]/);
});
