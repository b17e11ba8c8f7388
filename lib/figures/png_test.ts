import assert from "node:assert/strict";
import { inflateSync } from "node:zlib";
import { Resvg } from "@resvg/resvg-js";
import { colorizeImage, encodePng, imageToPngDataUrl, schemeLut } from "./png.ts";

Deno.test("encodePng() writes the PNG signature, an IHDR with the size and the IEND chunk's standard CRC", () => {
  const png = encodePng(new Uint8Array(3 * 4 * 2), { width: 4, height: 2 });
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const view = new DataView(png.buffer);
  assert.equal(new TextDecoder().decode(png.subarray(12, 16)), "IHDR");
  assert.equal(view.getUint32(16), 4);
  assert.equal(view.getUint32(20), 2);
  assert.equal(png[24], 8); // bit depth
  assert.equal(png[25], 2); // truecolour
  // Every PNG ends with the 12-byte IEND chunk whose CRC is 0xAE426082 (PNG spec, ISO/IEC 15948).
  assert.equal(view.getUint32(png.length - 4), 0xae426082);
});

Deno.test("encodePng() stores each row behind filter byte 0, so zlib inflates back to the pixels", () => {
  const pixels = Uint8Array.from({ length: 3 * 3 * 2 }, (_, i) => (i * 37) % 256);
  const png = encodePng(pixels, { width: 3, height: 2 });
  const idatLen = new DataView(png.buffer).getUint32(33);
  const raw = new Uint8Array(inflateSync(png.subarray(41, 41 + idatLen)));
  assert.deepEqual([...raw], [0, ...pixels.subarray(0, 9), 0, ...pixels.subarray(9)]);
});

Deno.test("an independent decoder (resvg) reads encodePng() output back pixel for pixel", () => {
  const pixels = new Uint8Array([255, 0, 0, 0, 255, 0, 0, 0, 255, 250, 250, 10]);
  const url = `data:image/png;base64,${
    btoa(String.fromCharCode(...encodePng(pixels, { width: 2, height: 2 })))
  }`;
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="2" height="2">` +
    `<image width="2" height="2" style="image-rendering:pixelated" xlink:href="${url}"/></svg>`;
  const rgba = new Resvg(svg).render().pixels;
  for (let i = 0; i < 4; i++) {
    for (let c = 0; c < 3; c++) {
      assert.ok(Math.abs(rgba[4 * i + c] - pixels[3 * i + c]) <= 1, `pixel ${i} channel ${c}`);
    }
  }
});

Deno.test("encodePng() rejects a pixel buffer of the wrong length with a RangeError", () => {
  assert.throws(() => encodePng(new Uint8Array(5), { width: 2, height: 1 }), RangeError);
  assert.throws(() => encodePng(new Uint8Array(0), { width: 0, height: 1 }), RangeError);
});

Deno.test("colorizeImage() maps the log domain's ends to viridis' ends, clamps outside and paints NaN white", () => {
  // Viridis end points #440154 and #fde725 (matplotlib's published table; Vega interpolates the same).
  const rgb = colorizeImage([1e-3, 1, 1000, 1e6, -5, NaN], {
    width: 6,
    height: 1,
    domain: [1, 1000],
  });
  const px = (i: number) => [...rgb.subarray(3 * i, 3 * i + 3)];
  const near = (a: number[], b: number[]) => a.every((v, i) => Math.abs(v - b[i]) <= 3);
  assert.ok(near(px(0), [0x44, 0x01, 0x54]), `below domain: ${px(0)}`);
  assert.ok(near(px(1), [0x44, 0x01, 0x54]), `at lo: ${px(1)}`);
  assert.ok(near(px(2), [0xfd, 0xe7, 0x25]), `at hi: ${px(2)}`);
  assert.ok(near(px(3), [0xfd, 0xe7, 0x25]), `above domain: ${px(3)}`);
  assert.ok(near(px(4), [0x44, 0x01, 0x54]), `negative: ${px(4)}`);
  assert.deepEqual(px(5), [255, 255, 255]);
});

Deno.test("colorizeImage() puts the geometric mean of a log domain at the scheme's middle colour", () => {
  const lut = schemeLut("viridis");
  const rgb = colorizeImage([Math.sqrt(10 * 1e5)], { width: 1, height: 1, domain: [10, 1e5] });
  const mid = Math.round(0.5 * 255);
  assert.deepEqual([...rgb], [...lut.subarray(3 * mid, 3 * mid + 3)]);
});

Deno.test("colorizeImage() refuses a log domain that does not start above zero", () => {
  assert.throws(() => colorizeImage([1], { width: 1, height: 1, domain: [0, 1] }), RangeError);
  assert.throws(() => schemeLut("no-such-scheme"), RangeError);
});

Deno.test("imageToPngDataUrl() returns a base64 PNG data URL", () => {
  const url = imageToPngDataUrl(new Float32Array([1, 2, 3, 4]), {
    width: 2,
    height: 2,
    domain: [1, 4],
  });
  assert.match(url, /^data:image\/png;base64,iVBORw0KGgo/);
});
