/**
 * Images from particles (paper §2.2, eqs. 2-5): project along a line of sight
 * and bin onto a square grid of `npix` pixels over `fovArcmin` (120 x 120 over
 * 20 arcmin, i.e. 10 arcsec pixels, in the paper). Nothing is painted
 * analytically: every pixel is a sum over the particles that project into it.
 *
 * Pixel conventions (the dataset contract): image[row][col], col = x, row = y;
 * pixel (i, j) covers continuous pixel coordinates [j, j+1) x [i, i+1), and the
 * cluster centre sits at coordinate (npix/2, npix/2), i.e. between the central
 * pixels. Angles theta = (x_p, y_p) / d_A(z) (eq. 3).
 *
 * Units of the four tracers:
 * - `star`: stellar surface density [Msun Mpc^-2], eq. 2: the stellar mass in
 *   the pixel over its physical area S = (d_A theta_pix)^2 in physical Mpc^2
 *   (d_A of the object the particles belong to). This reading of Table 1's
 *   "Msun" is the one that makes the paper's Star noise, "1/10 of the mean
 *   across the sample", consistent: the mock's mean pixel is ~1e12 Msun Mpc^-2
 *   against 2.14e11 rms (as Msun per pixel the mean would be ~1e8, 2500 times
 *   below the noise);
 * - `fxs`, `fxb`: X-ray flux per pixel [erg s^-1 cm^-2], F = L / (4 pi d_L^2)
 *   (eq. 4; the paper's text omits the square, a typo);
 * - `ypar`: Compton y, sum of Upsilon / S (eq. 5), dimensionless.
 *
 * @module
 */
import { ARCMIN_PER_RAD, MPC_CM } from "../constants/mod.ts";
import type { ClusterParticles } from "../particles/mod.ts";
import type { Tracer } from "../types/mod.ts";
import type { GasObservables } from "./particle_observables.ts";

/** The paper's four projection axes: x, y, z and (sqrt2/2, -sqrt2/2, 0) (§2.2). */
export const PROJECTION_AXES: readonly (readonly [number, number, number])[] = [
  [1, 0, 0],
  [0, 1, 0],
  [0, 0, 1],
  [Math.SQRT1_2, -Math.SQRT1_2, 0],
];

/** An orthonormal image frame: image axes e1 (columns), e2 (rows) and line of sight n. */
export interface ProjectionFrame {
  e1: [number, number, number];
  e2: [number, number, number];
  n: [number, number, number];
}

/**
 * The frame of projection `index` (0..3, {@linkcode PROJECTION_AXES}) after a
 * rotation by `azimuthRad` about the line of sight (e1 x e2 = n).
 */
export function projectionFrame(index: number, azimuthRad: number): ProjectionFrame {
  if (!(Number.isInteger(index) && index >= 0 && index < 4)) {
    throw new RangeError(`Cannot build projection frame: index must be 0..3, got ${index}`);
  }
  const bases: [number, number, number][][] = [
    [[0, 1, 0], [0, 0, 1]],
    [[0, 0, 1], [1, 0, 0]],
    [[1, 0, 0], [0, 1, 0]],
    [[Math.SQRT1_2, Math.SQRT1_2, 0], [0, 0, 1]],
  ];
  const [a, b] = bases[index];
  const c = Math.cos(azimuthRad);
  const s = Math.sin(azimuthRad);
  const e1: [number, number, number] = [0, 1, 2].map((k) => c * a[k] + s * b[k]) as [
    number,
    number,
    number,
  ];
  const e2: [number, number, number] = [0, 1, 2].map((k) => -s * a[k] + c * b[k]) as [
    number,
    number,
    number,
  ];
  const n = PROJECTION_AXES[index];
  return { e1, e2, n: [n[0], n[1], n[2]] };
}

/** Image grid. */
export interface ImageGrid {
  /** Pixels per side. Default 120. */
  npix?: number;
  /** Field of view per side [arcmin]. Default 20. */
  fovArcmin?: number;
}

/** Four tracer images of one view, each npix*npix, row-major (float64 accumulators). */
export type TracerImages = Record<Tracer, Float64Array>;

/** Fresh zero images. */
export function emptyImages(npix = 120): TracerImages {
  const n = npix * npix;
  return {
    star: new Float64Array(n),
    fxs: new Float64Array(n),
    fxb: new Float64Array(n),
    ypar: new Float64Array(n),
  };
}

/** Where a particle set sits for the observer. */
export interface Placement {
  /** Angular-diameter distance to the set [Mpc]. */
  dAMpc: number;
  /** Luminosity distance to the set [Mpc]. */
  dLMpc: number;
  /** Angular offset of the set's centre from the image centre along e1, e2 [rad]. Default 0. */
  thetaOffsetRad?: [number, number];
}

/** Options of {@linkcode binParticles}. */
export interface BinOptions extends ImageGrid {
  frame: ProjectionFrame;
  placement: Placement;
  /** Per-particle gas observables (from `gasObservables`). */
  observables: GasObservables;
  /** Images to add into (created when absent). */
  into?: TracerImages;
}

