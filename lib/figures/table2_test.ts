import assert from "node:assert/strict";
import { table2Stats } from "../evaluate/mod.ts";
import { table2Json, table2Spec } from "./table2.ts";
import { compileSpec } from "./render.ts";

const mTrue = [1.5e13, 5e13, 1e14, 2e14, 3e14];
const row = table2Stats(mTrue, [1.6e13, 4.5e13, 1.1e14, 1.8e14, 3.3e14]);

Deno.test("table2Json() puts the paper's Table 2 values beside ours, in the paper's order", () => {
  const json = table2Json({ multi: row, star: row });
  assert.deepEqual(json.rows.map((r) => r.network), ["star", "multi"]);
  // Paper Table 2: Star -0.01 ± 0.003, -0.516 ± 0.621, 19.028; Multichannel rms 17.693.
  assert.equal(json.rows[0].paper.meanLog10Ratio, -0.01);
  assert.equal(json.rows[0].paper.fractionalBiasPctSe, 0.621);
  assert.equal(json.rows[0].paper.rmsScatterPct, 19.028);
  assert.equal(json.rows[1].paper.rmsScatterPct, 17.693);
  assert.equal(json.rows[0].ours.n, 4); // 1.5e13 (log 13.18) is below the central range
  assert.throws(() => table2Json({}), RangeError);
});

Deno.test("table2Spec() writes a header and one line of eight cells per network", () => {
  const spec = table2Spec({ fxs: row, ypar: row }) as unknown as {
    layer: { data: { values: Record<string, unknown>[] } }[];
  };
  const [header, cells] = spec.layer;
  assert.equal(header.data.values.length, 8);
  assert.equal(cells.data.values.length, 16);
  const texts = cells.data.values.map((c) => c.text);
  assert.ok(texts.includes("Fxs") && texts.includes("Ypar"));
  assert.ok(texts.includes("1.814 ± 0.559"), "paper's Ypar bias");
  assert.ok(
    texts.includes(`${row.fractionalBiasPct.toFixed(3)} ± ${row.fractionalBiasPctSe.toFixed(3)}`),
  );
  assert.deepEqual(compileSpec(spec as never).warnings, []);
});

Deno.test("table2Spec() draws the scaling-relation baseline rows under the networks, without paper values", () => {
  const row = {
    n: 744,
    meanLog10Ratio: -0.016,
    meanLog10RatioSe: 0.003,
    fractionalBiasPct: -1.1,
    fractionalBiasPctSe: 0.9,
    rmsScatterPct: 24.5,
    rmsAboutZeroPct: 24.5,
  };
  const spec = table2Spec({ ypar: row }, {
    baselines: [{ label: "Ypar (5' aperture)", table2: row }],
  });
  // deno-lint-ignore no-explicit-any
  const layers = (spec as any).layer;
  const cells = layers[1].data.values as { row: number; column: string; text: string }[];
  const base = cells.filter((c) => c.row === 3);
  assert.equal(base[0].text, "Ypar (5' aperture)");
  assert.ok(base.some((c) => c.text === "24.500"));
  assert.ok(base.filter((c) => c.text === "").length === 3, "no paper values for a baseline");
  assert.equal(layers[2].data.values[0].text, "Scaling relations (no CNN):");
});
