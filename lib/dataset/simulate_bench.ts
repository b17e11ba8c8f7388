/**
 * Benchmark of the mock-data step: the paper-sized dataset (full catalogue,
 * ~2000 clusters, ~8000 views of four tracers, line-of-sight structure on,
 * Table 1 noise) generated with 2 workers into a temporary directory that is
 * removed afterwards. Used by `deno task bench`; runnable alone:
 * `deno run -A lib/dataset/simulate_bench.ts [--clusters N]`.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { simulateDataset } from "./mod.ts";
import type { BenchResult } from "../io/bench_result.ts";

/** Time the paper-profile dataset generation (or `clusters` of it) with `workers` workers. */
export async function benchSimulate(
  options: { clusters?: number; workers?: number; silent?: boolean } = {},
): Promise<BenchResult[]> {
  const workers = options.workers ?? 2;
  const out = await Deno.makeTempDir({ prefix: "bench-simulate-" });
  try {
    const r = await simulateDataset({
      out,
      profile: "paper",
      clusters: options.clusters,
      workers,
      silent: options.silent ?? true,
    });
    let bytes = 0;
    for await (const e of Deno.readDir(out)) bytes += (await Deno.stat(`${out}/${e.name}`)).size;
    const what =
      `${r.clusters} clusters, ${r.images} images x 4 tracers, LOS on, ${workers} workers`;
    return [
      { label: `simulate paper dataset (${what})`, value: r.seconds, unit: "s" },
      { label: "simulate throughput", value: r.images / r.seconds, unit: "images/s" },
      { label: "simulate dataset size", value: bytes / 2 ** 20, unit: "MiB" },
    ];
  } finally {
    await Deno.remove(out, { recursive: true });
  }
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: { clusters: { type: "string" }, workers: { type: "string" } },
  });
  const results = await benchSimulate({
    clusters: values.clusters ? Number(values.clusters) : undefined,
    workers: values.workers ? Number(values.workers) : undefined,
    silent: false,
  });
  for (const r of results) console.log(`${r.label}: ${r.value.toFixed(2)} ${r.unit}`);
}
