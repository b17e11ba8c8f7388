/**
 * Tests of `deno task reproduce`'s logic: the step graph, the stamps that
 * decide which steps are up to date, and `reproduce()` itself driven against
 * stand-in tasks that write the declared files (not a real pipeline run;
 * CI runs `deno task reproduce --profile smoke` separately).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  checkStamp,
  codeHash,
  FIGURE_FILES,
  hashSettings,
  planSteps,
  readTable2Comparison,
  REALISM_FILES,
  reproduce,
  selectSteps,
  type Stamp,
  STAMP_VERSION,
  StepFailedError,
  type StepObservation,
  TEACHING_EPOCHS,
  teachingRun,
} from "../lib/pipeline/mod.ts";
import { table2Stats } from "../lib/evaluate/mod.ts";

function stamp(overrides: Partial<Stamp> = {}): Stamp {
  return {
    version: STAMP_VERSION,
    step: "train-star",
    settingsHash: "s1",
    codeHash: "c1",
    inputs: [
      { path: "data/catalog.csv", size: 100, mtimeMs: 1000, sha256: "aa" },
      { path: "data/images_star.npy", size: 5000, mtimeMs: 2000, sha256: "bb" },
    ],
    finishedAt: "2026-01-01T00:00:00.000Z",
    seconds: 12,
    ...overrides,
  };
}

function observation(overrides: Partial<StepObservation> = {}): StepObservation {
  return {
    settingsHash: "s1",
    codeHash: "c1",
    inputs: [
      { path: "data/catalog.csv", size: 100, mtimeMs: 1000 },
      { path: "data/images_star.npy", size: 5000, mtimeMs: 2000 },
    ],
    missingOutputs: [],
    ...overrides,
  };
}

Deno.test("checkStamp() calls a step fresh when settings, code, inputs and outputs all match", () => {
  assert.deepEqual(checkStamp(stamp(), observation()), { status: "fresh" });
});

Deno.test("checkStamp() re-runs a step that never ran", () => {
  assert.deepEqual(checkStamp(null, observation()), { status: "stale", reason: "never ran" });
});

Deno.test("checkStamp() re-runs a step when its settings changed", () => {
  const v = checkStamp(stamp(), observation({ settingsHash: "s2" }));
  assert.deepEqual(v, { status: "stale", reason: "settings changed" });
});

Deno.test("checkStamp() re-runs a step when its code changed", () => {
  const v = checkStamp(stamp(), observation({ codeHash: "c2" }));
  assert.deepEqual(v, { status: "stale", reason: "code changed" });
});

Deno.test("checkStamp() re-runs a step when one of its outputs is missing", () => {
  const v = checkStamp(stamp(), observation({ missingOutputs: ["runs/star/weights.bin"] }));
  assert.equal(v.status, "stale");
  assert.match((v as { reason: string }).reason, /output missing: runs\/star\/weights\.bin/);
});

Deno.test("checkStamp() re-runs a step when an input is missing or changed size", () => {
  const gone = observation();
  gone.inputs[1] = { path: "data/images_star.npy", size: null, mtimeMs: null };
  assert.deepEqual(checkStamp(stamp(), gone), {
    status: "stale",
    reason: "input missing: data/images_star.npy",
  });
  const grown = observation();
  grown.inputs[0] = { path: "data/catalog.csv", size: 101, mtimeMs: 1000 };
  assert.deepEqual(checkStamp(stamp(), grown), {
    status: "stale",
    reason: "input changed: data/catalog.csv",
  });
});

Deno.test("checkStamp() asks for a content hash when only the modification time moved", () => {
  const touched = observation();
  touched.inputs[1] = { path: "data/images_star.npy", size: 5000, mtimeMs: 9999 };
  assert.deepEqual(checkStamp(stamp(), touched), {
    status: "needs-hash",
    paths: ["data/images_star.npy"],
  });
  touched.inputs[1].sha256 = "bb";
  assert.deepEqual(checkStamp(stamp(), touched), { status: "fresh" });
  touched.inputs[1].sha256 = "cc";
  assert.deepEqual(checkStamp(stamp(), touched), {
    status: "stale",
    reason: "input changed: data/images_star.npy",
  });
});

Deno.test("checkStamp() re-runs a step whose list of inputs changed or whose stamp is of another format", () => {
  const fewer = observation();
  fewer.inputs.pop();
  assert.equal(checkStamp(stamp(), fewer).status, "stale");
  const more = observation();
  more.inputs.push({ path: "data/manifest.json", size: 10, mtimeMs: 1 });
  assert.equal(checkStamp(stamp(), more).status, "stale");
  assert.equal(checkStamp(stamp({ version: STAMP_VERSION + 1 }), observation()).status, "stale");
});

Deno.test("hashSettings() ignores key order but sees every value", () => {
  assert.equal(
    hashSettings({ a: 1, b: { c: 2, d: [1, 2] } }),
    hashSettings({ b: { d: [1, 2], c: 2 }, a: 1 }),
  );
  assert.notEqual(hashSettings({ a: 1 }), hashSettings({ a: 2 }));
  assert.notEqual(hashSettings({ b: { d: [1, 2] } }), hashSettings({ b: { d: [2, 1] } }));
  assert.throws(() => hashSettings({ a: NaN }), TypeError);
});

Deno.test("planSteps() changes a training step's settings hash when the epochs change, and not the dataset's", () => {
  const a = planSteps({ profile: "smoke", outDir: "/tmp/a" });
  const b = planSteps({ profile: "smoke", outDir: "/tmp/a", epochs: 1 });
  const byName = (steps: typeof a, name: string) => steps.find((s) => s.name === name)!;
  assert.notEqual(
    hashSettings(byName(a, "train-star").settings),
    hashSettings(byName(b, "train-star").settings),
  );
  assert.equal(
    hashSettings(byName(a, "simulate").settings),
    hashSettings(byName(b, "simulate").settings),
  );
  // Another output directory and another backend leave every settings hash alone.
  const c = planSteps({ profile: "smoke", outDir: "/elsewhere", backend: "cpu", workers: 1 });
  for (const s of a) {
    assert.equal(hashSettings(s.settings), hashSettings(byName(c, s.name).settings));
  }
  const quick = planSteps({ profile: "quick", outDir: "/tmp/a" });
  assert.notEqual(hashSettings(a[0].settings), hashSettings(quick[0].settings));
});

Deno.test("planSteps() rejects an unknown profile, backend or worker count with a message naming the valid values", () => {
  assert.throws(() => planSteps({ profile: "fast", outDir: "/tmp/a" }), {
    name: "RangeError",
    message: /Unknown profile "fast": expected one of smoke, quick, paper/,
  });
  assert.throws(
    // @ts-expect-error: a backend that does not exist
    () => planSteps({ profile: "smoke", outDir: "/tmp/a", backend: "cuda" }),
    {
      name: "RangeError",
      message: /Unknown backend "cuda": expected one of auto, webgpu, wasm, cpu/,
    },
  );
  assert.throws(() => planSteps({ profile: "smoke", outDir: "/tmp/a", workers: 3 }), RangeError);
  assert.throws(() => planSteps({ profile: "smoke", outDir: "/tmp/a", epochs: 0 }), RangeError);
});

Deno.test("planSteps() reads every input from a file that a step it depends on writes", () => {
  const steps = planSteps({ profile: "smoke", outDir: "/tmp/a" });
  const byName = new Map(steps.map((s) => [s.name, s]));
  const ancestors = (name: string): Set<string> => {
    const out = new Set<string>();
    const visit = (n: string) => byName.get(n)!.dependsOn.forEach((d) => (out.add(d), visit(d)));
    visit(name);
    return out;
  };
  for (const step of steps) {
    const written = new Set([...ancestors(step.name)].flatMap((d) => byName.get(d)!.outputs));
    for (const input of step.inputs) {
      assert.ok(
        written.has(input),
        `${step.name} reads ${input}, which none of its dependencies writes`,
      );
    }
  }
  assert.deepEqual(steps.map((s) => s.name), [
    "simulate",
    "train-star",
    "train-fxs",
    "train-fxb",
    "train-ypar",
    "train-multi",
    "evaluate",
    "realism",
    "interpret",
    "figures",
  ]);
  const multi = byName.get("train-multi")!;
  for (const t of ["star", "fxs", "fxb", "ypar"]) {
    assert.ok(multi.inputs.includes(`data/images_${t}.npy`));
  }
});

Deno.test("selectSteps() takes a target together with everything it needs, in run order", () => {
  const steps = planSteps({ profile: "smoke", outDir: "/tmp/a" });
  assert.deepEqual(selectSteps(steps, ["train-fxs"]).map((s) => s.name), ["simulate", "train-fxs"]);
  assert.equal(selectSteps(steps, ["evaluate"]).length, 7);
  assert.throws(() => selectSteps(steps, ["train"]), {
    name: "RangeError",
    message: /Unknown step "train"/,
  });
});

// ---------------------------------------------------------------------------
// reproduce() against stand-in tasks: each writes the files its step declares,
// and appends its name to a log so the test sees what ran.

const STAND_IN = `
import { join } from "node:path";
const task = Deno.mainModule.split("/").pop()!.replace(".ts", "");
const args = Deno.args;
const opt = (name: string) => { const i = args.indexOf(name); return i < 0 ? undefined : args[i + 1]; };
const write = async (path: string, text: string) => {
  await Deno.mkdir(join(path, ".."), { recursive: true });
  await Deno.writeTextFile(path, text);
};
const tracers = ["star", "fxs", "fxb", "ypar"];
await Deno.writeTextFile(Deno.env.get("STAND_IN_LOG")!, task + " " + (opt("--tracer") ?? "") + (args.includes("--fresh") ? " fresh" : "") + "\\n", { append: true });
if (Deno.env.get("STAND_IN_FAIL") === task) Deno.exit(3);
if (task === "simulate") {
  const out = opt("--out")!;
  for (const f of ["catalog.csv", "galaxies.csv", "manifest.json", ...tracers.map((t) => "images_" + t + ".npy")]) {
    await write(join(out, f), f + " clusters=" + (opt("--clusters") ?? "profile"));
  }
} else if (task === "train") {
  const out = opt("--out")!;
  for (const f of ["history.csv", "predictions.csv", "model.json", "weights.bin", "training.json"]) {
    await write(join(out, f), f + " epochs=" + (opt("--epochs") ?? "profile"));
  }
} else if (task === "evaluate") {
  for (const f of ["table2.json", "table2.md", "bias_bins.json"]) await write(join(opt("--runs")!, f), f);
} else if (task === "realism") {
  for (const f of ${JSON.stringify(REALISM_FILES)}) await write(join(opt("--out")!, f), f);
} else if (task === "interpret") {
  const out = opt("--out")!;
  for (const t of tracers) {
    for (const f of ["images.npy", "deepdream.npy", "mask.npy", "selection.json"]) await write(join(out, t, f), f);
  }
  await write(join(out, "correlations.json"), "{}");
} else if (task === "figures") {
  const out = opt("--out")!;
  for (const f of ${JSON.stringify(FIGURE_FILES)}) await write(join(out, f), "{}");
}
`;

async function standInRoot(): Promise<{ root: string; log: string }> {
  const dir = await Deno.makeTempDir({ prefix: "reproduce_test_" });
  await Deno.mkdir(join(dir, "tasks"));
  for (const task of ["simulate", "train", "evaluate", "realism", "interpret", "figures"]) {
    await Deno.writeTextFile(join(dir, "tasks", `${task}.ts`), STAND_IN);
  }
  return { root: dir, log: join(dir, "ran.log") };
}

async function ran(log: string): Promise<string[]> {
  const text = await Deno.readTextFile(log).catch(() => "");
  await Deno.writeTextFile(log, "");
  return text.split("\n").filter(Boolean).map((l) => l.trim());
}

Deno.test("reproduce() runs every step once, then skips them all, and re-runs only what a change touches", async () => {
  const { root: fake, log } = await standInRoot();
  Deno.env.set("STAND_IN_LOG", log);
  const out = join(fake, "out");
  const base = {
    profile: "smoke",
    outDir: out,
    root: fake,
    output: "null" as const,
    log: () => {},
  };
  try {
    const first = await reproduce(base);
    assert.deepEqual(first.steps.map((s) => s.status), Array(10).fill("ran"));
    assert.equal((await ran(log)).length, 10);

    const second = await reproduce(base);
    assert.deepEqual(second.steps.map((s) => s.status), Array(10).fill("skipped"));
    assert.deepEqual(await ran(log), []);
    assert.ok(second.steps.every((s) => s.lastSeconds !== null && s.lastSeconds >= 0));

    // Rewriting an input with the same bytes (new mtime) is not a change.
    const catalog = join(out, "data", "catalog.csv");
    await Deno.writeTextFile(catalog, await Deno.readTextFile(catalog));
    await Deno.utime(catalog, new Date(), new Date(Date.now() + 5000));
    assert.deepEqual((await reproduce(base)).steps.map((s) => s.status), Array(10).fill("skipped"));

    // A missing output re-runs its step, and the steps reading it only if its bytes changed.
    await Deno.remove(join(out, "runs", "fxb", "weights.bin"));
    const third = await reproduce(base);
    assert.deepEqual(third.steps.filter((s) => s.status === "ran").map((s) => s.name), [
      "train-fxb",
    ]);
    assert.match(third.steps[3].reason, /output missing: runs\/fxb\/weights\.bin/);
    assert.deepEqual(await ran(log), ["train fxb fresh"]);

    // New settings (epochs) re-run training and, since the models change, all after it.
    const fourth = await reproduce({ ...base, epochs: 1 });
    assert.deepEqual(
      fourth.steps.filter((s) => s.status === "ran").map((s) => s.name),
      [
        "train-star",
        "train-fxs",
        "train-fxb",
        "train-ypar",
        "train-multi",
        "evaluate",
        "interpret",
        "figures",
      ],
    );
    assert.equal(fourth.steps[1].reason, "settings changed");
    assert.equal((await ran(log)).length, 8);

    // A changed input content re-runs what reads it; a dry run only reports.
    await Deno.writeTextFile(join(out, "data", "images_ypar.npy"), "new ypar maps, other size");
    const dry = await reproduce({ ...base, epochs: 1, dryRun: true });
    assert.deepEqual(
      dry.steps.filter((s) => s.status === "would-run").map((s) => s.name),
      ["train-ypar", "train-multi", "evaluate", "realism", "interpret", "figures"],
    );
    assert.deepEqual(await ran(log), []);

    // --force re-runs the targets even when up to date.
    const forced = await reproduce({ ...base, epochs: 1, force: true, targets: ["simulate"] });
    assert.deepEqual(forced.steps.map((s) => `${s.name}:${s.status}`), ["simulate:ran"]);
  } finally {
    Deno.env.delete("STAND_IN_LOG");
    await Deno.remove(fake, { recursive: true });
  }
});

Deno.test("reproduce() stops at a failing step, leaves it without a stamp, and says which command failed", async () => {
  const { root: fake, log } = await standInRoot();
  Deno.env.set("STAND_IN_LOG", log);
  Deno.env.set("STAND_IN_FAIL", "evaluate");
  const out = join(fake, "out");
  try {
    const error = await reproduce({
      profile: "smoke",
      outDir: out,
      root: fake,
      output: "null",
      log: () => {},
    })
      .then(() => null, (e) => e);
    assert.ok(error instanceof StepFailedError);
    assert.match(
      error.message,
      /Step evaluate failed with exit code 3: deno run -A .*tasks\/evaluate\.ts --runs/,
    );
    assert.deepEqual(
      error.result.steps.map((s) => s.status),
      ["ran", "ran", "ran", "ran", "ran", "ran", "failed", "not-run", "not-run", "not-run"],
    );
    await assert.rejects(Deno.stat(join(out, ".stamps", "evaluate.json")), Deno.errors.NotFound);
    await Deno.stat(join(out, ".stamps", "train-multi.json"));
  } finally {
    Deno.env.delete("STAND_IN_LOG");
    Deno.env.delete("STAND_IN_FAIL");
    await Deno.remove(fake, { recursive: true });
  }
});

Deno.test("reproduce() rejects an unknown profile or step before running anything", async () => {
  await assert.rejects(reproduce({ profile: "huge", output: "null" }), {
    name: "RangeError",
    message: /Unknown profile "huge"/,
  });
  await assert.rejects(
    reproduce({ profile: "smoke", targets: ["plot"], output: "null", dryRun: true }),
    {
      name: "RangeError",
      message: /Unknown step "plot": expected one of simulate, train-star/,
    },
  );
});

Deno.test("codeHash() of a task changes when a module it imports changes", async () => {
  const dir = await Deno.makeTempDir({ prefix: "codehash_test_" });
  try {
    await Deno.mkdir(join(dir, "lib", "stage"), { recursive: true });
    await Deno.mkdir(join(dir, "tasks"));
    await Deno.writeTextFile(join(dir, "lib", "stage", "mod.ts"), "export const a = 1;\n");
    await Deno.writeTextFile(join(dir, "lib", "stage", "_worker.ts"), "export const w = 1;\n");
    await Deno.writeTextFile(
      join(dir, "tasks", "x.ts"),
      'import { a } from "../lib/stage/mod.ts";\nconsole.log(a);\n',
    );
    const h1 = await codeHash(join(dir, "tasks", "x.ts"), { root: dir });
    assert.match(h1, /^[0-9a-f]{64}$/);
    assert.equal(await codeHash(join(dir, "tasks", "x.ts"), { root: dir }), h1);
    await Deno.writeTextFile(join(dir, "lib", "stage", "mod.ts"), "export const a = 2;\n");
    const h2 = await codeHash(join(dir, "tasks", "x.ts"), { root: dir });
    assert.notEqual(h2, h1);
    // A file of the same stage that the static graph does not show (a worker) counts too.
    await Deno.writeTextFile(join(dir, "lib", "stage", "_worker.ts"), "export const w = 2;\n");
    assert.notEqual(await codeHash(join(dir, "tasks", "x.ts"), { root: dir }), h2);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("readTable2Comparison() puts a run's Table 2 beside the paper's, and gives null before evaluation", async () => {
  const dir = await Deno.makeTempDir({ prefix: "table2_test_" });
  try {
    assert.equal(await readTable2Comparison(dir), null);
    const star = table2Stats([1e13, 2e13, 4e13, 1e14], [1.1e13, 1.8e13, 4.4e13, 0.9e14]);
    await Deno.writeTextFile(join(dir, "table2.json"), JSON.stringify({ table2: { star } }));
    const md = (await readTable2Comparison(dir))!;
    assert.match(md, new RegExp(`\\| Star \\| ${star.n} \\|`));
    assert.ok(md.includes(star.rmsScatterPct.toFixed(3)), md);
    assert.ok(md.includes("19.028"), "the paper's Star rms (Yan et al. 2020, Table 2)");
    await Deno.writeTextFile(join(dir, "table2.md"), "| written by evaluate |\n");
    assert.equal(await readTable2Comparison(dir), "| written by evaluate |\n");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("planSteps() passes noise and line-of-sight choices to simulate and records them in its settings", () => {
  const [paper] = planSteps({ profile: "smoke", outDir: "/tmp/a" });
  const [planck] = planSteps({ profile: "smoke", outDir: "/tmp/a", noise: "planck", los: false });
  assert.deepEqual(planck.args.slice(-3), ["--noise", "planck", "--no-los"]);
  assert.ok(!paper.args.includes("--noise") && !paper.args.includes("--no-los"));
  assert.notEqual(hashSettings(paper.settings), hashSettings(planck.settings));
  const [explicit] = planSteps({ profile: "smoke", outDir: "/tmp/a", noise: "paper", los: true });
  assert.equal(hashSettings(explicit.settings), hashSettings(paper.settings));
  // @ts-expect-error: a noise setting that does not exist
  assert.throws(() => planSteps({ profile: "smoke", outDir: "/tmp/a", noise: "act" }), RangeError);
});

Deno.test("reproduce() lets an interrupted training resume only when its inputs and settings are unchanged", async () => {
  const { root: fake, log } = await standInRoot();
  Deno.env.set("STAND_IN_LOG", log);
  const out = join(fake, "out");
  const base = {
    profile: "smoke",
    outDir: out,
    root: fake,
    output: "null" as const,
    log: () => {},
    targets: ["train-star"],
  };
  try {
    // An interrupted first attempt (exit 3 stands for a kill) ...
    Deno.env.set("STAND_IN_FAIL", "train");
    await assert.rejects(reproduce(base), StepFailedError);
    assert.deepEqual(await ran(log), ["simulate", "train star fresh"]);
    // ... is resumed by the same command: no --fresh.
    Deno.env.delete("STAND_IN_FAIL");
    const resumed = await reproduce(base);
    assert.match(resumed.steps[1].reason, /interrupted, resuming/);
    assert.deepEqual(await ran(log), ["train star"]);
    // New settings start afresh, and so does resuming an attempt made with other settings.
    Deno.env.set("STAND_IN_FAIL", "train");
    await assert.rejects(reproduce({ ...base, epochs: 2 }), StepFailedError);
    Deno.env.delete("STAND_IN_FAIL");
    const other = await reproduce({ ...base, epochs: 1 });
    assert.equal(other.steps[1].reason, "interrupted, starting afresh (settings changed since)");
    assert.deepEqual(await ran(log), ["train star fresh", "train star fresh"]);
    // --force always starts afresh.
    await reproduce({ ...base, epochs: 1, force: true });
    assert.deepEqual(await ran(log), ["simulate", "train star fresh"]);
  } finally {
    Deno.env.delete("STAND_IN_LOG");
    Deno.env.delete("STAND_IN_FAIL");
    await Deno.remove(fake, { recursive: true });
  }
});

Deno.test("teachingRun() gives the notebooks one shared directory and each variant its own", () => {
  const base = teachingRun();
  assert.equal(base.profile, "smoke");
  assert.equal(base.epochs, TEACHING_EPOCHS);
  assert.match(base.outDir!, /\/out\/notebooks$/);
  assert.equal(teachingRun().outDir, base.outDir);
  assert.match(
    teachingRun({ noise: "planck", los: false }).outDir!,
    /\/out\/notebooks-noise-planck-no-los$/,
  );
  assert.match(
    teachingRun({ clusters: 200, epochs: 5 }).outDir!,
    /notebooks-clusters-200-epochs-5$/,
  );
  assert.equal(teachingRun({ noise: "paper", epochs: TEACHING_EPOCHS }).outDir, base.outDir);
  assert.equal(teachingRun({ outDir: "/tmp/x" }).outDir, "/tmp/x");
  assert.equal(teachingRun({ targets: ["simulate"] }).targets?.[0], "simulate");
});

// The headless notebook runner of CI (scripts/run_notebooks.py), when this
// machine has Debian's nbclient and the Deno kernelspec (scripts/ci_notebooks.sh installs both).
const notebookRunnerReady = (() => {
  try {
    const probe = new Deno.Command("/usr/bin/python3", {
      args: [
        "-c",
        "from jupyter_client.kernelspec import KernelSpecManager as K; K().get_kernel_spec('deno')",
      ],
      stdout: "null",
      stderr: "null",
    }).outputSync();
    return probe.success;
  } catch {
    return false;
  }
})();

function notebook(cells: string[]): string {
  return JSON.stringify({
    cells: cells.map((source, i) => ({
      cell_type: "code",
      id: `c${i}`,
      metadata: {},
      execution_count: null,
      outputs: [],
      source,
    })),
    metadata: { kernelspec: { display_name: "Deno", language: "typescript", name: "deno" } },
    nbformat: 4,
    nbformat_minor: 5,
  });
}

Deno.test({
  name: "run_notebooks.py passes a clean notebook and fails on a cell error, naming the cell",
  ignore: !notebookRunnerReady,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "run_notebooks_test_" });
    try {
      await Deno.writeTextFile(join(dir, "good.ipynb"), notebook(["const x = 6 * 7;", "x"]));
      await Deno.writeTextFile(
        join(dir, "bad.ipynb"),
        notebook(["1 + 1", 'throw new RangeError("deliberate failure");', "2 + 2"]),
      );
      const script = new URL("../scripts/run_notebooks.py", import.meta.url).pathname;
      const run = async (name: string) => {
        const out = await new Deno.Command("/usr/bin/python3", {
          args: [script, "--timeout", "60", join(dir, name)],
          stdout: "piped",
          stderr: "piped",
        }).output();
        return { code: out.code, text: new TextDecoder().decode(out.stdout) };
      };
      const good = await run("good.ipynb");
      assert.equal(good.code, 0, good.text);
      assert.match(good.text, /notebooks: 1 passed, 0 failed/);
      const bad = await run("bad.ipynb");
      assert.equal(bad.code, 1, bad.text);
      assert.match(bad.text, /in cell 2 of 3 \(code cell 2\)/);
      assert.match(bad.text, /RangeError: deliberate failure/);
      assert.match(bad.text, /notebooks: 0 passed, 1 failed/);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("every notebook's code type-checks against the public API in mod.ts", async () => {
  const rootDir = new URL("../", import.meta.url).pathname;
  const dir = await Deno.makeTempDir({ prefix: "notebook_check_" });
  try {
    // The kernel's Deno.jupyter is not in the default type library.
    await Deno.writeTextFile(
      join(dir, "jupyter.d.ts"),
      "declare namespace Deno { const jupyter: { display(bundle: Record<string, unknown>, " +
        "options?: { raw?: boolean }): Promise<void> }; }\n",
    );
    const roots: string[] = [];
    for await (const e of Deno.readDir(join(rootDir, "notebooks"))) {
      if (!e.name.endsWith(".ipynb")) continue;
      const nb = JSON.parse(await Deno.readTextFile(join(rootDir, "notebooks", e.name)));
      assert.equal(nb.metadata.kernelspec.name, "deno", `${e.name} runs on the Deno kernel`);
      const code = nb.cells
        .filter((c: { cell_type: string }) => c.cell_type === "code")
        .map((c: { source: string[] | string }) => [c.source].flat().join(""))
        .join("\n");
      assert.match(code, /from "\.\.\/mod\.ts"/, `${e.name} imports the public API`);
      const file = join(dir, e.name.replace(".ipynb", ".ts"));
      await Deno.writeTextFile(
        file,
        '/// <reference path="./jupyter.d.ts" />\n' +
          code.replaceAll('"../mod.ts"', JSON.stringify(join(rootDir, "mod.ts"))) +
          "\nexport {};\n",
      );
      roots.push(file);
    }
    assert.ok(roots.length >= 5, `expected the five notebooks, found ${roots.length}`);
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["check", "--config", join(rootDir, "deno.json"), ...roots],
      stdout: "piped",
      stderr: "piped",
      env: { NO_COLOR: "1" },
    }).output();
    assert.ok(out.success, new TextDecoder().decode(out.stderr));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
