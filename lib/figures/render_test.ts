import assert from "node:assert/strict";
import { join } from "node:path";
import { Resvg } from "@resvg/resvg-js";
import { compileSpec, renderSpec, type TopLevelSpec } from "./render.ts";

const line: TopLevelSpec = {
  $schema: "https://vega.github.io/schema/vega-lite/v6.json",
  width: 120,
  height: 80,
  data: { values: [{ x: 1, y: 2 }, { x: 2, y: 3 }, { x: 3, y: 1 }] },
  mark: "line",
  encoding: { x: { field: "x", type: "quantitative" }, y: { field: "y", type: "quantitative" } },
};

Deno.test("renderSpec() writes an SVG and a PNG of the size Vega lays out (PNG at 2x by default)", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const svgPath = join(dir, "sub", "a.svg");
    const pngPath = join(dir, "sub", "a.png");
    const r = await renderSpec(line, { svgPath, pngPath });
    assert.ok(r.svg.startsWith("<svg"));
    assert.equal(await Deno.readTextFile(svgPath), r.svg);
    const png = await Deno.readFile(pngPath);
    assert.deepEqual([...png.subarray(1, 4)], [0x50, 0x4e, 0x47]);
    const view = new DataView(png.buffer);
    assert.equal(view.getUint32(16), Math.round(2 * r.widthPx));
    assert.equal(view.getUint32(20), Math.round(2 * r.heightPx));
    assert.ok(r.widthPx > 120 && r.heightPx > 80, "axes add to the plot area");
    // One path for the line mark.
    assert.match(r.svg, /class="mark-line role-mark/);
    // No temporary files left behind.
    assert.deepEqual([...Deno.readDirSync(join(dir, "sub"))].map((e) => e.name).sort(), [
      "a.png",
      "a.svg",
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("renderSpec() renders no PNG unless asked, and rejects a non-positive pngScale", async () => {
  const r = await renderSpec(line);
  assert.equal(r.png, undefined);
  await assert.rejects(() => renderSpec(line, { png: true, pngScale: 0 }), RangeError);
});

/** Decode a PNG to RGBA by letting resvg draw it at its own size. */
function pngPixels(png: Uint8Array, width: number, height: number): Uint8Array {
  let s = "";
  for (const b of png) s += String.fromCharCode(b);
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" ` +
    `width="${width}" height="${height}"><image width="${width}" height="${height}" ` +
    `xlink:href="data:image/png;base64,${btoa(s)}"/></svg>`;
  return new Resvg(svg).render().pixels;
}

function darkPixelsInTopRows(png: Uint8Array, width: number, height: number, rows: number): number {
  const px = pngPixels(png, width, height);
  let n = 0;
  for (let i = 0; i < rows * width; i++) if (px[4 * i] + px[4 * i + 1] + px[4 * i + 2] < 300) n++;
  return n;
}

Deno.test("renderSpec() draws text with a real font: a title puts dark pixels at the top of the PNG", async () => {
  const plain = await renderSpec({ ...line, padding: 5 }, { png: true, pngScale: 1 });
  const titled = await renderSpec({ ...line, padding: 5, title: "WWWWWWWW" }, {
    png: true,
    pngScale: 1,
  });
  const a = darkPixelsInTopRows(plain.png!, plain.widthPx, plain.heightPx, 15);
  const b = darkPixelsInTopRows(titled.png!, titled.widthPx, titled.heightPx, 15);
  assert.ok(b > a + 20, `dark pixels in the top rows: ${a} without title, ${b} with`);
});

Deno.test("compileSpec() collects Vega-Lite's warnings instead of printing them", () => {
  assert.deepEqual(compileSpec(line).warnings, []);
  const bad = {
    ...line,
    mark: "bar",
    encoding: { ...line.encoding, shape: { field: "x", type: "nominal" } },
  };
  const { warnings } = compileSpec(bad as TopLevelSpec);
  assert.ok(warnings.some((w) => /shape/i.test(w)), warnings.join("; "));
});
