/**
 * `deno task merge` writes its dataset folder as every writer does (issue 20):
 * the shards are checked before the folder is made, the folder is locked
 * while merging (a second writer is refused naming the holder), and a failed
 * merge leaves no folder it made. `simulate --shard` locks its shard folder.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { main as merge } from "../tasks/merge.ts";
import { main as simulate } from "../tasks/simulate.ts";

const BASE = ["--clusters", "4", "--no-los", "--workers", "0", "--seed", "5", "--quiet"];

async function exists(path: string): Promise<boolean> {
  return await Deno.stat(path).then(() => true, () => false);
}

Deno.test("merge: a refused shard set creates no folder; a locked dataset folder is refused naming the holder; a merge leaves no lock", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "merge_task_test_" });
  try {
    const shards = [0, 1].map((i) => join(tmp, `s${i}`));
    for (const [i, dir] of shards.entries()) {
      assert.equal(await simulate(["--out", dir, "--shard", `${i}/2`, ...BASE]), 0);
      // The shard's folder lock is gone once it is written.
      assert.equal(await exists(join(dir, ".lock")), false);
    }
    // A missing shard: refused before anything is made.
    const out = join(tmp, "data");
    assert.equal(await merge(["--out", out, shards[0]]), 1);
    assert.equal(await exists(out), false);
    // Another live writer holds the dataset folder: refused, nothing written.
    await Deno.mkdir(out);
    const holder = {
      pid: Deno.pid,
      host: Deno.hostname(),
      task: "simulate",
      startedAt: "2026-12-04T22:00:00Z",
    };
    await Deno.writeTextFile(join(out, ".lock"), JSON.stringify(holder));
    assert.equal(await merge(["--out", out, ...shards]), 1);
    assert.deepEqual(
      (await Array.fromAsync(Deno.readDir(out))).map((e) => e.name),
      [".lock"],
    );
    await Deno.remove(join(out, ".lock"));
    // Free: merged, the lock released.
    assert.equal(await merge(["--out", out, ...shards]), 0);
    assert.equal(await exists(join(out, "manifest.json")), true);
    assert.equal(await exists(join(out, ".lock")), false);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});
