import assert from "node:assert/strict";
import { join } from "node:path";
import { WMAP9_BAHAMAS } from "../cosmology/mod.ts";
import { writeNpyAtomic } from "../io/mod.ts";
import { Rng } from "../random/mod.ts";
import { derivedHalo, generateClusterParticles } from "./cluster.ts";
import { readParticleSnapshot, writeParticleSnapshot } from "./snapshot.ts";

const cosmology = WMAP9_BAHAMAS;

Deno.test("a particle snapshot round-trips through disk", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const p = generateClusterParticles(derivedHalo(5e13, 5, { cosmology }), new Rng(1), {
      cosmology,
    });
    await writeParticleSnapshot(dir, p, { note: "test" });
    const q = await readParticleSnapshot(dir);
    assert.equal(q.gas.count, p.gas.count);
    assert.deepEqual(q.gas.temperatureK, p.gas.temperatureK);
    assert.deepEqual(q.stars.x, p.stars.x);
    assert.deepEqual(q.galaxies.massMsun, p.galaxies.massMsun);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("readParticleSnapshot() names NaNs, negative masses and missing columns", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const p = generateClusterParticles(derivedHalo(3e12, 7, { cosmology }), new Rng(2), {
      cosmology,
      minGasParticles: 50,
    });
    await writeParticleSnapshot(dir, p);
    const bad = p.gas.temperatureK.slice();
    bad[3] = NaN;
    await writeNpyAtomic(join(dir, "gas_temperatureK.npy"), { shape: [bad.length], data: bad });
    await assert.rejects(() => readParticleSnapshot(dir), /gas_temperatureK.npy\[3\] is NaN/);
    await writeParticleSnapshot(dir, p);
    const m = p.stars.massMsun.slice();
    m[0] = -1;
    await writeNpyAtomic(join(dir, "stars_massMsun.npy"), { shape: [m.length], data: m });
    await assert.rejects(
      () => readParticleSnapshot(dir),
      /stars_massMsun.npy\[0\] = -1 must be > 0/,
    );
    await writeParticleSnapshot(dir, p);
    await Deno.remove(join(dir, "gas_densityMsunPerMpc3.npy"));
    await assert.rejects(
      () => readParticleSnapshot(dir),
      /missing column gas_densityMsunPerMpc3.npy/,
    );
    await Deno.remove(join(dir, "particles.json"));
    await assert.rejects(() => readParticleSnapshot(dir), /particles.json is missing/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("particles read from a snapshot make the same images as the particles in memory", async () => {
  const { makeImages, instrumentsFor } = await import("../observe/mod.ts");
  const dir = await Deno.makeTempDir();
  try {
    const p = generateClusterParticles(derivedHalo(1e14, 5, { cosmology }), new Rng(3), {
      cosmology,
    });
    await writeParticleSnapshot(dir, p);
    const q = await readParticleSnapshot(dir);
    const opts = { cosmology, redshift: 0.05, projection: 1, azimuthRad: 0.3 };
    const a = makeImages(p, { ...opts, instruments: instrumentsFor("paper"), rng: new Rng(1) });
    const b = makeImages(q, { ...opts, instruments: instrumentsFor("paper"), rng: new Rng(1) });
    assert.deepEqual(a.ypar, b.ypar);
    assert.deepEqual(a.star, b.star);
    assert.throws(
      () => makeImages(q, { ...opts, instruments: instrumentsFor("paper") }),
      /pass an rng/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
