/**
 * Training throughput of the paper's single-channel CNN (120x120 inputs,
 * batch 50, RMSprop lr 0.01, MSE on log10 mass) on each TensorFlow.js backend
 * that runs here and the same network in PyTorch (`scripts/bench_torch.py`)
 * in the same run (per-kernel timings: lib/backend/kernels_bench.ts).
 *
 * Standalone: `deno run -A lib/train/backends_bench.ts [--backends wasm,cpu,webgpu]
 * [--batches N] [--no-torch]`; `deno task bench` imports {@linkcode benchTrain}.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import process from "node:process";
import { parseArgs } from "node:util";
import { type BackendInfo, probeWebGpu, setupBackend } from "../backend/mod.ts";
import { buildSingleChannelModel } from "../model/mod.ts";
import { Rng } from "../random/mod.ts";
import { IMAGE_SIZE_PIX } from "../dataset/format.ts";
import type { BenchResult } from "../io/bench_result.ts";

/** A tfjs backend the benchmark can time. */
export type BenchBackend = "wasm" | "cpu" | "webgpu";

/** Options of {@linkcode benchTrain}. */
export interface BenchTrainOptions {
  /** Backends to time, in order. Default: wasm, cpu, webgpu (webgpu only if an adapter exists). */
  backends?: BenchBackend[];
  /** Timed batches of 50 on WASM (the others time 1 batch). Default 4. */
  batches?: number;
  /** Run `scripts/bench_torch.py` for the PyTorch comparison when torch imports. Default true. */
  torch?: boolean;
  /** Print progress lines to stderr. Default false. */
  verbose?: boolean;
}

const BATCH = 50;

function randomBatch(seed: number, n: number): { x: tf.Tensor4D; y: tf.Tensor2D } {
  const rng = new Rng(seed);
  const xs = new Float32Array(n * IMAGE_SIZE_PIX * IMAGE_SIZE_PIX);
  for (let i = 0; i < xs.length; i++) xs[i] = rng.normal();
  const ys = new Float32Array(n);
  for (let i = 0; i < n; i++) ys[i] = rng.uniform(-0.5, 1);
  return { x: tf.tensor4d(xs, [n, IMAGE_SIZE_PIX, IMAGE_SIZE_PIX, 1]), y: tf.tensor2d(ys, [n, 1]) };
}

/** CPU time of this process (all threads), in seconds. */
function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/**
 * Images per second (wall clock, and per CPU-second of this process) of `trainOnBatch` on batches of 50 on the current backend,
 * after `warmup` untimed batches of `warmupSize` images.
 */
async function trainThroughput(
  warmup: number,
  batches: number,
  warmupSize = BATCH,
): Promise<{ wall: number; cpu: number }> {
  const model = buildSingleChannelModel({ seed: 0 });
  model.compile({ optimizer: tf.train.rmsprop(0.01), loss: "meanSquaredError" });
  const { x, y } = randomBatch(1, BATCH);
  const small = randomBatch(4, warmupSize);
  try {
    for (let i = 0; i < warmup; i++) await model.trainOnBatch(small.x, small.y);
    const t0 = performance.now();
    const c0 = cpuSeconds();
    for (let i = 0; i < batches; i++) await model.trainOnBatch(x, y);
    const images = batches * BATCH;
    return {
      wall: images / ((performance.now() - t0) / 1000),
      cpu: images / (cpuSeconds() - c0),
    };
  } finally {
    tf.dispose([x, y, small.x, small.y]);
    model.dispose();
  }
}

/** The first Python that imports torch, or undefined. */
async function findTorchPython(): Promise<string | undefined> {
  for (const py of ["python3", "/usr/bin/python3"]) {
    try {
      const { success } = await new Deno.Command(py, {
        args: ["-c", "import torch"],
        stdout: "null",
        stderr: "null",
      }).output();
      if (success) return py;
    } catch {
      // not installed
    }
  }
  return undefined;
}

/** Options of {@linkcode torchThroughput}. */
export interface TorchOptions {
  /** Timed batches of 50. */
  batches: number;
  /** Untimed batches first. Default 2. */
  warmup?: number;
  /** The single-channel network or its four-tower multichannel twin. Default "single". */
  network?: "single" | "multi";
  /** torch.set_num_threads. Default 2. */
  threads?: number;
  /**
   * glibc malloc as it comes ("default"), or told to keep freed memory
   * ("keep": MALLOC_MMAP_MAX_=0, MALLOC_TRIM_THRESHOLD_ huge). PyTorch frees
   * and re-allocates its multi-megabyte activations every step; by default
   * glibc hands blocks over 32 MB back to the kernel and maps them afresh, and
   * on this project's VMs every first touch of a fresh page costs (~4 ms per
   * MB), which slows PyTorch 3x here (measured 2026-12-01: 54 against 150-181
   * images/s). "keep" is PyTorch at its best on such a machine (PyTorch's
   * performance tuning guide recommends swapping the default malloc for
   * jemalloc or tcmalloc, which keep freed memory).
   * Default "default".
   */
  allocator?: "default" | "keep";
}

/** Environment that makes glibc malloc keep freed memory (see {@linkcode TorchOptions}). */
export const MALLOC_KEEP_ENV: Record<string, string> = {
  MALLOC_MMAP_MAX_: "0",
  MALLOC_TRIM_THRESHOLD_: "1000000000000",
};

