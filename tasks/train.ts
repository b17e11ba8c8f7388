/**
 * `deno task train --data DIR --tracer star|fxs|fxb|ypar|multi --out DIR
 * [--epochs N] [--backend auto|webgpu|wasm|cpu] [--seed S] [--workers N]
 * [--profile smoke|quick|paper] [--lr X] [--decay X] [--schedule none|warmup-cosine]
 * [--warmup-epochs X] [--lr-floor X] [--patience N] [--min-delta X] [--augment on|off]
 * [--fold k/K]`: train
 * one of the paper's five CNNs. The settings are the profile's (`--profile`,
 * else the one in the dataset's manifest, else quick; lib/profiles
 * `resolveTrainSettings`) with the flags on top. On the WASM backend it uses
 * one worker per CPU core unless told otherwise, and says once whether the
 * native oneDNN kernels are in use. Running the same command again after an
 * interruption resumes from the last epoch's checkpoint; asking for more
 * epochs continues a finished run.
 *
 * @module
 */
import {
  type BackendName,
  convolutionRoute,
  loadOneDnn,
  oneDnnAdvice,
  parseBackendName,
  probeWebGpu,
  setupBackend,
} from "../lib/backend/mod.ts";
import { type FoldSpec, loadDataset, parseFold, readManifest } from "../lib/dataset/mod.ts";
import {
  assertNotLocked,
  checkWritableFolder,
  claimOutputFolder,
  formatDuration,
  type OutputFolder,
} from "../lib/io/mod.ts";
import { resolveTrainSettings, type TrainSettings } from "../lib/profiles/mod.ts";
import { defaultGradientShards, parseLrScheduleName, trainNetwork } from "../lib/train/mod.ts";
import { writeInputSummary } from "../lib/predict/mod.ts";
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
                  (default: the profile in the dataset's manifest.json, else quick)
  --backend B     auto|webgpu|wasm|cpu (default auto: WebGPU on a real GPU, else WASM)
  --workers N     data-parallel WASM worker threads (default: one per CPU core on WASM,
                  else 1; results do not depend on it beyond float rounding)
  --gradient-shards N  fixed pieces per batch whose gradients are summed in a fixed tree
                  (a power of two; default: this machine's cores rounded up to a
                  power of two, 2 to 16; 1 on WebGPU): results do not depend on
                  --workers, and at most N workers share a batch
  --seed S        seed of weights, shuffling and dropout (default: the profile's); runs with
                  different seeds are the members of a deep ensemble
  --fold k/K      K-fold cross-validation by cluster: test on fold k, validate on fold k+1,
                  train on the rest (each cluster's four views stay in one fold); default:
                  the dataset's own train/val/test split
  --dropout X     dropout fraction between the dense layers (default: the profile's, 0 for
                  smoke and quick, 0.2 for paper: the paper's text; its numbered list says 0.1)
  --batch N       batch size (default: the profile's, 50)
  --lr X          RMSprop learning rate (default: the profile's; the paper's is 0.01)
  --decay X       Keras decay per update, lr / (1 + decay t) (default: the profile's;
                  paper 1e-4)
  --schedule S    none|warmup-cosine learning-rate schedule on top of the decay
                  (default: the profile's; paper none)
  --warmup-epochs X  linear warm-up length in epochs for warmup-cosine (default: the
                  profile's, else 1)
  --lr-floor X    final learning rate of the cosine as a fraction of --lr (default: the
                  profile's, else 0.05)
  --patience N    early stopping after N epochs without a val_loss improvement; 0 = off
                  (default: the profile's; paper 0)
  --min-delta X   an improvement must lower the best val_loss by more than X (default: the
                  profile's, else 0)
  --augment on|off  turn each training image by a random symmetry of the square (quarter
                  turns, mirrors) at each step (default: the profile's; paper off)
  --input-softening X  factor on the input scaling's softening scale, asinh(I / (X rms))
                  (single-channel networks; default: the profile's, 100 for star, else 1)
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
    profile: { type: "string" },
    backend: { type: "string", default: "auto" },
    workers: { type: "string" },
    seed: { type: "string" },
    batch: { type: "string" },
    lr: { type: "string" },
    decay: { type: "string" },
    schedule: { type: "string" },
    "warmup-epochs": { type: "string" },
    "lr-floor": { type: "string" },
    patience: { type: "string" },
    "min-delta": { type: "string" },
    augment: { type: "string" },
    dropout: { type: "string" },
    "gradient-shards": { type: "string" },
    fold: { type: "string" },
    "input-softening": { type: "string" },
    fresh: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  });
  if (!values.data) fail("--data DIR is required");
  if (!values.tracer) fail("--tracer is required");
  if (!values.out) fail("--out DIR is required");
  let kind, backend: BackendName, scheduleName, fold: FoldSpec | undefined;
  try {
    if (values.fold !== undefined) fold = parseFold(values.fold);
    kind = parseNetworkKind(values.tracer);
    backend = parseBackendName(values.backend);
    scheduleName = values.schedule === undefined ? undefined : parseLrScheduleName(values.schedule);
  } catch (e) {
    fail((e as Error).message);
  }
  const num = (name: string, text: string | undefined, min = 0): number | undefined => {
    if (text === undefined) return undefined;
    const x = Number(text);
    if (!(Number.isFinite(x) && x >= min)) {
      fail(`--${name} must be a number >= ${min}, got "${text}"`);
    }
    return x;
  };
  if (values.augment !== undefined && !["on", "off"].includes(values.augment)) {
    fail(`--augment must be on or off, got "${values.augment}"`);
  }
  // The profile: --profile, else the one the dataset was simulated with (its manifest), else quick.
  let datasetProfile: unknown = undefined;
  try {
    datasetProfile = (await readManifest(values.data))?.profile;
  } catch {
    // a missing or unreadable dataset is reported by loadDataset below
  }
  let settings: TrainSettings;
  try {
    settings = resolveTrainSettings(kind, {
      profile: values.profile,
      datasetProfile,
      epochs: int("epochs", values.epochs),
      batchSize: int("batch", values.batch),
      seed: int("seed", values.seed, 0),
      learningRate: num("lr", values.lr),
      decay: num("decay", values.decay),
      schedule: scheduleName,
      warmupEpochs: num("warmup-epochs", values["warmup-epochs"]),
      floor: num("lr-floor", values["lr-floor"]),
      patience: int("patience", values.patience, 0),
      minDelta: num("min-delta", values["min-delta"]),
      augment: values.augment === undefined ? undefined : values.augment === "on",
      dropout: num("dropout", values.dropout),
      inputSoftening: num("input-softening", values["input-softening"]),
    });
  } catch (e) {
    fail((e as Error).message);
  }
  const { epochs, batchSize, seed, learningRate, decay, schedule, earlyStopping, augment } =
    settings;
  const cores = navigator.hardwareConcurrency ?? 2;
  let workers = int("workers", values.workers);
  if (workers !== undefined && workers > Math.max(2, cores)) {
    fail(`--workers ${workers} exceeds the ${cores} CPU cores of this machine`);
  }

  let folder: OutputFolder | undefined;
  try {
    // Everything that can fail cheaply fails before training starts; the run folder is
    // made (and locked) only once the data are read.
    await checkWritableFolder(values.out);
    assertNotLocked(values.out);
    const t0 = performance.now();
    const dataset = await loadDataset(values.data, { tracer: kind, fold });
    folder = await claimOutputFolder(
      values.out,
      fold ? `train --fold ${fold.index}/${fold.count}` : "train",
    );
    console.error(
      `train: ${kind} on ${values.data}${
        fold ? ` (fold ${fold.index}/${fold.count})` : ""
      }: ${dataset.splits.train.n} train, ${dataset.splits.val.n} val, ` +
        `${dataset.splits.test.n} test images (read in ${
          formatDuration((performance.now() - t0) / 1000)
        })`,
    );
    let resolved: BackendName = backend;
    if (backend === "auto") {
      const probe = await probeWebGpu();
      resolved = probe !== undefined && !probe.isFallbackAdapter ? "webgpu" : "wasm";
    }
    // Every core: one single-threaded WASM worker per core.
    workers ??= resolved === "wasm" ? Math.max(1, cores) : 1;
    if (workers > 1 && resolved !== "wasm") {
      // Thrown, not fail(): the run folder this run made is removed on the way out.
      throw new RangeError(
        `--workers ${workers} needs the WASM backend (each worker runs its own); ` +
          `use --workers 1 with --backend ${resolved}`,
      );
    }
    // With workers the main thread only holds the model for saving: the cpu backend suffices.
    // On a GPU one piece per batch keeps the GPU busy; WASM workers share as
    // many pieces as the machine has cores (rounded up to a power of two).
    const gradientShards = int("gradient-shards", values["gradient-shards"]) ??
      (resolved === "wasm" ? defaultGradientShards(cores) : 1);
    if (workers > gradientShards) {
      console.error(
        `train: ${workers} workers (${
          values.workers === undefined ? "one per core" : "--workers"
        }) but a batch has ${gradientShards} gradient shard(s): using ${gradientShards} ` +
          `(one shard is the smallest piece of work; --gradient-shards ${
            2 ** Math.ceil(Math.log2(workers))
          } would use them all)`,
      );
      workers = gradientShards;
    }
    const info = await setupBackend(workers > 1 ? "cpu" : resolved, { quiet: true });
    if (resolved === "wasm") {
      // Once per run: which kernels the WASM route runs on, and what oneDNN would change.
      loadOneDnn();
      const advice = oneDnnAdvice();
      if (advice !== null) console.error(`train: ${advice}`);
    }
    const backendLabel = workers > 1
      ? `wasm (${workers} Deno workers, one thread each: ${
        loadOneDnn() ? convolutionRoute() : "WASM SIMD"
      })`
      : `${info.name}${info.adapter ? ` (${info.adapter})` : ""}`;
    console.error(
      `train: backend ${backendLabel}; profile ${settings.profile}${
        values.profile === undefined ? (datasetProfile ? " (the dataset's)" : " (default)") : ""
      }: ${epochs} epochs, batch ${batchSize}, seed ${seed}`,
    );
    console.error(
      `train: using ${workers} worker${workers === 1 ? "" : "s"} on a machine with ${cores} ` +
        `CPU core${cores === 1 ? "" : "s"}` +
        `, ${gradientShards} gradient shard${gradientShards === 1 ? "" : "s"} per batch` +
        (values.workers === undefined
          ? " (default: one worker per core on WASM; --workers N)"
          : ""),
    );
    console.error(
      `train: lr ${learningRate}, decay ${decay}, schedule ${
        schedule.name === "none"
          ? "none"
          : `warmup-cosine (warm-up ${schedule.warmupEpochs} epochs, floor ${schedule.floor})`
      }, early stopping ${
        earlyStopping.patience > 0
          ? `patience ${earlyStopping.patience}, min delta ${earlyStopping.minDelta}`
          : "off"
      }, augmentation ${augment ? "on" : "off"}${
        settings.inputSoftening !== 1
          ? `, input softening ${settings.inputSoftening} x the noise rms`
          : ""
      }`,
    );
    if (!values.fresh) {
      const ck = await Deno.stat(`${values.out}/checkpoint.bin`).catch(() => null);
      if (ck) {
        console.error(`train: resuming from ${values.out}/checkpoint.bin (--fresh starts again)`);
      }
    }
    const result = await trainNetwork(dataset, {
      ...settings,
      outDir: values.out,
      gradientShards,
      workers,
      resume: !values.fresh,
      backendLabel,
    });
    // What the network was trained on, for predict's checks of new images. The run is
    // saved already: a failure here costs the summary (predict then makes it), not the run.
    await writeInputSummary(values.out, values.data, result.scaling).catch((e) =>
      console.error(`train: could not write the input summary: ${(e as Error).message}`)
    );
    folder.release();
    if (result.startEpoch > 1) {
      console.error(`train: resumed from the checkpoint at epoch ${result.startEpoch - 1}`);
    }
    if (result.stoppedEpoch !== null) {
      console.error(`train: early stopping after epoch ${result.stoppedEpoch}`);
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
    await folder?.abandon();
    console.error(`train: ${(e as Error).message}`);
    Deno.exit(1);
  }
}
