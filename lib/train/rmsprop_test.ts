import assert from "node:assert/strict";
import { KerasRmsprop, rmspropUpdate } from "./mod.ts";

// Reference: the Keras 2.2.4 RMSprop update (keras/optimizers.py) written out in
// plain Python 3 floats: rho 0.9, eps 1e-7, lr 0.01, decay 1e-4, params [1, -2],
// gradients [0.5, -3] then [0.1, 1] -> params [0.9618546191855067, -1.9788590258200587],
// accumulators [0.0235, 0.91].
Deno.test("KerasRmsprop matches Keras 2 RMSprop with decay over two updates", () => {
  const opt = new KerasRmsprop(2, { learningRate: 0.01, decay: 1e-4 });
  const p = new Float32Array([1, -2]);
  opt.step(p, new Float32Array([0.5, -3]));
  assert.ok(Math.abs(opt.currentLearningRate() - 0.01 / (1 + 1e-4)) < 1e-15);
  opt.step(p, new Float32Array([0.1, 1]));
  assert.ok(Math.abs(p[0] - 0.9618546191855067) < 1e-6, `${p[0]}`);
  assert.ok(Math.abs(p[1] + 1.9788590258200587) < 1e-6, `${p[1]}`);
  assert.ok(Math.abs(opt.meanSquare[0] - 0.0235) < 1e-8);
  assert.ok(Math.abs(opt.meanSquare[1] - 0.91) < 1e-6);
  assert.equal(opt.iterations, 2);
});

Deno.test("KerasRmsprop restores a saved state and rejects mismatched sizes", () => {
  const a = new KerasRmsprop(2, { learningRate: 0.01, decay: 1e-4 });
  const pa = new Float32Array([1, -2]);
  a.step(pa, new Float32Array([0.5, -3]));
  const b = new KerasRmsprop(2, { learningRate: 0.01, decay: 1e-4 });
  b.setState(a.getState());
  const pb = pa.slice();
  a.step(pa, new Float32Array([0.1, 1]));
  b.step(pb, new Float32Array([0.1, 1]));
  assert.deepEqual(pa, pb);
  assert.throws(() => b.step(new Float32Array(3), new Float32Array(3)), /3 params/);
  assert.throws(() => new KerasRmsprop(1, { learningRate: 0 }), /learningRate must be > 0/);
});

Deno.test("an update applied in pieces (nextUpdate + rmspropUpdate) equals step(), to the bit", () => {
  const n = 777;
  const grads = Float32Array.from({ length: n }, (_, i) => Math.cos(i) * 10 ** ((i % 5) - 3));
  const a = new KerasRmsprop(n, { learningRate: 0.01, decay: 1e-4 });
  const b = new KerasRmsprop(n, { learningRate: 0.01, decay: 1e-4 });
  const pa = Float32Array.from({ length: n }, (_, i) => Math.sin(i));
  const pb = pa.slice();
  const shared = new Float32Array(new SharedArrayBuffer(4 * n));
  b.adoptMeanSquare(shared);
  for (let t = 0; t < 3; t++) {
    a.step(pa, grads);
    const u = b.nextUpdate();
    for (const [s, e] of [[0, 100], [100, 101], [101, n]]) {
      rmspropUpdate(pb, shared, grads, u, s, e);
    }
  }
  assert.equal(b.iterations, 3);
  assert.deepEqual(Array.from(pb), Array.from(pa));
  assert.deepEqual(Array.from(b.getState().meanSquare), Array.from(a.getState().meanSquare));
  assert.equal(b.meanSquare, shared);
});
