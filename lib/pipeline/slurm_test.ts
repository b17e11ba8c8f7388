import assert from "node:assert/strict";
import { join } from "node:path";
import { planSteps } from "./steps.ts";
import {
  assertNoSlurmPlanQueued,
  buildSlurmJobs,
  checkSlurmSettings,
  type CommandRunner,
  formatSlurmStatus,
  readSlurmConfig,
  submitSlurmJobs,
  takeSlurmLock,
} from "./slurm.ts";

const CTX = {
  outDir: "/scratch/out",
  root: "/home/u/cluster-cnn",
  planArgs: ["--profile", "paper", "--out", "/scratch/out", "--shards", "4"],
  deno: "/home/u/.deno/bin/deno",
  denoDir: "/home/u/deno-cache",
};

Deno.test("buildSlurmJobs() groups the plan into a shard array, merge, a training array and the rest", () => {
  const steps = planSteps({ profile: "paper", outDir: CTX.outDir, shards: 4 });
  const jobs = buildSlurmJobs(steps, {
    partition: "gpu",
    account: "def-lab",
    time: "01:00:00",
    trainTime: "24:00:00",
    gpusPerTask: 1,
    requeue: true,
    signalSeconds: 600,
    setup: "module load nodejs",
  }, CTX);
  const by = Object.fromEntries(jobs.map((j) => [j.name, j]));
  assert.deepEqual(jobs.map((j) => j.name), [
    "shards",
    "simulate",
    "train",
    "evaluate",
    "realism",
    "interpret",
    "figures",
  ]);
  assert.deepEqual(by.shards.steps, [0, 1, 2, 3].map((i) => `simulate-shard-${i}`));
  assert.deepEqual(by.simulate.after, ["shards"]);
  assert.deepEqual(by.train.steps.length, 5);
  assert.deepEqual(by.train.after, ["simulate"]);
  assert.deepEqual(by.evaluate.after, ["train"]);
  assert.deepEqual(by.realism.after, ["simulate"]);
  assert.deepEqual(by.figures.after.sort(), [
    "evaluate",
    "interpret",
    "realism",
    "simulate",
    "train",
  ]);
  const t = by.train.script;
  for (
    const line of [
      "#SBATCH --partition=gpu",
      "#SBATCH --account=def-lab",
      "#SBATCH --time=24:00:00",
      "#SBATCH --gpus-per-task=1",
      "#SBATCH --requeue",
      "#SBATCH --signal=B:USR1@600",
      "module load nodejs",
      "export DENO_DIR=/home/u/deno-cache",
      "steps=(train-star train-fxs train-fxb train-ypar train-multi)",
      "cd /home/u/cluster-cnn || exit 1",
      'scontrol requeue "$jobid"',
    ]
  ) assert.ok(t.includes(line), `train script lacks ${line}`);
  assert.match(
    t,
    /deno run -A --cached-only tasks\/reproduce\.ts --profile paper .* --step "\$step"/,
  );
  assert.ok(by.evaluate.script.includes("#SBATCH --time=01:00:00"));
  assert.ok(!by.evaluate.script.includes("--gpus-per-task"));
  assert.ok(by.evaluate.script.includes("#SBATCH --requeue"));
  assert.ok(by.train.logPattern.endsWith("/.slurm/logs/train_%A_%a.out"));
  assert.ok(by.evaluate.logPattern.endsWith("/.slurm/logs/evaluate_%j.out"));
});

