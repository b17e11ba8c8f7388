import assert from "node:assert/strict";
import { WMAP9_BAHAMAS } from "../cosmology/mod.ts";
import { duffy08Concentration } from "../halo/mod.ts";
import { Rng } from "../random/mod.ts";
import { derivedHalo, generateClusterParticles } from "./cluster.ts";

const cosmology = WMAP9_BAHAMAS;
const halo = derivedHalo(2e14, duffy08Concentration(2e14, 0, cosmology), { cosmology });

Deno.test("generateClusterParticles() normalises the gas to f_gas,500 M500", () => {
  for (const seed of [1, 2, 3]) {
    const p = generateClusterParticles(halo, new Rng(seed), { cosmology, mergerFraction: 0 });
    const expected = Math.min(p.info.fGas500, cosmology.omegaB / cosmology.omegaM) * halo.m500Msun;
    // Ellipsoidal radius <= r500 holds f_gas M500 up to particle shot noise (~1%).
    assert.ok(Math.abs(p.info.mGas500Msun / expected - 1) < 0.03, `seed ${seed}`);
    assert.ok(p.gas.count >= 2000);
    for (let i = 0; i < p.gas.count; i++) {
      assert.ok(Number.isFinite(p.gas.x[i]) && p.gas.temperatureK[i] > 0);
      assert.ok(p.gas.densityMsunPerMpc3[i] > 0 && p.gas.massMsun[i] > 0);
      assert.ok(Math.hypot(p.gas.x[i], p.gas.y[i], p.gas.z[i]) < 2 * 2 * halo.r200Mpc);
    }
  }
});

Deno.test("generateClusterParticles() is deterministic for a seed and differs between seeds", () => {
  const a = generateClusterParticles(halo, new Rng(9), { cosmology });
  const b = generateClusterParticles(halo, new Rng(9), { cosmology });
  const c = generateClusterParticles(halo, new Rng(10), { cosmology });
  assert.deepEqual(a.gas.x, b.gas.x);
  assert.deepEqual(a.stars.massMsun, b.stars.massMsun);
  assert.notDeepEqual(a.gas.x.slice(0, 10), c.gas.x.slice(0, 10));
});

Deno.test("the central galaxy sits at the centre and the catalogue keeps M_gal > 1e10 only", () => {
  const p = generateClusterParticles(halo, new Rng(5), { cosmology, mergerFraction: 0 });
  assert.ok(p.galaxies.count >= 2);
  assert.equal(p.galaxies.x[0], 0);
  for (let i = 0; i < p.galaxies.count; i++) assert.ok(p.galaxies.massMsun[i] > 1e10);
  const mStars = p.stars.massMsun.reduce((s, v) => s + v, 0);
  assert.ok(Math.abs(mStars / p.info.mStarMsun - 1) < 1e-4);
});

Deno.test("a merging companion adds a second gas concentration and keeps the total stellar budget", () => {
  const p = generateClusterParticles(halo, new Rng(3), { cosmology, mergerFraction: 1 });
  assert.ok(p.info.companionRatio >= 0.1 && p.info.companionRatio <= 0.5);
  assert.ok(p.gas.count > 2000);
});

Deno.test("generateClusterParticles() rejects bad haloes and options", () => {
  assert.throws(
    () => generateClusterParticles({ ...halo, m500Msun: -1 }, new Rng(1), { cosmology }),
    /halo.m500Msun must be finite and > 0/,
  );
  assert.throws(
    () => generateClusterParticles(halo, new Rng(1), { cosmology, minGasParticles: 0 }),
    /minGasParticles/,
  );
  assert.throws(
    () => generateClusterParticles(halo, new Rng(1), { cosmology, mergerFraction: 2 }),
    /mergerFraction must be in \[0, 1\]/,
  );
});
