import assert from "node:assert/strict";
import { WMAP9_BAHAMAS } from "../cosmology/mod.ts";
import { Rng } from "../random/mod.ts";
import { fieldHaloNumberDensity, makeHaloMassSampler, sampleHaloMass } from "./mass_sampler.ts";
import { tinker08MassFunction200c } from "./tinker08.ts";

const C = WMAP9_BAHAMAS;

/** Independent integral: composite Simpson in ln M of the Tinker08 200c dn/dlnM. */
function simpsonDensity(log10Lo: number, log10Hi: number, z: number): number {
  const n = 200;
  const dx = ((log10Hi - log10Lo) * Math.LN10) / n;
  let s = 0;
  for (let i = 0; i <= n; i++) {
    const m = 10 ** (log10Lo + ((log10Hi - log10Lo) * i) / n);
    s += (i === 0 || i === n ? 1 : i % 2 ? 4 : 2) * tinker08MassFunction200c(m, z, C);
  }
  return (s * dx) / 3;
}

Deno.test("fieldHaloNumberDensity() agrees with a Simpson integral of the mass function", () => {
  for (const [lo, hi, z] of [[12, 15.5, 0.05], [14, 15, 0]]) {
    const got = fieldHaloNumberDensity(lo, hi, z, C);
    const ref = simpsonDensity(lo, hi, z);
    assert.ok(Math.abs(got / ref - 1) < 1e-4, `n(${lo}..${hi}) = ${got}, Simpson ${ref}`);
  }
  // Plausible abundance: a few 1e-3 haloes above 1e12 Msun per Mpc^3 (e.g. Tinker et al. 2008 Fig. 5).
  const n12 = fieldHaloNumberDensity(12, 16, 0, C);
  assert.ok(n12 > 5e-4 && n12 < 5e-3, `n(>1e12) = ${n12}`);
});

Deno.test("makeHaloMassSampler() draws masses distributed as the mass function", () => {
  const sampler = makeHaloMassSampler(12, 15, 0.05, C);
  const rng = new Rng(7);
  const n = 100000;
  const thresholds = [12.3, 12.7, 13.0, 13.5, 14.0];
  const counts = thresholds.map(() => 0);
  for (let i = 0; i < n; i++) {
    const lm = Math.log10(sampler(rng));
    assert.ok(lm >= 12 && lm <= 15);
    thresholds.forEach((t, j) => {
      if (lm > t) counts[j]++;
    });
  }
  const total = fieldHaloNumberDensity(12, 15, 0.05, C);
  thresholds.forEach((t, j) => {
    const p = fieldHaloNumberDensity(t, 15, 0.05, C) / total;
    const sd = Math.sqrt((p * (1 - p)) / n);
    const got = counts[j] / n;
    assert.ok(Math.abs(got - p) < 5 * sd, `P(log M > ${t}) = ${got}, expected ${p} +- ${sd}`);
  });
});

Deno.test("the halo mass sampler is deterministic and uses exactly two uniforms per draw", () => {
  const sampler = makeHaloMassSampler(13, 14, 0, C);
  const a = new Rng(99);
  const b = new Rng(99);
  const xs = Array.from({ length: 50 }, () => sampler(a));
  const ys = Array.from({ length: 50 }, () => sampleHaloMass(b, 13, 14, 0, C));
  assert.deepEqual(xs, ys);
  const c = new Rng(5);
  const d = new Rng(5);
  sampler(c);
  d.random();
  d.random();
  assert.equal(c.random(), d.random());
});

Deno.test("mass sampling rejects bad ranges and redshifts with RangeError", () => {
  assert.throws(() => makeHaloMassSampler(14, 13, 0, C), RangeError);
  assert.throws(() => fieldHaloNumberDensity(12, 15, -0.1, C), RangeError);
  assert.throws(() => fieldHaloNumberDensity(3, 15, 0, C), RangeError);
});
