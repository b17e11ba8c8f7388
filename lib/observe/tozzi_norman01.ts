/**
 * Cooling function of Tozzi & Norman (2001, ApJ 546, 63), eq. 7 fit for a
 * metallicity Z = 0.3 Zsun:
 *
 *   Lambda_bol(T) = [C1 (kT)^-1.7 + C2 (kT)^0.5 + C3] x 1e-22 erg cm^3 s^-1,
 *   C1 = 8.6e-3, C2 = 5.8e-2, C3 = 6.3e-2, kT in keV,
 *
 * so that the emissivity is n_e n_H Lambda(T). The C2 term is thermal
 * bremsstrahlung; the C1 term is line emission (it dominates below ~1 keV); C3
 * collects the rest (recombination and lines).
 *
 * Soft band (0.5-2 keV, REST frame; no K-correction is applied). An
 * approximation, documented here because the paper's soft-band luminosities
 * come from APEC spectra in BAHAMAS: the bremsstrahlung term keeps the band
 * fraction of a pure exponential spectrum (Gaunt factor taken as constant),
 *
 *   f_band(T) = exp(-0.5 keV/kT) - exp(-2 keV/kT),
 *
 * the C1 line term sits entirely in the band (Fe-L and O/Ne/Mg lines lie at
 * 0.5-2 keV for kT < ~2 keV and the term is negligible above), and the C3 term
 * is in the band for kT <= 2 keV and is scaled by f_band(T)/f_band(2 keV) above
 * (where it is continuum-like), which keeps Lambda_soft continuous.
 *
 * @module
 */

/** Tozzi & Norman (2001) eq. 7 coefficients (units 1e-22 erg cm^3 s^-1). */
export const TOZZI_NORMAN01 = Object.freeze({ c1: 8.6e-3, c2: 5.8e-2, c3: 6.3e-2 });

/** Bremsstrahlung fraction of the 0.5-2 keV band for an exponential spectrum at kT [keV]. */
export function softBandFraction(kTKeV: number): number {
  return Math.exp(-0.5 / kTKeV) - Math.exp(-2 / kTKeV);
}

const F_BAND_2KEV = Math.exp(-0.25) - Math.exp(-1);

/**
 * Bolometric cooling function Lambda(T) [erg cm^3 s^-1] (Tozzi & Norman 2001
 * eq. 7, Z = 0.3 Zsun).
 *
 * @param kTKeV Temperature kT [keV] (> 0).
 */
export function tozziNorman01LambdaBol(kTKeV: number): number {
  if (!(kTKeV > 0)) {
    throw new RangeError(`Cannot evaluate cooling function: kT must be > 0 keV, got ${kTKeV}`);
  }
  const { c1, c2, c3 } = TOZZI_NORMAN01;
  return (c1 * Math.pow(kTKeV, -1.7) + c2 * Math.sqrt(kTKeV) + c3) * 1e-22;
}

/**
 * Soft-band (0.5-2 keV rest frame) cooling function [erg cm^3 s^-1]; see the
 * module documentation for the approximation.
 */
export function tozziNorman01LambdaSoft(kTKeV: number): number {
  if (!(kTKeV > 0)) {
    throw new RangeError(`Cannot evaluate cooling function: kT must be > 0 keV, got ${kTKeV}`);
  }
  const { c1, c2, c3 } = TOZZI_NORMAN01;
  const fb = softBandFraction(kTKeV);
  const c3Frac = kTKeV <= 2 ? 1 : fb / F_BAND_2KEV;
  return (c1 * Math.pow(kTKeV, -1.7) + c2 * Math.sqrt(kTKeV) * fb + c3 * c3Frac) * 1e-22;
}
