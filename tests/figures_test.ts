/**
 * End to end: `runFigures` (the `deno task figures` body) on a seeded dataset
 * in the contract format and seeded training runs; every spec written must
 * validate against the Vega-Lite JSON schema shipped in the npm package and
 * compile without warnings.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { writeSyntheticDataset } from "../lib/dataset/mod.ts";
import { compileSpec, type GalleryIndex, writeSyntheticRuns } from "../lib/figures/mod.ts";
import { vegaLiteSchemaErrors } from "../lib/figures/_schema.ts";
import { FIGURES, runFigures } from "../lib/figures/mod.ts";

await tf.setBackend("cpu");

const ALL = ["fig01", "fig02", "fig03", "fig04", "fig05", "fig06", "fig06b", "fig07", "table2"];
/** Figures 8-11 need interpretation maps (tested in lib/figures/fig08_11_interpret_test.ts). */
const INTERPRET = ["fig08", "fig09", "fig10", "fig11"];
/** Needs `coverage.json` from `deno task evaluate` (tested in lib/figures/calibration_curve_test.ts). */
const EVALUATED = ["calibration"];
/** Needs `realism.json` from `deno task realism` (tested in lib/figures/realism_relations_test.ts). */
const REALISM = ["realism"];

Deno.test("the figure registry lists Figs 1-7, Table 2, Figs 8-11, the calibration curve, then the realism figure", () => {
  assert.deepEqual(FIGURES.map((f) => f.id), [...ALL, ...INTERPRET, ...EVALUATED, ...REALISM]);
});

/** A tiny single-channel model's topology saved as a run's model.json. */
async function writeTinyModelJson(path: string): Promise<number> {
  const m = tf.sequential({ name: "tiny" });
  m.add(
    tf.layers.conv2d({ inputShape: [16, 16, 1], filters: 2, kernelSize: 3, activation: "relu" }),
  );
  m.add(tf.layers.flatten());
  m.add(tf.layers.dense({ units: 1 }));
  const topology = m.toJSON(null, false);
  await Deno.writeTextFile(
    path,
    JSON.stringify({ format: "layers-model", modelTopology: topology }),
  );
  const n = m.layers.length + 1; // + the input layer
  m.dispose();
  return n;
}

