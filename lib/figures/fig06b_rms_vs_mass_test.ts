// deno-lint-ignore-file no-explicit-any -- tests read spec JSON loosely
import assert from "node:assert/strict";
import { table2ByBin } from "../evaluate/mod.ts";
import { Rng } from "../random/mod.ts";
import { fig06bRmsVsMass, fig06bRows } from "./fig06b_rms_vs_mass.ts";
import { compileSpec } from "./render.ts";

Deno.test("fig06bRmsVsMass() draws each network's per-bin rms, the paper's rms and compiles without warnings", () => {
  const rng = new Rng(3);
  const t = Array.from({ length: 400 }, () => 10 ** rng.uniform(13, 15));
  // 0.07 dex log-normal: rms of M_pred/M_true - 1 ~ ln10 0.07 = 16 per cent in every bin.
  const input = { ypar: table2ByBin(t, t.map((m) => m * rng.logNormalDex(0.07))) };
  const spec = fig06bRmsVsMass(input) as unknown as { layer: any[] };
  const rows = fig06bRows(input);
  assert.equal(rows.length, input.ypar.length);
  for (const r of rows) assert.ok(r.rms > 0.08 && r.rms < 0.26, `bin ${r.log10MCentre}: ${r.rms}`);
  assert.deepEqual(spec.layer[1].data.values, [{ network: "Ypar", rms: 0.17662 }]);
  assert.deepEqual(compileSpec(spec as never).warnings, []);
  assert.throws(() => fig06bRmsVsMass({}), /no bin/);
});
