/**
 * The mock against published cluster scaling relations, measured on a small
 * simulated sample (3D spherical apertures, no noise). Tolerances are generous
 * (the sample is small and the relations' own scatter is 0.1-0.3 dex) but
 * tight enough to catch a wrong unit, a missing factor of (1+z) or h, or a
 * broken mass scaling.
 */
import assert from "node:assert/strict";
import { WMAP9_BAHAMAS } from "../cosmology/mod.ts";
import { duffy08Concentration } from "../halo/mod.ts";
import { gasObservables } from "../observe/mod.ts";
import { fitLogPowerLaw, integrateObservables } from "./integrated.ts";
import { Rng } from "../random/mod.ts";
import { derivedHalo, generateClusterParticles } from "../particles/mod.ts";

const cosmology = WMAP9_BAHAMAS;

function sample(n: number) {
  const rng = new Rng(2020);
  const rows = [];
  for (let i = 0; i < n; i++) {
    const m200 = Math.pow(10, 13 + (2 * (i + 0.5)) / n); // 1e13..1e15, log-uniform
    const h = derivedHalo(m200, duffy08Concentration(m200, 0, cosmology) * rng.logNormalDex(0.13), {
      cosmology,
    });
    const p = generateClusterParticles(h, rng.fork(i), { cosmology });
    const io = integrateObservables(p, gasObservables(p.gas), h);
    rows.push({ h, io, bcg: p.galaxies.massMsun[0] });
  }
  return rows;
}

const rows = sample(60);

Deno.test("Y500-M500 of the mock follows Planck 2014 XX (slope 1.79, 10^-0.19 at 6e14 Msun)", () => {
  // Planck Collaboration 2014 (A&A 571, A20) eq. 7: E^-2/3 D_A^2 Y500 = 10^-0.19 (M500/6e14)^1.79
  // x 1e-4 Mpc^2, with M500 from hydrostatic X-ray masses. The mock's pressure follows
  // Arnaud et al. (2010), calibrated on hydrostatic masses, and uses them as true masses,
  // i.e. (1-b) = 1. (With (1-b) = 0.8 on true masses the normalisation would be -4.36.)
  const f = fitLogPowerLaw(rows.map((r) => r.h.m500Msun), rows.map((r) => r.io.y500Mpc2), 6e14);
  assert.ok(Math.abs(f.slope - 1.79) < 0.15, `slope ${f.slope}`);
  assert.ok(Math.abs(f.intercept - (-4.19)) < 0.15, `log10 Y at 6e14 = ${f.intercept}`);
  assert.ok(f.scatterDex > 0.03 && f.scatterDex < 0.25, `scatter ${f.scatterDex}`);
});

Deno.test("soft L_X-M500 of the mock is near Pratt et al. (2009) REXCESS", () => {
  // Pratt et al. 2009 (A&A 498, 361) Table B.2, BCES(Y|X), R < R500:
  // h(z)^-7/3 L[0.1-2.4 keV] = 1.03e44 (M500/2e14)^1.53 erg/s; their L[0.5-2]/L[0.1-2.4] = 1.77/2.86
  // (L-T rows of the same table) gives 10^43.80 at 2e14 Msun in the 0.5-2 keV band.
  const f = fitLogPowerLaw(
    rows.map((r) => r.h.m500Msun),
    rows.map((r) => r.io.lSoft500ErgPerS),
    2e14,
  );
  assert.ok(Math.abs(f.slope - 1.53) < 0.4, `slope ${f.slope}`);
  assert.ok(Math.abs(f.intercept - 43.8) < 0.35, `log10 L at 2e14 = ${f.intercept}`);
  const b = fitLogPowerLaw(
    rows.map((r) => r.h.m500Msun),
    rows.map((r) => r.io.lBol500ErgPerS),
    2e14,
  );
  assert.ok(b.slope > f.slope, "bolometric L_X rises faster with mass than soft-band L_X");
});

Deno.test("stellar masses of the mock follow Kravtsov et al. (2018) for BCGs and totals", () => {
  // Kravtsov, Vikhlinin & Meshcheryakov 2018 (Astron. Lett. 44, 8), abstract: M*,BCG ∝ M500^0.4±0.1
  // with ~0.2 dex scatter; total stellar fractions M*/M of ~1-3 per cent at 1e14-1e15 Msun.
  const big = rows.filter((r) => r.h.m500Msun > 5e13);
  const f = fitLogPowerLaw(big.map((r) => r.h.m500Msun), big.map((r) => r.bcg), 3e14);
  assert.ok(Math.abs(f.slope - 0.4) < 0.2, `BCG slope ${f.slope}`);
  for (const r of big) {
    const frac = r.io.mStar200Msun / r.h.m200Msun;
    assert.ok(frac > 0.004 && frac < 0.04, `M*/M200 = ${frac} at ${r.h.m200Msun}`);
  }
});
