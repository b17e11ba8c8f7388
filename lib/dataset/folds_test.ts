import assert from "node:assert/strict";
import { foldSplits, parseFold } from "./folds.ts";
import { loadDataset, writeSyntheticDataset } from "./mod.ts";

Deno.test("foldSplits() tests every cluster once over K folds, validating on the next fold", () => {
  const ids = Array.from({ length: 23 }, (_, i) => 100 + 3 * i);
  const K = 5;
  const folds = Array.from({ length: K }, (_, k) => foldSplits(ids, { index: k, count: K }));
  for (const id of ids) {
    const tested = folds.filter((f) => f.get(id) === "test").length;
    const validated = folds.filter((f) => f.get(id) === "val").length;
    assert.equal(tested, 1);
    assert.equal(validated, 1);
  }
  // Validation set of fold k is the test set of fold k + 1.
  for (let k = 0; k < K; k++) {
    const val = ids.filter((id) => folds[k].get(id) === "val");
    const nextTest = ids.filter((id) => folds[(k + 1) % K].get(id) === "test");
    assert.deepEqual(val, nextTest);
    assert.ok(val.length >= 4 && val.length <= 5);
  }
  // Order of the ids does not matter.
  assert.deepEqual(
    [...foldSplits([...ids].reverse(), { index: 2, count: K })].sort(),
    [...folds[2]].sort(),
  );
});

Deno.test("parseFold() names the fix for malformed, out-of-range and too-small K", () => {
  assert.deepEqual(parseFold("1/5"), { index: 1, count: 5 });
  assert.throws(() => parseFold("5/5"), /must be in 0\.\.4/);
  assert.throws(() => parseFold("0/2"), /K >= 3/);
  assert.throws(() => parseFold("x"), /expected k\/K/);
  assert.throws(() => foldSplits([1, 2], { index: 0, count: 3 }), /at most 2 folds/);
});

Deno.test("loadDataset({ fold }) keeps a cluster's four views in one split", async () => {
  const dir = await Deno.makeTempDir({ prefix: "folds_test_" });
  try {
    await writeSyntheticDataset(dir, { clusters: 10, seed: 3, tracers: ["ypar"] });
    const ds = await loadDataset(dir, { tracer: "ypar", fold: { index: 1, count: 5 } });
    const { train, val, test } = ds.splits;
    assert.deepEqual([train.n, val.n, test.n], [24, 8, 8]);
    const where = new Map<number, string>();
    for (const [name, s] of Object.entries(ds.splits)) {
      for (const c of s.cluster) {
        assert.ok((where.get(c) ?? name) === name, `cluster ${c} in two splits`);
        where.set(c, name);
      }
    }
    const expected = foldSplits([...where.keys()], { index: 1, count: 5 });
    for (const [c, s] of where) assert.equal(s, expected.get(c));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
