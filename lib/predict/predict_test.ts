import assert from "node:assert/strict";
import { join } from "node:path";
import { setupBackend } from "../backend/mod.ts";
import { encodeFitsImage, imageCards } from "../fits/mod.ts";
import { writeSyntheticDataset } from "../dataset/mod.ts";
import { encodeNpy, readNpy, writeJsonAtomic } from "../io/mod.ts";
import { buildSingleChannelModel, MODEL_OUTPUT } from "../model/mod.ts";
import { loadTrainedModel, makeInputScaler, saveModel } from "../train/mod.ts";
import {
  fitConfidenceBelt,
  massRangeFlag,
  predictMasses,
  readInputSummary,
  writeInputSummary,
} from "./mod.ts";

/**
 * A ypar run as `deno task train` and `deno task evaluate` leave it (an
 * untrained network, a belt fitted on synthetic pairs over 10^13-10^14.75),
 * on a synthetic dataset with all four tracers.
 */
async function yparRun(root: string): Promise<{ data: string; run: string }> {
  const data = join(root, "data"), run = join(root, "run");
  await writeSyntheticDataset(data, { clusters: 10, seed: 3 });
  const images = await readNpy(join(data, "images_ypar.npy"));
  const inputScaling = makeInputScaler([Float32Array.from(images.data)], { channels: ["ypar"] });
  const model = buildSingleChannelModel({ tracer: "ypar", seed: 2 });
  await Deno.mkdir(run, { recursive: true });
  await saveModel(model, {
    dir: run,
    metadata: { kind: "ypar", inputScaling, modelOutput: MODEL_OUTPUT, epoch: 1, valLoss: 0 },
  });
  model.dispose();
  await writeJsonAtomic(join(run, "training.json"), {
    network: "ypar",
    inputScaling,
    dataDir: data,
  });
  const t = Array.from({ length: 200 }, (_, i) => 13 + 1.75 * i / 199);
  const belt = fitConfidenceBelt({
    mTrueMsun: t.map((x) => 10 ** x),
    mPredMsun: t.map((x, i) => 10 ** (x + 0.05 * Math.sin(i))),
    cluster: t.map((_, i) => i),
  });
  await writeJsonAtomic(join(run, "calibration.json"), {
    format: "yan2020-calibration",
    version: 1,
    network: "ypar",
    method: "test",
    weightsChecksum: "0",
    belt,
    data: {
      dataDir: data,
      channels: ["ypar"],
      npix: 120,
      pixelArcsec: 10,
      bunit: { ypar: "" },
      units: {},
      noise: null,
      instruments: null,
      redshiftRange: null,
    },
    createdAt: "2026-12-04T00:00:00Z",
  });
  await writeInputSummary(run, data, inputScaling);
  return { data, run };
}

/** The first `n` images of a dataset's tracer, optionally multiplied, as a .npy file. */
async function stack(data: string, tracer: string, n: number, path: string, scale = 1) {
  const a = await readNpy(join(data, `images_${tracer}.npy`));
  const d = Float32Array.from(a.data.subarray(0, n * 14400), (v) => v * scale);
  await Deno.writeFile(path, encodeNpy({ shape: [n, 120, 120], data: d }));
  return d;
}

async function message(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error("expected a refusal");
}

