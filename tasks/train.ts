/**
 * `deno task train --data DIR --tracer star|fxs|fxb|ypar|multi --out DIR
 * [--epochs N] [--backend auto|webgpu|wasm|cpu] [--seed S] [--workers N]
 * [--profile smoke|quick|paper]`: train one of the paper's five CNNs. Running
 * the same command again after an interruption resumes from the last epoch's
 * checkpoint; asking for more epochs continues a finished run.
 *
 * @module
 */
import {
  type BackendName,
  parseBackendName,
  probeWebGpu,
  setupBackend,
} from "../lib/backend/mod.ts";
import { loadDataset } from "../lib/dataset/mod.ts";
import { ensureWritableDir, formatDuration } from "../lib/io/mod.ts";
import { getProfile } from "../lib/profiles/mod.ts";
import { trainNetwork } from "../lib/train/mod.ts";
import { parseNetworkKind } from "../lib/types/mod.ts";
import { parseTaskArgs } from "./_cli.ts";

const USAGE =
  `Usage: deno task train --data DIR --tracer star|fxs|fxb|ypar|multi --out DIR [options]

  --data DIR      dataset directory written by \`deno task simulate\`
  --tracer T      star, fxs, fxb, ypar (single-channel CNN) or multi (all four)
  --out DIR       run directory (history.csv, model.json, weights.bin, predictions.csv,
                  training.json, checkpoint.bin); an existing checkpoint is resumed
  --epochs N      total epochs (default: the profile's)
  --profile P     smoke|quick|paper defaults for epochs, batch, learning rate, decay, seed
                  (default quick)
  --backend B     auto|webgpu|wasm|cpu (default auto: WebGPU on a real GPU, else WASM)
  --workers N     data-parallel WASM worker threads (default 2 on WASM, else 1)
  --seed S        seed of weights, shuffling and dropout (default: the profile's)
  --batch N       batch size (default: the profile's, 50)
  --lr X          RMSprop learning rate (default: the profile's; the paper's is 0.01)
  --fresh         ignore an existing checkpoint and start again
  -h, --help      this text`;

function fail(message: string): never {
  console.error(`train: ${message}\n\n${USAGE}`);
  Deno.exit(2);
}

if (import.meta.main) {
  const { values, int } = parseTaskArgs("train", USAGE, {
    data: { type: "string" },
    tracer: { type: "string" },
    out: { type: "string" },
    epochs: { type: "string" },
    profile: { type: "string", default: "quick" },
    backend: { type: "string", default: "auto" },
    workers: { type: "string" },
    seed: { type: "string" },
    batch: { type: "string" },
    lr: { type: "string" },
    fresh: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  });
  if (!values.data) fail("--data DIR is required");
  if (!values.tracer) fail("--tracer is required");
  if (!values.out) fail("--out DIR is required");
  let profile, kind, backend: BackendName;
  try {
    profile = getProfile(values.profile);
    kind = parseNetworkKind(values.tracer);
    backend = parseBackendName(values.backend);
  } catch (e) {
    fail((e as Error).message);
  }
  const epochs = int("epochs", values.epochs) ?? profile.train.epochs;
  const batchSize = int("batch", values.batch) ?? profile.train.batchSize;
  const seed = int("seed", values.seed, 0) ?? profile.train.seed;
  const learningRate = values.lr === undefined ? profile.train.learningRate : Number(values.lr);
  if (!(Number.isFinite(learningRate) && learningRate > 0)) {
    fail(`--lr must be a number > 0, got ${values.lr}`);
  }
  const cores = navigator.hardwareConcurrency ?? 2;
  let workers = int("workers", values.workers);
  if (workers !== undefined && workers > Math.max(2, cores)) {
    fail(`--workers ${workers} exceeds the ${cores} CPU cores of this machine`);
  }

  try {
    // Everything that can fail cheaply fails before training starts.
    await ensureWritableDir(values.out);
    const t0 = performance.now();
    const dataset = await loadDataset(values.data, { tracer: kind });
    console.error(
      `train: ${kind} on ${values.data}: ${dataset.splits.train.n} train, ${dataset.splits.val.n} val, ` +
        `${dataset.splits.test.n} test images (read in ${
          formatDuration((performance.now() - t0) / 1000)
        })`,
    );
    let resolved: BackendName = backend;
    if (backend === "auto") {
      const probe = await probeWebGpu();
      resolved = probe !== undefined && !probe.isFallbackAdapter ? "webgpu" : "wasm";
    }
    workers ??= resolved === "wasm" ? Math.min(2, cores) : 1;
    if (workers > 1 && resolved !== "wasm") {
      fail(
        `--workers ${workers} needs the WASM backend (each worker runs its own); ` +
          `use --workers 1 with --backend ${resolved}`,
      );
    }
    // With workers the main thread only holds the model for saving: the cpu backend suffices.
    const info = await setupBackend(workers > 1 ? "cpu" : resolved, { quiet: true });
    const backendLabel = workers > 1
      ? `wasm (${workers} Deno workers, single-threaded SIMD each)`
      : `${info.name}${info.adapter ? ` (${info.adapter})` : ""}`;
    console.error(
      `train: backend ${backendLabel}; ${epochs} epochs, batch ${batchSize}, seed ${seed}`,
    );
    if (!values.fresh) {
      const ck = await Deno.stat(`${values.out}/checkpoint.bin`).catch(() => null);
      if (ck) {
        console.error(`train: resuming from ${values.out}/checkpoint.bin (--fresh starts again)`);
      }
    }
    const result = await trainNetwork(dataset, {
      outDir: values.out,
      epochs,
      batchSize,
      learningRate,
      decay: profile.train.decay,
      seed,
      workers,
      resume: !values.fresh,
      backendLabel,
    });
    if (result.startEpoch > 1) {
      console.error(`train: resumed from the checkpoint at epoch ${result.startEpoch - 1}`);
    }
    const last = result.history[result.history.length - 1];
    console.log(
      `train: ${kind} done: best epoch ${result.bestEpoch} (val_loss ${
        result.bestValLoss.toFixed(5)
      }), ` +
        `last epoch ${last?.epoch} at ${
          last?.images_per_s.toFixed(1)
        } images/s; outputs in ${values.out}`,
    );
  } catch (e) {
    console.error(`train: ${(e as Error).message}`);
    Deno.exit(1);
  }
}
