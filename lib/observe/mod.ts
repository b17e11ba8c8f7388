/**
 * Observables and images (paper §2.2, Table 1): per-particle Upsilon and X-ray
 * luminosities (Tozzi & Norman 2001 cooling), projection and binning onto
 * 120 x 120 pixels over 20 arcmin (eqs. 2-5), Gaussian noise and beams, and
 * correlated line-of-sight field haloes.
 *
 * @example
 * ```ts
 * import { tozziNorman01LambdaBol, upsilonCm2 } from "./mod.ts";
 * const lambda = tozziNorman01LambdaBol(5); // erg cm^3 s^-1 at kT = 5 keV
 * if (!(lambda > 1e-23 && lambda < 1e-22)) throw new Error("Lambda(5 keV) ~ 2e-23");
 * if (!(upsilonCm2(1e9, 1e7) > 0)) throw new Error("hot gas has Upsilon > 0");
 * ```
 * @module
 */
export * from "./tozzi_norman01.ts";
export * from "./particle_observables.ts";
export * from "./imaging.ts";
export * from "./views.ts";
export * from "./noise.ts";
export * from "./line_of_sight.ts";
