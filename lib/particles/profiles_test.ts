import assert from "node:assert/strict";
import { WMAP9_BAHAMAS } from "../cosmology/mod.ts";
import { arnaud10Gnfw, arnaud10PressureKeVPerCm3 } from "./arnaud10_pressure.ts";
import { vikhlinin06NpNe } from "./vikhlinin06.ts";
import { moster13StellarMassMsun } from "./moster13.ts";
import { drawGiocoli08Subhaloes, giocoli08SubhaloMassFunction } from "./giocoli08.ts";
import { Rng } from "../random/mod.ts";

const rel = (a: number, b: number) => Math.abs(a / b - 1);

Deno.test("vikhlinin06NpNe() matches Vikhlinin et al. (2006) eq. 3 at tabulated radii", () => {
  const p = {
    rcMpc: 0.15,
    alpha: 0.5,
    beta: 0.65,
    rsMpc: 1.0,
    eps: 3.0,
    gamma: 3,
    n02OverN0: 2.0,
    rc2Mpc: 0.03,
    beta2: 1.0,
  };
  // Independent python evaluation of eq. 3 with n0 = 1:
  assert.ok(rel(vikhlinin06NpNe(0.3, p), 0.0446378558560606) < 1e-12);
  assert.ok(rel(vikhlinin06NpNe(1.2, p), 0.0001073153580484534) < 1e-12);
});

Deno.test("arnaud10Gnfw() matches the GNFW of Arnaud et al. (2010) eq. 12 and its Y integral", () => {
  // python with P0 = 8.403, c500 = 1.177, gamma = 0.3081, alpha = 1.0510, beta = 5.4905:
  const table: [number, number][] = [
    [0.1, 9.905591943917317],
    [0.5, 1.0607002127607255],
    [1, 0.16866812247211216],
    [2, 0.014201095488934036],
  ];
  for (const [x, v] of table) assert.ok(rel(arnaud10Gnfw(x), v) < 1e-12, `x = ${x}`);
  // Arnaud et al. (2010) eq. 25: I(1) = int_0^1 3 p(x) x^2 dx = 0.6145 (published).
  let s = 0;
  const n = 20000, lo = Math.log(1e-8);
  for (let i = 0; i < n; i++) {
    const lx = lo + ((i + 0.5) / n) * -lo;
    const x = Math.exp(lx);
    s += 3 * arnaud10Gnfw(x) * x ** 3 * (-lo / n);
  }
  assert.ok(Math.abs(s - 0.6145) < 0.002, `I(1) = ${s}`);
});

Deno.test("arnaud10PressureKeVPerCm3() includes the mass dependence alpha_P + alpha'_P(x)", () => {
  // Eq. 13 at z = 0, h70 = 1 (python): P(0.5, 3e14) = 1.750155e-3, P(0.2, 1e15) = 2.337141e-2,
  // P(2, 1e14) = 1.122303e-5 keV cm^-3.
  const c = { ...WMAP9_BAHAMAS, h: 0.7 };
  const opts = { cosmology: c };
  assert.ok(rel(arnaud10PressureKeVPerCm3(0.5, 3e14, opts), 0.001750155351055197) < 1e-9);
  assert.ok(rel(arnaud10PressureKeVPerCm3(0.2, 1e15, opts), 0.023371414385207036) < 1e-9);
  assert.ok(rel(arnaud10PressureKeVPerCm3(2, 1e14, opts), 1.1223028956708078e-5) < 1e-9);
  assert.throws(() => arnaud10PressureKeVPerCm3(0, 1e14, opts), RangeError);
});

Deno.test("moster13StellarMassMsun() gives M*/M at 1e12 and 1e14 Msun as computed by hand", () => {
  // 2 N / [(M/M1)^-beta + (M/M1)^gamma], M1 = 10^11.59, N = 0.0351, beta = 1.376, gamma = 0.608:
  // M = 1e12: 0.03427515; M = 1e14: 0.0024046392 (python).
  assert.ok(rel(moster13StellarMassMsun(1e12) / 1e12, 0.03427515185606664) < 1e-9);
  assert.ok(rel(moster13StellarMassMsun(1e14) / 1e14, 0.002404639232847098) < 1e-9);
  assert.throws(() => moster13StellarMassMsun(-1), RangeError);
});

Deno.test("drawGiocoli08Subhaloes() draws as many subhaloes as eq. 2 integrates to", () => {
  const host = 1e14;
  const mMin = 1e11;
  // dN/dln(m/M) = 0.21 x^-0.8 exp(-6.283 x^3), x = m/(0.8 M): midpoint integral over ln(m/M).
  assert.ok(
    rel(
      giocoli08SubhaloMassFunction(0.01),
      0.21 * (0.0125) ** -0.8 * Math.exp(-6.283 * 0.0125 ** 3),
    ) < 1e-12,
  );
  let expected = 0;
  const n = 100000, lo = Math.log(mMin / host);
  for (let i = 0; i < n; i++) {
    const l = lo + ((i + 0.5) / n) * (0 - lo);
    const x = Math.exp(l) / 0.8;
    expected += 0.21 * x ** -0.8 * Math.exp(-6.283 * x ** 3) * (-lo / n);
  }
  const rng = new Rng(4);
  let total = 0, above = 0;
  const draws = 300;
  for (let i = 0; i < draws; i++) {
    const s = drawGiocoli08Subhaloes(host, rng, { minMassMsun: mMin });
    total += s.length;
    above += s.filter((m) => m > 1e12).length;
    for (let j = 1; j < s.length; j++) assert.ok(s[j] <= s[j - 1]);
  }
  assert.ok(Math.abs(total / draws / expected - 1) < 0.03, `${total / draws} vs ${expected}`);
  assert.ok(above > 0);
});
