/**
 * `deno task realism`: the mock's scaling relations beside the published
 * ones (lib/realism). Measures a noiseless sample from the clusters'
 * particles, prints every relation with its target, anchor, source and
 * pass/fail (and the checks of the X-ray surface-brightness shape, with its
 * profile table), optionally measures a rendered dataset's 20-arcmin images too
 * (noise and line of sight as asked), computes the paper's core/ring test on
 * a dataset with the paper's noise and beam, and writes `realism.json` and
 * the realism figure (`realism.vl.json`, `.svg`, `.png`).
 *
 * Exit status: 0 (failing checks are listed), or with `--strict` 3 when a
 * check fails (the report is written either way); 1 on an error, 2 on bad
 * arguments.
 *
 * @module
 */
import { join } from "node:path";
import { claimOutputFolder, type OutputFolder, writeJsonAtomic } from "../lib/io/mod.ts";
import {
  binnedScatterTable,
  coreRingReport,
  measureDatasetImages,
  measureMockSample,
  type RealismCheck,
  realismReport,
  type XrayShapeReport,
  xrayShapeReport,
} from "../lib/realism/mod.ts";
import { realismRelationsFigure } from "../lib/figures/realism_relations.ts";
import { renderSpec } from "../lib/figures/render.ts";
import { parseNoise } from "../lib/types/mod.ts";
import { parseTaskArgs } from "./_cli.ts";

const USAGE = `Usage: deno task realism [--out DIR] [--clusters N] [--seed S]
                          [--images] [--noise none|paper|planck] [--los]
                          [--core-ring-data DIR | --no-core-ring] [--no-figure]

  --out DIR             where realism.json and the figure go (default out/realism)
  --clusters N          catalogue clusters to measure, spread over the mass range (default all)
  --seed S              dataset seed (default 1, the quick profile's)
  --images              also render a dataset and measure its 20-arcmin images
  --noise SETTING       noise of those images (default none)
  --los                 line-of-sight structure in those images (default off)
  --core-ring-data DIR  dataset for the paper's core/ring test (default: render one with the
                        paper's noise and beam and line of sight, same clusters and seed)
  --no-core-ring        skip the core/ring test
  --no-figure           do not render the figure
  --strict              exit with status 3 when a check fails
  -h, --help            this text`;

function printChecks(title: string, checks: RealismCheck[]): void {
  console.log(`\n${title}`);
  for (const c of checks) {
    const t = `[${c.target[0]}, ${c.target[1]}]`;
    console.log(
      `${c.pass ? "PASS" : "FAIL"}  ${c.value.toFixed(3).padStart(8)}  target ${t.padEnd(16)} ` +
        `${c.quantity}  (anchor ${c.anchor}; ${c.source}; n = ${c.n})`,
    );
  }
}

function printShape(title: string, shape: XrayShapeReport): void {
  printChecks(title, shape.checks);
  console.log(
    `\nS_X(0.5-2 keV) profile: annulus [R500]  median S_X/S_X(0.3-0.5 R500) (M500 >= 1e14)  ` +
      `scatter at fixed M200 [dex] in ${shape.bins.map((b) => `10^${b[0]}-10^${b[1]}`).join(", ")}`,
  );
  for (const r of shape.profile) {
    console.log(
      `  ${r.annulusR500[0]}-${r.annulusR500[1]}  ${r.medianShape.toFixed(3)}  ${
        r.scatterDex.map((v) => v.toFixed(3)).join("  ")
      }`,
    );
  }
}

