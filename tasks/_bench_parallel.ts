/**
 * Benchmark: training throughput of the paper's single-channel CNN
 * (120 x 120 inputs, batch 50, RMSprop) trained data-parallel on 2 Deno
 * workers, each with its own single-threaded WASM backend. A synthetic
 * contract-format dataset (lib/dataset/testing.ts) is written to a
 * temporary directory; the first epoch is the warm-up and is excluded; the
 * value is training images per second of the following epochs (validation
 * excluded). Run standalone: `deno run -A tasks/_bench_parallel.ts [--single]`
 * (`--single` also measures the single-process WASM path for comparison).
 *
 * @module
 */
import { setupBackend } from "../lib/backend/mod.ts";
import { loadDataset, writeSyntheticDataset } from "../lib/dataset/mod.ts";
import { trainNetwork } from "../lib/train/mod.ts";
import type { BenchResult } from "./_bench_result.ts";

/** Options of {@linkcode benchParallel}. */
export interface BenchParallelOptions {
  /** Clusters of the synthetic dataset (4 images each, 60 per cent train). Default 105 (252 train images). */
  clusters?: number;
  /** Measured epochs after the warm-up epoch. Default 1. */
  epochs?: number;
  /** Also measure single-process training on the WASM backend. Default false. */
  single?: boolean;
}

async function measure(dir: string, workers: number, epochs: number): Promise<number> {
  const ds = await loadDataset(`${dir}/data`, { tracer: "ypar" });
  await setupBackend(workers > 1 ? "cpu" : "wasm", { quiet: true });
  const res = await trainNetwork(ds, {
    outDir: `${dir}/run${workers}`,
    epochs: 1 + epochs,
    workers,
    silent: true,
    resume: false,
  });
  const rows = res.history.slice(1);
  return rows.reduce((a, r) => a + r.images_per_s, 0) / rows.length;
}

/** Images/s of the single-channel CNN trained on 2 WASM workers (and optionally 1 process). */
export async function benchParallel(options: BenchParallelOptions = {}): Promise<BenchResult[]> {
  const dir = await Deno.makeTempDir({ prefix: "bench_parallel_" });
  try {
    await writeSyntheticDataset(`${dir}/data`, {
      clusters: options.clusters ?? 105,
      seed: 1,
      tracers: ["ypar"],
    });
    const epochs = options.epochs ?? 1;
    const out: BenchResult[] = [{
      label: "train single-channel CNN, 2 WASM workers, batch 50, 120x120",
      value: await measure(dir, 2, epochs),
      unit: "images/s",
    }];
    if (options.single) {
      out.push({
        label: "train single-channel CNN, 1 process WASM, batch 50, 120x120",
        value: await measure(dir, 1, epochs),
        unit: "images/s",
      });
    }
    return out;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

if (import.meta.main) {
  const results = await benchParallel({ single: Deno.args.includes("--single") });
  for (const r of results) console.log(`${r.label}: ${r.value.toFixed(1)} ${r.unit}`);
}
