import assert from "node:assert/strict";
import {
  earlyStoppingEpoch,
  earlyStoppingTrace,
  KerasRmsprop,
  learningRateAt,
  type LrSchedule,
  lrScheduleFactor,
  parseLrScheduleName,
  resolveLrSchedule,
} from "./mod.ts";

const close = (a: number, b: number, rel = 1e-12) =>
  assert.ok(Math.abs(a - b) <= rel * Math.abs(b), `${a} vs ${b}`);

// W = 10, T = 110, floor 0.1, lr 0.002. By hand: warm-up f = (t + 1) / 10; then
// f = 0.1 + 0.9 (1 + cos(pi p)) / 2 with p = (t - 10) / 100:
// p = 0.25: 0.1 + 0.45 (1 + 0.7071067811865476) = 0.8681980515339464
// p = 0.5:  0.1 + 0.45 = 0.55
// p = 0.75: 0.1 + 0.45 (1 - 0.7071067811865476) = 0.23180194846605362
const WC: LrSchedule = { name: "warmup-cosine", warmupSteps: 10, totalSteps: 110, floor: 0.1 };

Deno.test("warmup-cosine gives the hand-computed learning rates at given steps", () => {
  const lr = (t: number) => learningRateAt(t, { learningRate: 0.002, schedule: WC });
  close(lr(0), 0.0002);
  close(lr(4), 0.001);
  close(lr(9), 0.002);
  close(lr(10), 0.002);
  close(lr(35), 0.002 * 0.8681980515339464);
  close(lr(60), 0.0011);
  close(lr(85), 0.002 * 0.23180194846605362);
  close(lr(110), 0.0002);
  close(lr(5000), 0.0002);
  // The schedule multiplies Keras' time decay: 0.0011 / (1 + 1e-3 * 60).
  close(learningRateAt(60, { learningRate: 0.002, decay: 1e-3, schedule: WC }), 0.0011 / 1.06);
});

Deno.test("no schedule is the paper's Keras decay exactly: 0.01 / (1 + 1e-4 t)", () => {
  assert.equal(lrScheduleFactor(123, { name: "none" }), 1);
  assert.equal(learningRateAt(0, { learningRate: 0.01, decay: 1e-4 }), 0.01);
  close(learningRateAt(1000, { learningRate: 0.01, decay: 1e-4 }), 0.01 / 1.1);
  const opt = new KerasRmsprop(1, { learningRate: 0.01, decay: 1e-4 });
  opt.iterations = 1000;
  assert.equal(opt.currentLearningRate(), 0.01 / (1 + 1e-4 * 1000));
});

Deno.test("KerasRmsprop follows its schedule: step t uses lr_t of update t", () => {
  const opt = new KerasRmsprop(1, { learningRate: 0.002, schedule: WC });
  const p = new Float32Array([0]);
  opt.step(p, new Float32Array([1]));
  // First update: a = 0.1, p -= lr_0 / sqrt(0.1) with lr_0 = 0.0002.
  close(p[0], -0.0002 / (Math.sqrt(0.1) + 1e-7), 1e-6);
  close(opt.currentLearningRate(), 0.0004);
});

Deno.test("resolveLrSchedule() turns epochs into updates and rejects bad settings", () => {
  assert.deepEqual(
    resolveLrSchedule({ name: "warmup-cosine", warmupEpochs: 1.5, floor: 0.05 }, {
      epochs: 8,
      stepsPerEpoch: 101,
    }),
    { name: "warmup-cosine", warmupSteps: 152, totalSteps: 808, floor: 0.05 },
  );
  assert.deepEqual(resolveLrSchedule({ name: "none" }, { epochs: 8, stepsPerEpoch: 3 }), {
    name: "none",
  });
  assert.throws(
    () =>
      resolveLrSchedule({ name: "warmup-cosine", warmupEpochs: 9, floor: 0 }, {
        epochs: 8,
        stepsPerEpoch: 3,
      }),
    /warmupEpochs must be in \[0, epochs = 8\], got 9/,
  );
  assert.throws(
    () =>
      resolveLrSchedule({ name: "warmup-cosine", warmupEpochs: 1, floor: 2 }, {
        epochs: 8,
        stepsPerEpoch: 3,
      }),
    /floor must be in \[0, 1\], got 2/,
  );
  assert.throws(() => parseLrScheduleName("cosine"), /expected one of none, warmup-cosine/);
  assert.throws(() => lrScheduleFactor(-1, WC), /step must be an integer >= 0/);
});

// A scripted validation curve. With minDelta 0.02 an epoch improves when
// val + 0.02 < best: epoch 1 (1.0), 2 (0.8), 4 (0.7); then 0.695, 0.71 and 0.69
// are not 0.02 below 0.7, so wait = 1, 2, 3 at epochs 5, 6, 7; epoch 8 (0.65) improves.
const CURVE = [1.0, 0.8, 0.79, 0.7, 0.695, 0.71, 0.69, 0.65];

Deno.test("early stopping stops at the right epoch on a scripted validation curve", () => {
  const t = earlyStoppingTrace(CURVE, { patience: 3, minDelta: 0.02 });
  assert.deepEqual(t.wait, [0, 0, 1, 0, 1, 2, 3, 0]);
  assert.equal(t.stoppedEpoch, 7);
  assert.equal(earlyStoppingEpoch(CURVE, { patience: 4, minDelta: 0.02 }), null);
  // minDelta 0: 0.79, 0.695, 0.69 and 0.65 all improve; only epoch 6 does not.
  assert.deepEqual(earlyStoppingTrace(CURVE, { patience: 2 }).wait, [0, 0, 0, 0, 0, 1, 0, 0]);
  assert.equal(earlyStoppingEpoch(CURVE, { patience: 2 }), null);
  assert.equal(earlyStoppingEpoch(CURVE, { patience: 1 }), 6);
  // Patience 0 is off.
  assert.equal(earlyStoppingEpoch(CURVE, { patience: 0, minDelta: 1 }), null);
  assert.throws(() => earlyStoppingEpoch(CURVE, { patience: 1.5 }), /patience must be an integer/);
  assert.throws(() => earlyStoppingEpoch(CURVE, { patience: 1, minDelta: -1 }), /minDelta/);
});
