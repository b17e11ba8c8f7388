/**
 * `deno task interpret`: Deep Dream, Gaussian-mask maps and the core/ring
 * correlations of the single-channel networks (Yan et al. 2020, §4, Figs 8-11).
 *
 *     deno task interpret --data DIR --runs RUNSDIR --out DIR
 *       [--profile smoke|quick|paper] [--stride N] [--iterations 1|2]
 *       [--step F] [--batch N] [--tracers star,fxs,...] [--backend auto|webgpu|wasm|cpu]
 *
 * Reads the dataset (`deno task simulate`) and the trained runs
 * `RUNSDIR/<tracer>/model.json` (`deno task train`); tracers without a run get
 * the correlations only. The mask stride and the clusters shown come from the
 * profile (`--profile`, else the dataset's, else quick). Writes `OUT/correlations.json` and, per tracer,
 * `OUT/<tracer>/{images,deepdream,gradient,mask,mask_grid}.npy` and
 * `selection.json`. Resumable: finished tracers are reused and a killed sweep
 * restarts at the image it was on.
 *
 * @module
 */
import { join } from "node:path";
import { parseBackendName, setupBackend } from "../lib/backend/mod.ts";
import { claimOutputFolder, formatDuration, ProgressBar } from "../lib/io/mod.ts";
import { interpretDataset, type TracerPredictor } from "../lib/interpret/mod.ts";
import { type InterpretRunSettings, resolveInterpretSettings } from "../lib/profiles/mod.ts";
import { DATASET_FILES, readManifest } from "../lib/dataset/mod.ts";
import { loadTrainedModel } from "../lib/train/mod.ts";
import { parseTracer, type Tracer, TRACERS } from "../lib/types/mod.ts";
import { parseTaskArgs } from "./_cli.ts";

const USAGE = `Usage: deno task interpret --data DIR --runs RUNSDIR --out DIR [options]

Options:
  --data DIR          dataset directory written by \`deno task simulate\` (required)
  --runs DIR          directory holding one training run per tracer, RUNS/<tracer>/ (required)
  --out DIR           output directory (required)
  --profile P         smoke | quick | paper: default mask stride and clusters shown
                      (default: the dataset's manifest profile, else quick)
  --stride N          mask-centre stride in pixels, must divide 120 (paper: 1; default from profile)
  --iterations N      Deep Dream iterations, 1 or 2 (default 2, as the Figs 8-11 captions)
  --step F            Deep Dream step: largest pixel change / image peak (default 0.01)
  --batch N           masked images per forward pass (default 100)
  --tracers LIST      comma-separated subset of star,fxs,fxb,ypar (default all)
  --backend B         auto | webgpu | wasm | cpu (default auto)
  --quiet             no progress bars
  -h, --help          this help
`;

function fail(message: string): never {
  console.error(`interpret: ${message}\n\n${USAGE}`);
  Deno.exit(2);
}

