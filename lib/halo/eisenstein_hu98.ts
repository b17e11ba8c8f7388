/**
 * Eisenstein & Hu (1998, ApJ 496, 605; "EH98") fitting formulae for the
 * linear matter transfer function of cold dark matter plus baryons.
 *
 * @module
 */
import type { Cosmology } from "../cosmology/mod.ts";
import { validateCosmology } from "../cosmology/mod.ts";

/** Cosmology-dependent EH98 scales and coefficients (independent of k). */
interface Eh98Coefficients {
  theta: number;
  omegaMh2: number;
  fb: number;
  fc: number;
  kEq: number;
  s: number;
  kSilk: number;
  alphaC: number;
  betaC: number;
  alphaB: number;
  betaB: number;
  betaNode: number;
}

/** EH98 eqs. 2-7, 11-15, 23-24 (k-independent parts). */
function eh98Coefficients(cosmo: Cosmology): Eh98Coefficients {
  const theta = cosmo.tcmbK / 2.7;
  const h2 = cosmo.h * cosmo.h;
  const om = cosmo.omegaM * h2; // omega_0 h^2
  const ob = cosmo.omegaB * h2;
  const fb = cosmo.omegaB / cosmo.omegaM;
  const fc = cosmo.omegaC / cosmo.omegaM;
  const theta4 = theta ** 4;
  const zEq = 2.5e4 * om / theta4; // eq. 2
  const kEq = 7.46e-2 * om / (theta * theta); // eq. 3 [Mpc^-1]
  const b1 = 0.313 * om ** -0.419 * (1 + 0.607 * om ** 0.674); // eq. 4
  const b2 = 0.238 * om ** 0.223;
  const zD = (1291 * om ** 0.251 / (1 + 0.659 * om ** 0.828)) * (1 + b1 * ob ** b2);
  // As in Eisenstein & Hu's reference code tf_fit.c, eq. 2 is treated as 1 + z_eq and
  // R_d is evaluated at 1 + z_d (eq. 5: R = 31.5 omega_b theta^-4 (1000 / (1 + z))).
  const rOf = (onePlusZ: number) => (31.5 * ob) / theta4 * (1000 / onePlusZ); // eq. 5
  const rD = rOf(1 + zD);
  const rEq = rOf(zEq);
  const s = (2 / (3 * kEq)) * Math.sqrt(6 / rEq) *
    Math.log((Math.sqrt(1 + rD) + Math.sqrt(rD + rEq)) / (1 + Math.sqrt(rEq))); // eq. 6 [Mpc]
  const kSilk = 1.6 * ob ** 0.52 * om ** 0.73 * (1 + (10.4 * om) ** -0.95); // eq. 7
  const a1 = (46.9 * om) ** 0.67 * (1 + (32.1 * om) ** -0.532); // eq. 11
  const a2 = (12.0 * om) ** 0.424 * (1 + (45.0 * om) ** -0.582);
  const alphaC = a1 ** -fb * a2 ** -(fb ** 3);
  const bb1 = 0.944 / (1 + (458 * om) ** -0.708); // eq. 12
  const bb2 = (0.395 * om) ** -0.0266;
  const betaC = 1 / (1 + bb1 * (fc ** bb2 - 1));
  const y = zEq / (1 + zD); // eq. 15 (1 + z_eq = zEq, as in tf_fit.c)
  const sq = Math.sqrt(1 + y);
  const g = y * (-6 * sq + (2 + 3 * y) * Math.log((sq + 1) / (sq - 1)));
  const alphaB = 2.07 * kEq * s * (1 + rD) ** -0.75 * g; // eq. 14
  const betaB = 0.5 + fb + (3 - 2 * fb) * Math.sqrt((17.2 * om) ** 2 + 1); // eq. 24
  const betaNode = 8.41 * om ** 0.435; // eq. 23
  return { theta, omegaMh2: om, fb, fc, kEq, s, kSilk, alphaC, betaC, alphaB, betaB, betaNode };
}

/** EH98 eqs. 19-20: the pressureless transfer function T0~(k, alpha_c, beta_c). */
function tZero(q: number, alpha: number, beta: number): number {
  const l = Math.log(Math.E + 1.8 * beta * q);
  const c = 14.2 / alpha + 386 / (1 + 69.9 * q ** 1.08);
  return l / (l + c * q * q);
}

