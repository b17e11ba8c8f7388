import { DEFAULT_DROPOUT } from "../model/mod.ts";
import assert from "node:assert/strict";
import { getProfile, QUICK_EARLY_STOPPING, QUICK_SCHEDULE } from "./mod.ts";

Deno.test("the paper profile keeps exactly the paper's RMSprop: lr 0.01, decay 1e-4, no schedule, no early stopping, dropout 0.2", () => {
  const t = getProfile("paper").train;
  assert.deepEqual(t, {
    epochs: 1000,
    tracerEpochs: {},
    inputSoftening: { star: 100 },
    batchSize: 50,
    learningRate: 0.01,
    multichannelLearningRate: null,
    decay: 1e-4,
    schedule: { name: "none" },
    earlyStopping: { patience: 0 },
    augment: false,
    dropout: 0.2,
    seed: 1,
  });
});

Deno.test("the quick and smoke profiles train with the warm-up/cosine schedule and augmentation, without early stopping", () => {
  for (const name of ["quick", "smoke"]) {
    const t = getProfile(name).train;
    assert.deepEqual(t.schedule, QUICK_SCHEDULE);
    assert.deepEqual(t.earlyStopping, QUICK_EARLY_STOPPING);
    assert.equal(t.decay, 0);
    assert.equal(t.earlyStopping.patience, 0);
    assert.equal(t.augment, true);
    assert.equal(t.multichannelLearningRate, t.learningRate / 4);
  }
  assert.equal(getProfile("quick").train.epochs, 12);
  // getProfile returns a copy: changing it leaves the profile as it was.
  getProfile("quick").train.schedule = { name: "none" };
  assert.deepEqual(getProfile("quick").train.schedule, QUICK_SCHEDULE);
});

Deno.test("the paper profile keeps the paper's 20 per cent dropout; the short profiles train without", () => {
  assert.equal(getProfile("paper").train.dropout, DEFAULT_DROPOUT);
  assert.equal(DEFAULT_DROPOUT, 0.2);
  for (const name of ["smoke", "quick"]) assert.equal(getProfile(name).train.dropout, 0);
});
