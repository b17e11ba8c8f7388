import assert from "node:assert/strict";
import { linearGrowthFactor } from "./growth.ts";
import { type Cosmology, WMAP9_BAHAMAS } from "./parameters.ts";
import { omegaMz } from "./background.ts";

const C = WMAP9_BAHAMAS;

Deno.test("linearGrowthFactor() matches an independent ODE integration", () => {
  // Reference: scipy solve_ivp (rtol 1e-12) of D'' + (2 + dlnE/dlna) D' = 1.5 Omega_m(a) D
  // in ln a from a = 1e-4 with D = a (script lib/cosmology/testdata/ref_cosmo.py), normalised at z = 0.
  const ref: [number, number][] = [[0.5, 0.779377794831657], [1, 0.6192621593458799], [
    2,
    0.4278698419562396,
  ]];
  for (const [z, d] of ref) {
    const got = linearGrowthFactor(z, C);
    assert.ok(Math.abs(got / d - 1) < 1e-8, `D(${z}) = ${got}, expected ${d}`);
  }
  assert.equal(linearGrowthFactor(0, C), 1);
});

Deno.test("linearGrowthFactor() is close to the Carroll, Press & Turner (1992) fit", () => {
  // CPT92 eq. 29: g(z) = 2.5 Om(z) / [Om^(4/7) - OL + (1 + Om/2)(1 + OL/70)], accurate to ~1%.
  const g = (z: number) => {
    const om = omegaMz(z, C);
    const ol = 1 - om;
    return (2.5 * om) / (om ** (4 / 7) - ol + (1 + om / 2) * (1 + ol / 70));
  };
  for (const z of [0.3, 1, 3]) {
    const cpt = g(z) / (1 + z) / g(0);
    const got = linearGrowthFactor(z, C);
    assert.ok(Math.abs(got / cpt - 1) < 0.01, `D(${z}) = ${got}, CPT92 ${cpt}`);
  }
});

Deno.test("linearGrowthFactor() is the scale factor in an Einstein-de Sitter universe", () => {
  const eds: Cosmology = { ...C, omegaM: 1, omegaC: 1 - C.omegaB, omegaL: 0 };
  for (const z of [0.5, 4]) {
    assert.ok(Math.abs(linearGrowthFactor(z, eds) * (1 + z) - 1) < 1e-12);
  }
});

Deno.test("linearGrowthFactor() rejects negative redshift", () => {
  assert.throws(() => linearGrowthFactor(-0.5, C), RangeError);
});

Deno.test("linearGrowthFactor() matches the py_cosmo_mad growth in CCL's EH benchmark", () => {
  // D(z)^2 = P(k, z) / P(k, 0) at k = 1e-3 h/Mpc from LSSTDESC/CCL
  // benchmarks/data/model1_nowig_pk_eh.txt (Omega_m = 0.3, flat, no radiation).
  const cosmo: Cosmology = { ...C, omegaM: 0.3, omegaB: 0.05, omegaC: 0.25, omegaL: 0.7 };
  const p0 = 3.87233189253593946e3;
  const ref: [number, number][] = [[1, 1.449438144778402147e3], [2, 6.877899417485541562e2], [
    5,
    1.765701540742688849e2,
  ]];
  for (const [z, p] of ref) {
    const d2 = linearGrowthFactor(z, cosmo) ** 2;
    assert.ok(Math.abs(d2 / (p / p0) - 1) < 1e-8, `D(${z})^2 = ${d2}, benchmark ${p / p0}`);
  }
});
