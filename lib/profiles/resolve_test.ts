import assert from "node:assert/strict";
import {
  DEFAULT_SIMULATE_PROFILE,
  DEFAULT_TRAIN_PROFILE,
  getProfile,
  resolveInterpretSettings,
  resolveSimulateSettings,
  resolveTrainSettings,
} from "./mod.ts";

Deno.test("resolveSimulateSettings() takes the profile's numbers unless told, and checks them", () => {
  const smoke = resolveSimulateSettings();
  assert.equal(smoke.profile, DEFAULT_SIMULATE_PROFILE);
  assert.deepEqual(smoke, { profile: "smoke", clusters: 60, seed: 1, los: true, noise: "paper" });
  assert.equal(resolveSimulateSettings({ profile: "quick" }).clusters, null);
  assert.equal(resolveSimulateSettings({ profile: "quick", clusters: 7 }).clusters, 7);
  assert.throws(() => resolveSimulateSettings({ clusters: 0 }), /positive integer/);
  assert.throws(() => resolveSimulateSettings({ seed: 1.5 }), /seed must be an integer/);
  assert.throws(() => resolveSimulateSettings({ noise: "loud" }), /Unknown noise/);
});

Deno.test("resolveTrainSettings() takes the named profile, else the dataset's, else quick", () => {
  assert.equal(resolveTrainSettings("ypar").profile, DEFAULT_TRAIN_PROFILE);
  assert.equal(resolveTrainSettings("ypar", { datasetProfile: "smoke" }).epochs, 3);
  assert.equal(resolveTrainSettings("ypar", { datasetProfile: null }).profile, "quick");
  // A network's own epochs in the profile (QUICK_TRACER_EPOCHS), unless told.
  const quick = getProfile("quick");
  assert.equal(
    resolveTrainSettings("star", { profile: "quick" }).epochs,
    quick.train.tracerEpochs.star,
  );
  assert.equal(resolveTrainSettings("ypar", { profile: "quick" }).epochs, quick.train.epochs);
  assert.equal(resolveTrainSettings("star", { profile: "quick", epochs: 2 }).epochs, 2);
  const paper = resolveTrainSettings("ypar", { profile: "paper", datasetProfile: "smoke" });
  assert.equal(paper.profile, "paper");
  assert.deepEqual(paper.schedule, { name: "none" });
  assert.equal(paper.learningRate, getProfile("paper").train.learningRate);
});

Deno.test("resolveTrainSettings() gives the multichannel network its own rate and checks overrides", () => {
  const q = getProfile("quick").train;
  assert.equal(
    resolveTrainSettings("multi", { profile: "quick" }).learningRate,
    q.multichannelLearningRate,
  );
  assert.equal(
    resolveTrainSettings("multi", { profile: "quick", learningRate: 1e-3 }).learningRate,
    1e-3,
  );
  const cosine = resolveTrainSettings("star", { profile: "paper", schedule: "warmup-cosine" });
  assert.deepEqual(cosine.schedule, { name: "warmup-cosine", warmupEpochs: 1, floor: 0.05 });
  assert.throws(() => resolveTrainSettings("star", { learningRate: 0 }), /learning rate must be/);
  assert.throws(() => resolveTrainSettings("star", { floor: 2 }), /floor must be in \[0, 1\]/);
  assert.throws(() => resolveTrainSettings("star", { dropout: 1 }), /dropout must be in \[0, 1\)/);
  assert.throws(() => resolveTrainSettings("star", { profile: "fast" }), /Unknown profile/);
});

Deno.test("resolveInterpretSettings() follows the dataset's profile and keeps an asked stride", () => {
  assert.equal(resolveInterpretSettings({ datasetProfile: "smoke" }).maskStride, 12);
  assert.equal(resolveInterpretSettings({}).maskStride, getProfile("quick").interpret.maskStride);
  assert.equal(resolveInterpretSettings({ datasetProfile: "paper", maskStride: 6 }).maskStride, 6);
});

Deno.test("resolveTrainSettings() takes the profile's input softening unless told, and checks it", () => {
  const quick = getProfile("quick");
  assert.equal(
    resolveTrainSettings("star", { profile: "quick" }).inputSoftening,
    quick.train.inputSoftening.star,
  );
  assert.equal(resolveTrainSettings("fxs", { profile: "quick" }).inputSoftening, 1);
  assert.equal(resolveTrainSettings("star", { inputSoftening: 1000 }).inputSoftening, 1000);
  assert.equal(resolveTrainSettings("fxs", { inputSoftening: 3 }).inputSoftening, 3);
  assert.equal(resolveTrainSettings("multi").inputSoftening, 1);
  assert.throws(() => resolveTrainSettings("star", { inputSoftening: 0 }), /softening factor/);
  assert.throws(() => resolveTrainSettings("star", { inputSoftening: NaN }), /softening factor/);
  assert.throws(() => resolveTrainSettings("multi", { inputSoftening: 10 }), /single-channel/);
});
