import assert from "node:assert/strict";
import { join } from "node:path";
import {
  assertNotLocked,
  checkWritableFile,
  checkWritableFolder,
  claimOutputFolder,
  FolderLockedError,
  LOCK_FILE,
  lockFolder,
  removeStalePartials,
} from "./mod.ts";

/** The pid of a process that has exited (so no longer running). */
async function deadPid(): Promise<number> {
  const child = new Deno.Command("true").spawn();
  await child.status;
  return child.pid;
}

Deno.test("lockFolder() refuses a second writer at once, naming the holder's task, pid and host", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const a = lockFolder(dir, "simulate");
    const t0 = performance.now();
    assert.throws(
      () => lockFolder(dir, "import"),
      (e: Error) => {
        assert.ok(e instanceof FolderLockedError);
        assert.match(
          e.message,
          new RegExp(
            `^Cannot write to ${dir}: simulate \\(pid ${Deno.pid} on ${Deno.hostname()}, started .*\\) is writing there`,
          ),
        );
        return true;
      },
    );
    assert.ok(performance.now() - t0 < 1000, "the refusal must not wait");
    a.release();
    lockFolder(dir, "import").release();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("lockFolder() takes over the lock of a process that is no longer running, and says so", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const pid = await deadPid();
    const stale = { pid, host: Deno.hostname(), task: "train", startedAt: "2026-01-01T00:00:00Z" };
    await Deno.writeTextFile(join(dir, LOCK_FILE), JSON.stringify(stale));
    const lines: string[] = [];
    const lock = lockFolder(dir, "train", { log: (l) => lines.push(l) });
    assert.deepEqual(lock.tookOver, stale);
    assert.equal(
      lines[0],
      `train: took over the lock of ${dir} from train (pid ${pid} on ${Deno.hostname()}, ` +
        "started 2026-01-01T00:00:00Z), which is no longer running",
    );
    assert.equal(JSON.parse(await Deno.readTextFile(join(dir, LOCK_FILE))).pid, Deno.pid);
    lock.release();
    await assert.rejects(Deno.stat(join(dir, LOCK_FILE)), Deno.errors.NotFound);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("lockFolder() never takes over a lock held on another host", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const other = {
      pid: 1,
      host: "elsewhere-node-7",
      task: "train",
      startedAt: "2026-01-01T00:00:00Z",
    };
    await Deno.writeTextFile(join(dir, LOCK_FILE), JSON.stringify(other));
    assert.throws(
      () => lockFolder(dir, "train"),
      /train \(pid 1 on elsewhere-node-7, .*\) is writing there/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a lock is released when its process exits", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const code = `import { lockFolder } from ${
      JSON.stringify(new URL("./lock.ts", import.meta.url).href)
    };
lockFolder(${JSON.stringify(dir)}, "demo"); Deno.exit(3);`;
    const r = await new Deno.Command(Deno.execPath(), { args: ["eval", code], stderr: "piped" })
      .output();
    assert.equal(r.code, 3, new TextDecoder().decode(r.stderr));
    await assert.rejects(Deno.stat(join(dir, LOCK_FILE)), Deno.errors.NotFound);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("removeStalePartials() removes the temporary files of dead processes only", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const dead = await deadPid();
    const names = [
      `images_star.npy.partial-${dead}`,
      `catalog.csv.${dead}.3.tmp`,
      `images_fxs.npy.partial-${Deno.pid}`,
      "images_ypar.npy",
      "notes.partial-x",
    ];
    for (const n of names) await Deno.writeTextFile(join(dir, n), "x");
    const removed = await removeStalePartials(dir);
    assert.deepEqual(removed.map((f) => f.path.slice(dir.length + 1)).sort(), [names[1], names[0]]);
    assert.deepEqual(removed.map((f) => f.bytes), [1, 1]);
    const left = (await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name).sort();
    assert.deepEqual(left, [names[2], names[3], names[4]].sort());
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("claimOutputFolder().abandon() removes a folder it created and nothing it did not", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const fresh = join(dir, "a", "b");
    const f = await claimOutputFolder(fresh, "export", { log: () => {} });
    assert.equal(f.created, join(dir, "a"));
    await Deno.writeTextFile(join(fresh, "half.fits"), "x");
    await f.abandon();
    await assert.rejects(Deno.stat(join(dir, "a")), Deno.errors.NotFound);

    const kept = join(dir, "kept");
    await Deno.mkdir(kept);
    await Deno.writeTextFile(join(kept, "old.txt"), "mine");
    const g = await claimOutputFolder(kept, "export", { log: () => {} });
    assert.equal(g.created, null);
    await g.abandon();
    assert.equal(await Deno.readTextFile(join(kept, "old.txt")), "mine");
    await assert.rejects(Deno.stat(join(kept, LOCK_FILE)), Deno.errors.NotFound);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("checkWritableFolder() and checkWritableFile() refuse a file as folder and a folder as file, creating nothing", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const file = join(dir, "f.txt");
    await Deno.writeTextFile(file, "");
    await assert.rejects(
      checkWritableFolder(join(file, "out")),
      new RegExp(
        `^Error: Cannot write to ${file}/out: ${file} is a file, not a folder\\. Give a folder with --out$`,
      ),
    );
    await assert.rejects(
      checkWritableFile(dir),
      new RegExp(
        `Cannot write ${dir}: it is a folder\\. Give a file name with --out, e\\.g\\. ${dir}/predictions\\.csv`,
      ),
    );
    await assert.rejects(
      checkWritableFile(join(dir, "no", "p.csv")),
      new RegExp(`Cannot write ${dir}/no/p\\.csv: its folder ${dir}/no does not exist`),
    );
    await checkWritableFile(join(dir, "p.csv"));
    assert.deepEqual((await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name), ["f.txt"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("assertNotLocked() names a running holder and passes a free or stale folder, creating nothing", async () => {
  const dir = await Deno.makeTempDir();
  try {
    assertNotLocked(join(dir, "none"));
    const lock = lockFolder(dir, "train");
    assert.throws(() => assertNotLocked(dir), /train \(pid \d+ on .*\) is writing there/);
    lock.release();
    const pid = await deadPid();
    await Deno.writeTextFile(
      join(dir, LOCK_FILE),
      JSON.stringify({ pid, host: Deno.hostname(), task: "train", startedAt: "x" }),
    );
    assertNotLocked(dir);
    await assert.rejects(Deno.stat(join(dir, "none")), Deno.errors.NotFound);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
