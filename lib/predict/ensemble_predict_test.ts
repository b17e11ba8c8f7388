import assert from "node:assert/strict";
import { combineEnsemblePredictions } from "./ensemble_predict.ts";
import type { PredictedImage } from "./predict.ts";

const row = (image: string, net: number, mid: number): PredictedImage => ({
  image,
  networkMsun: net,
  redshift: 0.05,
  m200Msun: mid,
  p16Msun: mid / 10 ** 0.1,
  p84Msun: mid * 10 ** 0.1,
  p2_5Msun: mid / 10 ** 0.2,
  p97_5Msun: mid * 10 ** 0.2,
  inputCheck: "ok",
  massRange: "inside",
});

Deno.test("combineEnsemblePredictions() averages log-mass and widens by the members' spread", () => {
  // Network log-masses 14 and 14.2: sd = 0.1414 dex.
  const [e] = combineEnsemblePredictions([[row("a", 1e14, 1e14)], [
    row("a", 10 ** 14.2, 10 ** 14.2),
  ]]);
  const sd = Math.SQRT2 * 0.1;
  assert.ok(Math.abs(Math.log10(e.m200Msun) - 14.1) < 1e-12);
  assert.ok(Math.abs(Math.log10(e.networkMsun) - 14.1) < 1e-12);
  const up68 = Math.log10(e.p84Msun) - 14.1;
  const up95 = Math.log10(e.p97_5Msun) - 14.1;
  assert.ok(Math.abs(up68 - Math.hypot(0.1, 0.9945 * sd)) < 1e-12);
  assert.ok(Math.abs(up95 - Math.hypot(0.2, 1.96 * sd)) < 1e-12);
  assert.equal(e.inputCheck, "ok");
  assert.equal(e.massRange, "inside");
  // A member's flags carry over to the ensemble's row.
  const [f] = combineEnsemblePredictions([[row("a", 1e14, 1e14)], [{
    ...row("a", 1e14, 1e14),
    inputCheck: "star:total",
    massRange: "at-upper-edge",
  }]]);
  assert.equal(f.inputCheck, "star:total");
  assert.equal(f.massRange, "at-upper-edge");
  assert.throws(
    () => combineEnsemblePredictions([[row("a", 1, 1)], [row("b", 1, 1)]]),
    /run 2 predicted other images than run 1/,
  );
});
