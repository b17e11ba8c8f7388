import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { describeModel, fig03Architecture, layoutModel } from "./fig03_architecture.ts";
import { compileSpec } from "./render.ts";

await tf.setBackend("cpu");

function smallSequential(): tf.Sequential {
  const m = tf.sequential();
  m.add(
    tf.layers.conv2d({
      inputShape: [8, 8, 1],
      filters: 4,
      kernelSize: 3,
      padding: "same",
      activation: "relu",
    }),
  );
  m.add(tf.layers.averagePooling2d({ poolSize: 2, strides: 2 }));
  m.add(tf.layers.flatten());
  m.add(tf.layers.dense({ units: 5, activation: "relu" }));
  m.add(tf.layers.dropout({ rate: 0.2 }));
  m.add(tf.layers.dense({ units: 1 }));
  return m;
}

function smallTwoBranch(): tf.LayersModel {
  const inputs = ["a", "b"].map((n) => tf.input({ name: `${n}_input`, shape: [8, 8, 1] }));
  const flats = inputs.map((x, i) =>
    tf.layers.flatten({ name: `flat${i}` }).apply(
      tf.layers.conv2d({ name: `conv${i}`, filters: 2, kernelSize: 3, padding: "same" }).apply(x),
    ) as tf.SymbolicTensor
  );
  const joined = tf.layers.concatenate({ name: "concat" }).apply(flats) as tf.SymbolicTensor;
  const out = tf.layers.dense({ name: "mass", units: 1 }).apply(joined) as tf.SymbolicTensor;
  return tf.model({ inputs, outputs: out });
}

Deno.test("describeModel() lists a Sequential model's layers with its input, shapes, parameters and configs", () => {
  const m = smallSequential();
  const layers = describeModel(m);
  assert.deepEqual(layers.map((l) => l.className), [
    "InputLayer",
    "Conv2D",
    "AveragePooling2D",
    "Flatten",
    "Dense",
    "Dropout",
    "Dense",
  ]);
  assert.deepEqual(layers.map((l) => l.outputShape), [[8, 8, 1], [8, 8, 4], [4, 4, 4], [64], [5], [
    5,
  ], [1]]);
  // Conv2D 3x3x1x4 + 4 biases = 40; Dense 64x5 + 5 = 325; Dense 5x1 + 1 = 6.
  assert.deepEqual(layers.map((l) => l.params), [0, 40, 0, 0, 325, 0, 6]);
  assert.equal(layers.reduce((s, l) => s + l.params, 0), m.countParams());
  assert.equal(layers[1].detail, "4 filters 3×3, relu");
  assert.equal(layers[2].detail, "avg 2×2, stride 2");
  assert.equal(layers[5].detail, "rate 0.2");
  assert.deepEqual(layers[1].inbound, [layers[0].name]);
  m.dispose();
});

Deno.test("layoutModel() gives each input its own lane and puts a merge at the mean lane, one column deeper", () => {
  const m = smallTwoBranch();
  const boxes = layoutModel(describeModel(m));
  const at = (name: string) => boxes.find((b) => b.name === name)!;
  assert.equal(at("a_input").lane, 0);
  assert.equal(at("b_input").lane, 1);
  assert.equal(at("conv1").lane, 1);
  assert.equal(at("flat1").depth, 2);
  assert.deepEqual([at("concat").depth, at("concat").lane], [3, 0.5]);
  assert.deepEqual([at("mass").depth, at("mass").lane], [4, 0.5]);
  assert.deepEqual(at("concat").inbound.sort(), ["flat0", "flat1"]);
  m.dispose();
});

Deno.test("fig03Architecture() draws one box per layer and one edge per connection in each panel", () => {
  const s = smallSequential();
  const t = smallTwoBranch();
  const single = describeModel(s);
  const multi = describeModel(t);
  const spec = fig03Architecture({ single, multi }) as unknown as {
    vconcat: { layer: { data: { values: unknown[] } }[] }[];
  };
  assert.equal(spec.vconcat.length, 2);
  const [edgesA, boxesA, textA] = spec.vconcat[0].layer;
  assert.equal(boxesA.data.values.length, single.length);
  assert.equal(textA.data.values.length, single.length);
  assert.equal(edgesA.data.values.length, single.length - 1);
  const [edgesB, boxesB] = spec.vconcat[1].layer;
  assert.equal(boxesB.data.values.length, multi.length);
  assert.equal(edgesB.data.values.length, multi.reduce((n, l) => n + l.inbound.length, 0));
  assert.deepEqual(compileSpec(spec as never).warnings, []);
  s.dispose();
  t.dispose();
});

Deno.test("layoutModel() names the layer whose feeder is missing", () => {
  assert.throws(
    () =>
      layoutModel([{
        name: "d",
        className: "Dense",
        outputShape: [1],
        params: 2,
        inbound: ["x"],
        detail: "",
      }]),
    /layer "d" is fed by "x"/,
  );
});
