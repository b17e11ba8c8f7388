import assert from "node:assert/strict";
import { WMAP9_BAHAMAS } from "../cosmology/mod.ts";
import { derivedHalo, generateClusterParticles } from "../particles/mod.ts";
import { Rng } from "../random/mod.ts";
import { TRACERS } from "../types/mod.ts";
import { binParticles } from "./imaging.ts";
import { instrumentsFor } from "./noise.ts";
import { gasObservables } from "./particle_observables.ts";
import { makeImages, observeFourViews, placementAt } from "./views.ts";

const cosmology = WMAP9_BAHAMAS;
const halo = derivedHalo(1e14, 5, { cosmology });
const particles = generateClusterParticles(halo, new Rng(3), {
  cosmology,
  minGasParticles: 500,
  maxGasParticles: 2000,
});
const grid = { npix: 24, fovArcmin: 20 };

Deno.test("observeFourViews() images each view as makeImages() does at the view's redshift and angle", () => {
  const obs = gasObservables(particles.gas);
  const rng = new Rng(9);
  const views = observeFourViews(rng, {
    cosmology,
    ...grid,
    redshiftRange: [0.03, 0.07],
    instruments: instrumentsFor("none"),
    r200Mpc: halo.r200Mpc,
  }, (view) => {
    const z = rng.fork(1 + view.projection).uniform(0.03, 0.07);
    assert.equal(view.redshift, z, "the redshift is the view stream's first draw");
    return binParticles(particles, { ...grid, ...view, observables: obs });
  });
  const n2 = grid.npix * grid.npix;
  for (let p = 0; p < 4; p++) {
    const vr = rng.fork(1 + p);
    const z = vr.uniform(0.03, 0.07);
    const azimuthRad = vr.uniform(0, 2 * Math.PI);
    const one = makeImages(particles, {
      cosmology,
      ...grid,
      redshift: z,
      projection: p,
      azimuthRad,
    });
    for (const t of TRACERS) {
      assert.deepEqual(views.images[t].subarray(p * n2, (p + 1) * n2), Float32Array.from(one[t]));
    }
    const { dAMpc } = placementAt(z, cosmology);
    assert.ok(Math.abs(views.r200Arcmin[p] - halo.r200Mpc / dAMpc * 10800 / Math.PI) < 1e-9);
  }
});

Deno.test("observeFourViews() adds noise from each view's own stream, the same on every call", () => {
  const options = {
    cosmology,
    ...grid,
    redshiftRange: [0.03, 0.07] as const,
    instruments: instrumentsFor("paper"),
    r200Mpc: halo.r200Mpc,
  };
  const obs = gasObservables(particles.gas);
  const bin = (view: Parameters<Parameters<typeof observeFourViews>[2]>[0]) =>
    binParticles(particles, { ...grid, ...view, observables: obs });
  const a = observeFourViews(new Rng(4), options, bin);
  const b = observeFourViews(new Rng(4), options, bin);
  assert.deepEqual(a.images.ypar, b.images.ypar);
  assert.deepEqual(a.redshifts, b.redshifts);
});
