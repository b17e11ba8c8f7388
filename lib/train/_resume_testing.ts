/**
 * Test helper shared by the trainer's tests: train a run that is killed after
 * epoch 2, resume it, and train the same settings uninterrupted. Private to
 * lib/train's tests.
 *
 * @module
 */
import assert from "node:assert/strict";
import type { LoadedDataset } from "../dataset/mod.ts";
import { trainNetwork, type TrainOptions, type TrainResult } from "./train_network.ts";

/**
 * Train `settings` into `outDir`, killed after epoch 2, then resume it there
 * (asserting that it resumes at epoch 3), and train the same settings
 * uninterrupted into `straightDir`.
 */
export async function killResumeAndStraight(
  ds: LoadedDataset,
  settings: Omit<TrainOptions, "outDir">,
  outDir: string,
  straightDir: string,
): Promise<{ resumed: TrainResult; straight: TrainResult }> {
  await assert.rejects(
    () =>
      trainNetwork(ds, {
        ...settings,
        outDir,
        onEpoch: (r) => {
          if (r.epoch === 2) throw new Error("killed after epoch 2");
        },
      }),
    /killed after epoch 2/,
  );
  const resumed = await trainNetwork(ds, { ...settings, outDir });
  assert.equal(resumed.startEpoch, 3);
  const straight = await trainNetwork(ds, { ...settings, outDir: straightDir });
  return { resumed, straight };
}
