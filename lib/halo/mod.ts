/**
 * Haloes: the Eisenstein & Hu (1998) linear power spectrum, sigma(M), the
 * Tinker et al. (2008) mass function, Tinker et al. (2010) bias, Duffy et al.
 * (2008) concentrations, NFW mass conversions, the Velliscig et al. (2014)
 * hydro/DMO mass shift, field-halo mass sampling and the cluster catalogue of
 * Yan et al. (2020) §2.1. Units: Msun (not Msun/h), Mpc (not Mpc/h), k in Mpc^-1.
 *
 * @example
 * ```ts
 * import { buildHaloCatalogue, sigmaR } from "./mod.ts";
 * import { WMAP9_BAHAMAS } from "../cosmology/mod.ts";
 * import { Rng } from "../random/mod.ts";
 * const s8 = sigmaR(8 / WMAP9_BAHAMAS.h, 0, WMAP9_BAHAMAS);
 * if (Math.abs(s8 - 0.8211) > 1e-4) throw new Error(`sigma8 should be 0.8211, got ${s8}`);
 * const haloes = buildHaloCatalogue(new Rng(1), { cosmology: WMAP9_BAHAMAS, perBin: 5 });
 * if (haloes.length !== 50) throw new Error(`expected 5 haloes in each of 10 bins, got ${haloes.length}`);
 * ```
 * @module
 */
export * from "./eisenstein_hu98.ts";
export * from "./power_spectrum.ts";
export * from "./tinker08.ts";
export * from "./tinker10.ts";
export * from "./correlation.ts";
export * from "./duffy08.ts";
export * from "./nfw.ts";
export * from "./velliscig14.ts";
export * from "./mass_sampler.ts";
export * from "./catalogue.ts";
