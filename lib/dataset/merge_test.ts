import assert from "node:assert/strict";
import { join } from "node:path";
import { mergeShards } from "./merge.ts";
import { parseShard, shardRange } from "./shard.ts";
import { simulateDataset } from "./simulate.ts";

async function sha256(path: string): Promise<string> {
  const d = await crypto.subtle.digest("SHA-256", await Deno.readFile(path));
  return Array.from(new Uint8Array(d), (b) => b.toString(16).padStart(2, "0")).join("");
}

async function hashes(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const names = [];
  for await (const e of Deno.readDir(dir)) if (e.isFile) names.push(e.name);
  for (const n of names.sort()) out[n] = await sha256(join(dir, n));
  return out;
}

const BASE = { clusters: 7, los: false, workers: 0, silent: true, seed: 11 } as const;

function assertRejectsMatching(fn: () => Promise<unknown>, re: RegExp) {
  return assert.rejects(fn, re);
}

Deno.test("parseShard() reads i/N and names the fix for malformed or out-of-range input", () => {
  assert.deepEqual(parseShard("2/5"), { index: 2, count: 5 });
  assert.throws(() => parseShard("5/5"), /must be in 0\.\.4/);
  assert.throws(() => parseShard("1/0"), /integer >= 1/);
  assert.throws(() => parseShard("a/b"), /expected i\/N.*--shard 0\/4/);
  assert.throws(() => parseShard("-1/3"), /expected i\/N/);
  assert.deepEqual(shardRange(7, { index: 0, count: 3 }), [0, 2]);
  assert.deepEqual(shardRange(7, { index: 2, count: 3 }), [4, 7]);
  assert.throws(() => shardRange(2, { index: 0, count: 3 }), /at most 2 shards/);
});

Deno.test("mergeShards() of 3 shards is byte-identical to the unsharded dataset, and refuses bad sets", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "merge_test_" });
  try {
    await simulateDataset({ ...BASE, out: join(tmp, "full") });
    const shards = [0, 1, 2].map((i) => join(tmp, `s${i}`));
    for (const [i, dir] of shards.entries()) {
      await simulateDataset({ ...BASE, out: dir, shard: { index: i, count: 3, code: "c1" } });
    }
    // Any order on the command line.
    await mergeShards({ out: join(tmp, "merged"), shards: [shards[2], shards[0], shards[1]] });
    assert.deepEqual(await hashes(join(tmp, "merged")), await hashes(join(tmp, "full")));

    const bad = join(tmp, "bad");
    await assertRejectsMatching(
      () => mergeShards({ out: bad, shards: [shards[0], shards[2]] }),
      /shard 1\/3 missing/,
    );
    await assertRejectsMatching(
      () => mergeShards({ out: bad, shards: [shards[0], shards[1], shards[1], shards[2]] }),
      /shard 1\/3 is given twice/,
    );
    const other = join(tmp, "seed12");
    await simulateDataset({
      ...BASE,
      seed: 12,
      out: other,
      shard: { index: 1, count: 3, code: "c1" },
    });
    await assertRejectsMatching(
      () => mergeShards({ out: bad, shards: [shards[0], other, shards[2]] }),
      /differ in seed/,
    );
    const noisy = join(tmp, "noise");
    await simulateDataset({
      ...BASE,
      noise: "none",
      out: noisy,
      shard: { index: 1, count: 3, code: "c1" },
    });
    await assertRejectsMatching(
      () => mergeShards({ out: bad, shards: [shards[0], noisy, shards[2]] }),
      /differ in noise/,
    );
    const code = join(tmp, "code");
    await simulateDataset({ ...BASE, out: code, shard: { index: 1, count: 3, code: "c2" } });
    await assertRejectsMatching(
      () => mergeShards({ out: bad, shards: [shards[0], code, shards[2]] }),
      /different code versions/,
    );
    await Deno.remove(join(shards[1], "manifest.json"));
    await assertRejectsMatching(
      () => mergeShards({ out: bad, shards }),
      /has no manifest\.json, so its simulate did not finish/,
    );
    await assertRejectsMatching(
      () => mergeShards({ out: bad, shards: [join(tmp, "full")] }),
      /is not a shard/,
    );
    // Nothing half-written: every refusal happened before the output existed.
    assert.deepEqual(await Deno.stat(bad).then(() => true, () => false), false);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});
