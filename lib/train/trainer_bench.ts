/**
 * Benchmark: training throughput of the paper's CNNs (120 x 120 inputs,
 * batch 50, RMSprop) through lib/train's `trainNetwork`, in one process and
 * data-parallel on 2 Deno workers, each with its own single-threaded WASM
 * backend. A synthetic contract-format dataset (lib/dataset/testing.ts) is
 * written to a temporary directory; the first epoch is the warm-up and is
 * excluded; the value is training images per second of the following epochs
 * (validation excluded). The default, 250 clusters (600 train images, 12 full
 * batches) and 2 measured epochs, is the smallest that measures what a real
 * epoch does: with 105 clusters (252 train images: 5 batches and one of 2
 * images) the fixed cost of the tiny last step and of each epoch's start
 * showed 487 images/s where the quick profile's epochs of 5388 images ran at
 * 560-675 in the same session (2026-12-02). Run standalone: `deno run -A lib/train/trainer_bench.ts
 * [--single] [--multi]` (`--single`: also 1 process; `--multi`: also the
 * multichannel network).
 *
 * @module
 */
import { setupBackend } from "../backend/mod.ts";
import { loadDataset, writeSyntheticDataset } from "../dataset/mod.ts";
import { trainNetwork } from "./mod.ts";
import type { NetworkKind } from "../types/mod.ts";
import type { BenchResult } from "../io/bench_result.ts";

/** Options of {@linkcode benchParallel}. */
export interface BenchParallelOptions {
  /** Clusters of the synthetic dataset (4 images each, 60 per cent train). Default 250 (600 train images). */
  clusters?: number;
  /** Measured epochs after the warm-up epoch. Default 2. */
  epochs?: number;
  /** Also measure single-process training on the WASM backend. Default false. */
  single?: boolean;
  /** Networks: "ypar" (single channel) and/or "multi". Default ["ypar"]. */
  networks?: NetworkKind[];
}

interface Measured {
  imagesPerS: number;
  /** Mean ms per step of the gradient and update phases (workers only). */
  phases: { gradientMs: number; updateMs: number } | null;
}

async function measure(
  dir: string,
  options: { kind: NetworkKind; workers: number; epochs: number },
): Promise<Measured> {
  const { kind, workers, epochs } = options;
  const ds = await loadDataset(`${dir}/data`, { tracer: kind });
  await setupBackend(workers > 1 ? "cpu" : "wasm", { quiet: true });
  const res = await trainNetwork(ds, {
    outDir: `${dir}/run_${kind}_${workers}`,
    epochs: 1 + epochs,
    workers,
    silent: true,
    resume: false,
  });
  const rows = res.history.slice(1);
  const info = JSON.parse(
    await Deno.readTextFile(`${dir}/run_${kind}_${workers}/training.json`),
  ) as { stepPhases: { gradientMs: number; updateMs: number } | null };
  return {
    imagesPerS: rows.reduce((a, r) => a + r.images_per_s, 0) / rows.length,
    phases: info.stepPhases,
  };
}

/** Images/s of lib/train's trainer on 2 WASM workers (and optionally 1 process) per network. */
export async function benchParallel(options: BenchParallelOptions = {}): Promise<BenchResult[]> {
  const dir = await Deno.makeTempDir({ prefix: "bench_parallel_" });
  const networks = options.networks ?? ["ypar"];
  try {
    await writeSyntheticDataset(`${dir}/data`, {
      clusters: options.clusters ?? 250,
      seed: 1,
      tracers: networks.includes("multi") ? ["star", "fxs", "fxb", "ypar"] : ["ypar"],
    });
    const epochs = options.epochs ?? 2;
    const out: BenchResult[] = [];
    for (const kind of networks) {
      const name = kind === "multi" ? "multichannel" : "single-channel";
      const two = await measure(dir, { kind, workers: 2, epochs });
      out.push({
        label: `lib/train trainNetwork, ${name} CNN, 2 WASM workers, batch 50, 120x120`,
        value: two.imagesPerS,
        unit: "images/s",
      });
      if (two.phases) {
        // Mean over every step, the warm-up epoch's too (whose first step
        // compiles the kernels): the step itself is timed from the measured epochs.
        const { updateMs: u } = two.phases;
        const stepMs = (1000 * 50) / two.imagesPerS;
        out.push({
          label: `lib/train, ${name} CNN, 2 workers: update phase per step (tree sum + RMSprop)`,
          value: u,
          unit: "ms",
          detail: `${(100 * u / stepMs).toFixed(0)}% of a ${
            stepMs.toFixed(0)
          } ms step of 50 images`,
        });
      }
      if (options.single) {
        const one = await measure(dir, { kind, workers: 1, epochs });
        out.push(
          {
            label: `lib/train trainNetwork, ${name} CNN, 1 process WASM`,
            value: one.imagesPerS,
            unit: "images/s",
          },
          {
            label: `lib/train trainNetwork, ${name} CNN, scaling 1 -> 2 workers`,
            value: two.imagesPerS / one.imagesPerS,
            unit: "ratio",
          },
        );
      }
    }
    return out;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

if (import.meta.main) {
  const results = await benchParallel({
    single: Deno.args.includes("--single"),
    networks: Deno.args.includes("--multi") ? ["ypar", "multi"] : ["ypar"],
  });
  for (const r of results) console.log(`${r.label}: ${r.value.toFixed(2)} ${r.unit}`);
}
