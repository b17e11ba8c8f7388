/**
 * End-to-end test of the interpretation step on a small dataset in the exact
 * on-disk contract (lib/dataset/testing.ts synthetic fixture) with hand-built
 * networks: the files of the interpretation directory, their shapes, the
 * cluster selection, resuming after a crash, and correlations.json.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as tf from "@tensorflow/tfjs";
import { writeSyntheticDataset } from "../lib/dataset/mod.ts";
import { readNpy } from "../lib/io/mod.ts";
import {
  type CorrelationsFile,
  interpretDataset,
  type InterpretSelection,
  type PredictFn,
  readInterpretTracer,
} from "../lib/interpret/mod.ts";
import type { Tracer } from "../lib/types/mod.ts";

await tf.setBackend("cpu");

const TASK = fileURLToPath(new URL("../tasks/interpret.ts", import.meta.url));

/** Typical pixel scale of each tracer in the fixture (its noise rms). */
const SCALE: Record<Tracer, number> = { star: 2e11, fxs: 1e-15, fxb: 1e-15, ypar: 1e-8 };

/** A small conv network on scaled inputs, output in Msun; counts images predicted. */
function network(tracer: Tracer, seed: number) {
  const model = tf.sequential({
    layers: [
      tf.layers.averagePooling2d({ inputShape: [120, 120, 1], poolSize: 4 }),
      tf.layers.conv2d({
        filters: 2,
        kernelSize: 3,
        padding: "same",
        activation: "tanh",
        kernelInitializer: tf.initializers.glorotNormal({ seed }),
      }),
      tf.layers.averagePooling2d({ poolSize: 5 }),
      tf.layers.flatten(),
      tf.layers.dense({
        units: 1,
        kernelInitializer: tf.initializers.glorotNormal({ seed: seed + 1 }),
      }),
    ],
  });
  const counter = { images: 0, failAfter: Infinity };
  const predict: PredictFn = (x) => {
    counter.images += x.shape[0];
    if (counter.images > counter.failAfter) throw new Error("simulated crash");
    const out = model.apply(x.div(SCALE[tracer])) as tf.Tensor2D;
    return tf.pow(10, out.reshape([-1]).mul(0.1).add(14)) as tf.Tensor1D;
  };
  return { predict, counter, model };
}