/** The label part naming a PyTorch configuration, e.g. "2 threads, malloc keeps memory". */
export function torchConfigLabel(threads: number, allocator: "default" | "keep"): string {
  const th = `${threads} thread${threads === 1 ? "" : "s"}`;
  return allocator === "keep" ? `${th}, malloc keeps memory` : th;
}

/**
 * Training images/s (2 threads) and images per CPU-second of the network's
 * PyTorch twin (scripts/bench_torch.py); empty when no Python imports torch.
 */
export async function torchThroughput(options: TorchOptions): Promise<BenchResult[]> {
  const py = await findTorchPython();
  if (py === undefined) return [];
  const network = options.network ?? "single";
  const script = new URL("../../scripts/bench_torch.py", import.meta.url).pathname;
  const out = await new Deno.Command(py, {
    args: [
      script,
      "--batches",
      String(options.batches),
      "--warmup",
      String(options.warmup ?? 2),
      "--threads",
      String(options.threads ?? 2),
      "--network",
      network,
    ],
    env: options.allocator === "keep" ? MALLOC_KEEP_ENV : {},
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) {
    throw new TypeError(
      `scripts/bench_torch.py failed: ${new TextDecoder().decode(out.stderr).trim()}`,
    );
  }
  const lines = new TextDecoder().decode(out.stdout).trim().split("\n");
  const r = JSON.parse(lines[lines.length - 1]) as {
    images_per_s: number;
    images_per_cpu_s: number;
    torch: string;
  };
  const name = network === "multi" ? "multichannel" : "single-channel";
  const th = torchConfigLabel(options.threads ?? 2, options.allocator ?? "default");
  return [
    {
      label: `PyTorch ${r.torch} CPU (${th}) training, ${name} CNN`,
      value: r.images_per_s,
      unit: "images/s",
    },
    {
      label: `PyTorch ${r.torch} CPU (${th}) training per CPU-second, ${name} CNN`,
      value: r.images_per_cpu_s,
      unit: "images/CPU-s",
    },
  ];
}

/**
 * Time the paper's single-channel network's training on each backend and in
 * PyTorch; returns images/s (wall clock) and images per CPU-second (less
 * disturbed by other processes on a shared machine) per backend and the
 * ratios of WASM to PyTorch (when PyTorch ran).
 */
export async function benchTrain(options: BenchTrainOptions = {}): Promise<BenchResult[]> {
  const batches = options.batches ?? 4;
  if (!Number.isInteger(batches) || batches < 1) {
    throw new RangeError(
      `Cannot benchmark training: batches must be an integer >= 1, got ${batches}`,
    );
  }
  const log = (s: string) => {
    if (options.verbose === true) console.error(s);
  };
  let backends = options.backends;
  if (backends === undefined) {
    backends = ["wasm", "cpu"];
    if (await probeWebGpu() !== undefined) backends.push("webgpu");
  }
  const previous = tf.getBackend();
  const results: BenchResult[] = [];
  let wasmRate: { wall: number; cpu: number } | undefined;
  for (const name of backends) {
    const info: BackendInfo = await setupBackend(name, { quiet: true });
    const where = info.adapter === undefined
      ? name
      : `${name} (${info.adapter}${info.isFallbackAdapter ? ", software" : ""})`;
    log(`bench: training on ${where} ...`);
    // WASM: 1 warm-up + `batches` timed batches. cpu is slow: a 5-image warm-up
    // and 1 timed batch; webgpu compiles shaders per shape: 1 full warm-up + 1.
    const rate = name === "wasm"
      ? await trainThroughput(1, batches)
      : await trainThroughput(1, 1, name === "cpu" ? 5 : BATCH);
    results.push(
      { label: `tfjs ${where} training`, value: rate.wall, unit: "images/s" },
      { label: `tfjs ${name} training per CPU-second`, value: rate.cpu, unit: "images/CPU-s" },
    );
    if (name === "wasm") wasmRate = rate;
  }
  if (previous) await tf.setBackend(previous);
  if (options.torch !== false) {
    log("bench: PyTorch ...");
    const torch = await torchThroughput({ batches: Math.max(batches, 3) });
    results.push(...torch);
    if (torch.length > 0 && wasmRate !== undefined) {
      results.push({
        label: "tfjs wasm (1 thread) / PyTorch (2 threads) training images/s",
        value: wasmRate.wall / torch[0].value,
        unit: "ratio",
      });
      results.push({
        label: "tfjs wasm / PyTorch training images per CPU-second",
        value: wasmRate.cpu / torch[1].value,
        unit: "ratio",
      });
    }
  }
  return results;
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      backends: { type: "string" },
      batches: { type: "string", default: "4" },
      "no-torch": { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log(
      "Usage: deno run -A lib/train/backends_bench.ts [--backends wasm,cpu,webgpu] [--batches N] [--no-torch]",
    );
    Deno.exit(0);
  }
  const backends = values.backends?.split(",").map((s) => {
    if (s !== "wasm" && s !== "cpu" && s !== "webgpu") {
      throw new RangeError(`Unknown backend "${s}" in --backends: expected wasm, cpu, webgpu`);
    }
    return s as BenchBackend;
  });
  const batches = Number(values.batches);
  const results = await benchTrain({
    backends,
    batches,
    torch: !values["no-torch"],
    verbose: true,
  });
  for (const r of results) {
    console.log(`${r.label.padEnd(72)} ${r.value.toFixed(r.unit === "ratio" ? 2 : 1)} ${r.unit}`);
  }
}
