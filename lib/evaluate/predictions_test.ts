import assert from "node:assert/strict";
import { join } from "node:path";
import {
  formatPredictions,
  PREDICTION_COLUMNS,
  readPredictions,
  writePredictions,
} from "./predictions.ts";

Deno.test("predictions written from typed arrays read back to the same numbers, header first", async () => {
  const dir = await Deno.makeTempDir({ prefix: "predictions_test_" });
  try {
    const path = join(dir, "predictions.csv");
    const p = {
      image: Int32Array.from([3, 7, 11]),
      cluster: Int32Array.from([0, 1, 2]),
      mTrueMsun: Float64Array.from([2.5e13, 1.0e14, 3.162277660168379e14]),
      mPredMsun: Float32Array.from([2.7e13, 0.93e14, Infinity]),
    };
    await writePredictions(path, p);
    const text = await Deno.readTextFile(path);
    assert.equal(text.split("\n")[0], PREDICTION_COLUMNS.join(","));
    const back = await readPredictions(path);
    assert.deepEqual(back.image, [3, 7, 11]);
    assert.deepEqual(back.cluster, [0, 1, 2]);
    assert.deepEqual(back.mTrueMsun, Array.from(p.mTrueMsun));
    // float32 values come back as the doubles they are; a diverged network's Infinity stays one.
    assert.deepEqual(back.mPredMsun, Array.from(p.mPredMsun));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("predictions with columns of different lengths are refused, naming the column", () => {
  assert.throws(
    () =>
      formatPredictions({
        image: [1, 2],
        cluster: [0, 0],
        mTrueMsun: [1e14],
        mPredMsun: [1e14, 2e14],
      }),
    /mTrueMsun has 1 rows, image has 2/,
  );
});

Deno.test("a predictions file with a missing value names the row and column", async () => {
  const dir = await Deno.makeTempDir({ prefix: "predictions_test_" });
  try {
    const path = join(dir, "predictions.csv");
    await Deno.writeTextFile(
      path,
      "image,cluster,m_true_msun,m_pred_msun\n1,0,1e14,2e14\n2,0,,2e14\n",
    );
    await assert.rejects(readPredictions(path), /row 3 has no numeric m_true_msun/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
