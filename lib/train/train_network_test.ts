import assert from "node:assert/strict";
import { join } from "node:path";
import { setupBackend } from "../backend/mod.ts";
import * as tf from "@tensorflow/tfjs";
import { IMAGE_PIXELS, loadDataset, writeSyntheticDataset } from "../dataset/mod.ts";
import { readCsv } from "../io/mod.ts";
import { defaultGradientShards, type HistoryRow, loadTrainedModel, trainNetwork } from "./mod.ts";
import { killResumeAndStraight } from "./_resume_testing.ts";

const root = await Deno.makeTempDir({ prefix: "c2_train_" });
const dataDir = join(root, "data");
await writeSyntheticDataset(dataDir, { clusters: 5, seed: 2, tracers: ["ypar"] });
const ds = await loadDataset(dataDir, { tracer: "ypar" });
await setupBackend("wasm", { quiet: true });

Deno.test("a run stopped after 2 epochs resumes at epoch 3 and matches an uninterrupted run", async () => {
  const out = join(root, "resume");
  const counts: number[][] = [];
  const first = await trainNetwork(ds, {
    outDir: out,
    epochs: 2,
    silent: true,
    onEpoch: (_r, i) => void counts.push(i.numTensors),
  });
  assert.equal(first.startEpoch, 1);
  const second = await trainNetwork(ds, {
    outDir: out,
    epochs: 3,
    silent: true,
    onEpoch: (_r, i) => void counts.push(i.numTensors),
  });
  assert.equal(second.startEpoch, 3);
  assert.deepEqual(second.history.map((r) => r.epoch), [1, 2, 3]);
  assert.deepEqual(second.history.slice(0, 2), first.history);
  // No tensor leak: the main thread holds the same number of tensors after every epoch.
  assert.ok(counts.every((c) => c[0] === counts[0][0]), JSON.stringify(counts));
  // Same seed, uninterrupted: the same losses (shuffles and dropout seeds depend on seed and epoch only).
  const straight = await trainNetwork(ds, {
    outDir: join(root, "straight"),
    epochs: 3,
    silent: true,
  });
  const vl = (h: HistoryRow[]) => h.map((r) => r.val_loss);
  assert.deepEqual(vl(straight.history), vl(second.history));
  const hist = await readCsv(join(out, "history.csv"));
  assert.deepEqual(Object.keys(hist[0]), [
    "epoch",
    "loss",
    "val_loss",
    "lr",
    "seconds",
    "images_per_s",
    "epochs_without_improvement",
    "val_bias",
  ]);
  assert.equal(hist.length, 3);
  await assert.rejects(
    () => trainNetwork(ds, { outDir: out, epochs: 4, batchSize: 7, silent: true }),
    /made with batchSize = 50, this run has 7/,
  );
  // Same sizes, other pixels: a regenerated dataset must not resume an old run.
  const other = join(root, "other");
  await writeSyntheticDataset(other, { clusters: 5, seed: 3, tracers: ["ypar"] });
  const ds2 = await loadDataset(other, { tracer: "ypar" });
  await assert.rejects(
    () => trainNetwork(ds2, { outDir: out, epochs: 4, silent: true }),
    /made with dataChecksum = [0-9a-f]{8}, this run has [0-9a-f]{8}/,
  );
});

Deno.test("a warmup-cosine run interrupted after epoch 2 resumes on the same learning-rate curve", async () => {
  const settings = {
    epochs: 3,
    batchSize: 4,
    learningRate: 1e-3,
    decay: 0,
    schedule: { name: "warmup-cosine", warmupEpochs: 1, floor: 0.1 } as const,
    silent: true,
  };
  const out = join(root, "sched");
  const { resumed, straight } = await killResumeAndStraight(
    ds,
    settings,
    out,
    join(root, "sched_straight"),
  );
  assert.deepEqual(resumed.history.map((r) => r.lr), straight.history.map((r) => r.lr));
  assert.deepEqual(resumed.history.map((r) => r.val_loss), straight.history.map((r) => r.val_loss));
  // The lr column by hand: S = ceil(train / 4) updates per epoch, W = S, T = 3 S; after
  // epoch 1 the next update is t = S: f = 1; after epoch 2, t = 2S: p = 1/2, f = 0.55;
  // after epoch 3, t = T: the floor 0.1.
  const nTrain = ds.splits.train.n;
  const steps = Math.ceil(nTrain / 4);
  const lr = straight.history.map((r) => r.lr);
  assert.ok(Math.abs(lr[0] - 1e-3) < 1e-15, `${lr[0]}`);
  assert.ok(Math.abs(lr[1] - 0.55e-3) < 1e-15, `${lr[1]}`);
  assert.ok(Math.abs(lr[2] - 1e-4) < 1e-15, `${lr[2]}`);
  const tj = JSON.parse(await Deno.readTextFile(join(out, "training.json")));
  assert.deepEqual(
    [tj.optimizer.lrSchedule.warmupSteps, tj.optimizer.lrSchedule.totalSteps],
    [steps, 3 * steps],
  );
  // Asking for more epochs continues at the floor: T stays the first run's.
  const more = await trainNetwork(ds, { ...settings, epochs: 4, outDir: out });
  assert.ok(Math.abs(more.history[3].lr - 1e-4) < 1e-15, `${more.history[3].lr}`);
  // Another schedule cannot resume this run.
  await assert.rejects(
    () => trainNetwork(ds, { ...settings, epochs: 5, schedule: { name: "none" }, outDir: out }),
    /made with lrSchedule = .*warmup-cosine.*this run has .*none/,
  );
});