Deno.test("interpretDataset() writes the interpretation directory and resumes after a crash", async () => {
  const dir = await Deno.makeTempDir({ prefix: "interpret_e2e_" });
  try {
    const data = join(dir, "data"), out = join(dir, "interpret");
    await writeSyntheticDataset(data, { clusters: 20, seed: 3 });
    const nets = Object.fromEntries(
      (["star", "fxs", "fxb", "ypar"] as Tracer[]).map((t, i) => [t, network(t, 10 * i + 1)]),
    ) as Record<Tracer, ReturnType<typeof network>>;
    const opts = {
      dataDir: data,
      outDir: out,
      stride: 12,
      iterations: 2,
      batchSize: 40,
      loadPredictor: (t: Tracer) =>
        Promise.resolve(
          t === "ypar" ? undefined : { predict: nets[t].predict, modelKey: `m-${t}` },
        ),
    };

    // Forward passes per cluster: Deep Dream with 2 iterations 3 (value and
    // gradient, gradient at the first iterate, final M_pred), the mask sweep
    // 1 unmasked + 100 centres (stride 12). The first run crashes in fxs
    // during the third cluster.
    const perCluster = 3 + 1 + 100;
    nets.fxs.counter.failAfter = 2 * perCluster + 50;
    await assert.rejects(() => interpretDataset(opts), /simulated crash/);
    const partial = join(out, "fxs", ".partial");
    const kept = [...Deno.readDirSync(partial)].map((e) => e.name).filter((n) =>
      n.endsWith(".npy")
    );
    assert.equal(kept.length, 2, "two finished images kept for resuming");

    nets.fxs.counter.failAfter = Infinity;
    nets.fxs.counter.images = 0;
    nets.star.counter.images = 0;
    const res = await interpretDataset(opts);
    assert.equal(nets.star.counter.images, 0, "star was complete and is reused");
    // fxs resumes with the two missing clusters only.
    assert.equal(nets.fxs.counter.images, 2 * perCluster);

    for (const t of ["star", "fxs", "fxb"] as Tracer[]) {
      for (const name of ["images", "deepdream", "gradient", "mask"]) {
        const a = await readNpy(join(out, t, `${name}.npy`));
        assert.deepEqual(a.shape, [4, 120, 120], `${t}/${name}.npy`);
        assert.ok(a.data.every(Number.isFinite), `${t}/${name}.npy finite`);
      }
      const grid = await readNpy(join(out, t, "mask_grid.npy"));
      assert.deepEqual(grid.shape, [4, 10, 10]);
      const sel: InterpretSelection = JSON.parse(
        await Deno.readTextFile(join(out, t, "selection.json")),
      );
      assert.equal(sel.clusters.length, 4);
      assert.equal(new Set(sel.clusters.map((c) => c.cluster)).size, 4, "distinct clusters");
      for (let k = 1; k < 4; k++) {
        assert.ok(sel.clusters[k].m200Msun >= sel.clusters[k - 1].m200Msun);
      }
      for (const c of sel.clusters) {
        assert.ok(Math.abs(c.r200Pix - 6 * c.r200Arcmin) < 1e-9);
        assert.ok(c.galaxies.every((g) => g.mGalMsun > 1e10));
        assert.ok(c.mPredAfterDreamMsun > c.mPredMsun, "Deep Dream raises M_pred");
      }
      assert.equal(Deno.statSync(join(out, t)).isDirectory, true);
      assert.throws(() => Deno.statSync(join(out, t, ".partial")), "partials removed when done");
      // The shown images are the dataset's images.
      const back = await readInterpretTracer(out, t);
      const all = await readNpy(join(data, `images_${t}.npy`));
      const i0 = sel.clusters[0].image;
      assert.deepEqual(
        back.images.data.subarray(0, 14400),
        all.data.subarray(i0 * 14400, (i0 + 1) * 14400),
      );
    }
    assert.throws(() => Deno.statSync(join(out, "ypar", "selection.json")), "no network, no maps");
    assert.equal(res.shown.length, 4);

    const corr: CorrelationsFile = JSON.parse(
      await Deno.readTextFile(join(out, "correlations.json")),
    );
    assert.deepEqual(Object.keys(corr.tracers), ["star", "fxs", "fxb", "ypar"]);
    assert.deepEqual(corr.tracers.fxs!.paper, { core: 0.58, ring: 0.94 });
    assert.equal(corr.tracers.fxs!.n, 16, "4 test clusters x 4 projections");
    // The fixture's blobs grow with mass, so the ring signal correlates with it.
    assert.ok(corr.tracers.fxs!.log.ring > 0.5, `fxs ring r = ${corr.tracers.fxs!.log.ring}`);

    // A different stride invalidates the stored result and recomputes.
    nets.star.counter.images = 0;
    await interpretDataset({ ...opts, tracers: ["star"], stride: 24 });
    assert.equal(nets.star.counter.images, 4 * (3 + 1 + 25));
    assert.deepEqual((await readNpy(join(out, "star", "mask_grid.npy"))).shape, [4, 5, 5]);
    for (const n of Object.values(nets)) n.model.dispose();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("deno task interpret runs the paper's network from a saved run on the WASM backend", async () => {
  const { buildSingleChannelModel, MODEL_OUTPUT } = await import("../lib/model/mod.ts");
  const { makeInputScaler, saveModel } = await import("../lib/train/mod.ts");
  const { writeJsonAtomic } = await import("../lib/io/mod.ts");
  const dir = await Deno.makeTempDir({ prefix: "interpret_cli_" });
  try {
    const data = join(dir, "data"), runs = join(dir, "runs"), out = join(dir, "out");
    await writeSyntheticDataset(data, { clusters: 20, seed: 4, tracers: ["fxs"] });
    // An untrained paper network saved exactly as `deno task train` saves one.
    const images = await readNpy(join(data, "images_fxs.npy"));
    const inputScaling = makeInputScaler([Float32Array.from(images.data)], { channels: ["fxs"] });
    const model = buildSingleChannelModel({ tracer: "fxs", seed: 2 });
    await Deno.mkdir(join(runs, "fxs"), { recursive: true });
    await saveModel(model, {
      dir: join(runs, "fxs"),
      metadata: { kind: "fxs", inputScaling, modelOutput: MODEL_OUTPUT, epoch: 0, valLoss: 0 },
    });
    await writeJsonAtomic(join(runs, "fxs", "training.json"), { network: "fxs", inputScaling });
    model.dispose();

    const args = ["run", "-A", TASK, "--data", data, "--runs", runs, "--out", out];
    const opts = [
      "--profile",
      "smoke",
      "--stride",
      "24",
      "--tracers",
      "fxs",
      "--backend",
      "wasm",
      "--quiet",
    ];
    const res = await new Deno.Command(Deno.execPath(), { args: [...args, ...opts] }).output();
    const stderr = new TextDecoder().decode(res.stderr);
    assert.equal(res.code, 0, stderr);
    const sel: InterpretSelection = JSON.parse(
      await Deno.readTextFile(join(out, "fxs", "selection.json")),
    );
    assert.equal(sel.settings.stride, 24);
    assert.equal(sel.settings.iterations, 2);
    assert.match(sel.settings.modelKey, /^[0-9a-f]{64}$/, "sha256 of model.json + weights.bin");
    assert.equal(sel.backend, "wasm");
    assert.deepEqual((await readNpy(join(out, "fxs", "mask.npy"))).shape, [4, 120, 120]);
    const corr: CorrelationsFile = JSON.parse(
      await Deno.readTextFile(join(out, "correlations.json")),
    );
    assert.deepEqual(Object.keys(corr.tracers), ["fxs"]);

    const bad = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", TASK, "--runs", runs, "--out", out],
    }).output();
    assert.equal(bad.code, 2);
    assert.match(new TextDecoder().decode(bad.stderr), /--data, --runs and --out are required/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
