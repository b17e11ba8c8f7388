import assert from "node:assert/strict";
import { linearGrowthFactor, WMAP9_BAHAMAS } from "../cosmology/mod.ts";
import {
  lagrangianRadiusMpc,
  linearPowerMpc3,
  sigmaM,
  sigmaMWithSlope,
  sigmaR,
} from "./power_spectrum.ts";

const C = WMAP9_BAHAMAS;

/** Independent top-hat variance: composite Simpson in ln k over P(k) from the public API. */
function sigmaSimpson(rMpc: number, z: number): number {
  const lo = Math.log(1e-5);
  const hi = Math.log(2e2 / rMpc);
  const n = 20000;
  const dx = (hi - lo) / n;
  let sum = 0;
  for (let i = 0; i <= n; i++) {
    const k = Math.exp(lo + i * dx);
    const x = k * rMpc;
    const w = 3 * (Math.sin(x) - x * Math.cos(x)) / (x * x * x);
    const f = (k ** 3 * linearPowerMpc3(k, z, C) * w * w) / (2 * Math.PI * Math.PI);
    sum += (i === 0 || i === n ? 1 : i % 2 ? 4 : 2) * f;
  }
  return Math.sqrt((sum * dx) / 3);
}

Deno.test("sigma8 is recovered from the normalised P(k) at R = 8/h Mpc to 1e-3", () => {
  const s8 = sigmaSimpson(8 / C.h, 0);
  assert.ok(Math.abs(s8 / C.sigma8 - 1) < 1e-3, `sigma(8/h Mpc) = ${s8}, expected ${C.sigma8}`);
  assert.ok(Math.abs(sigmaR(8 / C.h, 0, C) - C.sigma8) < 1e-9);
});

Deno.test("sigmaR() agrees with an independent Simpson integration at 1 and 20 Mpc", () => {
  for (const r of [1, 20]) {
    const ref = sigmaSimpson(r, 0);
    const got = sigmaR(r, 0, C);
    assert.ok(Math.abs(got / ref - 1) < 1e-3, `sigma(${r} Mpc) = ${got}, Simpson ${ref}`);
  }
});

Deno.test("sigmaR() and P(k) scale with the linear growth factor", () => {
  const d = linearGrowthFactor(0.5, C);
  assert.ok(Math.abs(sigmaR(5, 0.5, C) / sigmaR(5, 0, C) - d) < 1e-12);
  assert.ok(Math.abs(linearPowerMpc3(0.2, 0.5, C) / linearPowerMpc3(0.2, 0, C) - d * d) < 1e-12);
});

Deno.test("sigmaM() uses the comoving mean matter density for the Lagrangian radius", () => {
  // rho_m = 0.2793 * 2.77536627e11 * 0.49 Msun/Mpc^3 (PDG rho_crit); R = (3M / 4 pi rho_m)^(1/3)
  const rho = 0.2793 * 2.77536627e11 * 0.49;
  const m = 1e14;
  const r = Math.cbrt((3 * m) / (4 * Math.PI * rho));
  assert.ok(Math.abs(lagrangianRadiusMpc(m, C) / r - 1) < 1e-4);
  assert.equal(sigmaM(m, 0, C), sigmaR(lagrangianRadiusMpc(m, C), 0, C));
  // Plausible cluster-scale values for sigma8 = 0.82 (e.g. Tinker et al. 2008 Fig. 1): sigma(1e14) ~ 1, sigma(1e15) ~ 0.6
  assert.ok(sigmaM(1e14, 0, C) > 0.9 && sigmaM(1e14, 0, C) < 1.1);
  assert.ok(sigmaM(1e15, 0, C) > 0.5 && sigmaM(1e15, 0, C) < 0.7);
});

Deno.test("sigmaMWithSlope() slope matches a finite difference of sigmaM()", () => {
  for (const m of [1e12, 1e14, 1e15]) {
    const eps = 1e-3;
    const fd =
      (Math.log(sigmaM(m * Math.exp(eps), 0, C)) - Math.log(sigmaM(m * Math.exp(-eps), 0, C))) /
      (2 * eps);
    const { dlnSigmaDlnM } = sigmaMWithSlope(m, 0, C);
    assert.ok(Math.abs(dlnSigmaDlnM / fd - 1) < 1e-4, `M = ${m}: ${dlnSigmaDlnM} vs ${fd}`);
  }
});

Deno.test("power-spectrum functions reject bad input with RangeError", () => {
  assert.throws(() => sigmaM(-1e14, 0, C), RangeError);
  assert.throws(() => sigmaM(1e14, -0.1, C), RangeError);
  assert.throws(() => sigmaR(0, 0, C), RangeError);
  assert.throws(() => linearPowerMpc3(0.1, -1, C), RangeError);
  assert.throws(() => linearPowerMpc3(-0.1, 0, C), RangeError);
});
