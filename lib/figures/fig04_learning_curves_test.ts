// deno-lint-ignore-file no-explicit-any -- tests read spec JSON loosely
import assert from "node:assert/strict";
import { fig04LearningCurves } from "./fig04_learning_curves.ts";
import { compileSpec } from "./render.ts";

Deno.test("fig04LearningCurves() draws one line per network and marks each best (minimum) epoch", () => {
  const spec = fig04LearningCurves({
    star: { epoch: [1, 2, 3, 4], valLoss: [0.4, 0.2, 0.1, 0.15] },
    multi: { epoch: [1, 2, 3], valLoss: [0.5, 0.3, 0.35] },
  }) as unknown as {
    layer: { data: { values: Record<string, unknown>[] }; encoding: Record<string, any> }[];
  };
  const [lines, best] = spec.layer;
  assert.equal(lines.data.values.length, 7);
  assert.deepEqual(best.data.values, [
    { network: "Star", epoch: 3, valLoss: 0.1 },
    { network: "Multichannel", epoch: 2, valLoss: 0.3 },
  ]);
  assert.equal(lines.encoding.y.scale.type, "log");
  assert.equal(lines.encoding.x.field, "epoch");
  assert.deepEqual(lines.encoding.color.scale.domain, ["Star", "Multichannel"]);
  assert.deepEqual(compileSpec(spec as never).warnings, []);
});

Deno.test("fig04LearningCurves() uses a linear loss axis on request and rejects mismatched columns", () => {
  const spec = fig04LearningCurves({ fxs: { epoch: [1, 2], valLoss: [1, 0.5] } }, {
    logLoss: false,
  }) as unknown as {
    layer: { encoding: Record<string, any> }[];
  };
  assert.equal(spec.layer[0].encoding.y.scale.type, undefined);
  assert.throws(() => fig04LearningCurves({ fxs: { epoch: [1, 2], valLoss: [1] } }), RangeError);
  assert.throws(() => fig04LearningCurves({}), RangeError);
});
