import assert from "node:assert/strict";
import {
  softBandFraction,
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

Deno.test("tozziNorman01LambdaSoft() applies the documented band fractions", () => {
  // kT=1 (<= 2 keV, lines fully in band): (8.6e-3 + 5.8e-2 (e^-0.5 - e^-2) + 6.3e-2) 1e-22
  assert.ok(rel(tozziNorman01LambdaSoft(1), 9.89293318356092e-24) < 1e-12);
  // kT=5: C3 scaled by f_band(5)/f_band(2): 6.692731888552646e-24 (python)
  assert.ok(rel(tozziNorman01LambdaSoft(5), 6.692731888552646e-24) < 1e-12);
  assert.ok(Math.abs(softBandFraction(5) - (Math.exp(-0.1) - Math.exp(-0.4))) < 1e-15);
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
