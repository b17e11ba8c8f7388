/**
 * FITS images written and read by hand, to the FITS Standard 4.0 (IAU FITS
 * Working Group 2018): 2880-byte blocks, 80-character ASCII header cards in
 * fixed format, big-endian IEEE floats (`BITPIX = -32` when writing), and a
 * celestial World Coordinate System (Greisen & Calabretta 2002, WCS paper II,
 * A&A 395, 1077: `RA---TAN`/`DEC--TAN`, `CRPIX`, `CRVAL`, `CDELT`, `CUNIT`).
 * No npm FITS library is maintained for writing (the `fitsjs` family reads
 * only and has not been updated since 2015), so this small codec is ours;
 * astropy reads its files back in the tests.
 *
 * Header values are written in fixed format (right-justified in columns 11-30)
 * when they fit, and as the shortest exact decimal otherwise (free format,
 * FITS 4.0 §4.2.4), so that every float64 value reads back unchanged.
 *
 * Pixel convention: array row r, column c (C order, the dataset's
 * `[row y][col x]`) is FITS pixel (c + 1, r + 1); the first row written is
 * the bottom row (y = 1) in FITS viewers. The dataset's continuous pixel
 * coordinate u (centre of the field at u = npix/2) is FITS coordinate u + 0.5,
 * so the cluster centre sits at CRPIX = npix/2 + 0.5.
 *
 * @module
 */

/** A header value: a string, a number, a logical or `null` (an undefined value). */
export type FitsValue = string | number | boolean | null;

/** One header card. */
export interface FitsCard {
  /** Keyword, at most 8 characters of A-Z, 0-9, `-`, `_` (or COMMENT / HISTORY). */
  key: string;
  /** The value (ignored for COMMENT / HISTORY, whose text is `comment`). */
  value?: FitsValue;
  /** Comment after the value (or the text of a COMMENT / HISTORY card). */
  comment?: string;
  /** Write an integer-valued number as a real (with an exponent). Default: integers as integers. */
  real?: boolean;
}

const BLOCK = 2880;
const CARD = 80;

function pad(s: string, n: number): string {
  return s.length >= n ? s.slice(0, n) : s + " ".repeat(n - s.length);
}

function formatValue(card: FitsCard): string {
  const v = card.value;
  if (v === null || v === undefined) return " ".repeat(20);
  if (typeof v === "boolean") return (v ? "T" : "F").padStart(20);
  if (typeof v === "number") {
    if (!Number.isFinite(v)) {
      throw new RangeError(`Cannot write FITS card ${card.key}: value ${v} is not finite`);
    }
    if (Number.isInteger(v) && !card.real && Math.abs(v) < 1e15) return String(v).padStart(20);
    return v.toExponential().toUpperCase().replace(/^(-?\d)E/, "$1.0E")
      .replace(
        /E([+-]?)(\d+)$/,
        (_, sign: string, d: string) => `E${sign || "+"}${d.padStart(2, "0")}`,
      )
      .padStart(20);
  }
  const s = `'${v.replaceAll("'", "''").padEnd(8)}'`;
  if (s.length > 70) {
    throw new RangeError(`Cannot write FITS card ${card.key}: string too long (${v.length})`);
  }
  return s.length < 20 ? pad(s, 20) : s;
}

/** One 80-character card image. */
export function formatCard(card: FitsCard): string {
  const key = card.key.toUpperCase();
  if (!/^[A-Z0-9_-]{1,8}$/.test(key)) {
    throw new RangeError(
      `Cannot write FITS card: keyword "${card.key}" must be 1-8 characters of A-Z, 0-9, - and _`,
    );
  }
  for (const ch of (card.comment ?? "") + (typeof card.value === "string" ? card.value : "")) {
    const c = ch.charCodeAt(0);
    if (c < 32 || c > 126) {
      throw new RangeError(
        `Cannot write FITS card ${key}: only printable ASCII is allowed, got "${ch}"`,
      );
    }
  }
  if (key === "COMMENT" || key === "HISTORY") {
    return pad(`${pad(key, 8)}${card.comment ?? ""}`, CARD);
  }
  let s = `${pad(key, 8)}= ${formatValue(card)}`;
  if (card.comment) s += ` / ${card.comment}`;
  return pad(s, CARD);
}

