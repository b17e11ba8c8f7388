/**
 * A minimal PNG encoder (8-bit RGB/RGBA, zlib from `node:zlib`) and a
 * colour-mapper that turns a float image into a `data:image/png` URL, so that
 * image panels (Fig. 2, Figs 8-11) embed in a Vega-Lite `image` mark and stay
 * small (a 120 x 120 panel is a few tens of kB, where 14,400 `rect` marks would
 * be about a megabyte of JSON).
 *
 * @module
 */
import { deflateSync } from "node:zlib";
import * as vega from "vega";

/** Options of {@linkcode encodePng}. */
export interface EncodePngOptions {
  /** Image width in pixels. */
  width: number;
  /** Image height in pixels. */
  height: number;
  /** Channels per pixel in `pixels`: 3 (RGB) or 4 (RGBA). Default 3. */
  channels?: 3 | 4;
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/**
 * Encode 8-bit pixels (row-major, top row first) as a PNG file (PNG spec,
 * ISO/IEC 15948: signature, IHDR, one zlib IDAT with filter 0 per row, IEND).
 *
 * @example
 * ```ts
 * import { encodePng } from "./png.ts";
 * const png = encodePng(new Uint8Array([255, 0, 0]), { width: 1, height: 1 });
 * if (png[1] !== 0x50) throw new Error("PNG signature");
 * ```
 */
export function encodePng(pixels: Uint8Array, options: EncodePngOptions): Uint8Array {
  const { width, height } = options;
  const channels = options.channels ?? 3;
  if (!Number.isInteger(width) || width <= 0 || !Number.isInteger(height) || height <= 0) {
    throw new RangeError(
      `Cannot encode PNG: width and height must be positive integers, got ${width} x ${height}`,
    );
  }
  if (channels !== 3 && channels !== 4) {
    throw new RangeError(`Cannot encode PNG: channels must be 3 or 4, got ${channels}`);
  }
  if (pixels.length !== width * height * channels) {
    throw new RangeError(
      `Cannot encode PNG: expected ${width * height * channels} bytes ` +
        `(${width} x ${height} x ${channels}), got ${pixels.length}`,
    );
  }
  const ihdr = new Uint8Array(13);
  const hv = new DataView(ihdr.buffer);
  hv.setUint32(0, width);
  hv.setUint32(4, height);
  ihdr[8] = 8; // bit depth
  ihdr[9] = channels === 3 ? 2 : 6; // colour type: truecolour (+ alpha)
  const stride = width * channels;
  const raw = new Uint8Array(height * (stride + 1));
  for (let y = 0; y < height; y++) {
    raw[y * (stride + 1)] = 0; // filter type None
    raw.set(pixels.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  }
  const idat = new Uint8Array(deflateSync(raw, { level: 9 }));
  const signature = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const parts = [
    signature,
    chunk("IHDR", ihdr),
    chunk("IDAT", idat),
    chunk("IEND", new Uint8Array()),
  ];
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** Options of {@linkcode colorizeImage} and {@linkcode imageToPngDataUrl}. */
export interface ColorizeOptions {
  /** Image width in pixels (columns). */
  width: number;
  /** Image height in pixels (rows). */
  height: number;
  /** Values mapped to the ends of the colour scheme, in the image's units; clamped outside. */
  domain: readonly [number, number];
  /** "log" (values <= 0 take the lowest colour) or "linear". Default "log". */
  scale?: "log" | "linear";
  /** A Vega continuous colour scheme name. Default "viridis". */
  scheme?: string;
}

/** Parse the `rgb(r, g, b)` or `#rrggbb` strings Vega's interpolators return. */
function parseCssColor(css: string): [number, number, number] {
  const m = css.match(/^rgba?\(\s*([\d.]+)\s*,\s*([\d.]+)\s*,\s*([\d.]+)/);
  if (m) return [Math.round(Number(m[1])), Math.round(Number(m[2])), Math.round(Number(m[3]))];
  const h = css.match(/^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i);
  if (h) return [parseInt(h[1], 16), parseInt(h[2], 16), parseInt(h[3], 16)];
  throw new TypeError(
    `Cannot parse colour "${css}" from a Vega scheme: expected rgb(r, g, b) or #rrggbb`,
  );
}

/** The 256-entry RGB lookup table of a Vega colour scheme (the browser's exact colours). */
export function schemeLut(name: string): Uint8Array {
  const interpolate = vega.scheme(name) as ((t: number) => string) | undefined;
  if (typeof interpolate !== "function") {
    throw new RangeError(`Cannot build colour table: "${name}" is not a continuous Vega scheme`);
  }
  const lut = new Uint8Array(256 * 3);
  for (let i = 0; i < 256; i++) {
    const [r, g, b] = parseCssColor(interpolate(i / 255));
    lut[3 * i] = r;
    lut[3 * i + 1] = g;
    lut[3 * i + 2] = b;
  }
  return lut;
}

/**
 * Map a float image (row-major, row 0 drawn at the top) to 8-bit RGB through
 * a Vega colour scheme. NaN pixels are drawn white.
 */
export function colorizeImage(values: ArrayLike<number>, options: ColorizeOptions): Uint8Array {
  const { width, height, domain } = options;
  const scale = options.scale ?? "log";
  if (values.length !== width * height) {
    throw new RangeError(
      `Cannot colour image: expected ${
        width * height
      } values (${width} x ${height}), got ${values.length}`,
    );
  }
  const [lo, hi] = domain;
  if (!(hi > lo) || (scale === "log" && !(lo > 0))) {
    throw new RangeError(
      `Cannot colour image: domain must satisfy 0 < lo < hi for a log scale (lo < hi for linear), got [${lo}, ${hi}]`,
    );
  }
  const lut = schemeLut(options.scheme ?? "viridis");
  const a = scale === "log" ? Math.log10(lo) : lo;
  const b = scale === "log" ? Math.log10(hi) : hi;
  const rgb = new Uint8Array(width * height * 3);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isNaN(v)) {
      rgb.fill(255, 3 * i, 3 * i + 3);
      continue;
    }
    const x = scale === "log" ? (v > 0 ? Math.log10(v) : -Infinity) : v;
    const t = Math.min(1, Math.max(0, (x - a) / (b - a)));
    const k = Math.round(t * 255);
    rgb[3 * i] = lut[3 * k];
    rgb[3 * i + 1] = lut[3 * k + 1];
    rgb[3 * i + 2] = lut[3 * k + 2];
  }
  return rgb;
}

/** Encode bytes as base64 (chunked, so large images do not overflow the call stack). */
export function bytesToBase64(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(s);
}

/**
 * Colour-map a float image and return it as a `data:image/png;base64,...`
 * URL for a Vega-Lite `image` mark.
 *
 * @example
 * ```ts
 * import { imageToPngDataUrl } from "./png.ts";
 * const url = imageToPngDataUrl(new Float32Array([1, 10, 100, 1000]), {
 *   width: 2, height: 2, domain: [1, 1000],
 * });
 * if (!url.startsWith("data:image/png;base64,")) throw new Error("data URL");
 * ```
 */
export function imageToPngDataUrl(values: ArrayLike<number>, options: ColorizeOptions): string {
  const rgb = colorizeImage(values, options);
  const png = encodePng(rgb, { width: options.width, height: options.height, channels: 3 });
  return `data:image/png;base64,${bytesToBase64(png)}`;
}
