import { CCL_HMF } from "./_ccl_benchmark_test_cosmology.ts";
import assert from "node:assert/strict";
import { omegaMz, WMAP9_BAHAMAS } from "../cosmology/mod.ts";
import { linearPowerMpc3 } from "./power_spectrum.ts";
import {
  delta200cAsMean,
  TINKER08_TABLE2,
  tinker08MassFunction,
  tinker08MassFunction200c,
  tinker08Multiplicity,
  tinker08Parameters,
} from "./tinker08.ts";

const C = WMAP9_BAHAMAS;

function assertRel(actual: number, expected: number, tol: number, what: string) {
  const rel = Math.abs(actual / expected - 1);
  assert.ok(rel <= tol, `${what}: got ${actual}, expected ${expected} (rel. ${rel} > ${tol})`);
}

Deno.test("tinker08Parameters() reproduces Tinker et al. (2008) Table 2 at Delta = 200", () => {
  const p = tinker08Parameters(0, { deltaMean: 200 });
  assertRel(p.bigA, 0.186, 1e-12, "A");
  assertRel(p.a, 1.47, 1e-12, "a");
  assertRel(p.b, 2.57, 1e-12, "b");
  assertRel(p.c, 1.19, 1e-12, "c");
  // and at every other tabulated Delta (the spline passes through the nodes)
  TINKER08_TABLE2.delta.forEach((delta, i) => {
    const q = tinker08Parameters(0, { deltaMean: delta });
    assertRel(q.bigA, TINKER08_TABLE2.bigA[i], 1e-12, `A(${delta})`);
    assertRel(q.c, TINKER08_TABLE2.c[i], 1e-12, `c(${delta})`);
  });
});

Deno.test("tinker08Multiplicity() matches f(sigma) computed by hand from T08 eq. 3", () => {
  // A [(s/b)^-a + 1] exp(-c/s^2) with (0.186, 1.47, 2.57, 1.19), numpy
  // (lib/halo/testdata/ref_halo.py).
  const p = tinker08Parameters(0);
  assertRel(tinker08Multiplicity(0.5, p), 0.019269325547163884, 1e-12, "f(0.5)");
  assertRel(tinker08Multiplicity(1, p), 0.28320826870493426, 1e-12, "f(1)");
  assertRel(tinker08Multiplicity(2, p), 0.33784623681563386, 1e-12, "f(2)");
});

Deno.test("tinker08Parameters() applies the redshift evolution of T08 eqs. 5-8", () => {
  // z = 1, Delta = 200: A (1+z)^-0.14, a (1+z)^-0.06, b (1+z)^-alpha, alpha = 0.0106756 (ref_halo.py)
  const p = tinker08Parameters(1, { deltaMean: 200 });
  assertRel(p.bigA, 0.16879856288899192, 1e-12, "A(z=1)");
  assertRel(p.a, 1.4101182554081386, 1e-12, "a(z=1)");
  assertRel(p.b, 2.5510527497315656, 1e-12, "b(z=1)");
  assertRel(p.c, 1.19, 1e-12, "c(z=1)");
});

Deno.test("tinker08Parameters() interpolates between the Table 2 rows for 200c at z = 0", () => {
  const delta = delta200cAsMean(0, C);
  assertRel(delta, 200 / 0.2793, 1e-12, "Delta_m of 200c");
  const p = tinker08Parameters(0, { deltaMean: delta }); // between the 600 and 800 rows
  assert.ok(p.bigA > 0.218 && p.bigA < 0.248, `A = ${p.bigA}`);
  assert.ok(p.a > 1.61 && p.a < 1.87, `a = ${p.a}`);
  assert.ok(p.b < 1.87 && p.b > 1.59, `b = ${p.b}`);
  assert.ok(p.c > 1.45 && p.c < 1.58, `c = ${p.c}`);
});

