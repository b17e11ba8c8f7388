import assert from "node:assert/strict";
import { WMAP9_BAHAMAS } from "../cosmology/mod.ts";
import { Rng } from "../random/mod.ts";
import {
  drawLineOfSightHaloes,
  makeLineOfSightModel,
  powerLawCorrelationLengthMpc,
  xiLinPowerLaw,
} from "./line_of_sight.ts";

Deno.test("the power-law xi_lin reproduces sigma_8 through the top-hat variance integral", () => {
  const r0 = powerLawCorrelationLengthMpc(WMAP9_BAHAMAS);
  // Independent route: sigma_R^2 = (3/R^3) int_0^{2R} xi(r) r^2 (1 - 3r/(4R) + r^3/(16 R^3)) dr
  // (the overlap of two top-hat spheres), by the midpoint rule.
  const R = 8 / WMAP9_BAHAMAS.h;
  const n = 200000;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const r = ((i + 0.5) / n) * 2 * R;
    s += xiLinPowerLaw(r, { r0Mpc: r0, xiSlope: 1.8 }) * r * r *
      (1 - (3 * r) / (4 * R) + r ** 3 / (16 * R ** 3)) * (2 * R / n);
  }
  const sigma8 = Math.sqrt((3 / R ** 3) * s);
  assert.ok(Math.abs(sigma8 / WMAP9_BAHAMAS.sigma8 - 1) < 0.01, `sigma8 ${sigma8}`);
  assert.ok(Math.abs(r0 - 6.5) < 0.1, `r0 = ${r0} Mpc`); // 4.5 Mpc/h, close to the linear xi
});

Deno.test("drawLineOfSightHaloes() has the mean count of the boosted Poisson process", () => {
  const model = makeLineOfSightModel({ cosmology: WMAP9_BAHAMAS });
  const opts = { clusterM200Msun: 3e14, clusterR200Mpc: 1.4, halfWidthMpc: 1.5 };
  const rng = new Rng(11);
  // Expected: n int (1 + <b> b_cl xi(r)) dV over the slab outside 2 r200, with <b> the
  // mass-function average of the bias (Monte Carlo) and the volume integral on a grid.
  let bMean = 0;
  for (let i = 0; i < 20000; i++) bMean += model.bias(model.sampleMass(rng));
  bMean /= 20000;
  const bCl = model.bias(opts.clusterM200Msun);
  let integral = 0;
  const ng = 60, nl = 2000;
  const dx = (2 * opts.halfWidthMpc) / ng, dl = (2 * model.depthMpc) / nl;
  for (let a = 0; a < ng; a++) {
    for (let b = 0; b < ng; b++) {
      for (let c = 0; c < nl; c++) {
        const x = -opts.halfWidthMpc + (a + 0.5) * dx;
        const y = -opts.halfWidthMpc + (b + 0.5) * dx;
        const z = -model.depthMpc + (c + 0.5) * dl;
        const r = Math.hypot(x, y, z);
        if (r < 2 * opts.clusterR200Mpc) continue;
        integral += (1 + bMean * bCl * xiLinPowerLaw(r, model)) * dx * dx * dl;
      }
    }
  }
  const expected = model.numberDensityPerMpc3 * integral;
  let total = 0;
  const draws = 400;
  for (let i = 0; i < draws; i++) total += drawLineOfSightHaloes(model, rng, opts).length;
  const mean = total / draws;
  const err = Math.sqrt(expected / draws);
  assert.ok(Math.abs(mean - expected) < 4 * err + 0.02 * expected, `mean ${mean} vs ${expected}`);
  assert.ok(expected > model.numberDensityPerMpc3 * 4 * 1.5 * 1.5 * 100 * 0.9);
});

Deno.test("line-of-sight haloes avoid the cluster and stay in the slab", () => {
  const model = makeLineOfSightModel({ cosmology: WMAP9_BAHAMAS });
  const hs = drawLineOfSightHaloes(model, new Rng(2), {
    clusterM200Msun: 1e15,
    clusterR200Mpc: 2,
    halfWidthMpc: 2,
  });
  for (const h of hs) {
    assert.ok(Math.hypot(h.e1Mpc, h.e2Mpc, h.losMpc) >= 4);
    assert.ok(Math.abs(h.losMpc) <= 50 && Math.abs(h.e1Mpc) <= 2 && h.m200Msun >= 1e12 * 0.999);
  }
  assert.throws(
    () =>
      drawLineOfSightHaloes(model, new Rng(1), {
        clusterM200Msun: 1e14,
        clusterR200Mpc: 1,
        halfWidthMpc: 0,
      }),
    RangeError,
  );
});