Deno.test("predict", async (t) => {
  await setupBackend("wasm", { quiet: true });
  const root = await Deno.makeTempDir({ prefix: "predict_" });
  try {
    const { data, run } = await yparRun(root);

    await t.step(
      "the run's input summary records each channel's scaled statistics, total signal, tracer and unit",
      async () => {
        const s = (await readInputSummary(run))!;
        assert.deepEqual(s.channels.map((c) => c.tracer), ["ypar"]);
        const c = s.channels[0];
        assert.ok(c.totalSignal.min > 0 && c.totalSignal.max > c.totalSignal.min);
        assert.ok(Math.abs(c.scaledMean.median) < 3);
        assert.deepEqual(Object.keys(s.tracerTotals).sort(), ["fxb", "fxs", "star", "ypar"]);
      },
    );

    await t.step(
      "star maps given to a ypar run are refused, naming what they look like and what the run expects",
      async () => {
        const f = join(root, "star.npy");
        await stack(data, "star", 6, f);
        const m = await message(predictMasses(run, { images: f, warn: () => {} }));
        assert.match(
          m,
          new RegExp(
            `^Cannot predict: ${f} does not look like ypar images: their median total signal is ` +
              "\\S+ per image, the run's ypar training images have \\S+ to \\S+; it matches star " +
              "images instead\\. Give this run ypar maps, or use a run of that tracer$",
          ),
        );
      },
    );

    await t.step(
      "an image outside the training inputs is flagged in input_check and counted in a warning",
      async () => {
        const f = join(root, "mixed.npy");
        const d = await stack(data, "ypar", 6, f);
        // Image 2 made 1000 times brighter: beyond every training cluster.
        for (let p = 2 * 14400; p < 3 * 14400; p++) d[p] *= 1000;
        await Deno.writeFile(f, encodeNpy({ shape: [6, 120, 120], data: d }));
        const warnings: string[] = [];
        const rows = await predictMasses(run, { images: f, warn: (w) => warnings.push(w) });
        assert.match(rows[2].inputCheck, /ypar:total/);
        const flagged = rows.filter((r) => r.inputCheck !== "ok").length;
        assert.ok(flagged >= 1 && flagged < 6, rows.map((r) => r.inputCheck).join(" "));
        assert.ok(
          warnings.includes(
            `predict: ${flagged} of 6 image(s) lie outside the run's training inputs ` +
              "(column input_check); their masses are extrapolations",
          ),
          warnings.join("\n"),
        );
      },
    );

    await t.step("a non-finite pixel is named by image, row and column", async () => {
      const f = join(root, "nan.npy");
      const d = await stack(data, "ypar", 3, f);
      d[2 * 14400 + 17 * 120 + 42] = NaN;
      await Deno.writeFile(f, encodeNpy({ shape: [3, 120, 120], data: d }));
      assert.equal(
        await message(predictMasses(run, { images: f })),
        `Cannot predict: ${f} has a non-finite pixel at image 2, row 17, column 42 (NaN); ` +
          "replace or drop that image",
      );
    });

    await t.step("a non-finite pixel in a FITS image is named by row and column", async () => {
      const f = join(root, "nan.fits");
      const d = (await stack(data, "ypar", 1, join(root, "one.npy"))).slice();
      d[3 * 120 + 7] = NaN;
      const cards = imageCards({
        tracer: "ypar",
        npix: 120,
        pixelArcsec: 10,
        raDeg: 1,
        decDeg: 2,
        redshift: 0.05,
      });
      await Deno.writeFile(f, encodeFitsImage(d, { width: 120, height: 120, cards }));
      assert.equal(
        await message(predictMasses(run, { images: f })),
        `Cannot predict: ${f} has a non-finite pixel at row 3, column 7 (NaN); ` +
          "replace or drop that image",
      );
    });

    await t.step("--run naming no run says so instead of asking for a calibration", async () => {
      const f = join(root, "ok.npy");
      await stack(data, "ypar", 1, f);
      assert.equal(
        await message(predictMasses(join(root, "nope"), { images: f })),
        `Cannot predict: ${join(root, "nope")} does not exist: it is not a trained run. ` +
          "Give --run the folder that `deno task train --out` wrote",
      );
      assert.match(
        await message(predictMasses(data, { images: f })),
        /holds no model\.json: it is not a trained run/,
      );
    });

    await t.step(
      "a truncated weights.bin is named, with its size and the size model.json needs",
      async () => {
        const copy = join(root, "cut");
        await Deno.mkdir(copy);
        for (const n of ["model.json", "training.json"]) {
          await Deno.copyFile(join(run, n), join(copy, n));
        }
        const w = await Deno.readFile(join(run, "weights.bin"));
        await Deno.writeFile(join(copy, "weights.bin"), w.subarray(0, 90));
        assert.equal(
          await message(loadTrainedModel(copy)),
          `Cannot load trained model: ${copy}/weights.bin has 90 bytes but model.json's weights ` +
            `need ${w.length} (truncated); train again with --out ${copy} --fresh, or restore the file`,
        );
      },
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("massRangeFlag() flags predictions at or past either end of the calibrated range", () => {
  const t = Array.from({ length: 120 }, (_, i) => 13.5 + i / 119);
  const belt = fitConfidenceBelt({
    mTrueMsun: t.map((x) => 10 ** x),
    mPredMsun: t.map((x, i) => 10 ** (x + 0.05 * Math.cos(i))),
    cluster: t.map((_, i) => i),
  });
  assert.equal(massRangeFlag(belt, 10 ** 14), "inside");
  assert.equal(massRangeFlag(belt, 10 ** 13), "at-lower-edge");
  assert.equal(massRangeFlag(belt, 10 ** 15.5), "at-upper-edge");
});
