import assert from "node:assert/strict";
import { join } from "node:path";
import { setupBackend } from "../backend/mod.ts";
import { loadDataset, writeSyntheticDataset } from "../dataset_read/mod.ts";
import { readCsv } from "../io/mod.ts";
import { type HistoryRow, trainNetwork } from "./mod.ts";

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
  ]);
  assert.equal(hist.length, 3);
  await assert.rejects(
    () => trainNetwork(ds, { outDir: out, epochs: 4, batchSize: 7, silent: true }),
    /made with batchSize = 50, this run has 7/,
  );
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
  await Deno.remove(root, { recursive: true });
});
