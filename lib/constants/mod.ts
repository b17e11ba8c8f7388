/**
 * Physical and astronomical constants in CGS units unless the name says
 * otherwise. Values: CODATA 2018 (physics.nist.gov/constants) and IAU 2015
 * Resolution B3 (nominal solar mass parameter; GM_sun / G with CODATA G).
 *
 * @example
 * ```ts
 * import { MPC_CM } from "./mod.ts";
 * if (Math.abs(MPC_CM / 3.0857e24 - 1) > 1e-4) throw new Error("1 Mpc is 3.0857e24 cm");
 * ```
 * @module
 */

/** Newton's constant [cm^3 g^-1 s^-2] (CODATA 2018). */
export const G_CGS = 6.6743e-8;
/** Speed of light [cm s^-1] (exact). */
export const C_CM_PER_S = 2.99792458e10;
/** Speed of light [km s^-1] (exact). */
export const C_KM_PER_S = 299792.458;
/** Boltzmann constant [erg K^-1] (exact, SI 2019). */
export const K_B_ERG_PER_K = 1.380649e-16;
/** Boltzmann constant [keV K^-1]. */
export const K_B_KEV_PER_K = 8.617333262e-8;
/** Proton mass [g] (CODATA 2018). */
export const M_P_G = 1.67262192369e-24;
/** Hydrogen atom mass [g] (1.00782503 u, AME 2016; u = 1.66053906660e-24 g). */
export const M_H_G = 1.6735575e-24;
/** Electron mass [g] (CODATA 2018). */
export const M_E_G = 9.1093837015e-28;
/** Electron rest energy [keV] (CODATA 2018). */
export const M_E_C2_KEV = 510.99895;
/** Thomson cross-section [cm^2] (CODATA 2018). */
export const SIGMA_T_CM2 = 6.6524587321e-25;
/** Solar mass [g] (IAU 2015 nominal GM_sun = 1.3271244e26 cm^3 s^-2 over CODATA 2018 G). */
export const MSUN_G = 1.98841e33;
/** Megaparsec [cm] (IAU 2012 au; 1 pc = 648000/pi au). */
export const MPC_CM = 3.085677581491367e24;
/** Kiloparsec [cm]. */
export const KPC_CM = 3.085677581491367e21;
/** Kiloelectronvolt [erg]. */
export const KEV_ERG = 1.602176634e-9;
/** Arcminutes per radian. */
export const ARCMIN_PER_RAD = 10800 / Math.PI;
/** Newton's constant [Mpc (km/s)^2 Msun^-1]. */
export const G_MPC_KM2_PER_S2_MSUN = (G_CGS * MSUN_G) / (MPC_CM * 1e10);
