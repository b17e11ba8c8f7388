/**
 * Benchmark of sharded generation: the same dataset made by one `simulate`
 * process and by N `simulate --shard i/N` processes at once (each with one
 * render worker, so N processes use N cores), then `merge`; the wall times,
 * the speed-up and a check that the merged files are the single process's
 * bytes. Used by `deno task bench`; runnable alone:
 * `deno run -A lib/dataset/shards_bench.ts [--clusters N] [--shards N]`.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { join } from "node:path";
import type { BenchResult } from "../io/bench_result.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

async function deno(args: string[]): Promise<void> {
  const o = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", ...args],
    cwd: ROOT,
    stdout: "null",
    stderr: "piped",
    env: { NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" },
  }).output();
  if (!o.success) {
    throw new Error(
      `bench shards: ${args.join(" ")} failed: ${new TextDecoder().decode(o.stderr)}`,
    );
  }
}

async function sha256(path: string): Promise<string> {
  const d = await crypto.subtle.digest("SHA-256", await Deno.readFile(path));
  return Array.from(new Uint8Array(d), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Time one process against `shards` processes (default: this machine's cores) on `clusters` clusters. */
export async function benchShards(
  options: { clusters?: number; shards?: number } = {},
): Promise<BenchResult[]> {
  const clusters = options.clusters ?? 200;
  const shards = options.shards ?? Math.max(2, navigator.hardwareConcurrency ?? 2);
  const tmp = await Deno.makeTempDir({ prefix: "bench-shards-" });
  const sim = ["tasks/simulate.ts", "--profile", "paper", "--clusters", String(clusters)];
  try {
    let t = performance.now();
    await deno([...sim, "--out", join(tmp, "one"), "--workers", "1", "--quiet"]);
    const one = (performance.now() - t) / 1000;
    t = performance.now();
    const dirs = Array.from({ length: shards }, (_, i) => join(tmp, `shard${i}`));
    await Promise.all(
      dirs.map((d, i) =>
        deno([...sim, "--out", d, "--workers", "1", "--quiet", "--shard", `${i}/${shards}`])
      ),
    );
    const parallel = (performance.now() - t) / 1000;
    t = performance.now();
    await deno(["tasks/merge.ts", "--out", join(tmp, "merged"), ...dirs]);
    const merge = (performance.now() - t) / 1000;
    const files = ["catalog.csv", "galaxies.csv", "manifest.json"].concat(
      ["star", "fxs", "fxb", "ypar"].map((x) => `images_${x}.npy`),
    );
    let same = 0;
    for (const f of files) {
      if (await sha256(join(tmp, "one", f)) === await sha256(join(tmp, "merged", f))) same++;
    }
    const what = `paper profile, ${clusters} clusters, one render worker per process`;
    return [
      { label: `simulate, 1 process (${what})`, value: one, unit: "s" },
      { label: `simulate, ${shards} shard processes at once`, value: parallel, unit: "s" },
      { label: `merge of the ${shards} shards`, value: merge, unit: "s" },
      {
        label: `sharded generation speed-up, ${shards} processes (+ merge)`,
        value: one / (parallel + merge),
        unit: "ratio",
        detail: `${(one / parallel).toFixed(2)} without the merge; ${same}/${files.length} ` +
          `files byte-identical to the single process's`,
      },
    ];
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: { clusters: { type: "string" }, shards: { type: "string" } },
  });
  const results = await benchShards({
    clusters: values.clusters ? Number(values.clusters) : undefined,
    shards: values.shards ? Number(values.shards) : undefined,
  });
  for (const r of results) {
    console.log(`${r.label}: ${r.value.toFixed(2)} ${r.unit}${r.detail ? ` (${r.detail})` : ""}`);
  }
}