if (import.meta.main) {
  const { values, fail, int } = parseTaskArgs("realism", USAGE, {
    out: { type: "string" },
    clusters: { type: "string" },
    seed: { type: "string" },
    images: { type: "boolean", default: false },
    noise: { type: "string" },
    los: { type: "boolean", default: false },
    "core-ring-data": { type: "string" },
    "no-core-ring": { type: "boolean", default: false },
    "no-figure": { type: "boolean", default: false },
    strict: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  });
  const out = values.out ?? "out/realism";
  const clusters = int("clusters", values.clusters) ?? null;
  const seed = int("seed", values.seed, 0) ?? 1;
  let noise;
  try {
    noise = parseNoise(values.noise ?? "none");
  } catch (e) {
    fail((e as Error).message);
  }
  let folder: OutputFolder | undefined;
  try {
    folder = await claimOutputFolder(out, "realism");
    const t0 = performance.now();
    const sample = measureMockSample({ clusters, seed });
    const report = realismReport(sample);
    printChecks(
      `Scaling relations of the mock, ${sample.length} views of ${
        sample.length / 4
      } clusters, from particles (no noise, no line of sight, no field edge):`,
      report.checks,
    );
    const shape = xrayShapeReport(sample);
    printShape("Shape of the X-ray surface brightness, from particles:", shape);
    const bins = binnedScatterTable(sample);
    console.log(
      "\nscatter at fixed M200 [dex]:  bin  n  Y500  L_bol(0.15-1 R500)  L_bol(<0.15 R500)",
    );
    for (const b of bins) {
      console.log(
        `  10^${b.bin[0]}-10^${b.bin[1]}  ${b.n}  ${b.y500.toFixed(3)}  ${b.lBolRing.toFixed(3)}  ${
          b.lBolCore.toFixed(3)
        }`,
      );
    }
    let imageReport = null;
    if (values.images) {
      const s = await measureDatasetImages({ clusters, seed, noise, los: values.los });
      imageReport = {
        noise,
        los: values.los,
        report: realismReport(s.images),
        shape: xrayShapeReport(s.images),
        bins: binnedScatterTable(s.images),
      };
      printChecks(
        `The same relations from the 20-arcmin images (noise ${noise}, line of sight ${
          values.los ? "on" : "off"
        }; R500 is clipped by the field for massive clusters at low z):`,
        imageReport.report.checks,
      );
      printShape(
        "Shape of the X-ray surface brightness from the images (radii past the field's " +
          "inscribed circle are not measured):",
        imageReport.shape,
      );
    }
    let coreRing = null;
    if (!values["no-core-ring"]) {
      let dir = values["core-ring-data"];
      let temp: string | null = null;
      if (!dir) {
        temp = await Deno.makeTempDir({ prefix: "realism-core-ring-" });
        dir = temp;
        await measureDatasetImages({ clusters, seed, noise: "paper", los: true, dataDir: dir });
      }
      try {
        coreRing = await coreRingReport(dir);
      } finally {
        if (temp) await Deno.remove(temp, { recursive: true });
      }
      printChecks(
        `Core against ring (paper §4.2), test split of ${
          values["core-ring-data"] ?? "a dataset with the paper's noise, beam and line of sight"
        }:`,
        coreRing.checks,
      );
      for (const t of coreRing.tracers) {
        console.log(
          `  ${t.tracer}: linear core ${t.linear.core.toFixed(3)} ring ${
            t.linear.ring.toFixed(3)
          }; log core ${t.log.core.toFixed(3)} ring ${t.log.ring.toFixed(3)} (n = ${t.n})`,
        );
      }
    }
    const all = [...report.checks, ...shape.checks, ...(coreRing?.checks ?? [])];
    const failed = all.filter((c) => !c.pass);
    const json = {
      generated: new Date().toISOString(),
      seed,
      clusters: sample.length / 4,
      seconds: (performance.now() - t0) / 1000,
      definitions:
        "log10 scatter about a power law fitted in each 0.5-dex bin of M200; slopes against M500; " +
        "apertures from the catalogue's R500 (projected); mass recovery = Table 2 rms of M200 from " +
        "a power-law fit in 10^13.25-10^14.5",
      particles: { checks: report.checks, bins, curves: report.curves, shape },
      images: imageReport,
      coreRing,
      passed: all.length - failed.length,
      failed: failed.length,
    };
    await writeJsonAtomic(join(out, "realism.json"), json);
    if (!values["no-figure"]) {
      const spec = realismRelationsFigure(report.curves);
      await writeJsonAtomic(join(out, "realism.vl.json"), spec);
      await renderSpec(spec, {
        svgPath: join(out, "realism.svg"),
        pngPath: join(out, "realism.png"),
      });
    }
    folder.release();
    console.log(
      `\nrealism: ${all.length - failed.length} of ${all.length} checks pass; wrote ${
        join(out, "realism.json")
      }`,
    );
    if (failed.length > 0) {
      console.log(`realism: failing: ${failed.map((c) => c.id).join(", ")}`);
      if (values.strict) Deno.exit(3);
    }
  } catch (e) {
    await folder?.abandon();
    console.error(`realism: ${(e as Error).message}`);
    Deno.exit(1);
  }
}
