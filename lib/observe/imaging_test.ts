import assert from "node:assert/strict";
import { allocGalaxies, allocGas, allocStars, type ClusterParticles } from "../particles/mod.ts";
import { Rng } from "../random/mod.ts";
import { MPC_CM } from "../constants/mod.ts";
import { binParticles, pixelSizeMpc, projectGalaxies, projectionFrame } from "./imaging.ts";
import { gasObservables } from "./particle_observables.ts";

function blob(n: number, sizeMpc: number, seed: number): ClusterParticles {
  const rng = new Rng(seed);
  const gas = allocGas(n);
  const stars = allocStars(n);
  for (let i = 0; i < n; i++) {
    for (const s of [gas, stars]) {
      s.x[i] = rng.normal(0, sizeMpc);
      s.y[i] = rng.normal(0, sizeMpc);
      s.z[i] = rng.normal(0, sizeMpc);
      s.massMsun[i] = rng.uniform(1e8, 1e9);
    }
    gas.densityMsunPerMpc3[i] = 1e13;
    gas.temperatureK[i] = rng.uniform(2e6, 8e7);
  }
  return { gas, stars, galaxies: allocGalaxies(0) };
}

Deno.test("projectionFrame() gives right-handed orthonormal frames with the paper's axes", () => {
  const axes = [[1, 0, 0], [0, 1, 0], [0, 0, 1], [Math.SQRT1_2, -Math.SQRT1_2, 0]];
  for (let p = 0; p < 4; p++) {
    const f = projectionFrame(p, 0.7);
    const dot = (a: number[], b: number[]) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    const cross = (a: number[], b: number[]) => [
      a[1] * b[2] - a[2] * b[1],
      a[2] * b[0] - a[0] * b[2],
      a[0] * b[1] - a[1] * b[0],
    ];
    assert.ok(Math.abs(dot(f.e1, f.e1) - 1) < 1e-12 && Math.abs(dot(f.e1, f.e2)) < 1e-12);
    const c = cross(f.e1, f.e2);
    for (let k = 0; k < 3; k++) assert.ok(Math.abs(c[k] - axes[p][k]) < 1e-12);
  }
  assert.throws(() => projectionFrame(4, 0), RangeError);
});

Deno.test("binParticles() conserves stellar mass (eq. 2 x S), Upsilon and flux for particles inside the field", () => {
  const p = blob(5000, 0.1, 1); // sigma 0.1 Mpc at dA = 200 Mpc: well inside 20 arcmin (1.16 Mpc)
  const obs = gasObservables(p.gas);
  const dA = 200, dL = 220;
  const img = binParticles(p, {
    frame: projectionFrame(3, 1.1),
    placement: { dAMpc: dA, dLMpc: dL },
    observables: obs,
  });
  const sum = (a: ArrayLike<number>) => {
    let s = 0;
    for (let i = 0; i < a.length; i++) s += a[i];
    return s;
  };
  const rel = (a: number, b: number) => Math.abs(a / b - 1);
  const sMpc = pixelSizeMpc(dA);
  assert.ok(rel(sum(img.star) * sMpc * sMpc, sum(p.stars.massMsun)) < 1e-9);
  const sCm = sMpc * MPC_CM;
  assert.ok(rel(sum(img.ypar) * sCm * sCm, sum(obs.upsilonCm2)) < 1e-9);
  const dLcm = dL * MPC_CM;
  assert.ok(rel(sum(img.fxb) * 4 * Math.PI * dLcm * dLcm, sum(obs.lBolErgPerS)) < 1e-9);
  assert.ok(rel(sum(img.fxs) * 4 * Math.PI * dLcm * dLcm, sum(obs.lSoftErgPerS)) < 1e-9);
});

Deno.test("the cluster centre falls between the central pixels and e1 runs along columns", () => {
  const p: ClusterParticles = {
    gas: allocGas(0),
    stars: allocStars(2),
    galaxies: allocGalaxies(1),
  };
  const frame = projectionFrame(2, 0); // e1 = x, e2 = y
  const dA = 200;
  const pix = pixelSizeMpc(dA);
  p.stars.x[0] = 0.5 * pix; // inside pixel column 60, row 60
  p.stars.y[0] = 0.5 * pix;
  p.stars.massMsun[0] = 1;
  p.stars.x[1] = 10.5 * pix; // column 70, row 59
  p.stars.y[1] = -0.5 * pix;
  p.stars.massMsun[1] = 2;
  p.galaxies.x[0] = 10.5 * pix;
  p.galaxies.y[0] = -0.5 * pix;
  p.galaxies.massMsun[0] = 2e10;
  const img = binParticles(p, {
    frame,
    placement: { dAMpc: dA, dLMpc: dA },
    observables: gasObservables(p.gas),
  });
  assert.ok(Math.abs(img.star[60 * 120 + 60] * pix * pix - 1) < 1e-9);
  assert.ok(Math.abs(img.star[59 * 120 + 70] * pix * pix - 2) < 1e-9);
  assert.equal(img.star.filter((v) => v > 0).length, 2);
  const g = projectGalaxies(p.galaxies, { frame, placement: { dAMpc: dA, dLMpc: dA } });
  assert.ok(Math.abs(g[0].xPix - 70.5) < 1e-9 && Math.abs(g[0].yPix - 59.5) < 1e-9);
});

Deno.test("binParticles() rejects bad grids and distances with messages that say what to fix", () => {
  const p = blob(10, 0.1, 2);
  const base = { frame: projectionFrame(0, 0), observables: gasObservables(p.gas) };
  assert.throws(
    () => binParticles(p, { ...base, npix: 0, placement: { dAMpc: 1, dLMpc: 1 } }),
    /npix must be a positive integer, got 0/,
  );
  assert.throws(
    () => binParticles(p, { ...base, placement: { dAMpc: -1, dLMpc: 1 } }),
    /distances must be > 0/,
  );
});