/** Options of {@linkcode encodeFitsImage}. */
export interface FitsImageOptions {
  /** Columns (NAXIS1). */
  width: number;
  /** Rows (NAXIS2). */
  height: number;
  /** Extra header cards after the mandatory ones (BITPIX, NAXIS, ...). */
  cards?: FitsCard[];
}

/**
 * A primary-HDU FITS file of one float32 image (`BITPIX = -32`), C order
 * `[row][col]` in, big-endian out, header and data padded to 2880 bytes.
 */
export function encodeFitsImage(
  data: Float32Array | Float64Array,
  options: FitsImageOptions,
): Uint8Array {
  const { width, height } = options;
  if (!(Number.isInteger(width) && width > 0 && Number.isInteger(height) && height > 0)) {
    throw new RangeError(`Cannot write FITS image: width and height must be positive integers`);
  }
  if (data.length !== width * height) {
    throw new RangeError(
      `Cannot write FITS image: ${data.length} values for a ${width} x ${height} image`,
    );
  }
  const mandatory: FitsCard[] = [
    { key: "SIMPLE", value: true, comment: "conforms to FITS standard 4.0" },
    { key: "BITPIX", value: -32, comment: "IEEE single precision floats" },
    { key: "NAXIS", value: 2 },
    { key: "NAXIS1", value: width, comment: "columns" },
    { key: "NAXIS2", value: height, comment: "rows" },
  ];
  const reserved = new Set(["SIMPLE", "BITPIX", "NAXIS", "NAXIS1", "NAXIS2", "END"]);
  const extra = options.cards ?? [];
  for (const c of extra) {
    if (reserved.has(c.key.toUpperCase())) {
      throw new RangeError(`Cannot write FITS image: card ${c.key} is written by the encoder`);
    }
  }
  let header = [...mandatory, ...extra].map(formatCard).join("") + pad("END", CARD);
  header = pad(header, Math.ceil(header.length / BLOCK) * BLOCK);
  const nData = Math.ceil((4 * data.length) / BLOCK) * BLOCK;
  const out = new Uint8Array(header.length + nData);
  for (let i = 0; i < header.length; i++) out[i] = header.charCodeAt(i);
  const view = new DataView(out.buffer, header.length, 4 * data.length);
  for (let i = 0; i < data.length; i++) view.setFloat32(4 * i, data[i], false);
  return out;
}

/** A FITS image read back. */
export interface FitsImage {
  /** Columns (NAXIS1). */
  width: number;
  /** Rows (NAXIS2). */
  height: number;
  /** Pixels, C order `[row][col]`, physical values (BSCALE/BZERO applied). */
  data: Float32Array;
  /** Header values by keyword (the last card wins; COMMENT/HISTORY left out). */
  header: Map<string, FitsValue>;
}

function parseValue(text: string, key: string, source: string): FitsValue {
  const t = text.trim();
  if (t.startsWith("'")) {
    let s = "";
    for (let i = 1; i < t.length; i++) {
      if (t[i] === "'") {
        if (t[i + 1] === "'") {
          s += "'";
          i++;
          continue;
        }
        return s.replace(/ +$/, "");
      }
      s += t[i];
    }
    throw new TypeError(`Cannot read FITS ${source}: unterminated string in card ${key}`);
  }
  const v = t.split("/")[0].trim();
  if (v === "") return null;
  if (v === "T") return true;
  if (v === "F") return false;
  const n = Number(v.replace(/D/g, "E"));
  if (!Number.isFinite(n)) {
    throw new TypeError(`Cannot read FITS ${source}: card ${key} has value "${v}"`);
  }
  return n;
}

/**
 * Read the primary HDU of a FITS file holding a 2-D image (a third axis of
 * length 1 is accepted). BITPIX 8, 16, 32, -32 and -64 are read.
 */
