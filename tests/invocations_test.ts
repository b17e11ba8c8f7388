import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { TASK_INVOCATIONS, type TaskInvocations, type TaskName } from "../lib/pipeline/mod.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));

/** A request of every task with every optional field set, so that every flag appears. */
const FULL: TaskInvocations = {
  simulate: {
    profile: "smoke",
    out: "o",
    clusters: 2,
    seed: 3,
    noise: "none",
    noiseScale: "fxs=0",
    los: false,
    shard: "0/2",
  },
  merge: { out: "o", shards: ["s0", "s1"] },
  train: {
    data: "d",
    tracer: "ypar",
    out: "o",
    profile: "smoke",
    backend: "wasm",
    epochs: 1,
    workers: 1,
    fold: "0/5",
    seed: 2,
  },
  evaluate: { runs: "r", data: "d", folds: 5, members: 2 },
  realism: { out: "o", coreRingData: "d", clusters: 2, seed: 1 },
  interpret: { data: "d", runs: "r", out: "o", profile: "smoke", backend: "wasm" },
  figures: { data: "d", runs: "r", interpret: "i", realism: "f", out: "o" },
};

Deno.test("every flag the pipeline's invocation table writes is one its task documents in --help", async () => {
  for (const task of Object.keys(FULL) as TaskName[]) {
    const args = (TASK_INVOCATIONS[task] as (r: unknown) => string[])(FULL[task]);
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", `tasks/${task}.ts`, "--help"],
      cwd: ROOT,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const usage = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
    for (const flag of args.filter((a) => a.startsWith("--"))) {
      assert.ok(usage.includes(flag), `tasks/${task}.ts --help does not mention ${flag}`);
    }
  }
});
