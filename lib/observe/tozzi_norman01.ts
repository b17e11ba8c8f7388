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
 * come from APEC spectra in BAHAMAS: the bremsstrahlung term keeps the share
 * of the band in a thermal free-free spectrum, j(E) ~ g(E/kT) exp(-E/kT),
 * with the thermally averaged Gaunt factor of the Born approximation
 *
 *   g(u) = (sqrt(3)/pi) exp(u/2) K0(u/2),   u = E/kT
 *
 * (Rybicki & Lightman 1979, Radiative Processes in Astrophysics, §5.3; for
 * u << 1 it tends to their (sqrt(3)/pi) ln(4/(zeta u)), zeta = e^gamma),
 *
 *   f_band(T) = int_{0.5/kT}^{2/kT} g(u) e^-u du / int_0^inf g(u) e^-u du,
 *
 * where the denominator is 2 sqrt(3)/pi, the frequency-averaged Born Gaunt
 * factor. The Born approximation holds for Z^2 Ry << kT, true of the hydrogen
 * and helium that make the continuum at kT >~ 0.5 keV. The Gaunt factor
 * matters: it grows towards low u, so at 10 keV the band holds 1.6 times the
 * share that a constant Gaunt factor gives (at 2 keV 1.0 times), and the
 * 0.5-2 keV emissivity of hot gas then falls only slowly with T instead of
 * as T^-0.5. (The Born form is the high-temperature limit of the Gaunt
 * factors of Karzas & Latter 1961, ApJS 6, 167, which spectral codes such as
 * XSPEC's bremsstrahlung model tabulate.) The C1 line term sits entirely in the band
 * (Fe-L and O/Ne/Mg lines lie at 0.5-2 keV for kT < ~2 keV and the term is
 * negligible above), and the C3 term is in the band for kT <= 2 keV and is
 * scaled by f_band(T)/f_band(2 keV) above (where it is continuum-like), which
 * keeps Lambda_soft continuous. K0 is evaluated with the polynomial
 * approximations of Abramowitz & Stegun (1964, 9.8.1, 9.8.5, 9.8.6; |error|
 * < 2e-7 relative), checked against scipy in the tests.
 *
 * @module
 */

/** Tozzi & Norman (2001) eq. 7 coefficients (units 1e-22 erg cm^3 s^-1). */
export const TOZZI_NORMAN01 = Object.freeze({ c1: 8.6e-3, c2: 5.8e-2, c3: 6.3e-2 });

/**
 * Modified Bessel function of the second kind K0(x), x > 0 (Abramowitz &
 * Stegun 1964: 9.8.5 with 9.8.1 for x <= 2, 9.8.6 above).
 */
export function besselK0(x: number): number {
  if (!(x > 0)) throw new RangeError(`Cannot evaluate K0: x must be > 0, got ${x}`);
  if (x <= 2) {
    const a = (x / 3.75) ** 2;
    const i0 = 1 + a * (3.5156229 + a * (3.0899424 + a * (1.2067492 +
                  a * (0.2659732 + a * (0.0360768 + a * 0.0045813)))));
    const t = (x * x) / 4;
    return -Math.log(x / 2) * i0 + (-0.57721566 + t * (0.4227842 + t * (0.23069756 +
              t * (0.0348859 + t * (0.00262698 + t * (0.0001075 + t * 0.0000074))))));
  }
  const y = 2 / x;
  return (Math.exp(-x) / Math.sqrt(x)) * (1.25331414 + y * (-0.07832358 + y * (0.02189568 +
            y * (-0.01062446 + y * (0.00587872 + y * (-0.0025154 + y * 0.00053208))))));
}

/**
 * Thermally averaged free-free Gaunt factor in the Born approximation,
 * g(u) = (sqrt(3)/pi) exp(u/2) K0(u/2), u = E/kT (see the module docs).
 */
export function bornGauntFactor(u: number): number {
  return (Math.sqrt(3) / Math.PI) * Math.exp(u / 2) * besselK0(u / 2);
}

/** int_0^inf g(u) e^-u du = 2 sqrt(3)/pi, the frequency-averaged Born Gaunt factor. */
const GAUNT_MEAN = (2 * Math.sqrt(3)) / Math.PI;

/**
 * Share of the free-free emission of gas at kT [keV] that falls in the
 * 0.5-2 keV band, with the Born Gaunt factor (see the module docs): the band
 * integral by Simpson's rule over ln u (256 intervals; the integrand is smooth
 * there), divided by 2 sqrt(3)/pi. {@linkcode softBandFraction} interpolates
 * a table of it.
 */
export function softBandFractionExact(kTKeV: number): number {
  if (!(kTKeV > 0)) {
    throw new RangeError(`Cannot evaluate the band fraction: kT must be > 0 keV, got ${kTKeV}`);
  }
  const lo = Math.log(0.5 / kTKeV);
  const hi = Math.log(2 / kTKeV);
  const n = 256;
  const h = (hi - lo) / n;
  let sum = 0;
  for (let i = 0; i <= n; i++) {
    const u = Math.exp(lo + i * h);
    const w = i === 0 || i === n ? 1 : i % 2 ? 4 : 2;
    sum += w * bornGauntFactor(u) * Math.exp(-u) * u;
  }
  return (sum * h) / 3 / GAUNT_MEAN;
}

/** The tabulated range of {@linkcode softBandFraction}: log10 kT [keV] from -2 to 2. */
const TABLE_LOG_KT: readonly [number, number] = [-2, 2];
const TABLE_STEP = 1e-3;
/** Intervals of the table (its length is one more). */
const TABLE_N = Math.round((TABLE_LOG_KT[1] - TABLE_LOG_KT[0]) / TABLE_STEP);
let table: Float64Array | null = null;

/**
 * {@linkcode softBandFractionExact}, linearly interpolated in log10 kT on a
 * 0.001-dex table over 0.01-100 keV (relative error < 1e-6; computed on first
 * use) and computed directly outside it, where a kT <= 0 (or NaN) gets the
 * exact function's RangeError. The cooling function calls this once per gas
 * particle.
 */
export function softBandFraction(kTKeV: number): number {
  const x = (Math.log10(kTKeV) - TABLE_LOG_KT[0]) / TABLE_STEP;
  if (!(x >= 0 && x < TABLE_N)) return softBandFractionExact(kTKeV);
  if (table === null) {
    table = new Float64Array(TABLE_N + 1);
    for (let i = 0; i <= TABLE_N; i++) {
      table[i] = softBandFractionExact(10 ** (TABLE_LOG_KT[0] + i * TABLE_STEP));
    }
  }
  const i = Math.floor(x);
  const w = x - i;
  return table[i] * (1 - w) + table[i + 1] * w;
}

const F_BAND_2KEV = softBandFractionExact(2);

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
