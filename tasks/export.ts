/**
 * `deno task export --data DIR --out DIR [--tracer T] [--ra DEG --dec DEG]`:
 * every image of a dataset as FITS with a celestial WCS. See lib/fits.
 *
 * @module
 */
import { exportDatasetFits } from "../lib/fits/mod.ts";
import { claimOutputFolder, type OutputFolder } from "../lib/io/mod.ts";
import { TRACERS } from "../lib/types/mod.ts";
import { parseTaskArgs } from "./_cli.ts";

const USAGE = `Usage: deno task export --data DIR --out DIR [--tracer T] [--ra DEG] [--dec DEG]

  --data DIR     dataset directory (from \`deno task simulate\` or \`deno task import\`)
  --out DIR      where to write image_NNNNNN_<tracer>.fits (created)
  --tracer T     one of ${TRACERS.join(", ")} (default: all four)
  --ra DEG       right ascension of the field centres (default 180; mock images have none)
  --dec DEG      declination of the field centres (default 0)
  --quiet        no progress bar
  -h, --help     this text`;

if (import.meta.main) {
  const { values, fail } = parseTaskArgs("export", USAGE, {
    data: { type: "string" },
    out: { type: "string" },
    tracer: { type: "string" },
    ra: { type: "string" },
    dec: { type: "string" },
    quiet: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  });
  const data = values.data ?? fail("--data DIR is required");
  const out = values.out ?? fail("--out DIR is required");
  const angle = (name: string, text: string | undefined, lo: number, hi: number) => {
    if (text === undefined) return undefined;
    const v = Number(text);
    if (!(Number.isFinite(v) && v >= lo && v <= hi)) {
      fail(`--${name} must be a number of degrees in [${lo}, ${hi}], got "${text}"`);
    }
    return v;
  };
  const raDeg = angle("ra", values.ra, 0, 360);
  const decDeg = angle("dec", values.dec, -90, 90);
  let folder: OutputFolder | undefined;
  try {
    if (!(await Deno.stat(data).then((i) => i.isDirectory, () => false))) {
      throw new Error(`--data ${data} is not a folder; give a dataset folder`);
    }
    folder = await claimOutputFolder(out, "export");
    const files = await exportDatasetFits(data, {
      out,
      tracers: values.tracer ? [values.tracer] : undefined,
      raDeg,
      decDeg,
      silent: values.quiet,
    });
    folder.release();
    console.log(`export: wrote ${files.length} FITS files to ${out}`);
  } catch (e) {
    await folder?.abandon();
    console.error(`export: ${e instanceof Error ? e.message : e}`);
    Deno.exit(1);
  }
}
