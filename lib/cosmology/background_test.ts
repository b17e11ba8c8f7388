import assert from "node:assert/strict";
import {
  angularDiameterDistanceMpc,
  comovingDistanceMpc,
  comovingMeanMatterDensityMsunPerMpc3,
  criticalDensityMsunPerMpc3,
  hubbleE,
  hubbleKmPerSPerMpc,
  luminosityDistanceMpc,
  meanMatterDensityMsunPerMpc3,
  omegaMz,
  redshiftAtComovingDistance,
} from "./background.ts";
import { type Cosmology, WMAP9_BAHAMAS } from "./parameters.ts";

const C = WMAP9_BAHAMAS;

function assertRel(actual: number, expected: number, tol: number, what: string) {
  const rel = Math.abs(actual / expected - 1);
  assert.ok(rel <= tol, `${what}: got ${actual}, expected ${expected} (rel. err. ${rel} > ${tol})`);
}

// Reference distances: scipy.integrate.quad (epsrel 1e-13) of (c/H0)/E(z) with
// c = 299792.458 km/s, h = 0.7, Omega_m = 0.2793, Omega_L = 0.7207 (an
// independent code path; script lib/cosmology/testdata/ref_cosmo.py reproduced in the report).
const REF = [
  { z: 0.05, dc: 211.8682319358789, da: 201.77926851036085, dl: 222.46164353267284 },
  { z: 0.5, dc: 1902.375627885922, da: 1268.2504185906148, dl: 2853.5634418288832 },
];

Deno.test("comovingDistanceMpc() matches an independent quadrature at z = 0.05 and 0.5", () => {
  for (const r of REF) assertRel(comovingDistanceMpc(r.z, C), r.dc, 1e-9, `D_C(${r.z})`);
});

Deno.test("angularDiameterDistanceMpc() matches an independent quadrature at z = 0.05 and 0.5", () => {
  for (const r of REF) assertRel(angularDiameterDistanceMpc(r.z, C), r.da, 1e-9, `D_A(${r.z})`);
});

Deno.test("luminosityDistanceMpc() matches an independent quadrature at z = 0.05 and 0.5", () => {
  for (const r of REF) assertRel(luminosityDistanceMpc(r.z, C), r.dl, 1e-9, `D_L(${r.z})`);
});

Deno.test("comovingDistanceMpc() agrees with a Simpson integration at z = 3", () => {
  // Independent composite Simpson rule with 20000 intervals (error ~1e-14).
  const n = 20000;
  const z = 3;
  const f = (x: number) => 1 / Math.sqrt(C.omegaM * (1 + x) ** 3 + C.omegaL);
  let s = f(0) + f(z);
  for (let i = 1; i < n; i++) s += (i % 2 ? 4 : 2) * f((i * z) / n);
  const ref = ((299792.458 / 70) * s * (z / n)) / 3;
  assertRel(comovingDistanceMpc(z, C), ref, 1e-9, "D_C(3)");
});

Deno.test("distances at low redshift approach the Hubble law cz/H0", () => {
  // D_C = (c z/H0)(1 - (1+q0) z/2 + ...), q0 = 1.5 Omega_m - 1 (Hogg 1999).
  const z = 1e-4;
  const q0 = 1.5 * C.omegaM - 1;
  assertRel(
    comovingDistanceMpc(z, C),
    ((299792.458 * z) / 70) * (1 - ((1 + q0) * z) / 2),
    1e-8,
    "D_C",
  );
  assert.equal(comovingDistanceMpc(0, C), 0);
});

Deno.test("criticalDensityMsunPerMpc3() is 2.775e11 h^2 Msun/Mpc^3 today", () => {
  // 2.77536627e11 h^2 Msun/Mpc^3 (PDG 2022 Astrophysical constants table:
  // rho_c = 1.87834e-29 h^2 g/cm^3 = 2.775e11 h^2 Msun/Mpc^3), h = 0.7.
  assertRel(criticalDensityMsunPerMpc3(0, C), 2.77536627e11 * 0.49, 1e-4, "rho_crit,0");
  // 3 H^2/(8 pi G) evaluated in CGS and converted (scipy script, independent units path).
  assertRel(criticalDensityMsunPerMpc3(0, C), 135992938507.13344, 1e-10, "rho_crit,0 cgs");
  assertRel(criticalDensityMsunPerMpc3(0.05, C), 141979981727.29324, 1e-10, "rho_crit(0.05)");
  assertRel(criticalDensityMsunPerMpc3(0.5, C), 226202154354.10913, 1e-10, "rho_crit(0.5)");
});

Deno.test("mean matter densities are Omega_m rho_crit, physical scaling as (1+z)^3", () => {
  const rho0 = criticalDensityMsunPerMpc3(0, C);
  assertRel(comovingMeanMatterDensityMsunPerMpc3(C), C.omegaM * rho0, 1e-14, "comoving");
  assertRel(meanMatterDensityMsunPerMpc3(0.5, C), C.omegaM * rho0 * 3.375, 1e-14, "physical");
  assertRel(
    meanMatterDensityMsunPerMpc3(0.5, C),
    omegaMz(0.5, C) * criticalDensityMsunPerMpc3(0.5, C),
    1e-12,
    "Omega_m(z) rho_crit(z)",
  );
});

Deno.test("hubbleE() and omegaMz() have the flat Lambda-CDM values", () => {
  assert.equal(hubbleE(0, C), 1);
  assertRel(hubbleKmPerSPerMpc(0, C), 70, 1e-14, "H0");
  // E(1)^2 = 0.2793 * 8 + 0.7207 = 2.9551
  assertRel(hubbleE(1, C), Math.sqrt(2.9551), 1e-14, "E(1)");
  assertRel(omegaMz(1, C), (0.2793 * 8) / 2.9551, 1e-14, "Omega_m(1)");
  assertRel(omegaMz(0, C), 0.2793, 1e-14, "Omega_m(0)");
});

Deno.test("redshiftAtComovingDistance() inverts comovingDistanceMpc()", () => {
  for (const z of [0, 0.01, 0.05, 0.5, 2.5]) {
    const back = redshiftAtComovingDistance(comovingDistanceMpc(z, C), C);
    assert.ok(Math.abs(back - z) < 1e-10, `z = ${z}: got ${back}`);
  }
});

Deno.test("negative or non-finite redshifts throw RangeError", () => {
  assert.throws(() => comovingDistanceMpc(-0.1, C), RangeError);
  assert.throws(() => angularDiameterDistanceMpc(Number.NaN, C), RangeError);
  assert.throws(() => criticalDensityMsunPerMpc3(-1, C), RangeError);
  assert.throws(() => hubbleE(Infinity, C), RangeError);
  assert.throws(() => redshiftAtComovingDistance(-5, C), RangeError);
});

Deno.test("a non-flat or inconsistent cosmology throws RangeError", () => {
  const open: Cosmology = { ...C, omegaL: 0.6 };
  assert.throws(() => comovingDistanceMpc(0.1, open), /flat/);
  const bad: Cosmology = { ...C, omegaB: 0.1 };
  assert.throws(() => hubbleE(0.1, bad), /omegaB \+ omegaC/);
  assert.throws(() => hubbleE(0.1, { ...C, h: -1 }), /h must be > 0/);
});
