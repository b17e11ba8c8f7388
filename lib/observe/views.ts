/**
 * Observing an object: one view of any particle set ({@linkcode makeImages}),
 * or the paper's four views of one object (§2.2): for each of the four
 * projection axes, a redshift z ~ U(z_lo, z_hi) and a random rotation about
 * the line of sight drawn from the view's own stream, the particles binned
 * into the four tracer images (eqs. 2-5), then noise and beam (Table 1).
 * The mock (`lib/dataset` render.ts) and the HDF5 import
 * (`lib/import` snapshot_import.ts) both image through
 * {@linkcode observeFourViews}; what they bin in each view is theirs
 * (line-of-sight haloes, a slab of a snapshot), given as a callback.
 * {@linkcode makeImages} images any particle set in one view.
 *
 * Random streams: view p draws from `rng.fork(1 + p)`: first the redshift,
 * then the azimuth; the noise from that stream's `fork(1_000_000)`. A
 * callback may fork the view's stream with other keys.
 *
 * @module
 */
import { ARCMIN_PER_RAD } from "../constants/mod.ts";
import { comovingDistanceMpc, type Cosmology } from "../cosmology/mod.ts";
import type { Rng } from "../random/mod.ts";
import { type Tracer, TRACERS } from "../types/mod.ts";
import type { ClusterParticles } from "../particles/mod.ts";
import {
  binParticles,
  checkImageGrid,
  type ImageGrid,
  type Placement,
  type ProjectionFrame,
  projectionFrame,
  type TracerImages,
} from "./imaging.ts";
import { gasObservables } from "./particle_observables.ts";
import { applyInstrument, type TracerInstrument } from "./noise.ts";

/** Stream key of a view's noise under the view's stream. */
export const VIEW_NOISE_STREAM = 1_000_000;

/** Where an object at redshift `z` sits for the observer (d_A and d_L from the comoving distance). */
export function placementAt(z: number, cosmology: Cosmology): Placement & { dCMpc: number } {
  const dC = comovingDistanceMpc(z, cosmology);
  return { dAMpc: dC / (1 + z), dLMpc: dC * (1 + z), dCMpc: dC };
}

/**
 * Add noise then beam (Table 1) to each tracer image of one view, in place
 * (star, fxs, fxb, ypar order, all from `rng`).
 */
export function applyInstruments(
  images: TracerImages,
  instruments: Record<Tracer, TracerInstrument>,
  grid: { npix: number; fovArcmin: number; rng: Rng },
): void {
  for (const t of TRACERS) {
    applyInstrument(images[t], instruments[t], {
      npix: grid.npix,
      pixelArcmin: grid.fovArcmin / grid.npix,
      rng: grid.rng,
    });
  }
}

/** One view as {@linkcode observeFourViews} hands it to its callback. */
export interface View {
  /** Projection 0..3. */
  projection: number;
  /** Redshift of the view. */
  redshift: number;
  /** Image frame (projection axis and azimuth). */
  frame: ProjectionFrame;
  /** Distances of the object (d_A, d_L, comoving d_C) [Mpc]. */
  placement: Placement & { dCMpc: number };
  /** The view's random stream (`rng.fork(1 + projection)`), after the redshift and azimuth draws. */
  rng: Rng;
}

/** Options of {@linkcode observeFourViews}. */
export interface FourViewOptions {
  cosmology: Cosmology;
  /** Pixels per side. */
  npix: number;
  /** Field of view per side [arcmin]. */
  fovArcmin: number;
  /** Redshift range of the views (the paper: 0.03-0.07). */
  redshiftRange: readonly [number, number];
  /** Noise and beam per tracer. */
  instruments: Record<Tracer, TracerInstrument>;
  /** r200 of the object [physical Mpc], for its angular size in each view. */
  r200Mpc: number;
}

/** The four views of one object. */
export interface FourViews {
  /** Per tracer: 4 images of npix*npix float32, projection-major. */
  images: Record<Tracer, Float32Array>;
  /** Redshift of each view. */
  redshifts: number[];
  /** r200 in arcmin of each view. */
  r200Arcmin: number[];
}

/**
 * Image one object in the paper's four projections: `binView` returns the
 * noiseless images of a view (float64, npix*npix each), this function adds
 * noise and beam and stores them as float32.
 */
export function observeFourViews(
  rng: Rng,
  options: FourViewOptions,
  binView: (view: View) => TracerImages,
): FourViews {
  const { npix, fovArcmin } = options;
  const npix2 = npix * npix;
  const images = {} as Record<Tracer, Float32Array>;
  for (const t of TRACERS) images[t] = new Float32Array(4 * npix2);
  const redshifts: number[] = [];
  const r200Arcmin: number[] = [];
  for (let p = 0; p < 4; p++) {
    const vr = rng.fork(1 + p);
    const z = vr.uniform(options.redshiftRange[0], options.redshiftRange[1]);
    const frame = projectionFrame(p, vr.uniform(0, 2 * Math.PI));
    const placement = placementAt(z, options.cosmology);
    const img = binView({ projection: p, redshift: z, frame, placement, rng: vr });
    applyInstruments(img, options.instruments, {
      npix,
      fovArcmin,
      rng: vr.fork(VIEW_NOISE_STREAM),
    });
    for (const t of TRACERS) images[t].set(img[t], p * npix2); // float64 -> float32
    redshifts.push(z);
    r200Arcmin.push((options.r200Mpc / placement.dAMpc) * ARCMIN_PER_RAD);
  }
  return { images, redshifts, r200Arcmin };
}

/** Options of {@linkcode makeImages}. */
export interface MakeImagesOptions extends ImageGrid {
  cosmology: Cosmology;
  /** Redshift at which the object is observed. */
  redshift: number;
  /** Projection 0..3 (x, y, z, (sqrt2/2, -sqrt2/2, 0)). Default 2 (z). */
  projection?: number;
  /** Rotation about the line of sight [rad]. Default 0. */
  azimuthRad?: number;
  /** Noise and beams per tracer (e.g. `instrumentsFor("paper")`); default none. */
  instruments?: Record<Tracer, TracerInstrument>;
  /** Generator for the noise (required when instruments add noise). */
  rng?: Rng;
}

/**
 * Images of any particle set, mock or read from a real simulation with
 * `readParticleSnapshot`: per-particle observables, projection, binning
 * (eqs. 2-5) and, optionally, noise then beam (Table 1). Returns float64
 * images (npix*npix, row-major) in the dataset's units.
 */
export function makeImages(particles: ClusterParticles, options: MakeImagesOptions): TracerImages {
  const { npix } = checkImageGrid(options);
  const fov = options.fovArcmin ?? 20;
  const z = options.redshift;
  if (!(z > 0)) throw new RangeError(`Cannot make images: redshift must be > 0, got ${z}`);
  const { dAMpc, dLMpc } = placementAt(z, options.cosmology);
  const img = binParticles(particles, {
    npix,
    fovArcmin: fov,
    frame: projectionFrame(options.projection ?? 2, options.azimuthRad ?? 0),
    placement: { dAMpc, dLMpc },
    observables: gasObservables(particles.gas),
  });
  if (options.instruments) {
    const needsRng = TRACERS.some((t) => options.instruments![t].rms > 0);
    if (needsRng && !options.rng) {
      throw new TypeError("Cannot make images: instruments add noise, so pass an rng");
    }
    applyInstruments(img, options.instruments, { npix, fovArcmin: fov, rng: options.rng as Rng });
  }
  return img;
}
