/**
 * FITS images (FITS Standard 4.0, written by hand: 2880-byte blocks,
 * 80-character cards, big-endian BITPIX -32) with a celestial WCS (TAN
 * projection, 10 arcsec pixels), BUNIT, redshift, M200 and the instrument's
 * noise and beam in the header: export of a dataset, and the reader that
 * `predict` uses (a file without a celestial WCS is refused, naming the
 * missing keywords).
 *
 * @example
 * ```ts
 * import { celestialWcs, decodeFitsImage, encodeFitsImage, imageCards } from "./mod.ts";
 * const data = new Float32Array(120 * 120).map((_, i) => i);
 * const cards = imageCards({ tracer: "ypar", npix: 120, pixelArcsec: 10, raDeg: 180, decDeg: 0, redshift: 0.05 });
 * const bytes = encodeFitsImage(data, { width: 120, height: 120, cards });
 * if (bytes.length % 2880 !== 0) throw new Error("FITS files are whole 2880-byte blocks");
 * const back = decodeFitsImage(bytes);
 * if (back.data[14399] !== 14399) throw new Error("pixels round trip");
 * const wcs = celestialWcs(back.header);
 * if (Math.abs(wcs.pixelArcsec[0] - 10) > 1e-9) throw new Error("10 arcsec pixels");
 * ```
 * @module
 */
export * from "./fits.ts";
export * from "./export.ts";