async function sha256Hex(paths: string[]): Promise<string> {
  const parts = await Promise.all(paths.map((p) => Deno.readFile(p)));
  const all = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let off = 0;
  for (const p of parts) {
    all.set(p, off);
    off += p.length;
  }
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", all));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

async function main(): Promise<void> {
  const { values, int } = parseTaskArgs("interpret", USAGE, {
    data: { type: "string" },
    runs: { type: "string" },
    out: { type: "string" },
    profile: { type: "string" },
    stride: { type: "string" },
    iterations: { type: "string" },
    step: { type: "string" },
    batch: { type: "string" },
    tracers: { type: "string" },
    backend: { type: "string", default: "auto" },
    quiet: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  });
  if (!values.data || !values.runs || !values.out) fail("--data, --runs and --out are required");
  let settings: InterpretRunSettings, backend, tracers: Tracer[];
  try {
    // The profile: --profile, else the dataset's (its manifest), else quick.
    const datasetProfile = (await readManifest(values.data).catch(() => null))?.profile;
    settings = resolveInterpretSettings({
      profile: values.profile,
      datasetProfile,
      maskStride: int("stride", values.stride),
    });
    backend = parseBackendName(values.backend!);
    tracers = values.tracers
      ? values.tracers.split(",").map((t) => parseTracer(t.trim()))
      : [...TRACERS];
  } catch (e) {
    fail(e instanceof Error ? e.message : String(e));
  }
  const stride = settings.maskStride;
  if (120 % stride !== 0) {
    fail(`--stride must divide 120 (1, 2, 3, 4, 5, 6, 8, 10, 12, ...), got ${stride}`);
  }
  const iterations = int("iterations", values.iterations) ?? 2;
  if (iterations > 2) fail(`--iterations must be 1 or 2, got ${iterations}`);
  const batchSize = int("batch", values.batch) ?? 100;
  const step = values.step === undefined ? undefined : Number(values.step);
  if (step !== undefined && !(step > 0 && Number.isFinite(step))) {
    fail(`--step must be a number > 0, got "${values.step}"`);
  }
  if (!(await exists(join(values.data, DATASET_FILES.catalog)))) {
    fail(
      `${values.data} has no catalog.csv; run \`deno task simulate --out ${values.data}\` first`,
    );
  }
  const trainedTracers = [];
  for (const t of tracers) {
    if (await exists(join(values.runs, t, "model.json"))) trainedTracers.push(t);
  }
  if (trainedTracers.length === 0) {
    console.error(
      `interpret: ${values.runs} holds no trained network (no <tracer>/model.json for ${
        tracers.join(", ")
      }); train one first, e.g. \`deno task train --data ${values.data} --tracer ${
        tracers[0]
      } --out ${join(values.runs, tracers[0])}\``,
    );
    Deno.exit(1);
  }
  const folder = await claimOutputFolder(values.out, "interpret");
  try {
    await interpretWith(values as Values, {
      tracers,
      stride,
      iterations,
      step,
      batchSize,
      backend,
      settings,
    });
    folder.release();
  } catch (e) {
    await folder.abandon();
    throw e;
  }
}

type Values = { data: string; runs: string; out: string; quiet: boolean };

async function interpretWith(
  values: Values,
  o: {
    tracers: Tracer[];
    stride: number;
    iterations: number;
    step: number | undefined;
    batchSize: number;
    backend: ReturnType<typeof parseBackendName>;
    settings: InterpretRunSettings;
  },
): Promise<void> {
  const { tracers, stride, iterations, step, batchSize, backend, settings } = o;
  const info = await setupBackend(backend, { quiet: true });
  const quiet = values.quiet;
  const t0 = performance.now();
  if (!quiet) {
    console.error(
      `interpret: backend ${info.name}${
        info.adapter ? ` (${info.adapter})` : ""
      }, profile ${settings.profile}, stride ${stride} ` +
        `(${(120 / stride) ** 2} masks per image), ${iterations} Deep Dream iteration(s)`,
    );
  }

  let bar: ProgressBar | undefined;
  const runs = values.runs;
  const result = await interpretDataset({
    dataDir: values.data,
    outDir: values.out,
    tracers,
    clustersShown: settings.clustersShown,
    stride,
    iterations,
    step,
    batchSize,
    loadPredictor: async (tracer): Promise<TracerPredictor | undefined> => {
      const dir = join(runs, tracer);
      if (!(await exists(join(dir, "model.json")))) {
        if (!quiet) {
          console.error(`interpret: no trained ${tracer} network in ${dir}; correlations only`);
        }
        return undefined;
      }
      const trained = await loadTrainedModel(dir);
      if (trained.kind !== tracer) {
        throw new TypeError(`Cannot interpret ${tracer}: ${dir} holds the ${trained.kind} network`);
      }
      const modelKey = await sha256Hex([join(dir, "model.json"), join(dir, "weights.bin")]);
      return {
        predict: (x) => trained.predictMassMsun(x),
        modelKey,
        dispose: () => trained.model.dispose(),
      };
    },
    onTracer: (tracer, event, total) => {
      if (event === "start") {
        bar = new ProgressBar({
          label: `interpret ${tracer}`,
          total,
          unit: "masks",
          silent: quiet,
        });
      } else if (event === "done") {
        bar?.done();
      } else if (event === "reused" && !quiet) {
        console.error(`interpret: ${tracer} is up to date in ${join(values.out!, tracer)}`);
      }
    },
    onProgress: (_tracer, done, _total, status) => bar?.update(done, status),
  });

  const fmt = (r: number) => (Number.isFinite(r) ? r.toFixed(2) : "n/a");
  console.log("interpret: Pearson r of M_true with the core / ring signal over the test split");
  for (const [t, c] of Object.entries(result.correlations.tracers)) {
    const paper = c.paper ? `paper ${c.paper.core} / ${c.paper.ring}` : "paper: none";
    console.log(
      `  ${t.padEnd(5)} n=${c.n} (${c.nRingTruncated} rings cut by the field)  log: core ${
        fmt(c.log.core)
      } ring ${fmt(c.log.ring)}  ` +
        `linear: core ${fmt(c.linear.core)} ring ${fmt(c.linear.ring)}  (${paper})`,
    );
  }
  for (const [t, s] of Object.entries(result.selections)) {
    const secs = s.clusters.map((c) => c.maskSeconds);
    console.log(
      `  ${t}: ${s.clusters.length} clusters, mask sweeps ${
        secs.map((x) => x.toFixed(1)).join(", ")
      } s ` +
        `(${s.backend}, stride ${s.settings.stride})`,
    );
  }
  console.log(
    `interpret: wrote ${values.out} in ${formatDuration((performance.now() - t0) / 1000)}`,
  );
}

if (import.meta.main) {
  try {
    await main();
  } catch (e) {
    console.error(`interpret: ${e instanceof Error ? e.message : String(e)}`);
    Deno.exit(1);
  }
}
