/**
 * Instrument model (paper §2.2, Table 1): Gaussian white noise per pixel,
 * then Gaussian beam smoothing. Star: 2.14e11 rms, no beam (SDSS-like), in
 * the star images' unit, Msun Mpc^-2 (Table 1 prints "Msun"; see imaging.ts
 * for why the surface density of eq. 2 is the consistent reading); Fxs and Fxb: 9e-16 erg/s/cm^2 rms per pixel, 4 arcsec FWHM
 * (Chandra-like); Ypar: 1e-8 rms, 1.4 arcmin FWHM (ACT-like). The `planck`
 * setting replaces Ypar's by 1e-6 and 9.66 arcmin (Planck-like); `none`
 * switches noise and beams off.
 *
 * The beam is applied as a separable convolution with the Gaussian integrated
 * over each pixel (so a point source ends with variance sigma^2 + 1/12 pixel^2
 * per axis, the pixel window), zero outside the image.
 *
 * @module
 */
import type { Rng } from "../random/mod.ts";
import type { NoiseSetting, Tracer } from "../types/mod.ts";

/** Noise and beam of one tracer. */
export interface TracerInstrument {
  /** Gaussian noise rms per pixel, in the tracer's image units (0 = none). */
  rms: number;
  /** Beam FWHM [arcmin] (0 = no smoothing). */
  beamFwhmArcmin: number;
}

/** The paper's Table 1 instruments. */
export const TABLE1_INSTRUMENTS: Readonly<Record<Tracer, TracerInstrument>> = Object.freeze({
  star: { rms: 2.14e11, beamFwhmArcmin: 0 },
  fxs: { rms: 9e-16, beamFwhmArcmin: 4 / 60 },
  fxb: { rms: 9e-16, beamFwhmArcmin: 4 / 60 },
  ypar: { rms: 1e-8, beamFwhmArcmin: 1.4 },
});

/**
 * Instruments of a noise setting: `paper` (Table 1), `planck` (Table 1 with
 * Ypar 1e-6 rms, 9.66 arcmin FWHM), `none` (no noise, no beam).
 */
export function instrumentsFor(setting: NoiseSetting): Record<Tracer, TracerInstrument> {
  const t = structuredClone(TABLE1_INSTRUMENTS) as Record<Tracer, TracerInstrument>;
  if (setting === "paper") return t;
  if (setting === "planck") {
    t.ypar = { rms: 1e-6, beamFwhmArcmin: 9.66 };
    return t;
  }
  if (setting === "none") {
    for (const k of Object.keys(t) as Tracer[]) t[k] = { rms: 0, beamFwhmArcmin: 0 };
    return t;
  }
  throw new RangeError(`Unknown noise setting "${setting}": expected one of paper, planck, none`);
}

/** Add N(0, rms^2) to every pixel, in place. */
export function addGaussianNoise(image: Float64Array | Float32Array, rms: number, rng: Rng): void {
  if (!(rms >= 0)) throw new RangeError(`Cannot add noise: rms must be >= 0, got ${rms}`);
  if (rms === 0) return;
  for (let i = 0; i < image.length; i++) image[i] += rms * rng.normal();
}

/** erf(x), Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7). */
export function erf(x: number): number {
  const s = x < 0 ? -1 : 1;
  const ax = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * ax);
  const y = 1 -
    (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t +
        0.254829592) * t * Math.exp(-ax * ax);
  return s * y;
}

/** The 1D pixel-integrated Gaussian kernel of standard deviation sigmaPix, normalised to 1. */
export function gaussianKernel1d(sigmaPix: number): Float64Array {
  if (!(sigmaPix > 0)) {
    throw new RangeError(`Cannot build beam: sigma must be > 0, got ${sigmaPix}`);
  }
  const half = Math.max(1, Math.ceil(5 * sigmaPix));
  const k = new Float64Array(2 * half + 1);
  const c = 1 / (Math.SQRT2 * sigmaPix);
  let sum = 0;
  for (let i = -half; i <= half; i++) {
    const v = 0.5 * (erf((i + 0.5) * c) - erf((i - 0.5) * c));
    k[i + half] = v;
    sum += v;
  }
  for (let i = 0; i < k.length; i++) k[i] /= sum;
  return k;
}

/**
 * Smooth a square image (npix x npix, row-major) with a Gaussian beam of
 * FWHM `fwhmPix` pixels, in place (separable; zero outside the image).
 */
export function smoothGaussianBeam(
  image: Float64Array | Float32Array,
  npix: number,
  fwhmPix: number,
): void {
  if (image.length !== npix * npix) {
    throw new RangeError(
      `Cannot smooth image: expected ${npix * npix} pixels, got ${image.length}`,
    );
  }
  if (!(fwhmPix >= 0)) {
    throw new RangeError(`Cannot smooth image: FWHM must be >= 0, got ${fwhmPix}`);
  }
  if (fwhmPix === 0) return;
  const k = gaussianKernel1d(fwhmPix / (2 * Math.sqrt(2 * Math.LN2)));
  const h = (k.length - 1) / 2;
  const tmp = new Float64Array(npix * npix);
  for (let r = 0; r < npix; r++) {
    const row = r * npix;
    for (let c = 0; c < npix; c++) {
      let s = 0;
      const lo = Math.max(-h, -c);
      const hi = Math.min(h, npix - 1 - c);
      for (let j = lo; j <= hi; j++) s += k[j + h] * image[row + c + j];
      tmp[row + c] = s;
    }
  }
  for (let r = 0; r < npix; r++) {
    for (let c = 0; c < npix; c++) {
      let s = 0;
      const lo = Math.max(-h, -r);
      const hi = Math.min(h, npix - 1 - r);
      for (let j = lo; j <= hi; j++) s += k[j + h] * tmp[(r + j) * npix + c];
      image[r * npix + c] = s;
    }
  }
}

/** Apply an instrument to an image: noise first, then the beam (paper §2.2). */
export function applyInstrument(
  image: Float64Array | Float32Array,
  instrument: TracerInstrument,
  options: { npix: number; pixelArcmin: number; rng: Rng },
): void {
  addGaussianNoise(image, instrument.rms, options.rng);
  if (instrument.beamFwhmArcmin > 0) {
    smoothGaussianBeam(image, options.npix, instrument.beamFwhmArcmin / options.pixelArcmin);
  }
}
