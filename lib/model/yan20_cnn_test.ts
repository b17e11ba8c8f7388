import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import {
  buildModel,
  buildMultiChannelModel,
  buildSingleChannelModel,
  massToTarget,
  MSLE_PER_MSE,
  outputToMassMsun,
} from "./mod.ts";

await tf.setBackend("cpu");

/** Parameters of a 3x3 convolution with `cin` input and `cout` output channels (+ biases). */
const convParams = (cin: number, cout: number) => 3 * 3 * cin * cout + cout;
/** Parameters of a dense layer (+ biases). */
const denseParams = (nin: number, nout: number) => nin * nout + nout;

Deno.test("buildSingleChannelModel() has the paper's layer shapes on 120-pixel images", () => {
  const model = buildSingleChannelModel({ tracer: "ypar", seed: 3 });
  const shape = (name: string) => model.getLayer(name).outputShape;
  // "same" padding: 120 -> 60 -> 30 -> 15 through the three 2x2 stride-2 pools.
  assert.deepEqual(shape("ypar_conv1"), [null, 120, 120, 16]);
  assert.deepEqual(shape("ypar_pool1"), [null, 60, 60, 16]);
  assert.deepEqual(shape("ypar_conv2"), [null, 60, 60, 32]);
  assert.deepEqual(shape("ypar_pool2"), [null, 30, 30, 32]);
  assert.deepEqual(shape("ypar_conv3"), [null, 30, 30, 64]);
  assert.deepEqual(shape("ypar_pool3"), [null, 15, 15, 64]);
  assert.deepEqual(shape("ypar_flatten"), [null, 15 * 15 * 64]);
  assert.deepEqual(shape("dense1"), [null, 200]);
  assert.deepEqual(shape("dense2"), [null, 100]);
  assert.deepEqual(shape("dense3"), [null, 100]);
  assert.deepEqual(shape("dense4"), [null, 20]);
  assert.deepEqual(shape("mass"), [null, 1]);
  const expected = convParams(1, 16) + convParams(16, 32) + convParams(32, 64) +
    denseParams(14400, 200) + denseParams(200, 100) + denseParams(100, 100) +
    denseParams(100, 20) + denseParams(20, 1);
  assert.equal(expected, 2_935_737);
  assert.equal(model.countParams(), expected);
  // Three dropout layers between the four hidden dense layers, none after dense4.
  const names = model.layers.map((l) => l.name);
  assert.deepEqual(names.filter((n) => n.startsWith("dropout")), [
    "dropout1",
    "dropout2",
    "dropout3",
  ]);
  assert.ok(names.indexOf("dropout3") < names.indexOf("dense4"));
  assert.equal(model.getLayer("mass").getConfig().activation, "linear");
  assert.equal(model.getLayer("dense4").getConfig().activation, "relu");
  model.dispose();
});

Deno.test("buildMultiChannelModel() has four towers in tracer order and a six-layer head", () => {
  const model = buildMultiChannelModel({ inputSize: 16, dropout: 0.1 });
  assert.deepEqual(model.inputNames, ["star_input", "fxs_input", "fxb_input", "ypar_input"]);
  // 16 -> 8 -> 4 -> 2 pixels; four towers of 2*2*64 features concatenated.
  assert.deepEqual(model.getLayer("concat").outputShape, [null, 4 * 2 * 2 * 64]);
  const tower = convParams(1, 16) + convParams(16, 32) + convParams(32, 64);
  const expected = 4 * tower + denseParams(4 * 256, 200) + denseParams(200, 200) +
    denseParams(200, 100) + denseParams(100, 100) + denseParams(100, 20) + denseParams(20, 1);
  assert.equal(model.countParams(), expected);
  const dense = model.layers.filter((l) => l.getClassName() === "Dense");
  assert.equal(dense.length, 6);
  const drop = model.layers.filter((l) => l.getClassName() === "Dropout");
  assert.equal(drop.length, 4);
  assert.equal(drop[0].getConfig().rate, 0.1);
  model.dispose();
});

Deno.test("buildMultiChannelModel() has 11.7 million parameters on 120-pixel images", () => {
  const model = buildMultiChannelModel();
  const tower = convParams(1, 16) + convParams(16, 32) + convParams(32, 64);
  const expected = 4 * tower + denseParams(4 * 14400, 200) + denseParams(200, 200) +
    denseParams(200, 100) + denseParams(100, 100) + denseParams(100, 20) + denseParams(20, 1);
  assert.equal(model.countParams(), expected);
  model.dispose();
});

Deno.test("the same seed gives the same initial weights, another seed different ones", () => {
  const weights = (seed: number) => {
    const m = buildModel("star", { seed, inputSize: 8 });
    const w = m.getWeights().map((t) => Array.from(t.dataSync()));
    m.dispose();
    return w;
  };
  const a = weights(11);
  const b = weights(11);
  const c = weights(12);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a[0], c[0]);
  // Each layer draws its own seed: conv1 and dense kernels are not copies.
  assert.notDeepEqual(a[0].slice(0, 4), a[2].slice(0, 4));
});

Deno.test("model builders reject bad options with messages that say what to fix", () => {
  assert.throws(() => buildSingleChannelModel({ dropout: 1 }), /dropout must be in \[0, 1\)/);
  assert.throws(() => buildSingleChannelModel({ dropout: -0.1 }), RangeError);
  assert.throws(
    () => buildMultiChannelModel({ inputSize: 7 }),
    /inputSize must be an integer >= 8/,
  );
  assert.throws(() => buildMultiChannelModel({ inputSize: 12.5 }), RangeError);
  assert.throws(() => buildSingleChannelModel({ seed: NaN }), /seed must be a finite number/);
  assert.throws(
    // deno-lint-ignore no-explicit-any
    () => buildSingleChannelModel({ tracer: "gas" as any }),
    /tracer must be one of star, fxs, fxb, ypar/,
  );
});

Deno.test("massToTarget() and outputToMassMsun() invert each other for numbers, arrays, tensors", () => {
  assert.equal(massToTarget(1e14), 0);
  assert.ok(Math.abs(massToTarget(1e15) - 1) < 1e-15);
  assert.ok(Math.abs(outputToMassMsun(0.5) / 10 ** 14.5 - 1) < 1e-15);
  const masses = [2e13, 1e14, 7.5e14];
  const back = outputToMassMsun(massToTarget(masses));
  masses.forEach((m, i) => assert.ok(Math.abs(back[i] / m - 1) < 1e-6));
  const tt = massToTarget(tf.tensor1d(masses));
  const tm = outputToMassMsun(tt);
  const got = tm.dataSync();
  masses.forEach((m, i) => assert.ok(Math.abs(got[i] / m - 1) < 1e-5));
  tf.dispose([tt, tm]);
  assert.throws(() => massToTarget(0), /mass must be > 0/);
  assert.throws(() => massToTarget([1e14, -1]), RangeError);
});

Deno.test("MSE on the target times MSLE_PER_MSE is the paper's eq. (11) loss", () => {
  const mTrue = [1e14, 3e14, 5e13];
  const mPred = [1.2e14, 2e14, 6e13];
  const msle = mTrue.reduce((s, m, i) => s + (Math.log(mPred[i]) - Math.log(m)) ** 2, 0) / 3;
  const tTrue = massToTarget(mTrue);
  const tPred = massToTarget(mPred);
  const mse = tTrue.reduce((s, t, i) => s + (tPred[i] - t) ** 2, 0) / 3;
  assert.ok(Math.abs((mse * MSLE_PER_MSE) / msle - 1) < 1e-5);
});
