/**
 * `deno task bench`: the toolkit's speed targets, printed as figures.
 *
 * - simulate: the paper-sized mock dataset (full catalogue, four projections,
 *   four tracers, line-of-sight structure) on 2 workers; target < 300 s on 2 cores.
 * - shards: the same clusters by 1 process and by N `simulate --shard i/N`
 *   processes at once, then `merge` (lib/dataset/shards_bench.ts): the speed-up.
 * - kernels: each WASM kernel of a training step of the single-channel CNN
 *   (batch 50) on oneDNN through FFI (convolutions, when libdnnl2 is
 *   installed), on the hand-written WASM SIMD kernels and on the previous
 *   route, CPU ms and GFLOPS (lib/backend/kernels_bench.ts).
 * - parallel: lib/train's trainer on 2 WASM workers and 1 process, both networks
 *   (lib/train/trainer_bench.ts).
 * - train: the single-channel CNN on each TensorFlow.js backend that runs
 *   here, and both networks' PyTorch twins (Debian's python3-torch, 2 threads;
 *   lib/train/backends_bench.ts)
 *   measured in the same run, as they come and with glibc malloc keeping freed
 *   memory (PyTorch at its best on a VM where fresh pages are dear: 3x faster
 *   here); target: 2 WASM workers >= 2x PyTorch for each network (the ratios
 *   at the end, against both).
 *
 * The paper-sized simulation is lib/dataset/simulate_bench.ts. Each part sits
 * beside the code it measures as a `*_bench.ts` file and runs on its own with
 * `deno run -A <file>`; this task runs them in turn and prints the comparison.
 *
 * Usage: `deno task bench [--skip simulate,shards,kernels,parallel,train] [--clusters N] [--no-torch]`
 *
 * @module
 */
import { parseArgs } from "node:util";
import { benchSimulate } from "../lib/dataset/simulate_bench.ts";
import { benchShards } from "../lib/dataset/shards_bench.ts";
import { benchParallel } from "../lib/train/trainer_bench.ts";
import { benchTrain, torchConfigLabel, torchThroughput } from "../lib/train/backends_bench.ts";
import { benchKernels } from "../lib/backend/kernels_bench.ts";
import type { BenchResult } from "../lib/io/bench_result.ts";

const PARTS = ["simulate", "shards", "kernels", "parallel", "train"];
const USAGE = `Usage: deno task bench [--skip ${PARTS.join(",")}] [--clusters N] [--no-torch]`;

const { values } = parseArgs({
  args: Deno.args,
  options: {
    skip: { type: "string", default: "" },
    clusters: { type: "string" },
    "no-torch": { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (values.help) {
  console.log(USAGE);
  Deno.exit(0);
}
const skip = new Set(values.skip.split(",").filter((s) => s.length > 0));
for (const s of skip) {
  if (!PARTS.includes(s)) {
    console.error(`Unknown part "${s}" in --skip: expected ${PARTS.join(", ")}`);
    Deno.exit(2);
  }
}
const clusters = values.clusters === undefined ? undefined : Number(values.clusters);
if (clusters !== undefined && !(Number.isInteger(clusters) && clusters > 0)) {
  console.error(`--clusters must be a positive integer, got ${values.clusters}`);
  Deno.exit(2);
}

const results: BenchResult[] = [];
const show = (rs: BenchResult[]) => {
  for (const r of rs) {
    const digits = r.unit === "ratio" ? 2 : 1;
    const detail = r.detail === undefined ? "" : `  (${r.detail})`;
    console.log(
      `${r.label.padEnd(78)} ${r.value.toFixed(digits).padStart(9)} ${r.unit}${detail}`,
    );
  }
  results.push(...rs);
};
const load = () => Deno.loadavg().map((x) => x.toFixed(2)).join(" ");
const find = (prefix: string) => results.find((r) => r.label.startsWith(prefix));

console.log(
  `bench: ${Deno.build.target}, ${navigator.hardwareConcurrency} logical CPUs, ` +
    `load average ${load()} at the start`,
);
if (!skip.has("simulate")) {
  console.error("bench: generating the paper-sized dataset (about 2-3 minutes) ...");
  show(await benchSimulate({ clusters }));
}
if (!skip.has("shards")) {
  console.error("bench: sharded generation, 1 process against one per core, then merge ...");
  show(await benchShards());
}
if (!skip.has("kernels")) {
  console.error("bench: kernels of a training step, oneDNN, WASM SIMD and previous route ...");
  show(await benchKernels());
}
if (!skip.has("parallel")) {
  console.error("bench: lib/train's trainer on 1 process and 2 WASM workers ...");
  show(await benchParallel({ single: true, networks: ["ypar", "multi"] }));
}
if (!skip.has("train")) {
  console.error("bench: training throughput per backend and PyTorch ...");
  show(await benchTrain({ torch: !values["no-torch"], verbose: true }));
  if (!values["no-torch"]) {
    show(await torchThroughput({ network: "multi", batches: 2, warmup: 1 }));
    // PyTorch at its best here: glibc malloc keeping freed memory, so that its
    // per-step activations do not page-fault afresh (see TorchOptions.allocator).
    for (const network of ["single", "multi"] as const) {
      show(
        await torchThroughput({
          network,
          batches: network === "single" ? 6 : 3,
          warmup: 2,
          allocator: "keep",
        }),
      );
    }
    // One thread each: images per CPU-second, the comparison a busy machine
    // disturbs least (OpenMP's spinning threads suffer most from other load).
    show(await torchThroughput({ network: "single", batches: 3, warmup: 1, threads: 1 }));
    show(await torchThroughput({ network: "multi", batches: 2, warmup: 1, threads: 1 }));
    show(
      await torchThroughput({
        network: "single",
        batches: 3,
        warmup: 1,
        threads: 1,
        allocator: "keep",
      }),
    );
  }
  const torch = find("PyTorch") !== undefined;
  if (!torch && !values["no-torch"]) {
    console.error(
      "bench: no Python with torch found, so no PyTorch comparison; install Debian's " +
        "python3-torch (scripts/install_bench_deps.sh) and run again",
    );
  }
  const ratios: BenchResult[] = [];
  for (const name of ["single-channel", "multichannel"]) {
    const torchRow = (threads: string, unit: string) =>
      results.find((r) =>
        r.label.startsWith("PyTorch") && r.label.includes(`(${threads})`) &&
        r.label.endsWith(`${name} CNN`) && r.unit === unit
      );
    // lib/train in one process runs on one thread: its images/s are images per CPU-second.
    const one = find(`lib/train trainNetwork, ${name} CNN, 1 process WASM`);
    const trainer = find(`lib/train trainNetwork, ${name} CNN, 2 WASM workers`);
    // Against PyTorch as it comes and against PyTorch at its best (malloc keeping memory).
    for (const allocator of ["default", "keep"] as const) {
      const c1 = torchConfigLabel(1, allocator);
      const pt1 = torchRow(c1, "images/CPU-s");
      if (pt1 !== undefined && one !== undefined) {
        ratios.push({
          label: `${name}: lib/train 1 process / PyTorch (${c1}), images per CPU-second`,
          value: one.value / pt1.value,
          unit: "ratio",
        });
      }
      const c2 = torchConfigLabel(2, allocator);
      const pt = torchRow(c2, "images/s");
      if (pt === undefined) continue;
      if (trainer !== undefined) {
        ratios.push({
          label: `${name}: tfjs 2 WASM workers (lib/train) / PyTorch (${c2})`,
          value: trainer.value / pt.value,
          unit: "ratio",
        });
      }
    }
  }
  show(ratios);
}
console.log(`bench: load average ${load()} at the end`);
