import assert from "node:assert/strict";
import type { Cosmology } from "../cosmology/mod.ts";
import { WMAP9_BAHAMAS } from "../cosmology/mod.ts";
import {
  eisensteinHu98NoWiggleTransfer,
  eisensteinHu98Transfer,
  makeEisensteinHu98Transfer,
} from "./eisenstein_hu98.ts";
import { linearPowerMpc3 } from "./power_spectrum.ts";

/** CCL benchmark "model1" (benchmarks/data/codes/ehpk_bm.py in LSSTDESC/CCL). */
const CCL_MODEL1: Cosmology = {
  name: "CCL-model1",
  h: 0.7,
  omegaM: 0.3,
  omegaB: 0.05,
  omegaC: 0.25,
  omegaL: 0.7,
  sigma8: 0.8,
  ns: 0.96,
  tcmbK: 2.725,
};

// k [h/Mpc], P(k, z=0) [(Mpc/h)^3] from LSSTDESC/CCL benchmarks/data/model1_pk_eh.txt,
// computed with D. Alonso's independent py_cosmo_mad code (full EH98 with wiggles,
// normalised to sigma8 = 0.8). CCL itself matches these to 1e-5.
const CCL_PK_EH: [number, number][] = [
  [0.001, 3895.01],
  [0.00398107, 12828],
  [0.01, 21948.4],
  [0.0158489, 24261],
  [0.0251189, 21710.2],
  [0.0398107, 14916.5],
  [0.0630957, 10236.8],
  [0.1, 5448.59],
  [0.125893, 4081.54],
  [0.158489, 2678.47],
  [0.251189, 1208.38],
  [1, 63.2412],
  [3.16228, 3.99686],
  [10, 0.211105],
];

Deno.test("linearPowerMpc3() with EH98 wiggles matches the CCL/py_cosmo_mad benchmark to 5e-5", () => {
  const h = CCL_MODEL1.h;
  for (const [kh, pRef] of CCL_PK_EH) {
    const p = linearPowerMpc3(kh * h, 0, CCL_MODEL1) * h ** 3;
    const rel = Math.abs(p / pRef - 1);
    assert.ok(rel < 5e-5, `k = ${kh} h/Mpc: P = ${p}, benchmark ${pRef} (rel. ${rel})`);
  }
});

Deno.test("eisensteinHu98NoWiggleTransfer() has the shape of the CCL no-wiggle benchmark", () => {
  // P_nw(k) / (k^ns T_nw^2) must be one constant (the sigma8 amplitude);
  // reference: LSSTDESC/CCL benchmarks/data/model1_nowig_pk_eh.txt (py_cosmo_mad).
  const ref: [number, number][] = [
    [1e-3, 3.87233189253593946e3],
    [1e-2, 2.217964098431700768e4],
    [3.162277660168379134e-2, 1.863273109620549076e4],
    [1e-1, 5.638006897142429807e3],
    [1, 6.194885113802808974e1],
    [10, 2.049207774317469144e-1],
  ];
  const h = CCL_MODEL1.h;
  const ratios = ref.map(([kh, p]) => {
    const k = kh * h;
    return (k ** CCL_MODEL1.ns * eisensteinHu98NoWiggleTransfer(k, CCL_MODEL1) ** 2) / p;
  });
  for (const r of ratios) assert.ok(Math.abs(r / ratios[0] - 1) < 1e-6, `ratios ${ratios}`);
});

Deno.test("eisensteinHu98Transfer() tends to 1 at small k and falls steeply at large k", () => {
  assert.equal(eisensteinHu98Transfer(0, WMAP9_BAHAMAS), 1);
  assert.ok(Math.abs(eisensteinHu98Transfer(1e-5, WMAP9_BAHAMAS) - 1) < 1e-4);
  assert.ok(Math.abs(eisensteinHu98NoWiggleTransfer(1e-5, WMAP9_BAHAMAS) - 1) < 1e-4);
  // Large k: T ~ ln(k)/k^2, so T(10)/T(1) is of order 1e-2 (EH98 Fig. 2).
  const t = makeEisensteinHu98Transfer(WMAP9_BAHAMAS);
  const ratio = t(10) / t(1);
  assert.ok(ratio > 0.005 && ratio < 0.05, `T(10)/T(1) = ${ratio}`);
  // Wiggles: the full form oscillates around the no-wiggle form by a few per cent near k ~ 0.1/Mpc.
  let maxDev = 0;
  for (let k = 0.05; k < 0.3; k += 0.002) {
    maxDev = Math.max(
      maxDev,
      Math.abs(t(k) / eisensteinHu98NoWiggleTransfer(k, WMAP9_BAHAMAS) - 1),
    );
  }
  assert.ok(maxDev > 0.01 && maxDev < 0.1, `BAO amplitude ${maxDev}`);
});

Deno.test("eisensteinHu98Transfer() rejects a negative wavenumber", () => {
  assert.throws(() => eisensteinHu98Transfer(-1, WMAP9_BAHAMAS), RangeError);
  assert.throws(() => eisensteinHu98NoWiggleTransfer(Number.NaN, WMAP9_BAHAMAS), RangeError);
});
