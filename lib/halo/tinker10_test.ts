import { CCL_HMF } from "./_ccl_benchmark_test_cosmology.ts";
import assert from "node:assert/strict";
import { WMAP9_BAHAMAS } from "../cosmology/mod.ts";
import { DELTA_C, makeTinker10BiasInterpolator, tinker10Bias, tinker10BiasNu } from "./tinker10.ts";
import { sigmaM } from "./power_spectrum.ts";

function assertRel(actual: number, expected: number, tol: number, what: string) {
  const rel = Math.abs(actual / expected - 1);
  assert.ok(rel <= tol, `${what}: got ${actual}, expected ${expected} (rel. ${rel} > ${tol})`);
}

Deno.test("tinker10BiasNu() matches T10 eq. 6 with Table 2 evaluated by hand at Delta = 200", () => {
  // numpy evaluation of eq. 6 with y = log10 200 (lib/halo/testdata/ref_halo.py)
  assertRel(tinker10BiasNu(1), 0.9654920539946742, 1e-12, "b(nu=1)");
  assertRel(tinker10BiasNu(3), 5.136167177616938, 1e-12, "b(nu=3)");
  // Bias grows with peak height and with Delta at fixed nu for rare peaks.
  assert.ok(tinker10BiasNu(3, { deltaMean: 800 }) !== tinker10BiasNu(3));
  assert.ok(tinker10BiasNu(0.5) < tinker10BiasNu(1));
});

Deno.test("tinker10Bias() matches the colossus 200m benchmark of CCL within 0.5 per cent", () => {
  // LSSTDESC/CCL benchmarks/data/hbf_tinker10.txt (colossus, Om 0.3, Ob 0.05, h 0.7,
  // sigma8 0.8, ns 0.96, EH98), b(M [Msun]) at z = 0, 0.5, 1.
  const cosmo = CCL_HMF;
  const ref: [number, number, number, number][] = [
    [1e11, 0.687227790913318759, 0.777600307724259587, 0.919421127552417561],
    [1e13, 1.076206791330962087, 1.4653304423983462, 2.075504792965366718],
    [1e14, 1.888005517955101187, 2.907212556598485431, 4.518677187194229283],
    [1e15, 4.907871868414460437, 8.327369548258324983, 13.79022047163008935],
  ];
  for (const [m, ...b] of ref) {
    [0, 0.5, 1].forEach((z, i) =>
      assertRel(tinker10Bias(m, z, cosmo), b[i], 5e-3, `b(${m}, z=${z})`)
    );
  }
});

Deno.test("tinker10Bias() uses nu = 1.686 / sigma(M, z)", () => {
  const m = 2e14;
  const nu = DELTA_C / sigmaM(m, 0.3, WMAP9_BAHAMAS);
  assert.equal(tinker10Bias(m, 0.3, WMAP9_BAHAMAS), tinker10BiasNu(nu));
});

Deno.test("tinker10Bias() rejects bad input with RangeError", () => {
  assert.throws(() => tinker10Bias(-1, 0, WMAP9_BAHAMAS), RangeError);
  assert.throws(() => tinker10Bias(1e14, -1, WMAP9_BAHAMAS), RangeError);
  assert.throws(() => tinker10BiasNu(0), RangeError);
  assert.throws(() => tinker10BiasNu(1, { deltaMean: 50 }), RangeError);
});

Deno.test("makeTinker10BiasInterpolator() reproduces tinker10Bias() to 1e-5", () => {
  const f = makeTinker10BiasInterpolator(12, 15.5, 0.05, WMAP9_BAHAMAS);
  for (let lm = 12.013; lm < 15.5; lm += 0.137) {
    const exact = tinker10Bias(10 ** lm, 0.05, WMAP9_BAHAMAS);
    assert.ok(Math.abs(f(10 ** lm) / exact - 1) < 1e-5, `log M = ${lm}`);
  }
  assert.equal(f(1e9), f(1e12)); // clamped
});
