import assert from "node:assert/strict";
import { linearGrowthFactor, WMAP9_BAHAMAS } from "../cosmology/mod.ts";
import { linearCorrelationFunction, makeLinearCorrelationInterpolator } from "./correlation.ts";
import { linearPowerMpc3, sigmaR } from "./power_spectrum.ts";

const C = WMAP9_BAHAMAS;

Deno.test("linearCorrelationFunction() at 10 Mpc matches a brute-force Simpson integral", () => {
  // Independent: Simpson on a uniform k grid (dk = 4e-4 Mpc^-1, k < 60 Mpc^-1) of
  // k^2 P(k) sin(kr)/(kr) / (2 pi^2) without damping; converged to ~2e-4 (k-cut tail).
  const r = 10;
  const dk = 4e-4;
  const n = 150000;
  let s = 0;
  for (let i = 0; i <= n; i++) {
    const k = i * dk + 1e-12;
    s += (i === 0 || i === n ? 1 : i % 2 ? 4 : 2) * k * k * linearPowerMpc3(k, 0, C) *
      Math.sin(k * r) / (k * r);
  }
  const ref = (s * dk) / 3 / (2 * Math.PI * Math.PI);
  const got = linearCorrelationFunction(r, 0, C);
  assert.ok(Math.abs(got / ref - 1) < 1e-3, `xi(10 Mpc) = ${got}, brute force ${ref}`);
});

Deno.test("linearCorrelationFunction() is consistent with sigma(R) through the top-hat average", () => {
  // sigma^2(R) = int d^3r1 d^3r2 W W xi(|r1 - r2|) = int_0^{2R} xi(r) K(r/R) 3 r^2 dr / R^3 with
  // K(x) = 1 - 3x/4 + x^3/16 (overlap of two spheres); Simpson in r on [0, 2R].
  const rTop = 8;
  const n = 400;
  const dr = (2 * rTop) / n;
  let s = 0;
  for (let i = 1; i <= n; i++) {
    const r = i * dr;
    const x = r / rTop;
    const kern = 1 - 0.75 * x + (x * x * x) / 16;
    s += (i === n ? 1 : i % 2 ? 4 : 2) * linearCorrelationFunction(r, 0, C) * kern * 3 * r * r;
  }
  const sigma2 = (s * dr) / 3 / rTop ** 3;
  const ref = sigmaR(rTop, 0, C) ** 2;
  assert.ok(Math.abs(sigma2 / ref - 1) < 5e-3, `from xi ${sigma2}, sigma^2 ${ref}`);
});

Deno.test("makeLinearCorrelationInterpolator() follows the direct integral and D(z)^2", () => {
  const f = makeLinearCorrelationInterpolator(0.05, C);
  for (const r of [0.7, 3.3, 12.5, 47]) {
    const exact = linearCorrelationFunction(r, 0.05, C);
    assert.ok(Math.abs(f(r) / exact - 1) < 1e-4, `r = ${r}: ${f(r)} vs ${exact}`);
  }
  const d = linearGrowthFactor(0.05, C);
  assert.ok(
    Math.abs(linearCorrelationFunction(5, 0.05, C) / linearCorrelationFunction(5, 0, C) - d * d) <
      1e-12,
  );
  assert.equal(f(500), 0);
  assert.throws(() => f(-1), RangeError);
});

Deno.test("linearCorrelationFunction() rejects bad input with RangeError", () => {
  assert.throws(() => linearCorrelationFunction(0, 0, C), RangeError);
  assert.throws(() => linearCorrelationFunction(5, -0.1, C), RangeError);
});
