/**
 * Per-particle observables (paper §2.1): the tSZ quantity Upsilon (eq. 1)
 * and the X-ray luminosities, from a gas particle's mass, density and
 * temperature.
 *
 * - Upsilon = sigma_T (k_B T / m_e c^2) m / (mu_e m_H) [cm^2], mu_e = 1.14
 *   (McCarthy et al. 2018 / paper eq. 1). Summed over a pixel and divided by
 *   the pixel's physical area it is the Compton y (paper eq. 5).
 * - L = n_e n_H Lambda(T) V with V = m / rho, n_e = rho / (mu_e m_p),
 *   n_H = X rho / m_H (X = 0.752), Lambda from Tozzi & Norman (2001).
 *   Gas colder than 1e5 K is excluded from X-ray (as in BAHAMAS' maps).
 *
 * @module
 */
import {
  K_B_KEV_PER_K,
  M_E_C2_KEV,
  M_H_G,
  M_P_G,
  MPC_CM,
  MSUN_G,
  SIGMA_T_CM2,
} from "../constants/mod.ts";
import type { GasParticles } from "../particles/mod.ts";
import { MU_E, X_HYDROGEN } from "../particles/mod.ts";
import { tozziNorman01LambdaBol, tozziNorman01LambdaSoft } from "./tozzi_norman01.ts";

/** Gas below this temperature [K] emits no X-rays in the maps. */
export const XRAY_MIN_TEMPERATURE_K = 1e5;

/** Upsilon [cm^2] of one gas particle (paper eq. 1). */
export function upsilonCm2(massMsun: number, temperatureK: number): number {
  return SIGMA_T_CM2 * (K_B_KEV_PER_K * temperatureK / M_E_C2_KEV) *
    (massMsun * MSUN_G) / (MU_E * M_H_G);
}

/** Luminosities of one particle [erg/s]: n_e n_H Lambda V (0 below 1e5 K). */
export function xrayLuminosityErgPerS(
  massMsun: number,
  densityMsunPerMpc3: number,
  temperatureK: number,
  band: "bol" | "soft",
): number {
  if (temperatureK < XRAY_MIN_TEMPERATURE_K) return 0;
  const kT = K_B_KEV_PER_K * temperatureK;
  const lambda = band === "bol" ? tozziNorman01LambdaBol(kT) : tozziNorman01LambdaSoft(kT);
  const rho = densityMsunPerMpc3 * MSUN_G / (MPC_CM * MPC_CM * MPC_CM); // g cm^-3
  const m = massMsun * MSUN_G;
  // n_e n_H V = (rho/(mu_e m_p)) (X rho/m_H) (m/rho)
  return (rho / (MU_E * M_P_G)) * (X_HYDROGEN * rho / M_H_G) * (m / rho) * lambda;
}

/** Per-particle observables of a gas set. */
export interface GasObservables {
  /** Upsilon [cm^2]. */
  upsilonCm2: Float64Array;
  /** Soft-band (0.5-2 keV rest frame) luminosity [erg/s]. */
  lSoftErgPerS: Float64Array;
  /** Bolometric luminosity [erg/s]. */
  lBolErgPerS: Float64Array;
}

/** Compute Upsilon and X-ray luminosities for every gas particle. */
export function gasObservables(gas: GasParticles): GasObservables {
  const n = gas.count;
  const ups = new Float64Array(n);
  const ls = new Float64Array(n);
  const lb = new Float64Array(n);
  const upsF = SIGMA_T_CM2 * K_B_KEV_PER_K / M_E_C2_KEV * MSUN_G / (MU_E * M_H_G);
  const rhoF = MSUN_G / (MPC_CM * MPC_CM * MPC_CM);
  const emF = X_HYDROGEN / (MU_E * M_P_G * M_H_G);
  for (let i = 0; i < n; i++) {
    const t = gas.temperatureK[i];
    const m = gas.massMsun[i];
    ups[i] = upsF * t * m;
    if (t < XRAY_MIN_TEMPERATURE_K) continue;
    const kT = K_B_KEV_PER_K * t;
    const rho = gas.densityMsunPerMpc3[i] * rhoF;
    const em = emF * rho * m * MSUN_G; // n_e n_H V [cm^-3]
    lb[i] = em * tozziNorman01LambdaBol(kT);
    ls[i] = em * tozziNorman01LambdaSoft(kT);
  }
  return { upsilonCm2: ups, lSoftErgPerS: ls, lBolErgPerS: lb };
}
