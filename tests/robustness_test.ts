/**
 * Issue 20, end to end through the tasks as a user runs them: one writer per
 * output folder (a real race of two processes), a killed run cleaned up by
 * its re-run (a real SIGKILL), stopping the parent stops the task, and the
 * messages of the defects the issue lists.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const decoder = new TextDecoder();

function task(name: string, args: string[]): Deno.Command {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", join(ROOT, "tasks", `${name}.ts`), ...args],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
    env: { DENO_NO_UPDATE_CHECK: "1" },
  });
}

async function run(name: string, args: string[]) {
  const r = await task(name, args).output();
  return { code: r.code, stdout: decoder.decode(r.stdout), stderr: decoder.decode(r.stderr) };
}

async function filesOf(dir: string): Promise<Map<string, Uint8Array>> {
  const out = new Map<string, Uint8Array>();
  for await (const e of Deno.readDir(dir)) {
    if (e.isFile) out.set(e.name, await Deno.readFile(join(dir, e.name)));
  }
  return out;
}

Deno.test("two simulate runs started together into one folder: one writes, the other refuses naming it", async () => {
  const dir = await Deno.makeTempDir({ prefix: "race_" });
  try {
    const out = join(dir, "data");
    const args = ["--out", out, "--clusters", "40", "--workers", "0", "--quiet"];
    const [a, b] = [task("simulate", args).spawn(), task("simulate", args).spawn()];
    const [ra, rb] = await Promise.all([a.output(), b.output()]);
    const codes = [ra.code, rb.code].sort();
    const err = [decoder.decode(ra.stderr), decoder.decode(rb.stderr)];
    assert.deepEqual(codes, [0, 1], err.join("\n"));
    const [winner, loser] = ra.code === 0 ? [a, 1] : [b, 0];
    assert.match(
      err[loser],
      new RegExp(
        `^simulate: Cannot write to ${out}: simulate \\(pid ${winner.pid} on .*, started .*\\) ` +
          `is writing there\\. Wait for it to finish or stop it \\(kill ${winner.pid}\\)`,
      ),
    );
    const files = [...(await filesOf(out)).keys()].sort();
    assert.deepEqual(files, [
      "catalog.csv",
      "galaxies.csv",
      "images_fxb.npy",
      "images_fxs.npy",
      "images_star.npy",
      "images_ypar.npy",
      "manifest.json",
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("simulate killed with SIGKILL mid-write: the re-run removes its .partial files and writes the same bytes", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kill_" });
  try {
    const out = join(dir, "data");
    const args = (o: string) => ["--out", o, "--clusters", "40", "--workers", "0", "--quiet"];
    const child = task("simulate", args(out)).spawn();
    // Wait for the first streamed image to be on disk, then kill without warning.
    const t0 = Date.now();
    let partial: string[] = [];
    while (Date.now() - t0 < 60_000) {
      partial = (await Array.fromAsync(Deno.readDir(out)).catch(() => []))
        .map((e) => e.name).filter((n) => n.includes(".partial-"));
      if (partial.length >= 4) {
        const size = (await Deno.stat(join(out, partial[0]))).size;
        if (size > 200_000) break;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill("SIGKILL");
    const status = await child.status;
    await child.stdout.cancel();
    await child.stderr.cancel();
    assert.equal(status.signal, "SIGKILL");
    assert.ok(partial.length >= 4, `no .partial files appeared: ${partial}`);
    assert.ok(partial.every((n) => n.endsWith(`.partial-${child.pid}`)));
    // The killed run left its lock and its partial files behind.
    const left = (await Array.fromAsync(Deno.readDir(out))).map((e) => e.name);
    assert.ok(left.includes(".lock"));

    const again = await run("simulate", args(out));
    assert.equal(again.code, 0, again.stderr);
    assert.match(
      again.stderr,
      new RegExp(`simulate: took over the lock of ${out} from simulate \\(pid ${child.pid} on `),
    );
    assert.match(
      again.stderr,
      new RegExp(
        `simulate: removed \\d+ temporary file\\(s\\) \\(\\d+\\.\\d MB\\) that killed runs left in ${out}: `,
      ),
    );
    const fresh = join(dir, "fresh");
    const clean = await run("simulate", args(fresh));
    assert.equal(clean.code, 0, clean.stderr);
    const [x, y] = [await filesOf(out), await filesOf(fresh)];
    assert.deepEqual([...x.keys()].sort(), [...y.keys()].sort());
    assert.ok(![...x.keys()].some((n) => n.includes(".partial-") || n === ".lock"));
    for (const [name, bytes] of x) assert.deepEqual(bytes, y.get(name), name);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** Wait until `path` holds a lock and return its holder's pid. */
