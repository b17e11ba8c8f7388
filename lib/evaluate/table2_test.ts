import assert from "node:assert/strict";
import { join } from "node:path";
import { biasBins, evaluateRuns, formatTable2Markdown, table2ByBin, table2Stats } from "./mod.ts";

// Reference numbers computed by hand with Python 3's `statistics` module:
// r = [0.8, 1.0, 1.1, 1.3]; mean(log10 r) = 0.0146065061, stdev(log10 r)/2 = 0.0440024549,
// 100 stdev(r) = 20.8166599947, 100 stdev(r)/2 = 10.4083299973,
// 100 sqrt(mean((r-1)^2)) = 18.7082869339.
const mTrue = [1e14, 1e14, 1e14, 1e14, 1e15, 10 ** 14.6, 1e13];
const mPred = [0.8e14, 1e14, 1.1e14, 1.3e14, 2e15, 5 * 10 ** 14.6, 1e13];

Deno.test("table2Stats() matches hand-computed bias, errors and scatter in the central range", () => {
  const r = table2Stats(mTrue, mPred);
  // 1e15 and 10^14.6 (above 10^14.5) and 1e13 (below 10^13.25) are left out.
  assert.equal(r.n, 4);
  const close = (a: number, b: number) =>
    assert.ok(Math.abs(a - b) < 1e-9 * Math.max(1, b), `${a} vs ${b}`);
  close(r.meanLog10Ratio, 0.0146065061142514);
  close(r.meanLog10RatioSe, 0.04400245491000747);
  close(r.fractionalBiasPct, 5);
  close(r.fractionalBiasPctSe, 10.408329997330663);
  close(r.rmsScatterPct, 20.816659994661325);
  close(r.rmsAboutZeroPct, 18.708286933869708);
});

Deno.test("table2Stats() refuses mismatched, non-positive or too few predictions", () => {
  assert.throws(() => table2Stats([1e14], [1e14, 2e14]), /1 true masses but 2 predictions/);
  assert.throws(() => table2Stats([1e14, 1e14], [1e14, -1]), /positive and finite/);
  assert.throws(() => table2Stats([1e15, 1e14], [1e15, 1e14]), /1 test images have/);
});

Deno.test("biasBins() groups by 0.25 dex with edges on multiples of 0.25", () => {
  // Bin [13.25, 13.5): ratios 0.2, 1.5, 1.2 -> mean -0.0333..., stdev 0.68068592855 (Python).
  const t = [10 ** 13.25, 10 ** 13.3, 10 ** 13.49, 10 ** 14.1];
  const p = [0.2 * t[0], 1.5 * t[1], 1.2 * t[2], t[3]];
  const bins = biasBins(t, p);
  assert.equal(bins.length, 2);
  assert.equal(bins[0].log10MLo, 13.25);
  assert.equal(bins[0].n, 3);
  assert.ok(Math.abs(bins[0].meanFractionalBias + 1 / 30) < 1e-12);
  assert.ok(Math.abs(bins[0].sdFractionalBias! - 0.6806859285554046) < 1e-12);
  assert.equal(bins[1].log10MCentre, 14.125);
  assert.equal(bins[1].sdFractionalBias, null);
});

Deno.test("evaluateRuns() reads every network's predictions.csv and formats Table 2", async () => {
  const dir = await Deno.makeTempDir({ prefix: "c2_eval_" });
  try {
    await assert.rejects(() => evaluateRuns(dir), /no .*predictions\.csv found/);
    await Deno.mkdir(join(dir, "ypar"));
    const lines = ["image,cluster,m_true_msun,m_pred_msun"];
    mTrue.forEach((m, i) => lines.push(`${i},${i},${m},${mPred[i]}`));
    await Deno.writeTextFile(join(dir, "ypar", "predictions.csv"), lines.join("\n") + "\n");
    const ev = await evaluateRuns(dir);
    assert.deepEqual(Object.keys(ev.table2), ["ypar"]);
    assert.equal(ev.table2.ypar!.n, 4);
    const md = formatTable2Markdown(ev.table2);
    await Deno.mkdir(join(dir, "star"));
    await Deno.writeTextFile(
      join(dir, "star", "predictions.csv"),
      lines.join("\n").replace(`,${mPred[1]}\n`, ",Infinity\n") + "\n",
    );
    await assert.rejects(() => evaluateRuns(dir), /star.*predictions\.csv.*not converged/);
    await Deno.remove(join(dir, "star"), { recursive: true });
    assert.match(md, /\| Ypar \| 4 \| 0\.015 ± 0\.044 \| 0\.002 ± 0\.002 \| 5\.000 ± 10\.408 \|/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("table2ByBin() gives the hand-computed row in the 10^14-10^14.25 bin and skips bins of one image", () => {
  const bins = table2ByBin(mTrue, mPred);
  // Only the four 1e14 images share a bin; 1e13, 10^14.6 and 1e15 are alone in theirs.
  assert.equal(bins.length, 1);
  const b = bins[0];
  assert.equal(b.log10MLo, 14);
  assert.equal(b.log10MHi, 14.25);
  assert.equal(b.n, 4);
  assert.ok(Math.abs(b.rmsScatterPct - 20.816659994661325) < 1e-9);
  assert.ok(Math.abs(b.fractionalBiasPct - 5) < 1e-9);
});