export function decodeFitsImage(bytes: Uint8Array, source = "file"): FitsImage {
  const header = new Map<string, FitsValue>();
  let off = 0;
  let ended = false;
  const dec = new TextDecoder("ascii");
  while (!ended) {
    if (off + BLOCK > bytes.length) {
      throw new TypeError(`Cannot read FITS ${source}: no END card (truncated or not FITS)`);
    }
    for (let c = 0; c < BLOCK / CARD; c++) {
      const card = dec.decode(bytes.subarray(off + c * CARD, off + (c + 1) * CARD));
      const key = card.slice(0, 8).trim();
      if (off === 0 && c === 0 && key !== "SIMPLE") {
        throw new TypeError(`Cannot read FITS ${source}: it does not start with SIMPLE (not FITS)`);
      }
      if (key === "END") {
        ended = true;
        break;
      }
      if (key === "" || key === "COMMENT" || key === "HISTORY" || card.slice(8, 10) !== "= ") {
        continue;
      }
      header.set(key, parseValue(card.slice(10), key, source));
    }
    off += BLOCK;
  }
  const num = (k: string): number => {
    const v = header.get(k);
    if (typeof v !== "number") {
      throw new TypeError(`Cannot read FITS ${source}: mandatory keyword ${k} is missing`);
    }
    return v;
  };
  const bitpix = num("BITPIX");
  if (![8, 16, 32, -32, -64].includes(bitpix)) {
    throw new TypeError(`Cannot read FITS ${source}: BITPIX = ${bitpix} is not a FITS value`);
  }
  const naxis = num("NAXIS");
  if (!(Number.isInteger(naxis) && naxis >= 0 && naxis <= 999)) {
    throw new TypeError(`Cannot read FITS ${source}: NAXIS = ${naxis} must be an integer 0-999`);
  }
  const dims = Array.from({ length: naxis }, (_, i) => num(`NAXIS${i + 1}`));
  const badDim = dims.findIndex((d) => !(Number.isSafeInteger(d) && d >= 0));
  if (badDim >= 0) {
    throw new TypeError(
      `Cannot read FITS ${source}: NAXIS${badDim + 1} = ${dims[badDim]} must be an integer >= 0`,
    );
  }
  if (naxis < 2 || dims.slice(2).some((d) => d !== 1)) {
    throw new RangeError(
      `Cannot read FITS ${source}: need a 2-D image in the primary HDU, got NAXIS = ${naxis} ` +
        `(${dims.join(" x ") || "no data"})`,
    );
  }
  const [width, height] = dims;
  const n = width * height;
  const size = Math.abs(bitpix) / 8;
  if (off + n * size > bytes.length) {
    throw new TypeError(
      `Cannot read FITS ${source}: the data unit is truncated (${bytes.length - off} bytes, ` +
        `need ${n * size})`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset + off, n * size);
  const bscale = typeof header.get("BSCALE") === "number" ? header.get("BSCALE") as number : 1;
  const bzero = typeof header.get("BZERO") === "number" ? header.get("BZERO") as number : 0;
  const data = new Float32Array(n);
  const get: (i: number) => number = bitpix === -32
    ? (i) => view.getFloat32(4 * i, false)
    : bitpix === -64
    ? (i) => view.getFloat64(8 * i, false)
    : bitpix === 32
    ? (i) => view.getInt32(4 * i, false)
    : bitpix === 16
    ? (i) => view.getInt16(2 * i, false)
    : bitpix === 8
    ? (i) => view.getUint8(i)
    : (() => {
      throw new TypeError(`Cannot read FITS ${source}: BITPIX = ${bitpix} is not a FITS value`);
    })();
  for (let i = 0; i < n; i++) data[i] = bzero + bscale * get(i);
  return { width, height, data, header };
}

/** The celestial WCS of an image, as far as the toolkit uses it. */
export interface CelestialWcs {
  /** Axis types, e.g. `RA---TAN`, `DEC--TAN`. */
  ctype: [string, string];
  /** Reference pixel (1-based FITS convention). */
  crpix: [number, number];
  /** World coordinates of the reference pixel [deg]. */
  crvalDeg: [number, number];
  /** Pixel size along each axis [arcsec] (absolute values). */
  pixelArcsec: [number, number];
}

const CELESTIAL_PAIRS = [["RA", "DEC"], ["GLON", "GLAT"], ["ELON", "ELAT"]];

/**
 * The celestial WCS of a FITS header; throws a TypeError naming every
 * keyword that is missing (CTYPE1/2 with a celestial pair such as
 * RA---TAN/DEC--TAN, CRPIX1/2, CRVAL1/2, and a scale: CDELT1/2 or CD1_1..CD2_2).
 */
export function celestialWcs(header: Map<string, FitsValue>, source = "file"): CelestialWcs {
  const missing: string[] = [];
  const str = (k: string) => {
    const v = header.get(k);
    if (typeof v !== "string" || v.trim() === "") missing.push(k);
    return typeof v === "string" ? v.trim().toUpperCase() : "";
  };
  const num = (k: string) => {
    const v = header.get(k);
    if (typeof v !== "number") missing.push(k);
    return typeof v === "number" ? v : NaN;
  };
  const c1 = str("CTYPE1");
  const c2 = str("CTYPE2");
  const crpix: [number, number] = [num("CRPIX1"), num("CRPIX2")];
  const crval: [number, number] = [num("CRVAL1"), num("CRVAL2")];
  let scale: [number, number] = [NaN, NaN];
  if (typeof header.get("CD1_1") === "number" || typeof header.get("CD2_2") === "number") {
    const g = (k: string) => typeof header.get(k) === "number" ? header.get(k) as number : 0;
    const [a, b, c, d] = [g("CD1_1"), g("CD1_2"), g("CD2_1"), g("CD2_2")];
    scale = [Math.hypot(a, c), Math.hypot(b, d)];
  } else {
    const d1 = num("CDELT1");
    const d2 = num("CDELT2");
    const g = (k: string, dflt: number) =>
      typeof header.get(k) === "number" ? header.get(k) as number : dflt;
    const [p11, p12, p21, p22] = [g("PC1_1", 1), g("PC1_2", 0), g("PC2_1", 0), g("PC2_2", 1)];
    scale = [Math.abs(d1) * Math.hypot(p11, p21), Math.abs(d2) * Math.hypot(p12, p22)];
  }
  if (missing.length > 0) {
    throw new TypeError(
      `Cannot read ${source}: no celestial WCS (missing ${missing.join(", ")}). ` +
        `Give images with a celestial WCS (e.g. CTYPE1 = 'RA---TAN', CTYPE2 = 'DEC--TAN', CRPIX, ` +
        `CRVAL, CDELT), as \`deno task export\` writes them.`,
    );
  }
  const lon = c1.split("-")[0];
  const lat = c2.split("-")[0];
  const ok = CELESTIAL_PAIRS.some(([a, b]) => a === lon && b === lat) && c1.length === 8 &&
    c2.length === 8 && c1.slice(4).replace(/-/g, "").length === 3 &&
    c1.slice(5) === c2.slice(5);
  if (!ok) {
    throw new TypeError(
      `Cannot read ${source}: no celestial WCS: CTYPE1 = '${c1}', CTYPE2 = '${c2}' are not a ` +
        `celestial pair with a projection (e.g. 'RA---TAN' and 'DEC--TAN')`,
    );
  }
  const unit = (k: string) => (typeof header.get(k) === "string" ? header.get(k) as string : "deg");
  for (const k of ["CUNIT1", "CUNIT2"]) {
    if (unit(k).trim().toLowerCase() !== "deg") {
      throw new TypeError(
        `Cannot read ${source}: ${k} = '${unit(k)}', celestial axes must be in deg`,
      );
    }
  }
  return {
    ctype: [c1, c2],
    crpix,
    crvalDeg: crval,
    pixelArcsec: [scale[0] * 3600, scale[1] * 3600],
  };
}
