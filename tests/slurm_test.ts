/**
 * The smoke plan (2 epochs, up to Table 2) end to end through a real SLURM
 * (`deno task reproduce --executor slurm --only evaluate`): simulate shards,
 * merge, the training array, evaluate. Its dataset must be byte-identical to a plain
 * `simulate`, its Table 2 and weights equal to a local run of the same plan,
 * and a training task requeued mid-training must resume from its checkpoint
 * and end with the same weights. Also: a plan submitted twice into one output
 * directory is refused, and a failed array task stops its dependents and is
 * named in the summary with its log.
 *
 * Needs `sbatch` and a responding controller (`scripts/slurm/start.sh` starts
 * a single-node SLURM; `.ci/run` does). Without them the test is skipped and
 * says why.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { formatSlurmStatus, waitForSlurmPlan } from "../lib/pipeline/mod.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const DENO = Deno.execPath();

async function run(cmd: string, args: string[]) {
  try {
    const o = await new Deno.Command(cmd, {
      args,
      cwd: ROOT,
      stdout: "piped",
      stderr: "piped",
      env: { NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" },
    }).output();
    const d = new TextDecoder();
    return { code: o.code, out: d.decode(o.stdout), err: d.decode(o.stderr) };
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return { code: 127, out: "", err: `${cmd} not found` };
    throw e;
  }
}

async function whySkip(): Promise<string | null> {
  const sb = await run("sbatch", ["--version"]);
  if (sb.code !== 0) {
    return "sbatch is not on PATH (run scripts/slurm/start.sh as root for a single-node SLURM)";
  }
  const si = await run("sinfo", ["-h", "-o", "%T"]);
  if (si.code !== 0 || !/idle|mix|alloc/.test(si.out)) {
    return `no SLURM controller answers (sinfo: ${
      (si.err || si.out).trim() || "no node"
    }); start one with scripts/slurm/start.sh`;
  }
  return null;
}

const skip = await whySkip();
if (skip) console.error(`tests/slurm_test.ts: skipped: ${skip}`);

async function sha256(path: string): Promise<string> {
  const d = await crypto.subtle.digest("SHA-256", await Deno.readFile(path));
  return Array.from(new Uint8Array(d), (b) => b.toString(16).padStart(2, "0")).join("");
}

async function datasetHashes(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (
    const f of [
      "catalog.csv",
      "galaxies.csv",
      "manifest.json",
      "images_star.npy",
      "images_fxs.npy",
      "images_fxb.npy",
      "images_ypar.npy",
    ]
  ) out[f] = await sha256(join(dir, f));
  return out;
}

/** Cancel whatever jobs of the plan in `out` are left (a failed assertion must not leave jobs). */
async function cancelPlan(out: string): Promise<void> {
  try {
    const plan = JSON.parse(await Deno.readTextFile(join(out, ".slurm", "plan.json")));
    const ids = plan.jobs.map((j: { id: string }) => j.id);
    if (ids.length > 0) await run("scancel", ids);
  } catch {
    // no plan: nothing to cancel
  }
}

/** `reproduce` on the smoke profile up to Table 2, into `out`; `more` adds or overrides flags. */
const smokeArgs = (out: string, ...more: string[]) => [
  "run",
  "-A",
  "tasks/reproduce.ts",
  "--profile",
  "smoke",
  "--out",
  out,
  "--only",
  "evaluate",
  ...more,
];

/** The plan of the first test: two simulate shards, two epochs. */
const reproduceArgs = (out: string, ...more: string[]) =>
  smokeArgs(out, "--shards", "2", "--epochs", "2", ...more);

/**
 * Run `fn` with a fresh temporary folder; afterwards cancel whatever jobs the plan in
 * `join(tmp, planDir)` has left (a failed assertion must not leave jobs) and remove the folder.
 */
async function withTempPlan(
  prefix: string,
  planDir: string,
  fn: (tmp: string) => Promise<void>,
): Promise<void> {
  const tmp = await Deno.makeTempDir({ prefix });
  try {
    await fn(tmp);
  } finally {
    await cancelPlan(join(tmp, planDir));
    await Deno.remove(tmp, { recursive: true }).catch(() => {});
  }
}

