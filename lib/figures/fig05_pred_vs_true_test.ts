// deno-lint-ignore-file no-explicit-any -- tests read spec JSON loosely
import assert from "node:assert/strict";
import { Rng } from "../random/mod.ts";
import { fig05PredVsTrue } from "./fig05_pred_vs_true.ts";
import { compileSpec } from "./render.ts";

Deno.test("fig05PredVsTrue() makes one log-mass panel per network with every test image and the one-to-one line", () => {
  const rng = new Rng(3);
  const mk = (n: number) => {
    const t = Array.from({ length: n }, () => 10 ** rng.uniform(13.1, 14.9));
    return { mTrueMsun: t, mPredMsun: t.map((m) => m * rng.logNormalDex(0.1)) };
  };
  const spec = fig05PredVsTrue({ star: mk(30), fxb: mk(20), multi: mk(25) }) as unknown as {
    concat: {
      title: string;
      layer: { data: { values: Record<string, number>[] }; encoding: Record<string, any> }[];
    }[];
  };
  assert.equal(spec.concat.length, 3);
  assert.deepEqual(spec.concat.map((p) => p.title.split(" ")[0]), ["Star", "Fxb", "Multichannel"]);
  assert.deepEqual(spec.concat.map((p) => p.layer[1].data.values.length), [30, 20, 25]);
  for (const p of spec.concat) {
    const [line, points] = p.layer;
    const d = line.encoding.x.scale.domain;
    assert.deepEqual(line.data.values.map((v) => v.a), d, "the line runs corner to corner");
    assert.deepEqual(points.encoding.x.scale.domain, points.encoding.y.scale.domain);
    assert.equal(points.encoding.x.field, "log10MTrue");
    assert.equal(points.encoding.y.field, "log10MPred");
    for (const v of points.data.values) assert.ok(v.log10MTrue >= d[0] && v.log10MPred <= d[1]);
  }
  assert.deepEqual(compileSpec(spec as never).warnings, []);
});

Deno.test("fig05PredVsTrue() rejects non-positive masses and mismatched lengths", () => {
  assert.throws(
    () => fig05PredVsTrue({ star: { mTrueMsun: [1e14], mPredMsun: [0] } }),
    /positive and finite/,
  );
  assert.throws(() => fig05PredVsTrue({ star: { mTrueMsun: [1e14], mPredMsun: [] } }), RangeError);
});
