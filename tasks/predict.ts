/**
 * `deno task predict --run RUNDIR --images FILE.npy|FILE.fits|DIR --out FILE.csv [--redshift Z]`:
 * M200 with calibrated 68 and 95 per cent intervals for new images, one row
 * per image, with a progress bar. See lib/predict.
 *
 * @module
 */
import { parseBackendName, setupBackend } from "../lib/backend/mod.ts";
import { checkWritableFile, formatCsv, ProgressBar, writeFileAtomic } from "../lib/io/mod.ts";
import { PREDICT_COLUMNS, predictEnsemble, predictMasses } from "../lib/predict/mod.ts";
import { parseTaskArgs } from "./_cli.ts";

const USAGE =
  `Usage: deno task predict --run RUNDIR --images FILE.npy|FILE.fits|DIR --out FILE.csv [--redshift Z]

  --run DIR        a trained run (model.json, weights.bin, training.json, calibration.json;
                   \`deno task evaluate\` writes calibration.json); repeat --run for a deep
                   ensemble: the members' mean log-mass, their spread added to the intervals
  --images PATH    a .npy stack ([N, 120, 120]; [N, 120, 120, 4] for the multichannel run),
                   a FITS image with a celestial WCS, a directory of FITS files (as
                   \`deno task export\` writes them), or a dataset directory
  --out FILE.csv   columns ${PREDICT_COLUMNS.join(",")}
                   (input_check: ok, or what lies outside the training inputs; mass_range:
                   inside, or at-lower-edge / at-upper-edge of the calibrated range)
  --redshift Z     redshift of images whose files do not give one (checked against training)
  --backend B      wasm|cpu|webgpu (default wasm)
  -h, --help       this text`;

if (import.meta.main) {
  const { values, fail } = parseTaskArgs("predict", USAGE, {
    run: { type: "string", multiple: true },
    images: { type: "string" },
    out: { type: "string" },
    redshift: { type: "string" },
    backend: { type: "string", default: "wasm" },
    help: { type: "boolean", short: "h", default: false },
  });
  const runs = values.run ?? fail("--run RUNDIR is required");
  const images = values.images ?? fail("--images FILE|DIR is required");
  const out = values.out ?? fail("--out FILE.csv is required");
  let redshift: number | undefined;
  if (values.redshift !== undefined) {
    redshift = Number(values.redshift);
    if (!(Number.isFinite(redshift) && redshift > 0)) {
      fail(`--redshift must be a number > 0, got "${values.redshift}"`);
    }
  }
  try {
    // Where the answer goes is checked before any work.
    await checkWritableFile(out);
    const backend = parseBackendName(values.backend);
    await setupBackend(backend === "auto" ? "wasm" : backend, { quiet: true });
    let bar: ProgressBar | undefined;
    let progressBase = 0; // images of the ensemble members already done
    const options = {
      images,
      redshift,
      onProgress: (done: number, total: number) => {
        bar ??= new ProgressBar({ label: "predict", total: total * runs.length, unit: "img" });
        bar.update(done + progressBase);
        if (done === total) progressBase += total;
      },
    };
    const rows = runs.length > 1
      ? await predictEnsemble(runs, options)
      : await predictMasses(runs[0], options);
    bar?.done();
    await writeFileAtomic(
      out,
      formatCsv(
        rows.map((r) => ({
          image: r.image,
          m200_msun: r.m200Msun.toPrecision(6),
          m200_p16_msun: r.p16Msun.toPrecision(6),
          m200_p84_msun: r.p84Msun.toPrecision(6),
          m200_p2_5_msun: r.p2_5Msun.toPrecision(6),
          m200_p97_5_msun: r.p97_5Msun.toPrecision(6),
          input_check: r.inputCheck,
          mass_range: r.massRange,
        })),
        [...PREDICT_COLUMNS],
      ),
    );
    console.log(`predict: ${rows.length} image(s) -> ${out}`);
  } catch (e) {
    console.error(`predict: ${e instanceof Error ? e.message : e}`);
    Deno.exit(1);
  }
}