async function lockHolder(path: string, timeoutMs = 60_000): Promise<number> {
  const t0 = Date.now();
  while (Date.now() - t0 < timeoutMs) {
    try {
      return JSON.parse(await Deno.readTextFile(join(path, ".lock"))).pid;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error(`no lock appeared in ${path}`);
}

async function gone(pid: number, timeoutMs = 10_000): Promise<boolean> {
  const t0 = Date.now();
  while (Date.now() - t0 < timeoutMs) {
    try {
      Deno.kill(pid, 0 as unknown as Deno.Signal);
    } catch {
      return true;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

Deno.test("SIGTERM to `deno task simulate` stops its `deno run` child too", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sigterm_" });
  try {
    const out = join(dir, "data");
    const wrapper = new Deno.Command(Deno.execPath(), {
      args: ["task", "simulate", "--out", out, "--clusters", "600", "--workers", "0", "--quiet"],
      cwd: ROOT,
      stdout: "null",
      stderr: "null",
    }).spawn();
    const child = await lockHolder(out);
    assert.notEqual(child, wrapper.pid);
    wrapper.kill("SIGTERM");
    await wrapper.status;
    assert.ok(await gone(child), `simulate (pid ${child}) still runs after its deno task stopped`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a task whose Deno parent is killed outright (SIGKILL) stops long before its work is done", async () => {
  const dir = await Deno.makeTempDir({ prefix: "orphan_" });
  try {
    const out = join(dir, "data");
    // The parent is a Deno process that starts the task, as reproduce does.
    // The whole catalogue on one thread takes a minute or more; the watch stops it in ~0.5 s
    // (polled), so 10 s leaves room for a loaded machine and still tells the two apart.
    const args = ["run", "-A", join(ROOT, "tasks/simulate.ts"), "--out", out, "--profile", "quick"];
    const code = `new Deno.Command(Deno.execPath(), { args: ${
      JSON.stringify([...args, "--workers", "0", "--quiet"])
    }, stdout: "null", stderr: "null" }).spawn(); setTimeout(() => {}, 600000);`;
    const parent = new Deno.Command(Deno.execPath(), {
      args: ["eval", code],
      stdout: "null",
      stderr: "null",
    }).spawn();
    const child = await lockHolder(out);
    parent.kill("SIGKILL");
    await parent.status;
    assert.ok(await gone(child, 10_000), `simulate (pid ${child}) ran on without its parent`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a task started in the background by a shell that exits keeps running to the end", async () => {
  const dir = await Deno.makeTempDir({ prefix: "nohup_" });
  try {
    const out = join(dir, "data");
    // The shell exits while the task runs (a task of ~2 s, a shell that waits 0.7 s).
    const script = `"${Deno.execPath()}" run -A "${join(ROOT, "tasks/simulate.ts")}" ` +
      `--out "${out}" --clusters 40 --workers 0 --quiet >/dev/null 2>&1 & sleep 0.7`;
    const sh = await new Deno.Command("sh", { args: ["-c", script] }).output();
    assert.equal(sh.code, 0);
    const t0 = Date.now();
    while (Date.now() - t0 < 60_000) {
      if (await Deno.stat(join(out, "manifest.json")).then(() => true, () => false)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(
      (await Deno.stat(join(out, "manifest.json"))).isFile,
      "the orphaned task was stopped",
    );
    // Its lock goes when it exits.
    const t1 = Date.now();
    while (Date.now() - t1 < 10_000) {
      if (!(await Deno.stat(join(out, ".lock")).then(() => true, () => false))) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    await assert.rejects(Deno.stat(join(out, ".lock")), Deno.errors.NotFound);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("evaluate --runs with a typo exits 1 and creates no folder", async () => {
  const dir = await Deno.makeTempDir({ prefix: "typo_" });
  try {
    const r = await run("evaluate", ["--runs", join(dir, "rnus")]);
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr.trim(),
      `evaluate: --runs ${join(dir, "rnus")} is not a folder; give the folder holding ` +
        "<network>/predictions.csv",
    );
    assert.deepEqual(await Array.fromAsync(Deno.readDir(dir)), []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("train with a missing dataset exits 1 and leaves no run folder", async () => {
  const dir = await Deno.makeTempDir({ prefix: "train_nodata_" });
  try {
    const r = await run("train", [
      "--data",
      join(dir, "nodata"),
      "--tracer",
      "ypar",
      "--out",
      join(dir, "runs", "ypar"),
    ]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /train: Cannot load dataset: directory \S+nodata does not exist/);
    assert.deepEqual(await Array.fromAsync(Deno.readDir(dir)), []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("export refuses a dataset with a NaN pixel, naming image, row and column, and leaves no folder", async () => {
  const { writeSyntheticDataset } = await import("../lib/dataset/mod.ts");
  const { encodeNpy, readNpy } = await import("../lib/io/mod.ts");
  const dir = await Deno.makeTempDir({ prefix: "export_nan_" });
  try {
    const data = join(dir, "data");
    await writeSyntheticDataset(data, { clusters: 3, seed: 1 });
    const path = join(data, "images_fxs.npy");
    const a = await readNpy(path);
    a.data[5 * 14400 + 3 * 120 + 99] = NaN;
    await Deno.writeFile(path, encodeNpy(a));
    const r = await run("export", ["--data", data, "--out", join(dir, "fits"), "--quiet"]);
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr.trim(),
      `export: Cannot export: ${path} has a non-finite pixel at image 5, row 3, column 99 (NaN); ` +
        "regenerate the dataset with `deno task simulate` or `deno task import`",
    );
    await assert.rejects(Deno.stat(join(dir, "fits")), Deno.errors.NotFound);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("import of a snapshot that is not there exits 1 and creates no folder", async () => {
  const dir = await Deno.makeTempDir({ prefix: "import_none_" });
  try {
    const r = await run("import", [
      "--snapshot",
      join(dir, "snap.hdf5"),
      "--groups",
      join(dir, "fof.hdf5"),
      "--format",
      "tng",
      "--out",
      join(dir, "data"),
    ]);
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr.trim(),
      `import: --snapshot ${join(dir, "snap.hdf5")} is not a file; give the path of an HDF5 file`,
    );
    assert.deepEqual(await Array.fromAsync(Deno.readDir(dir)), []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("interpret and figures on an empty runs folder exit 1, saying there is no run", async () => {
  const { writeSyntheticDataset } = await import("../lib/dataset/mod.ts");
  const dir = await Deno.makeTempDir({ prefix: "empty_runs_" });
  try {
    const data = join(dir, "data"), runs = join(dir, "runs");
    await writeSyntheticDataset(data, { clusters: 3, seed: 1 });
    await Deno.mkdir(runs);
    const i = await run("interpret", ["--data", data, "--runs", runs, "--out", join(dir, "int")]);
    assert.equal(i.code, 1);
    assert.match(
      i.stderr,
      new RegExp(
        `^interpret: ${runs} holds no trained network \\(no <tracer>/model\\.json for star, fxs, ` +
          "fxb, ypar\\); train one first",
      ),
    );
    const f = await run("figures", [
      "--data",
      data,
      "--runs",
      runs,
      "--interpret",
      join(dir, "int"),
      "--out",
      join(dir, "fig"),
      "--no-png",
    ]);
    assert.equal(f.code, 1);
    assert.match(f.stderr, new RegExp(`^figures: ${runs} holds no training run`));
    assert.deepEqual((await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name).sort(), [
      "data",
      "runs",
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("predict refuses a folder or an unwritable --out before any work", async () => {
  const dir = await Deno.makeTempDir({ prefix: "predict_out_" });
  try {
    const file = join(dir, "a.txt");
    await Deno.writeTextFile(file, "");
    // The run does not exist either: the --out check comes first.
    const a = await run("predict", ["--run", "nope", "--images", "x.npy", "--out", dir]);
    assert.equal(a.code, 1);
    assert.equal(
      a.stderr.trim(),
      `predict: Cannot write ${dir}: it is a folder. Give a file name with --out, e.g. ` +
        `${join(dir, "predictions.csv")}`,
    );
    const b = await run("predict", [
      "--run",
      "nope",
      "--images",
      "x.npy",
      "--out",
      join(file, "p.csv"),
    ]);
    assert.equal(b.code, 1);
    assert.equal(
      b.stderr.trim(),
      `predict: Cannot write ${join(file, "p.csv")}: its folder ${file} does not exist. ` +
        "Create it or give another path with --out",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a catalogue missing a column is refused naming that column", async () => {
  const { parseCatalog } = await import("../lib/dataset/mod.ts");
  assert.throws(
    () =>
      parseCatalog(
        "image,cluster,projection,redshift,m200_msun,r200_arcmin,split\n",
        "data/catalog.csv",
      ),
    {
      name: "TypeError",
      message: "Cannot read data/catalog.csv: column r200_mpc missing; expected the header " +
        '"image,cluster,projection,redshift,m200_msun,r200_mpc,r200_arcmin,split"',
    },
  );
});

Deno.test("a diverged train run exits 1 and leaves no run folder behind", async () => {
  const { writeSyntheticDataset } = await import("../lib/dataset/mod.ts");
  const dir = await Deno.makeTempDir({ prefix: "diverged_" });
  try {
    const data = join(dir, "data");
    await writeSyntheticDataset(data, { clusters: 5, seed: 1, tracers: ["ypar"] });
    const r = await run("train", [
      ...["--data", data, "--tracer", "ypar", "--out", join(dir, "runs", "ypar")],
      ...["--epochs", "2", "--profile", "smoke", "--backend", "wasm", "--workers", "1"],
      ...["--lr", "1e12", "--batch", "4"],
    ]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /train: Training diverged at epoch 1 \(loss NaN, val_loss NaN\)/);
    assert.deepEqual((await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name), ["data"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("two reproduce runs started together on one --out: the second stops at once, naming the first", async () => {
  const dir = await Deno.makeTempDir({ prefix: "reproduce_race_" });
  try {
    const args = ["--profile", "smoke", "--out", dir, "--only", "simulate", "--clusters", "12"];
    const [a, b] = [task("reproduce", args).spawn(), task("reproduce", args).spawn()];
    const [ra, rb] = await Promise.all([a.output(), b.output()]);
    const err = [decoder.decode(ra.stderr), decoder.decode(rb.stderr)];
    assert.deepEqual([ra.code, rb.code].sort(), [0, 1], err.join("\n"));
    const [winner, loser] = ra.code === 0 ? [a, 1] : [b, 0];
    assert.match(
      err[loser],
      new RegExp(
        `^reproduce: Cannot write to ${dir}: reproduce \\(pid ${winner.pid} on .*\\) is writing there`,
      ),
    );
    assert.ok((await Deno.stat(join(dir, "data", "manifest.json"))).isFile);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("simulate --out under a file is refused before any work, naming the file", async () => {
  const dir = await Deno.makeTempDir({ prefix: "out_file_" });
  try {
    const file = join(dir, "f");
    await Deno.writeTextFile(file, "");
    const r = await run("simulate", ["--out", join(file, "data"), "--clusters", "4"]);
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr.trim(),
      `simulate: Cannot write to ${join(file, "data")}: ${file} is a file, not a folder. ` +
        "Give a folder with --out",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("train into a folder another process writes stops before reading any data, naming that process", async () => {
  const dir = await Deno.makeTempDir({ prefix: "train_locked_" });
  const lockUrl = new URL("../lib/io/lock.ts", import.meta.url).href;
  const holder = new Deno.Command(Deno.execPath(), {
    args: [
      "eval",
      `import { lockFolder } from ${JSON.stringify(lockUrl)}; lockFolder(${
        JSON.stringify(dir)
      }, "train"); console.log("locked"); await new Promise((r) => setTimeout(r, 30000));`,
    ],
    stdout: "piped",
    stderr: "null",
  }).spawn();
  try {
    const reader = holder.stdout.getReader();
    assert.match(decoder.decode((await reader.read()).value), /locked/);
    reader.releaseLock();
    const r = await run("train", ["--data", join(dir, "nodata"), "--tracer", "ypar", "--out", dir]);
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      new RegExp(
        `^train: Cannot write to ${dir}: train \\(pid ${holder.pid} on .*\\) is writing there`,
      ),
    );
  } finally {
    holder.kill("SIGTERM");
    await holder.status;
    await holder.stdout.cancel().catch(() => {});
    await Deno.remove(dir, { recursive: true });
  }
});
