// deno-lint-ignore-file no-explicit-any -- tests read spec JSON loosely
import assert from "node:assert/strict";
import { Rng } from "../random/mod.ts";
import { TRACERS } from "../types/mod.ts";
import { fig02ColorDomain, fig02Images, selectFig02Images } from "./fig02_images.ts";
import { compileSpec } from "./render.ts";

function noisyImage(rng: Rng, npix: number, amp: number): Float32Array {
  return Float32Array.from({ length: npix * npix }, (_, i) => {
    const x = (i % npix) + 0.5 - npix / 2, y = Math.floor(i / npix) + 0.5 - npix / 2;
    return amp * Math.exp(-(x * x + y * y) / 200) + rng.normal(0, amp * 1e-3);
  });
}

Deno.test("selectFig02Images() takes the projection-0 image closest to each range's centre", () => {
  const catalog = [
    { image: 0, cluster: 0, projection: 0, m200Msun: 10 ** 13.1 },
    { image: 1, cluster: 0, projection: 1, m200Msun: 10 ** 13.1 },
    { image: 4, cluster: 1, projection: 0, m200Msun: 10 ** 13.3 },
    { image: 9, cluster: 2, projection: 1, m200Msun: 10 ** 13.25 },
    { image: 12, cluster: 3, projection: 0, m200Msun: 10 ** 14.9 },
  ];
  const sel = selectFig02Images(catalog);
  assert.deepEqual(sel.map((s) => s.image), [4, 12]);
  assert.deepEqual(sel.map((s) => s.rangeLog10), [[13, 13.5], [14.5, 15]]);
});

Deno.test("fig02ColorDomain() spans the brightest pixel down by the dynamic range, floored at the 1st percentile of positive pixels", () => {
  // Positive pixels 1..500: brightest 500, 1st percentile 1 + 0.01 x 499 = 5.99 (linear interpolation).
  const a = Float32Array.from({ length: 1000 }, (_, i) => (i < 500 ? -1 : i - 499));
  assert.deepEqual(fig02ColorDomain([a], 1), [50, 500]);
  const [lo, hi] = fig02ColorDomain([a], 2);
  assert.equal(hi, 500);
  assert.ok(Math.abs(lo - 5.99) < 1e-9, `lo ${lo}`);
  assert.throws(() => fig02ColorDomain([new Float32Array(4)]), RangeError);
});

Deno.test("fig02Images() lays out rows x 4 tracer panels of 20 arcmin plus one log colour bar per tracer, under 2 MB", () => {
  const rng = new Rng(7);
  const clusters = [13.2, 13.7, 14.2, 14.7].map((lm, k) => ({
    cluster: k,
    m200Msun: 10 ** lm,
    images: Object.fromEntries(
      TRACERS.map((t, j) => [t, noisyImage(rng, 120, 10 ** (lm - 14) * (j + 1))]),
    ) as never,
  }));
  const spec = fig02Images(clusters) as unknown as {
    concat: Record<string, any>[];
    columns: number;
  };
  assert.equal(spec.columns, 4);
  assert.equal(spec.concat.length, 4 * 4 + 4);
  const panels = spec.concat.slice(0, 16);
  for (const p of panels) {
    assert.equal(p.mark.type, "image");
    assert.match(p.data.values[0].url, /^data:image\/png;base64,/);
    assert.deepEqual(p.encoding.x.scale.domain, [-10, 10]);
    assert.deepEqual(p.encoding.y.scale.domain, [-10, 10]);
  }
  // Column t shares one colour scale: its bar's domain is the domain of its four images.
  TRACERS.forEach((t, j) => {
    const bar = spec.concat[16 + j];
    const expected = fig02ColorDomain(clusters.map((c) => c.images[t]));
    assert.deepEqual(bar.encoding.color.scale.domain, expected);
    assert.equal(bar.encoding.color.scale.type, "log");
    assert.equal(bar.encoding.x.scale.type, "log");
  });
  // Row labels carry the masses.
  assert.match(JSON.stringify(panels[4].encoding.y.axis.title), /13\.70/);
  const bytes = JSON.stringify(spec).length;
  assert.ok(bytes < 2e6, `spec is ${bytes} bytes`);
  assert.deepEqual(compileSpec(spec as never).warnings, []);
});

Deno.test("fig02Images() names the tracer and the expected size when an image has the wrong length", () => {
  const img = new Float32Array(16).fill(1);
  assert.throws(
    () =>
      fig02Images([{
        cluster: 0,
        m200Msun: 1e14,
        images: { star: img, fxs: img, fxb: new Float32Array(3), ypar: img },
      }], { npix: 4 }),
    /images\.fxb must hold 16 values/,
  );
});
