import assert from "node:assert/strict";
import { criticalDensityMsunPerMpc3, WMAP9_BAHAMAS } from "../cosmology/mod.ts";
import {
  convertNfwMass,
  nfwEnclosedMassFraction,
  nfwMu,
  r200cMpc,
  radiusFromMassMpc,
} from "./nfw.ts";

const C = WMAP9_BAHAMAS;

Deno.test("convertNfwMass() gives M500/M200 = 0.6919 for c = 4, as the analytic NFW solution", () => {
  // scipy brentq on mu(4x)/mu(4) = 2.5 x^3 (lib/halo/testdata/ref_halo.py)
  const out = convertNfwMass(1e14, 4, 500, 0, C);
  assert.ok(
    Math.abs(out.mMsun / 1e14 - 0.6919160695743718) < 1e-10,
    `M500/M200 = ${out.mMsun / 1e14}`,
  );
  assert.ok(Math.abs(out.rMpc / r200cMpc(1e14, 0, C) - 0.6516851169917711) < 1e-10);
  assert.ok(Math.abs(out.c - 4 * 0.6516851169917711) < 1e-9);
  const c7 = convertNfwMass(1e15, 7, 500, 0, C);
  assert.ok(Math.abs(c7.mMsun / 1e15 - 0.7616631599372172) < 1e-10);
});

Deno.test("convertNfwMass() returns a radius that encloses Delta x rho_crit", () => {
  for (const [delta, z] of [[500, 0], [2500, 0.3], [100, 0], [200, 0.5]]) {
    const out = convertNfwMass(3e14, 5, delta, z, C);
    const mean = out.mMsun / ((4 / 3) * Math.PI * out.rMpc ** 3);
    assert.ok(
      Math.abs(mean / (delta * criticalDensityMsunPerMpc3(z, C)) - 1) < 1e-10,
      `Delta ${delta}`,
    );
  }
  const same = convertNfwMass(3e14, 5, 200, 0, C);
  assert.ok(Math.abs(same.mMsun / 3e14 - 1) < 1e-12);
});

Deno.test("r200cMpc() matches (3M / 4 pi 200 rho_crit)^(1/3) computed in CGS", () => {
  // 2.062789976112276 Mpc for 1e15 Msun, h = 0.7 (ref_halo.py, CODATA G, IAU Msun)
  assert.ok(Math.abs(r200cMpc(1e15, 0, C) / 2.062789976112276 - 1) < 1e-10);
  assert.equal(radiusFromMassMpc(1e15, 200, 0, C), r200cMpc(1e15, 0, C));
});

Deno.test("nfwEnclosedMassFraction() is mu(cx)/mu(c) with mu(y) = ln(1+y) - y/(1+y)", () => {
  assert.equal(nfwEnclosedMassFraction(1, 5), 1);
  assert.equal(nfwEnclosedMassFraction(0, 5), 0);
  const y = 2.5;
  assert.ok(Math.abs(nfwMu(y) - (Math.log(1 + y) - y / (1 + y))) < 1e-15);
  assert.ok(Math.abs(nfwEnclosedMassFraction(0.5, 5) - nfwMu(2.5) / nfwMu(5)) < 1e-15);
  // small-y series agrees with the closed form
  assert.ok(
    Math.abs(nfwMu(1e-4 * 0.999) / (Math.log1p(0.999e-4) - 0.999e-4 / (1 + 0.999e-4)) - 1) < 1e-6,
  );
});

Deno.test("NFW helpers reject bad input with RangeError", () => {
  assert.throws(() => r200cMpc(-1, 0, C), RangeError);
  assert.throws(() => r200cMpc(1e14, -1, C), RangeError);
  assert.throws(() => convertNfwMass(1e14, 0, 500, 0, C), RangeError);
  assert.throws(() => convertNfwMass(1e14, 4, -500, 0, C), RangeError);
  assert.throws(() => nfwEnclosedMassFraction(-1, 4), RangeError);
});