Deno.test({
  name:
    "the smoke plan through SLURM equals a local run; a training signalled before its time limit requeues itself and resumes to the same weights",
  ignore: skip !== null,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: () =>
    withTempPlan("slurm_test_", "slurm", async (tmp) => {
      const A = join(tmp, "slurm");
      const B = join(tmp, "local");
      const sub = await run(DENO, reproduceArgs(A, "--executor", "slurm", "--requeue"));
      assert.equal(sub.code, 0, sub.err + sub.out);
      // The local run of the same plan, meanwhile.
      const local = run(DENO, reproduceArgs(B));
      // A second submission into the same directory while the first runs is refused.
      const twice = await run(DENO, reproduceArgs(A, "--executor", "slurm"));
      assert.equal(twice.code, 1);
      assert.match(twice.err, /a plan is already running in .* \(jobs .*\); wait for it/);

      const plan = JSON.parse(await Deno.readTextFile(join(A, ".slurm", "plan.json")));
      const train = plan.jobs.find((j: { name: string }) => j.name === "train");
      const multi = train.steps.indexOf("train-multi");
      assert.ok(multi >= 0);
      // Requeue the multichannel training after its first epoch (of 2).
      const history = join(A, "runs", "multi", "history.csv");
      const t0 = Date.now();
      while (true) {
        const lines = await Deno.readTextFile(history).then((t) => t.trim().split("\n").length)
          .catch(() => 0);
        if (lines === 2) break;
        assert.ok(lines < 2, "training finished before it could be requeued");
        assert.ok(Date.now() - t0 < 300_000, "train-multi did not finish an epoch in 5 min");
        await new Promise((r) => setTimeout(r, 200));
      }
      const task = `${train.id}_${multi}`;
      // The signal SLURM sends before the time limit (--signal=B:USR1@S): the job's own handler
      // stops the step and requeues the job.
      const rq = await run("scancel", ["--batch", "--signal=USR1", task]);
      assert.equal(rq.code, 0, rq.err);
      // SLURM holds a requeued job for about 2 minutes (BeginTime); a test need not wait.
      for (let i = 0; i < 20; i++) {
        const q = await run("squeue", ["-h", "-o", "%T %r", "-j", task]);
        if (/PENDING BeginTime/.test(q.out)) {
          // Let slurmd finish revoking the old run's credential first: a relaunch within a
          // fraction of a second of the requeue was killed with "Job credential revoked".
          await new Promise((r) => setTimeout(r, 5000));
          await run("scontrol", ["update", `JobId=${task}`, "StartTime=now"]);
          break;
        }
        await new Promise((r) => setTimeout(r, 500));
      }

      const steps = await waitForSlurmPlan(A, { pollMs: 1000, timeoutS: 600 });
      const { table, error } = formatSlurmStatus(steps);
      assert.equal(error, null, table);
      assert.ok(steps.every((s) => s.state === "done"), table);
      const log = await Deno.readTextFile(
        join(A, ".slurm", "logs", `train_${train.id}_${multi}.out`),
      );
      assert.match(log, /time limit near: stopping train-multi and requeueing/);
      assert.match(log, /restart 1/);
      assert.match(log, /resumed from the checkpoint at epoch 1/);

      const l = await local;
      assert.equal(l.code, 0, l.err);
      const C = join(tmp, "plain");
      const sim = await run(DENO, ["run", "-A", "tasks/simulate.ts", "--out", C, "--quiet"]);
      assert.equal(sim.code, 0, sim.err);
      const plain = await datasetHashes(C);
      assert.deepEqual(await datasetHashes(join(A, "data")), plain);
      assert.deepEqual(await datasetHashes(join(B, "data")), plain);
      assert.equal(
        await Deno.readTextFile(join(A, "runs", "table2.json")),
        await Deno.readTextFile(join(B, "runs", "table2.json")),
      );
      for (const net of ["star", "fxs", "fxb", "ypar", "multi"]) {
        assert.equal(
          await sha256(join(A, "runs", net, "weights.bin")),
          await sha256(join(B, "runs", net, "weights.bin")),
          `${net} weights differ`,
        );
      }
      // Resubmitted, the finished plan has nothing left to do.
      const again = await run(DENO, reproduceArgs(A, "--executor", "slurm"));
      assert.equal(again.code, 0, again.err);
      assert.match(again.out, /up to date: nothing to submit/);
    }),
});

Deno.test({
  name: "a failed SLURM array task stops its dependents and the summary names the task and log",
  ignore: skip !== null,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: () =>
    withTempPlan("slurm_fail_test_", "fail", async (tmp) => {
      // Two clusters: simulate works, but every training fails (an empty validation split).
      const out = join(tmp, "fail");
      const sub = await run(
        DENO,
        smokeArgs(out, "--clusters", "2", "--executor", "slurm", "--wait", "--wait-timeout", "300"),
      );
      assert.equal(sub.code, 1, sub.out + sub.err);
      const lastLine = sub.err.trim().split("\n").at(-1)!;
      assert.match(
        lastLine,
        /^reproduce: step train-\w+ \(job \d+_\d\) failed with exit code 1: see \S+train_\d+_\d\.out .*not run after it: .*evaluate.*; fix it and submit the plan again/,
      );
      const logPath = /see (\S+)/.exec(lastLine)![1];
      assert.match(await Deno.readTextFile(logPath), /split is empty/);
      assert.match(sub.out, /evaluate\s+not-run/);
    }),
});
