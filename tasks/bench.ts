/**
 * `deno task bench`: the toolkit's speed targets, printed as figures.
 *
 * - Mock data: the paper-sized dataset (full catalogue, four projections, four
 *   tracers, line-of-sight structure) on 2 workers; target < 300 s on 2 cores.
 * - Training: the paper's single-channel CNN (120 x 120, batch 50) on each
 *   TensorFlow.js backend that runs here, the 2-worker data-parallel WASM
 *   trainer, and the same network in PyTorch (Debian's python3-torch,
 *   2 threads) measured in the same run; target: fastest tfjs >= PyTorch.
 *
 * Usage: `deno task bench [--skip simulate,parallel,train] [--clusters N] [--no-torch]`
 *
 * @module
 */
import { parseArgs } from "node:util";
import { benchSimulate } from "./_bench_simulate.ts";
import { benchParallel } from "./_bench_parallel.ts";
import { benchTrain } from "./_bench_train.ts";
import type { BenchResult } from "./_bench_result.ts";

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
  console.log(
    "Usage: deno task bench [--skip simulate,parallel,train] [--clusters N] [--no-torch]",
  );
  Deno.exit(0);
}
const skip = new Set(values.skip.split(",").filter((s) => s.length > 0));
for (const s of skip) {
  if (!["simulate", "parallel", "train"].includes(s)) {
    console.error(`Unknown part "${s}" in --skip: expected simulate, parallel, train`);
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
    console.log(`${r.label.padEnd(78)} ${r.value.toFixed(digits).padStart(9)} ${r.unit}`);
  }
  results.push(...rs);
};

console.log(`bench: ${Deno.build.target}, ${navigator.hardwareConcurrency} logical CPUs`);
if (!skip.has("simulate")) {
  console.error("bench: generating the paper-sized dataset (about 2-3 minutes) ...");
  show(await benchSimulate({ clusters }));
}
let parallelRate: number | undefined;
if (!skip.has("parallel")) {
  console.error("bench: data-parallel WASM training on 2 workers ...");
  const rs = await benchParallel({});
  parallelRate = rs[0]?.value;
  show(rs);
}
if (!skip.has("train")) {
  console.error("bench: training throughput per backend and PyTorch ...");
  const rs = await benchTrain({ torch: !values["no-torch"], verbose: true });
  show(rs);
  const torch = rs.find((r) => r.label.startsWith("PyTorch") && r.unit === "images/s");
  if (torch === undefined && !values["no-torch"]) {
    console.error(
      "bench: no Python with torch found, so no PyTorch comparison; install Debian's " +
        "python3-torch (scripts/install_bench_deps.sh) and run again",
    );
  }
  if (torch !== undefined && parallelRate !== undefined) {
    show([{
      label: "tfjs 2 WASM workers / PyTorch (2 threads) training images/s",
      value: parallelRate / torch.value,
      unit: "ratio",
    }]);
  }
}