Deno.test("checkSlurmSettings() and readSlurmConfig() name a wrong key or value", async () => {
  assert.throws(() => checkSlurmSettings({ partitoin: "x" }), /unknown key "partitoin"/);
  assert.throws(() => checkSlurmSettings({ throttle: 0 }), /"throttle" must be an integer >= 1/);
  assert.throws(() => checkSlurmSettings({ setup: "a\nb" }), /must be one line/);
  assert.throws(() => checkSlurmSettings([]), /JSON object/);
  const dir = await Deno.makeTempDir();
  try {
    assert.deepEqual(await readSlurmConfig(dir), {});
    await Deno.writeTextFile(join(dir, "slurm.json"), '{"partition": "cpu", "throttle": 2}');
    assert.deepEqual(await readSlurmConfig(dir), { partition: "cpu", throttle: 2 });
    await Deno.writeTextFile(join(dir, "slurm.json"), "{");
    await assert.rejects(() => readSlurmConfig(dir), /not JSON; fix it or remove it/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("submitSlurmJobs() chains afterok on job ids, throttles arrays, refuses without sbatch or while a plan runs", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const steps = planSteps({ profile: "smoke", outDir: dir, shards: 2 });
    const jobs = buildSlurmJobs(steps, { throttle: 3 }, { ...CTX, outDir: dir });
    const calls: string[][] = [];
    let next = 100;
    let queued: string[] = [];
    const fake: CommandRunner = (cmd, args) => {
      calls.push([cmd, ...args]);
      if (cmd === "sbatch" && args[0] === "--version") {
        return Promise.resolve({ code: 0, stdout: "slurm 22.05", stderr: "" });
      }
      if (cmd === "sbatch") {
        return Promise.resolve({ code: 0, stdout: `${next++}\n`, stderr: "" });
      }
      if (cmd === "squeue") {
        return Promise.resolve({
          code: 0,
          stdout: queued.map((id) => `${id} RUNNING None`).join("\n"),
          stderr: "",
        });
      }
      throw new Error(`unexpected ${cmd}`);
    };
    const plan = await submitSlurmJobs(jobs, {
      outDir: dir,
      settings: { throttle: 3 },
      run: fake,
      log: () => {},
    });
    assert.deepEqual(plan.jobs.map((j) => [j.name, j.id, j.after]), [
      ["shards", "100", []],
      ["simulate", "101", ["100"]],
      ["train", "102", ["101"]],
      ["evaluate", "103", ["102"]],
      ["realism", "104", ["101"]],
      ["interpret", "105", ["102"]],
      ["figures", "106", ["101", "102", "103", "104", "105"]],
    ]);
    const train = calls.find((c) => c.at(-1)!.endsWith("train.sh"))!;
    assert.ok(train.includes("--array=0-4%3"));
    assert.ok(train.includes("--dependency=afterok:101"));
    // A second plan while the first's jobs are queued: refused, naming the jobs and the fix.
    queued = ["102", "103"];
    await assert.rejects(
      () => takeSlurmLock(dir, fake),
      /a plan is already running in .* \(jobs 102, 103 in the queue\); wait for it \(squeue -j 102,103\) or cancel it \(scancel 102 103\)/,
    );
    // Once they left the queue, the lock is free again.
    queued = [];
    await takeSlurmLock(dir, fake);
    // Without sbatch: one line that says how to get it or to use --dry-run.
    const none: CommandRunner = () => Promise.resolve({ code: 127, stdout: "", stderr: "" });
    await assert.rejects(
      () => submitSlurmJobs(jobs, { outDir: dir, settings: {}, run: none }),
      /sbatch is not on PATH.*apt-get install slurm-client.*or use --dry-run/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("takeSlurmLock() is the folder lock of lib/io: a submission under way or a local reproduce refuses it, naming the holder; a dead submitter's lock is taken over", async () => {
  const dir = await Deno.makeTempDir();
  const none: CommandRunner = () => Promise.resolve({ code: 0, stdout: "", stderr: "" });
  const holder = (pid: number, task: string) =>
    JSON.stringify({ pid, host: Deno.hostname(), task, startedAt: "2026-12-04T22:00:00Z" });
  try {
    await Deno.mkdir(join(dir, ".slurm"));
    // Another submission (a live process) holds .slurm/.lock.
    await Deno.writeTextFile(
      join(dir, ".slurm", ".lock"),
      holder(Deno.pid, "reproduce --executor slurm"),
    );
    await assert.rejects(
      () => takeSlurmLock(dir, none),
      new RegExp(
        `Cannot submit: Cannot write to .*\\.slurm: reproduce --executor slurm \\(pid ${Deno.pid} on `,
      ),
    );
    // A dead submitter's lock is taken over.
    const dead = new Deno.Command("true").spawn();
    await dead.status;
    await Deno.writeTextFile(
      join(dir, ".slurm", ".lock"),
      holder(dead.pid, "reproduce --executor slurm"),
    );
    const lock = await takeSlurmLock(dir, none);
    await lock.record(["7"]);
    lock.release();
    await assert.rejects(() => Deno.stat(join(dir, ".slurm", ".lock")), Deno.errors.NotFound);
    const rec = JSON.parse(await Deno.readTextFile(join(dir, ".slurm", "lock.json")));
    assert.deepEqual([rec.pid, rec.jobs], [Deno.pid, ["7"]]);
    // A local reproduce writing the output directory: refused too.
    await Deno.writeTextFile(join(dir, ".lock"), holder(Deno.pid, "reproduce"));
    await assert.rejects(
      () => takeSlurmLock(dir, none),
      /Cannot submit: Cannot write to .*: reproduce \(pid \d+ on /,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("assertNoSlurmPlanQueued() refuses a local reproduce while the plan's jobs are queued; without squeue a lenient check passes", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.mkdir(join(dir, ".slurm"));
    await Deno.writeTextFile(
      join(dir, ".slurm", "lock.json"),
      JSON.stringify({ pid: 42, host: "login1", jobs: ["5", "6"], submittedAt: "T" }),
    );
    const queued: CommandRunner = () =>
      Promise.resolve({ code: 0, stdout: "6 RUNNING None\n", stderr: "" });
    await assert.rejects(
      () => assertNoSlurmPlanQueued(dir, "Cannot reproduce here", { run: queued, lenient: true }),
      /Cannot reproduce here: a plan is already running in .*, submitted by pid 42 on login1 at T \(jobs 6 in the queue\)/,
    );
    const noSqueue: CommandRunner = () =>
      Promise.resolve({ code: 127, stdout: "", stderr: "squeue: not found" });
    await assertNoSlurmPlanQueued(dir, "Cannot reproduce here", { run: noSqueue, lenient: true });
    await assert.rejects(() => assertNoSlurmPlanQueued(dir, "Cannot submit", { run: noSqueue }));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("formatSlurmStatus() names the failed task, its log and what did not run", () => {
  const { error } = formatSlurmStatus([
    { step: "simulate", job: "7", state: "done", exit: 0, log: "/o/simulate_7.out" },
    { step: "train-fxs", job: "8_1", state: "failed", exit: 1, log: "/o/train_8_1.out" },
    { step: "evaluate", job: "9", state: "not-run", exit: null, log: null },
  ]);
  assert.equal(
    error,
    "step train-fxs (job 8_1) failed with exit code 1: see /o/train_8_1.out; not run after it: " +
      "evaluate; fix it and submit the plan again (finished steps are skipped)",
  );
  assert.equal(
    formatSlurmStatus([{ step: "a", job: "1", state: "done", exit: 0, log: null }]).error,
    null,
  );
});