/** Check an image grid; returns its pixels per side and pixel size [rad]. */
export function checkImageGrid(g: ImageGrid): { npix: number; pixRad: number } {
  const npix = g.npix ?? 120;
  const fov = g.fovArcmin ?? 20;
  if (!(Number.isInteger(npix) && npix > 0)) {
    throw new RangeError(`Cannot project halo: npix must be a positive integer, got ${npix}`);
  }
  if (!(fov > 0)) throw new RangeError(`Cannot project halo: fovArcmin must be > 0, got ${fov}`);
  return { npix, pixRad: fov / npix / ARCMIN_PER_RAD };
}

/**
 * Add the particles of one object to the four tracer images (paper eqs. 2-5).
 * Particles projecting outside the field are dropped (as in the paper).
 */
export function binParticles(particles: ClusterParticles, options: BinOptions): TracerImages {
  const { npix, pixRad } = checkImageGrid(options);
  const { frame, placement, observables } = options;
  if (!(placement.dAMpc > 0 && placement.dLMpc > 0)) {
    throw new RangeError(
      `Cannot project halo: distances must be > 0, got dA=${placement.dAMpc}, dL=${placement.dLMpc}`,
    );
  }
  const img = options.into ?? emptyImages(npix);
  const half = npix / 2;
  // pixel coordinate = half + (offset + x/dA)/pixRad
  const scale = 1 / (placement.dAMpc * pixRad);
  const off1 = half + (placement.thetaOffsetRad?.[0] ?? 0) / pixRad;
  const off2 = half + (placement.thetaOffsetRad?.[1] ?? 0) / pixRad;
  const [a0, a1, a2] = frame.e1;
  const [b0, b1, b2] = frame.e2;
  const dLcm = placement.dLMpc * MPC_CM;
  const fluxF = 1 / (4 * Math.PI * dLcm * dLcm);
  const sCm = placement.dAMpc * pixRad * MPC_CM;
  const yF = 1 / (sCm * sCm);
  const sMpc = placement.dAMpc * pixRad;
  const starF = 1 / (sMpc * sMpc);

  const st = particles.stars;
  for (let i = 0; i < st.count; i++) {
    const u = off1 + scale * (a0 * st.x[i] + a1 * st.y[i] + a2 * st.z[i]);
    const v = off2 + scale * (b0 * st.x[i] + b1 * st.y[i] + b2 * st.z[i]);
    if (u < 0 || v < 0 || u >= npix || v >= npix) continue;
    img.star[(v | 0) * npix + (u | 0)] += st.massMsun[i] * starF;
  }
  const g = particles.gas;
  if (observables.upsilonCm2.length !== g.count) {
    throw new RangeError(
      `Cannot project halo: observables hold ${observables.upsilonCm2.length} particles, gas has ${g.count}`,
    );
  }
  const { upsilonCm2, lSoftErgPerS, lBolErgPerS } = observables;
  for (let i = 0; i < g.count; i++) {
    const u = off1 + scale * (a0 * g.x[i] + a1 * g.y[i] + a2 * g.z[i]);
    const v = off2 + scale * (b0 * g.x[i] + b1 * g.y[i] + b2 * g.z[i]);
    if (u < 0 || v < 0 || u >= npix || v >= npix) continue;
    const p = (v | 0) * npix + (u | 0);
    img.ypar[p] += upsilonCm2[i] * yF;
    img.fxs[p] += lSoftErgPerS[i] * fluxF;
    img.fxb[p] += lBolErgPerS[i] * fluxF;
  }
  return img;
}

/** A galaxy projected onto an image: continuous pixel coordinates (x = column, y = row). */
export interface ProjectedGalaxy {
  xPix: number;
  yPix: number;
  mGalMsun: number;
}

/** Project a galaxy catalogue with the same geometry as {@linkcode binParticles}; keeps those inside the field. */
export function projectGalaxies(
  galaxies: ClusterParticles["galaxies"],
  options: Omit<BinOptions, "observables" | "into">,
): ProjectedGalaxy[] {
  const { npix, pixRad } = checkImageGrid(options);
  const { frame, placement } = options;
  const half = npix / 2;
  const scale = 1 / (placement.dAMpc * pixRad);
  const off1 = half + (placement.thetaOffsetRad?.[0] ?? 0) / pixRad;
  const off2 = half + (placement.thetaOffsetRad?.[1] ?? 0) / pixRad;
  const out: ProjectedGalaxy[] = [];
  for (let i = 0; i < galaxies.count; i++) {
    const x = galaxies.x[i];
    const y = galaxies.y[i];
    const z = galaxies.z[i];
    const u = off1 + scale * (frame.e1[0] * x + frame.e1[1] * y + frame.e1[2] * z);
    const v = off2 + scale * (frame.e2[0] * x + frame.e2[1] * y + frame.e2[2] * z);
    if (u < 0 || v < 0 || u >= npix || v >= npix) continue;
    out.push({ xPix: u, yPix: v, mGalMsun: galaxies.massMsun[i] });
  }
  return out;
}

/** Physical size of one pixel [Mpc] at angular-diameter distance dA [Mpc]. */
export function pixelSizeMpc(dAMpc: number, grid: ImageGrid = {}): number {
  const { pixRad } = checkImageGrid(grid);
  return dAMpc * pixRad;
}