Deno.test("tinker08MassFunction() at 1e14 Msun/h matches an independent evaluation of T08 eq. 2", () => {
  // Independent path: sigma by Simpson over P(k), slope by finite differences,
  // Table 2 Delta = 200 parameters, rho_m = Omega_m x 2.77536627e11 h^2 Msun/Mpc^3 (PDG).
  const rhoM = 0.2793 * 2.77536627e11 * C.h * C.h;
  const sigma = (m: number) => {
    const r = Math.cbrt((3 * m) / (4 * Math.PI * rhoM));
    const lo = Math.log(1e-5);
    const hi = Math.log(2e2 / r);
    const n = 8000;
    const dx = (hi - lo) / n;
    let s = 0;
    for (let i = 0; i <= n; i++) {
      const k = Math.exp(lo + i * dx);
      const x = k * r;
      const w = 3 * (Math.sin(x) - x * Math.cos(x)) / (x * x * x);
      s += (i === 0 || i === n ? 1 : i % 2 ? 4 : 2) * k ** 3 * linearPowerMpc3(k, 0, C) * w * w;
    }
    return Math.sqrt((s * dx) / 3 / (2 * Math.PI * Math.PI));
  };
  const m = 1e14 / C.h;
  const s = sigma(m);
  const slope = (Math.log(sigma(m * 1.01)) - Math.log(sigma(m / 1.01))) / (2 * Math.log(1.01));
  const f = 0.186 * ((s / 2.57) ** -1.47 + 1) * Math.exp(-1.19 / (s * s));
  const ref = (f * rhoM / m) * -slope;
  const got = tinker08MassFunction(m, 0, C, { deltaMean: 200 });
  assertRel(got, ref, 2e-3, "dn/dlnM(1e14 Msun/h, 200m)");
  // Plausible: ~1e-5 per Mpc^3 per e-fold at 1e14 Msun/h (Tinker et al. 2008 Fig. 5).
  assert.ok(got > 5e-6 && got < 5e-5, `dn/dlnM = ${got}`);
});

Deno.test("tinker08MassFunction() matches the colossus 200m benchmark of CCL within 1 per cent", () => {
  // LSSTDESC/CCL benchmarks/data/hmf_tinker08.txt: colossus (B. Diemer) Tinker08, 200m,
  // dn/dlog10M [Mpc^-3] at M [Msun] for z = 0, 0.5, 1 (CCL's own tolerance is 1%).
  const ref: [number, number, number, number][] = [
    [1e11, 3.345186245282368e-2, 3.455708550726798e-2, 3.4852299525391095e-2],
    [1e12, 4.399577481661968e-3, 4.345750281306762e-3, 4.010996295781623e-3],
    [1e13, 5.612800416312988e-4, 4.782412218930594e-4, 3.46383000461277e-4],
    [1e14, 5.369289507688052e-5, 2.895033634692163e-5, 1.043317004537173e-5],
    [1e15, 1.2410860657763407e-6, 1.3835152949037628e-7, 4.761650498337523e-9],
  ];
  for (const [m, ...n] of ref) {
    [0, 0.5, 1].forEach((z, i) => {
      const got = tinker08MassFunction(m, z, CCL_HMF) * Math.LN10;
      assertRel(got, n[i], 0.01, `dn/dlog10M(${m}, z=${z})`);
    });
  }
});

Deno.test("tinker08MassFunction200c() uses Delta_mean = 200 / Omega_m(z)", () => {
  for (const z of [0, 0.5]) {
    const a = tinker08MassFunction200c(3e14, z, C);
    const b = tinker08MassFunction(3e14, z, C, { deltaMean: 200 / omegaMz(z, C) });
    assert.equal(a, b);
  }
  // 200c haloes are fewer than 200m haloes at the same mass (M200c < M200m for a given halo).
  assert.ok(tinker08MassFunction200c(1e14, 0, C) < tinker08MassFunction(1e14, 0, C));
});

Deno.test("tinker08MassFunction() rejects bad input with RangeError", () => {
  assert.throws(() => tinker08MassFunction(-1e14, 0, C), RangeError);
  assert.throws(() => tinker08MassFunction(1e14, -0.5, C), RangeError);
  assert.throws(() => tinker08MassFunction(1e14, 0, C, { deltaMean: 100 }), /200\.\.3200/);
  assert.throws(() => tinker08MassFunction(1e14, 0, C, { deltaMean: 5000 }), RangeError);
  assert.throws(() => tinker08Multiplicity(0, tinker08Parameters(0)), RangeError);
});
