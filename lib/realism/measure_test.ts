import assert from "node:assert/strict";
import { Rng } from "../random/mod.ts";
import { enclosedSums } from "./_apertures.ts";
import {
  SB_PROFILE_EDGES_R500,
  SB_SLOPE_RADII_R200,
  SB_SLOPE_RATIO,
  xrayShape,
  xrayShapeRadiiMpc,
} from "./measure.ts";

// A beta-model gas sphere, n ~ (1 + (r/rc)^2)^(-3 beta / 2), emissivity ~ n^2. In projection
// (infinite extent) S(R) ~ (1 + (R/rc)^2)^(1/2 - 3 beta): local slope (1 - 6 beta) R^2 / (rc^2 + R^2),
// and L(<R) ~ 1 - (1 + (R/rc)^2)^(3/2 - 3 beta). With beta = 2/3 the emission per unit radius,
// n^2 r^2 ~ x^2 / (1 + x^2)^2, integrates to (atan x - x / (1 + x^2)) / 2, which is inverted by
// bisection to place equal-luminosity particles (independently of the mock's samplers).
const BETA = 2 / 3;
const RC = 0.15; // Mpc
const R500 = 1; // Mpc
const R200 = 1.5; // Mpc
const X_MAX = 200; // truncation at 30 Mpc: the missing column at R200 is ~ (1.5 / 30)^3 of it

function betaSphereParticles(n: number, seed: number): { d2: Float64Array; lum: Float64Array } {
  const rng = new Rng(seed);
  const cdf = (x: number) => Math.atan(x) - x / (1 + x * x);
  const top = cdf(X_MAX);
  const d2 = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u = (i + rng.random()) / n * top; // stratified in radius: the noise is the projection's
    let lo = 0, hi = X_MAX;
    for (let k = 0; k < 60; k++) {
      const mid = 0.5 * (lo + hi);
      if (cdf(mid) < u) lo = mid;
      else hi = mid;
    }
    const r = 0.5 * (lo + hi) * RC;
    const mu = rng.uniform(-1, 1); // cos(angle to the line of sight)
    d2[i] = r * r * (1 - mu * mu);
  }
  return { d2, lum: new Float64Array(n).fill(1) };
}

/** Analytic L(<R) of the projected beta model, up to a constant. */
const enclosed = (r: number) => 1 - Math.pow(1 + (r / RC) ** 2, 1.5 - 3 * BETA);
/** Analytic mean S in the annulus [a, b], up to the same constant / pi. */
const annulusMean = (a: number, b: number) => (enclosed(b) - enclosed(a)) / (b * b - a * a);
const localSlope = (r: number) => (1 - 6 * BETA) * r * r / (RC * RC + r * r);

Deno.test("xrayShape() on a beta-model sphere: slopes, profile and c_SB match the analytic projection", () => {
  const { d2, lum } = betaSphereParticles(2_000_000, 7);
  const radii = xrayShapeRadiiMpc(R500, R200);
  const shape = xrayShape(enclosedSums(d2, lum, radii), radii);
  const q = SB_SLOPE_RATIO;
  SB_SLOPE_RADII_R200.forEach((x, k) => {
    const r = x * R200;
    // The two-annulus estimate of the analytic profile, and the local slope it approximates.
    const pair = Math.log(annulusMean(r, q * r) / annulusMean(r / q, r)) / Math.log(q);
    const got = shape.sbSlope[k];
    // Shot noise of the projection: rms 0.027 (0.4 R200) and 0.039 (R200) over 12 seeds of
    // 1e6 particles, unbiased; 2e6 here, so 0.12 is > 4 sigma. The two-annulus estimate is
    // within 0.01 of the local slope at both radii.
    assert.ok(Math.abs(got - pair) < 0.12, `slope at ${x} R200: ${got} vs annuli ${pair}`);
    assert.ok(
      Math.abs(got - localSlope(r)) < 0.13,
      `slope at ${x} R200: ${got} vs local ${localSlope(r)}`,
    );
  });
  // Profile, normalised at 0.3-0.5 R500 (a few per cent of shot noise in the outer annulus).
  const e = SB_PROFILE_EDGES_R500.map((x) => x * R500);
  const ref = annulusMean(e[3], e[4]);
  shape.sbSoft.forEach((s, k) => {
    const want = annulusMean(e[k], e[k + 1]) / ref;
    const got = s / shape.sbSoft[3];
    assert.ok(Math.abs(got / want - 1) < 0.03, `annulus ${k}: ${got} vs ${want}`);
  });
  const cSB = enclosed(0.04) / enclosed(0.4);
  assert.ok(Math.abs(shape.cSB / cSB - 1) < 0.03, `c_SB ${shape.cSB} vs ${cSB}`);
});

Deno.test("enclosedSums() sums strictly inside each radius, radii in any order", () => {
  const d2 = Float64Array.from([0, 1, 4, 9, 16]);
  const v = Float64Array.from([1, 10, 100, 1000, 10000]);
  assert.deepEqual(Array.from(enclosedSums(d2, v, [3, 0.5, 2.5, 10])), [111, 1, 111, 11111]);
  assert.deepEqual(Array.from(enclosedSums(d2, v, [2])), [11]);
});
