import assert from "node:assert/strict";
import { join } from "node:path";
import { setupBackend } from "../backend/mod.ts";
import {
  IMAGE_PIXELS,
  IMAGE_SIZE_PIX,
  loadDataset,
  writeSyntheticDataset,
} from "../dataset/mod.ts";
import { dihedralCopy, dihedralDraw } from "./_runner.ts";
import { trainNetwork } from "./train_network.ts";
import { killResumeAndStraight } from "./_resume_testing.ts";

const N = IMAGE_SIZE_PIX;
const ramp = Float32Array.from({ length: IMAGE_PIXELS }, (_, i) => i);
const turned = (k: number, src = ramp) => {
  const out = new Float32Array(IMAGE_PIXELS);
  dihedralCopy(src, out, k);
  return out;
};

Deno.test("dihedralCopy() is the 8 symmetries of the square about the image centre", () => {
  // By hand: a quarter turn takes dst[y][x] from src[N-1-x][y] (numpy's rot90(src, -1)),
  // the mirror takes it from src[y][N-1-x] (numpy's fliplr).
  const q = turned(1);
  const m = turned(4);
  for (const [y, x] of [[0, 0], [0, 119], [5, 17], [60, 59], [119, 3]]) {
    assert.equal(q[y * N + x], ramp[(N - 1 - x) * N + y], `quarter turn at (${y}, ${x})`);
    assert.equal(m[y * N + x], ramp[y * N + (N - 1 - x)], `mirror at (${y}, ${x})`);
  }
  assert.deepEqual(turned(0), ramp);
  // A permutation of the pixels each, all 8 different; four quarter turns and two mirrors are the identity.
  const seen = new Set<string>();
  for (let k = 0; k < 8; k++) {
    const t = turned(k);
    assert.deepEqual(Float32Array.from(t).sort(), ramp, `k = ${k} is a permutation`);
    seen.add(Array.from(t.subarray(0, 3 * N)).join());
  }
  assert.equal(seen.size, 8);
  assert.deepEqual(turned(1, turned(1, turned(1, turned(1)))), ramp);
  assert.deepEqual(turned(4, turned(4)), ramp);
  // A point source at the cluster centre's pixel block stays in that 2x2 block.
  const c = new Float32Array(IMAGE_PIXELS);
  c[(N / 2) * N + N / 2] = 1;
  for (let k = 0; k < 8; k++) {
    const t = turned(k, c);
    const at = t.indexOf(1);
    const [y, x] = [Math.floor(at / N), at % N];
    assert.ok([59, 60].includes(y) && [59, 60].includes(x), `k = ${k}: (${y}, ${x})`);
  }
});

Deno.test("dihedralDraw() depends on the step seed and the image only, and uses all 8", () => {
  const counts = new Array(8).fill(0);
  for (let i = 0; i < 4000; i++) counts[dihedralDraw(12345, i)]++;
  // 500 expected each; 5 sigma of a binomial(4000, 1/8) is 105.
  for (const c of counts) assert.ok(Math.abs(c - 500) < 105, `${counts}`);
  assert.equal(dihedralDraw(7, 3), dihedralDraw(7, 3));
  let same = 0;
  for (let i = 0; i < 800; i++) same += dihedralDraw(7, i) === dihedralDraw(8, i) ? 1 : 0;
  assert.ok(same < 160, `${same} of 800 equal across seeds (100 expected)`);
});

Deno.test("an augmented run resumes to the straight run's losses and records the augmentation", async () => {
  const root = await Deno.makeTempDir({ prefix: "c2_augment_" });
  try {
    await writeSyntheticDataset(join(root, "data"), { clusters: 5, seed: 2, tracers: ["ypar"] });
    const ds = await loadDataset(join(root, "data"), { tracer: "ypar" });
    await setupBackend("wasm", { quiet: true });
    const settings = {
      epochs: 3,
      batchSize: 4,
      learningRate: 1e-3,
      decay: 0,
      augment: true,
      silent: true,
    };
    const out = join(root, "aug");
    const { resumed, straight } = await killResumeAndStraight(
      ds,
      settings,
      out,
      join(root, "straight"),
    );
    assert.deepEqual(resumed.history.map((r) => r.loss), straight.history.map((r) => r.loss));
    assert.deepEqual(
      resumed.history.map((r) => r.val_loss),
      straight.history.map((r) => r.val_loss),
    );
    // Without it the training images differ from the first batch on, and so do the losses.
    const plain = await trainNetwork(ds, {
      ...settings,
      augment: false,
      outDir: join(root, "plain"),
    });
    assert.notEqual(plain.history[0].loss, straight.history[0].loss);
    // val_bias is the mean ln residual of the validation split: val_loss >= val_bias^2.
    for (const r of straight.history) {
      assert.ok(Number.isFinite(r.val_bias) && r.val_loss >= r.val_bias ** 2, JSON.stringify(r));
    }
    const tj = JSON.parse(await Deno.readTextFile(join(out, "training.json")));
    assert.match(tj.settings.augment, /8 symmetries/);
    // A run without augmentation cannot resume this one.
    await assert.rejects(
      () => trainNetwork(ds, { ...settings, epochs: 4, augment: false, outDir: out }),
      /made with augment = true, this run has false/,
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