Deno.test("early stopping ends training at the scripted epoch, records it, and a rerun does not train on", async () => {
  // minDelta 1e9: only epoch 1 (best = Infinity before it) counts as an improvement,
  // so with patience 2 training stops after epoch 3 whatever the losses are.
  const settings = {
    epochs: 6,
    batchSize: 4,
    learningRate: 1e-3,
    earlyStopping: { patience: 2, minDelta: 1e9 },
    silent: true,
  };
  const out = join(root, "early");
  const res = await trainNetwork(ds, { ...settings, outDir: out });
  assert.equal(res.stoppedEpoch, 3);
  assert.deepEqual(res.history.map((r) => r.epochs_without_improvement), [0, 1, 2]);
  const tj = JSON.parse(await Deno.readTextFile(join(out, "training.json")));
  assert.deepEqual(tj.earlyStopping, {
    patience: 2,
    minDelta: 1e9,
    monitor: "val_loss",
    stoppedEpoch: 3,
  });
  assert.equal(tj.epochsCompleted, 3);
  const hist = await readCsv(join(out, "history.csv"));
  assert.deepEqual(hist.map((r) => r.epochs_without_improvement), [0, 1, 2]);
  const again = await trainNetwork(ds, { ...settings, outDir: out });
  assert.equal(again.startEpoch, 4);
  assert.equal(again.history.length, 3);
  assert.equal(again.stoppedEpoch, 3);
  // Turning early stopping off continues the run.
  const on = await trainNetwork(ds, {
    ...settings,
    epochs: 4,
    earlyStopping: { patience: 0 },
    outDir: out,
  });
  assert.equal(on.history.length, 4);
  assert.equal(on.stoppedEpoch, null);
});

Deno.test("trainNetwork() rejects bad settings before training", async () => {
  await assert.rejects(
    () => trainNetwork(ds, { outDir: join(root, "x"), epochs: 0 }),
    /epochs must be an integer >= 1/,
  );
  await assert.rejects(
    () => trainNetwork(ds, { outDir: join(root, "x"), epochs: 1, workers: 0 }),
    /workers must be/,
  );
  await assert.rejects(
    () => trainNetwork(ds, { outDir: join(root, "x"), epochs: 1, gradientShards: 3 }),
    /gradientShards must be a power of two/,
  );
  await assert.rejects(
    () =>
      trainNetwork(ds, {
        outDir: join(root, "x"),
        epochs: 2,
        schedule: { name: "warmup-cosine", warmupEpochs: 3, floor: 0 },
      }),
    /warmupEpochs must be in \[0, epochs = 2\], got 3/,
  );
  await assert.rejects(
    () => trainNetwork(ds, { outDir: join(root, "x"), epochs: 1, earlyStopping: { patience: -1 } }),
    /patience must be an integer >= 0/,
  );
  await Deno.remove(root, { recursive: true });
});

Deno.test("the multichannel network trains on four tracers and predicts from [n, 120, 120, 4] raw images", async () => {
  const dir = await Deno.makeTempDir({ prefix: "c2_multi_" });
  try {
    await writeSyntheticDataset(join(dir, "data"), { clusters: 4, seed: 5 });
    const dsm = await loadDataset(join(dir, "data"), { tracer: "multi" });
    // A small learning rate: this test checks the plumbing, and the paper's first RMSprop
    // steps (lr 0.01) can push an untrained network's log-mass output far out of range.
    const res = await trainNetwork(dsm, {
      outDir: join(dir, "run"),
      epochs: 1,
      learningRate: 1e-4,
      silent: true,
    });
    assert.deepEqual(res.scaling.channels.map((c) => c.tracer), ["star", "fxs", "fxb", "ypar"]);
    const tm = await loadTrainedModel(join(dir, "run"));
    assert.equal(tm.kind, "multi");
    const test = dsm.splits.test;
    // Interleave the four channels of test image 0 into [1, 120, 120, 4].
    const x = new Float32Array(IMAGE_PIXELS * 4);
    for (let p = 0; p < IMAGE_PIXELS; p++) {
      for (let c = 0; c < 4; c++) x[p * 4 + c] = test.images[c][p];
    }
    const raw = tf.tensor4d(x, [1, 120, 120, 4]);
    const m = tm.predictMassMsun(raw).dataSync()[0];
    assert.ok(
      Math.abs(m / res.predictions.mPredMsun[0] - 1) < 1e-3,
      `${m} vs ${res.predictions.mPredMsun[0]}`,
    );
    assert.throws(
      () => tm.predictMassMsun(tf.zeros([1, 120, 120, 1]) as tf.Tensor4D),
      /\[n, 120, 120, 4\]/,
    );
    raw.dispose();
    tm.model.dispose();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the default gradient shards are the cores rounded up to a power of two, 2 to 16", () => {
  const got = [1, 2, 3, 4, 5, 6, 8, 9, 12, 16, 17, 64, 0, NaN].map((c) => defaultGradientShards(c));
  assert.deepEqual(got, [2, 2, 4, 4, 8, 8, 8, 16, 16, 16, 16, 16, 2, 2]);
  const here = defaultGradientShards();
  assert.ok(here >= Math.min(16, navigator.hardwareConcurrency) && here <= 16);
});
