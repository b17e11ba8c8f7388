import assert from "node:assert/strict";
import { Rng } from "./mod.ts";

Deno.test("Rng gives the same stream for the same seed and different ones for different seeds", () => {
  const a = new Rng(7), b = new Rng(7), c = new Rng(8);
  const xa = Array.from({ length: 5 }, () => a.nextUint32());
  const xb = Array.from({ length: 5 }, () => b.nextUint32());
  const xc = Array.from({ length: 5 }, () => c.nextUint32());
  assert.deepEqual(xa, xb);
  assert.notDeepEqual(xa, xc);
});

Deno.test("Rng.normal() has mean 0 and variance 1 within 4 standard errors over 2e5 draws", () => {
  const r = new Rng(1);
  const n = 200000;
  let s = 0, s2 = 0;
  for (let i = 0; i < n; i++) {
    const x = r.normal();
    s += x;
    s2 += x * x;
  }
  const mean = s / n, variance = s2 / n - mean * mean;
  assert.ok(Math.abs(mean) < 4 / Math.sqrt(n), `mean ${mean}`);
  // var of sample variance for a normal is 2/n
  assert.ok(Math.abs(variance - 1) < 4 * Math.sqrt(2 / n), `variance ${variance}`);
});

Deno.test("Rng.poisson() has mean and variance equal to its parameter", () => {
  const r = new Rng(3);
  for (const lam of [0.5, 12, 80]) {
    const n = 50000;
    let s = 0, s2 = 0;
    for (let i = 0; i < n; i++) {
      const k = r.poisson(lam);
      s += k;
      s2 += k * k;
    }
    const mean = s / n, variance = s2 / n - mean * mean;
    assert.ok(Math.abs(mean - lam) < 5 * Math.sqrt(lam / n), `lambda ${lam}: mean ${mean}`);
    assert.ok(Math.abs(variance / lam - 1) < 0.05, `lambda ${lam}: variance ${variance}`);
  }
});

Deno.test("Rng.fork() depends on the seed and key, not on earlier draws", () => {
  const a = new Rng(11), b = new Rng(11);
  for (let i = 0; i < 100; i++) b.random();
  assert.equal(a.fork(5).random(), b.fork(5).random());
  assert.notEqual(a.fork(5).random(), a.fork(6).random());
});

Deno.test("Rng rejects a non-finite seed with a RangeError", () => {
  assert.throws(() => new Rng(NaN), RangeError);
});