function assertWavenumber(kMpcInv: number, what: string): void {
  if (!(Number.isFinite(kMpcInv) && kMpcInv >= 0)) {
    throw new RangeError(`Cannot compute ${what}: kMpcInv must be finite and >= 0, got ${kMpcInv}`);
  }
}

/**
 * Build the full EH98 transfer function (with baryon acoustic oscillations)
 * for one cosmology: the k-independent coefficients are computed once.
 * Use this in loops; {@link eisensteinHu98Transfer} is the one-off form.
 *
 * @returns T(k) for k in Mpc^-1 (not h/Mpc); T(0) = 1.
 */
export function makeEisensteinHu98Transfer(cosmo: Cosmology): (kMpcInv: number) => number {
  validateCosmology(cosmo);
  const co = eh98Coefficients(cosmo);
  return (k: number) => {
    if (k === 0) return 1;
    const q = k / (13.41 * co.kEq); // eq. 10
    const ks = k * co.s;
    // CDM part, eqs. 17-18
    const f = 1 / (1 + (ks / 5.4) ** 4);
    const tc = f * tZero(q, 1, co.betaC) + (1 - f) * tZero(q, co.alphaC, co.betaC);
    // baryon part, eqs. 21-22
    const sTilde = co.s / Math.cbrt(1 + (co.betaNode / ks) ** 3);
    const x = k * sTilde;
    const j0 = x < 1e-6 ? 1 - x * x / 6 : Math.sin(x) / x;
    const tb = (tZero(q, 1, 1) / (1 + (ks / 5.2) ** 2) +
      (co.alphaB / (1 + (co.betaB / ks) ** 3)) * Math.exp(-((k / co.kSilk) ** 1.4))) * j0;
    return co.fb * tb + co.fc * tc; // eq. 16
  };
}

/**
 * Eisenstein & Hu (1998) transfer function of CDM + baryons, the FULL form
 * with baryon acoustic oscillations (EH98 eqs. 16-24), massless neutrinos.
 *
 * @param kMpcInv Comoving wavenumber [Mpc^-1] (not h/Mpc).
 * @param cosmo Cosmology (uses h, omegaM, omegaB, omegaC, tcmbK).
 * @returns T(k), dimensionless, -> 1 as k -> 0.
 * @throws {RangeError} if k is negative or not finite.
 */
export function eisensteinHu98Transfer(kMpcInv: number, cosmo: Cosmology): number {
  assertWavenumber(kMpcInv, "the EH98 transfer function");
  return makeEisensteinHu98Transfer(cosmo)(kMpcInv);
}

/**
 * Eisenstein & Hu (1998) "no-wiggle" transfer function (EH98 eqs. 26, 28-31):
 * the zero-baryon form with the baryon-suppressed shape parameter Gamma_eff;
 * no acoustic oscillations. Provided for comparison and smooth-spectrum uses.
 *
 * @param kMpcInv Comoving wavenumber [Mpc^-1].
 */
export function eisensteinHu98NoWiggleTransfer(kMpcInv: number, cosmo: Cosmology): number {
  assertWavenumber(kMpcInv, "the EH98 no-wiggle transfer function");
  validateCosmology(cosmo);
  if (kMpcInv === 0) return 1;
  const theta = cosmo.tcmbK / 2.7;
  const h2 = cosmo.h * cosmo.h;
  const om = cosmo.omegaM * h2;
  const ob = cosmo.omegaB * h2;
  const fb = cosmo.omegaB / cosmo.omegaM;
  const alphaGamma = 1 - 0.328 * Math.log(431 * om) * fb + 0.38 * Math.log(22.3 * om) * fb * fb; // eq. 31
  const s = 44.5 * Math.log(9.83 / om) / Math.sqrt(1 + 10 * ob ** 0.75); // eq. 26 [Mpc]
  const gammaEff = cosmo.omegaM * cosmo.h *
    (alphaGamma + (1 - alphaGamma) / (1 + (0.43 * kMpcInv * s) ** 4)); // eq. 30
  const q = (kMpcInv * theta * theta) / gammaEff / cosmo.h; // eq. 28 (k in h/Mpc inside)
  const l0 = Math.log(2 * Math.E + 1.8 * q); // eq. 29
  const c0 = 14.2 + 731 / (1 + 62.5 * q);
  return l0 / (l0 + c0 * q * q);
}
