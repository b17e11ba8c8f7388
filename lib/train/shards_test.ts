import assert from "node:assert/strict";
import { addGrads, dyadicCover, shardRange, treeRoot } from "./_runner.ts";

Deno.test("dyadicCover() covers a run of shards with aligned tree nodes, largest first", () => {
  assert.deepEqual(dyadicCover(0, 8), [{ lo: 0, size: 8 }]);
  assert.deepEqual(dyadicCover(1, 7), [
    { lo: 1, size: 1 },
    { lo: 2, size: 2 },
    { lo: 4, size: 2 },
    { lo: 6, size: 1 },
  ]);
  // 3 workers over 8 shards: [0, 2), [2, 5), [5, 8).
  assert.deepEqual(dyadicCover(2, 5), [{ lo: 2, size: 2 }, { lo: 4, size: 1 }]);
  assert.deepEqual(dyadicCover(5, 8), [{ lo: 5, size: 1 }, { lo: 6, size: 2 }]);
  assert.deepEqual(dyadicCover(3, 3), []);
});

Deno.test("shardRange() cuts a batch of 50 into 8 contiguous shards of 6 or 7 images", () => {
  const r = Array.from({ length: 8 }, (_, j) => shardRange(j, 8, 50));
  assert.deepEqual(r[0], [0, 6]);
  assert.deepEqual(r[7], [43, 50]);
  for (let j = 1; j < 8; j++) assert.equal(r[j][0], r[j - 1][1]);
  // A batch smaller than the shard count leaves some shards empty.
  assert.deepEqual(shardRange(0, 8, 3), [0, 0]);
});

Deno.test("treeRoot() adds in the fixed tree order whichever nodes it is given", () => {
  // Values whose float32 sum depends on the order: 1 + 2^-24 + 2^-24 + ... .
  const v = [1, 2 ** -24, 2 ** -24, 2 ** -24, 2 ** -24, 2 ** -24, 2 ** -24, 2 ** -24];
  const leaf = (j: number) => new Float32Array([v[j]]);
  const tree = (lo: number, size: number): Float32Array | null =>
    size === 1 ? leaf(lo) : addGrads(tree(lo, size / 2), tree(lo + size / 2, size / 2));
  const want = tree(0, 8)![0];
  // Left to right the small terms are lost against 1; the tree keeps some of them.
  let seq = Math.fround(1);
  for (let j = 1; j < 8; j++) seq = Math.fround(seq + v[j]);
  assert.notEqual(want, seq);
  for (
    const parts of [
      [[0, 8]],
      [[0, 4], [4, 4]],
      [[0, 2], [2, 2], [4, 1], [5, 1], [6, 2]],
      [[0, 1], [1, 1], [2, 1], [3, 1], [4, 1], [5, 1], [6, 1], [7, 1]],
    ]
  ) {
    const nodes = new Map(parts.map(([lo, size]) => [`${lo}/${size}`, tree(lo, size)]));
    assert.equal(treeRoot(nodes, 8)![0], want, JSON.stringify(parts));
  }
  // Empty shards are null and add nothing.
  assert.deepEqual(treeRoot(new Map([["0/1", leaf(0)], ["1/1", null]]), 2), leaf(0));
  assert.throws(() => treeRoot(new Map([["0/1", leaf(0)]]), 2), /shard 1 is missing/);
});

Deno.test("treeRoot() over pieces [start, end) gives the whole sum's values, to the bit", () => {
  // Values whose float32 sums depend on the order: summing in pieces must
  // follow the same tree per element.
  const n = 1001;
  const make = (seed: number) =>
    Float32Array.from({ length: n }, (_, i) => Math.sin(seed * 7919 + i) * 10 ** (i % 7));
  const nodes = () =>
    new Map<string, Float32Array | null>([
      ["0/2", make(1)],
      ["2/1", make(2)],
      ["3/1", null],
      ["4/4", make(3)],
    ]);
  const whole = treeRoot(nodes(), 8)!.slice();
  const pieces = nodes();
  const cuts = [0, 1, 333, 334, 700, n];
  let root: Float32Array | null = null;
  for (let k = 0; k + 1 < cuts.length; k++) root = treeRoot(pieces, 8, cuts[k], cuts[k + 1]);
  assert.deepEqual(Array.from(root!), Array.from(whole));
});
