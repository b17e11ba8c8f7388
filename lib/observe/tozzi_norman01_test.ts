import assert from "node:assert/strict";
import {
  besselK0,
  bornGauntFactor,
  softBandFraction,
  softBandFractionExact,
  tozziNorman01LambdaBol,
  tozziNorman01LambdaSoft,
} from "./tozzi_norman01.ts";

const rel = (a: number, b: number) => Math.abs(a / b - 1);

Deno.test("tozziNorman01LambdaBol() matches the hand-computed eq. 7 at kT = 1 and 5 keV", () => {
  // Hand computation (python, literal coefficients of Tozzi & Norman 2001 eq. 7):
  // kT=1: (8.6e-3 + 5.8e-2 + 6.3e-2) 1e-22 = 1.296e-23
  // kT=5: (8.6e-3 5^-1.7 + 5.8e-2 5^0.5 + 6.3e-2) 1e-22 = 1.9324944856e-23
  assert.ok(rel(tozziNorman01LambdaBol(1), 1.296e-23) < 1e-12);
  assert.ok(rel(tozziNorman01LambdaBol(5), 1.9324944856425014e-23) < 1e-12);
});

Deno.test("besselK0() matches scipy.special.k0 to 2e-7", () => {
  // scipy 1.10.1, scipy.special.k0(x)
  const ref: [number, number][] = [
    [0.05, 3.1142340294719917],
    [0.5, 0.9244190712276656],
    [1, 0.42102443824070823],
    [2, 0.1138938727495334],
    [3, 0.03473950438627925],
    [10, 1.778006231616765e-05],
  ];
  for (const [x, k] of ref) assert.ok(rel(besselK0(x), k) < 2e-7, `K0(${x})`);
  assert.throws(() => besselK0(0), RangeError);
});

Deno.test("bornGauntFactor() tends to Rybicki & Lightman's (sqrt 3/pi) ln(4/(zeta u)) at small u", () => {
  const zeta = Math.exp(0.5772156649015329);
  for (const u of [1e-3, 1e-4]) {
    const asym = (Math.sqrt(3) / Math.PI) * Math.log(4 / (zeta * u));
    assert.ok(rel(bornGauntFactor(u), asym) < 1e-3, `u = ${u}`);
  }
});

Deno.test("softBandFraction() matches the Gaunt-weighted band integral done with scipy", () => {
  // scipy 1.10.1: quad(g(u) e^-u, 0.5/kT, 2/kT) / (2 sqrt(3)/pi), g(u) = sqrt(3)/pi e^(u/2) k0(u/2);
  // quad of g(u) e^-u over [0, inf) gives 1.1026577908435842 = 2 sqrt(3)/pi.
  const ref: [number, number][] = [
    [0.5, 0.21496704967743],
    [1, 0.3628719641028239],
    [2, 0.3983155934632702],
    [5, 0.30376724048324977],
    [10, 0.2092052402219883],
    [30, 0.09936903099477219],
  ];
  for (const [kT, f] of ref) {
    assert.ok(rel(softBandFractionExact(kT), f) < 1e-6, `exact at ${kT} keV`);
    assert.ok(rel(softBandFraction(kT), f) < 1e-6, `table at ${kT} keV`);
  }
  // Outside the table (0.01-100 keV) it is computed directly.
  assert.equal(softBandFraction(200), softBandFractionExact(200));
  // The Gaunt factor matters: at 10 keV 1.6 times the share of a constant Gaunt factor.
  assert.ok(softBandFraction(10) / (Math.exp(-0.05) - Math.exp(-0.2)) > 1.55);
});

Deno.test("tozziNorman01LambdaSoft() applies the documented band fractions", () => {
  // scipy 1.10.1, the module's formula with the band fractions above:
  // kT=1 (<= 2 keV, lines fully in band): (8.6e-3 + 5.8e-2 f(1) + 6.3e-2) 1e-22
  assert.ok(rel(tozziNorman01LambdaSoft(1), 9.264657391796378e-24) < 1e-6);
  // kT=5 and 10: C3 scaled by f(kT)/f(2 keV)
  assert.ok(rel(tozziNorman01LambdaSoft(5), 8.79993308562267e-24) < 1e-6);
  assert.ok(rel(tozziNorman01LambdaSoft(10), 7.16315302434129e-24) < 1e-6);
});

Deno.test("the soft band never exceeds the bolometric cooling and is continuous at 2 keV", () => {
  for (const kT of [0.1, 0.5, 1, 2, 3, 8, 15]) {
    assert.ok(tozziNorman01LambdaSoft(kT) <= tozziNorman01LambdaBol(kT));
  }
  assert.ok(rel(tozziNorman01LambdaSoft(2 - 1e-9), tozziNorman01LambdaSoft(2 + 1e-9)) < 1e-6);
});

Deno.test("cooling functions reject non-positive temperatures", () => {
  assert.throws(() => tozziNorman01LambdaBol(0), RangeError);
  assert.throws(() => tozziNorman01LambdaSoft(-1), RangeError);
});
