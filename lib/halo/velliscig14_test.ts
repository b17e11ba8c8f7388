import assert from "node:assert/strict";
import { VELLISCIG14_AGN_M200C, velliscig14MassShift } from "./velliscig14.ts";

Deno.test("velliscig14MassShift() evaluates Velliscig et al. (2014) eq. 5 for the AGN run", () => {
  // numpy: 10^(A + B / (1 + exp(-(log10 M + C) / D))) - 1 (lib/halo/testdata/ref_halo.py)
  const ref: [number, number][] = [
    [1e13, -0.1972709200305509],
    [1e14, -0.042901665322541804],
    [1e15, -0.0014612815298136184],
  ];
  for (const [m, d] of ref) assert.ok(Math.abs(velliscig14MassShift(m) - d) < 1e-12, `M = ${m}`);
});

Deno.test("velliscig14MassShift() is negative, rises with mass and has the sigmoid limits", () => {
  let prev = -Infinity;
  for (let lm = 11; lm <= 16; lm += 0.25) {
    const d = velliscig14MassShift(10 ** lm);
    assert.ok(d < 0 && d > prev, `log M = ${lm}: ${d}`);
    prev = d;
  }
  const low = 10 ** VELLISCIG14_AGN_M200C.a - 1; // about -0.22, "up to 20%" in the abstract
  assert.ok(Math.abs(velliscig14MassShift(1e9) - low) < 1e-3);
  assert.ok(Math.abs(velliscig14MassShift(1e17)) < 1e-4);
  // at the transition mass the log ratio is A + B/2
  const mid = velliscig14MassShift(10 ** -VELLISCIG14_AGN_M200C.c);
  assert.ok(
    Math.abs(Math.log10(1 + mid) - (VELLISCIG14_AGN_M200C.a + VELLISCIG14_AGN_M200C.b / 2)) < 1e-12,
  );
});

Deno.test("velliscig14MassShift() rejects a non-positive mass", () => {
  assert.throws(() => velliscig14MassShift(0), RangeError);
  assert.throws(() => velliscig14MassShift(-1e14), RangeError);
});