Deno.test({
  name:
    "runFigures() writes every figure from seeded data; each spec validates against the Vega-Lite schema and compiles cleanly",
  sanitizeResources: false,
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "figures_test_" });
    try {
      const dataDir = join(dir, "data");
      const runsDir = join(dir, "runs");
      const outDir = join(dir, "figures");
      await writeSyntheticDataset(dataDir, { clusters: 12, seed: 3 });
      await writeSyntheticRuns(runsDir, { seed: 4, epochs: 15 });
      const tinyLayers = await writeTinyModelJson(join(runsDir, "star", "model.json"));
      const result = await runFigures({
        dataDir,
        runsDir,
        interpretDir: join(dir, "interpret"),
        outDir,
        silent: true,
        figures: FIGURES.filter((f) => ALL.includes(f.id)),
      });
      assert.deepEqual(result.failed, []);
      assert.deepEqual(result.skipped, []);
      assert.deepEqual(result.figures.map((f) => f.id), ALL);
      for (const id of ALL) {
        const spec = JSON.parse(await Deno.readTextFile(join(outDir, `${id}.vl.json`)));
        assert.equal(spec.$schema, "https://vega.github.io/schema/vega-lite/v6.json");
        assert.deepEqual(
          await vegaLiteSchemaErrors(spec),
          [],
          `${id} against vega-lite-schema.json`,
        );
        assert.deepEqual(compileSpec(spec).warnings, [], `${id} compiles without warnings`);
        assert.match(await Deno.readTextFile(join(outDir, `${id}.svg`)), /^<svg/);
        const png = await Deno.readFile(join(outDir, `${id}.png`));
        assert.equal(png[1], 0x50, `${id}.png is a PNG`);
      }
      // Fig. 3 panel (a) is the run's own model.json; panel (b) the multichannel network of lib/model.
      const fig03 = JSON.parse(await Deno.readTextFile(join(outDir, "fig03.vl.json")));
      assert.equal(fig03.vconcat[0].layer[1].data.values.length, tinyLayers);
      const multiBoxes = fig03.vconcat[1].layer[1].data.values as { className: string }[];
      assert.equal(multiBoxes.filter((b) => b.className === "InputLayer").length, 4);
      assert.equal(multiBoxes.filter((b) => b.className === "Conv2D").length, 12);
      // Fig. 2 shows four clusters (rows) x four tracers + colour bars.
      const fig02 = JSON.parse(await Deno.readTextFile(join(outDir, "fig02.vl.json")));
      assert.ok(fig02.concat.length >= 2 * 4 + 4);
      assert.ok(JSON.stringify(fig02).length < 2e6);
      // Table 2 as Markdown and JSON with the paper's numbers.
      assert.match(
        await Deno.readTextFile(join(outDir, "table2.md")),
        /\| Star \|.*\| -0\.01 ± 0\.003 \|/,
      );
      const t2 = JSON.parse(await Deno.readTextFile(join(outDir, "table2.json")));
      assert.equal(t2.rows.length, 5);
      assert.equal(t2.rows[3].paper.fractionalBiasPct, 1.814);
      // Gallery: list, page and vendored browser builds.
      const gallery = JSON.parse(
        await Deno.readTextFile(join(outDir, "gallery.json")),
      ) as GalleryIndex;
      assert.deepEqual(gallery.figures.map((f) => f.spec), ALL.map((id) => `${id}.vl.json`));
      for (
        const f of [
          "index.html",
          "vendor/vega.min.js",
          "vendor/vega-lite.min.js",
          "vendor/vega-embed.min.js",
        ]
      ) {
        assert.ok((await Deno.stat(join(outDir, f))).size > 1000, f);
      }
      // No temporary files left behind.
      assert.deepEqual([...Deno.readDirSync(outDir)].filter((e) => e.name.endsWith(".tmp")), []);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("runFigures() skips the figures whose inputs are missing and says which file is missing", async () => {
  const dir = await Deno.makeTempDir({ prefix: "figures_test_" });
  try {
    const runsDir = join(dir, "runs");
    const result = await runFigures({
      dataDir: join(dir, "nodata"),
      runsDir,
      interpretDir: join(dir, "interpret"),
      outDir: join(dir, "figures"),
      png: false,
      silent: true,
    });
    assert.deepEqual(result.figures.map((f) => f.id), ["fig03"]);
    assert.deepEqual(result.skipped.map((s) => s.id), [
      "fig01",
      "fig02",
      "fig04",
      "fig05",
      "fig06",
      "fig06b",
      "fig07",
      "table2",
      ...INTERPRET,
      ...EVALUATED,
      ...REALISM,
    ]);
    assert.match(result.skipped.at(-1)!.reason, /no --realism file given/);
    assert.match(result.skipped[8].reason, /missing .*interpret\/star\/selection\.json/);
    assert.match(result.skipped[0].reason, /missing .*nodata\/catalog\.csv/);
    assert.match(result.skipped[2].reason, /missing all of .*runs\/star\/history\.csv/);
    const gallery = JSON.parse(await Deno.readTextFile(join(dir, "figures", "gallery.json")));
    assert.equal(gallery.skipped.length, 14);
    await assert.rejects(
      () =>
        runFigures({
          dataDir: dir,
          runsDir,
          interpretDir: dir,
          outDir: join(dir, "f2"),
          only: ["fig99"],
          silent: true,
        }),
      /Unknown figure id\(s\) fig99/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("deno task figures: the CLI writes the requested figure, keeps earlier ones in the gallery, and exits 1 when asked for figures of runs it does not have", async () => {
  const dir = await Deno.makeTempDir({ prefix: "figures_cli_" });
  try {
    await writeSyntheticDataset(join(dir, "data"), {
      clusters: 6,
      seed: 5,
      tracers: ["star", "fxs", "fxb", "ypar"],
    });
    const run = async (only: string) => {
      const out = await new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "-A",
          "tasks/figures.ts",
          "--data",
          join(dir, "data"),
          "--runs",
          join(dir, "runs"),
          "--out",
          join(dir, "fig"),
          "--only",
          only,
          "--no-png",
          "--quiet",
        ],
        cwd: new URL("..", import.meta.url),
        stdout: "piped",
        stderr: "piped",
      }).output();
      return {
        code: out.code,
        stdout: new TextDecoder().decode(out.stdout),
        stderr: new TextDecoder().decode(out.stderr),
      };
    };
    const a = await run("fig01");
    assert.equal(a.code, 0, a.stderr);
    assert.match(
      a.stdout,
      /figures: 1 written \(fig01\), 0 skipped, 0 failed; the gallery lists 1/,
    );
    // Asked for a figure of training runs with no runs there: nothing to do is an error.
    const b = await run("fig04");
    assert.equal(b.code, 1, b.stderr);
    assert.match(
      b.stderr,
      /^figures: \S+\/runs holds no training run \(no <network>\/history\.csv for star, fxs, fxb, ypar, multi\); train first/,
    );
    const gallery = JSON.parse(await Deno.readTextFile(join(dir, "fig", "gallery.json")));
    assert.deepEqual(gallery.figures.map((f: { id: string }) => f.id), ["fig01"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
