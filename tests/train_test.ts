import assert from "node:assert/strict";
import { join } from "node:path";
import { writeSyntheticDataset } from "../lib/dataset/mod.ts";
import { readCsv } from "../lib/io/mod.ts";

const repo = new URL("..", import.meta.url).pathname;

async function run(
  task: string,
  args: string[],
): Promise<{ code: number; out: string; err: string }> {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", join(repo, "tasks", task), ...args],
    cwd: repo,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code, out: dec.decode(stdout), err: dec.decode(stderr) };
}

Deno.test("deno task train writes a run, resumes it, and deno task evaluate makes Table 2", async () => {
  const root = await Deno.makeTempDir({ prefix: "c2_cli_" });
  try {
    const data = join(root, "data");
    // Masses inside the central range so that Table 2 has test images.
    await writeSyntheticDataset(data, {
      clusters: 5,
      seed: 7,
      tracers: ["fxb"],
      log10MassRange: [13.3, 14.4],
    });
    const runDir = join(root, "runs", "fxb");
    const common = [
      "--data",
      data,
      "--tracer",
      "fxb",
      "--out",
      runDir,
      "--backend",
      "wasm",
      "--workers",
      "1",
    ];
    const a = await run("train.ts", [...common, "--epochs", "1", "--profile", "smoke"]);
    assert.equal(a.code, 0, a.err);
    assert.match(a.err, /using 1 worker on a machine with \d+ CPU cores?/);
    assert.match(a.err, /schedule warmup-cosine \(warm-up 1 epochs, floor 0\.05\)/);
    for (
      const f of [
        "history.csv",
        "predictions.csv",
        "model.json",
        "weights.bin",
        "training.json",
        "checkpoint.bin",
      ]
    ) {
      await Deno.stat(join(runDir, f));
    }
    const b = await run("train.ts", [...common, "--epochs", "2", "--profile", "smoke"]);
    assert.equal(b.code, 0, b.err);
    assert.match(b.err, /resumed from the checkpoint at epoch 1/);
    assert.equal((await readCsv(join(runDir, "history.csv"))).length, 2);
    const preds = await readCsv(join(runDir, "predictions.csv"));
    assert.deepEqual(Object.keys(preds[0]), ["image", "cluster", "m_true_msun", "m_pred_msun"]);
    assert.equal(preds.length, 4);

    const e = await run("evaluate.ts", ["--runs", join(root, "runs")]);
    assert.equal(e.code, 0, e.err);
    assert.match(e.out, /\| Fxb \| 4 \|/);
    const t2 = JSON.parse(await Deno.readTextFile(join(root, "runs", "table2.json")));
    assert.equal(t2.table2.fxb.n, 4);
    const bins = JSON.parse(await Deno.readTextFile(join(root, "runs", "bias_bins.json")));
    assert.equal(bins.bins.fxb.reduce((s: number, x: { n: number }) => s + x.n, 0), 4);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("deno task train explains a missing dataset and a bad tracer before training", async () => {
  const a = await run("train.ts", [
    "--data",
    "/nonexistent/c2data",
    "--tracer",
    "ypar",
    "--out",
    await Deno.makeTempDir(),
  ]);
  assert.equal(a.code, 1);
  assert.match(a.err, /\/nonexistent\/c2data does not exist.*deno task simulate/);
  const b = await run("train.ts", ["--data", "x", "--tracer", "xray", "--out", "y"]);
  assert.equal(b.code, 2);
  assert.match(b.err, /Unknown tracer "xray"/);
  const c = await run("train.ts", [
    "--data",
    "x",
    "--tracer",
    "ypar",
    "--out",
    "y",
    "--epochs",
    "0",
  ]);
  assert.equal(c.code, 2);
  assert.match(c.err, /--epochs must be an integer >= 1, got "0"/);
});
