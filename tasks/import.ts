/**
 * `deno task import --snapshot PATH --groups PATH --format tng|eagle --out DIR
 * [--min-m200 MSUN] [--clusters N] [--seed S] [--noise paper|planck|none] [--no-los]`
 *
 * Builds a dataset directory (the format `deno task simulate` writes) from a
 * Gadget-format HDF5 snapshot and group catalogue. See lib/import.
 *
 * @module
 */
import { claimOutputFolder, formatDuration, type OutputFolder } from "../lib/io/mod.ts";
import { importSnapshot } from "../lib/import/mod.ts";
import { parseTaskArgs } from "./_cli.ts";

const USAGE =
  `Usage: deno task import --snapshot PATH --groups PATH --format tng|eagle --out DIR [options]

  --snapshot PATH   snapshot .hdf5, or the first file of a multi-file one (snap_099.0.hdf5)
  --groups PATH     group catalogue .hdf5, or its first file (fof_subhalo_tab_099.0.hdf5)
  --format F        tng (IllustrisTNG / Gadget-4 layout) or eagle (EAGLE / BAHAMAS layout)
  --out DIR         dataset directory to write (files replaced atomically)
  --min-m200 MSUN   smallest group M200c imported [Msun] (default 1e13)
  --clusters N      import N groups spread evenly in mass (default: all above the cut)
  --seed S          seed of redshifts, rotations, noise and the train/val/test split (default 1)
  --noise N         paper (Table 1), planck (Planck-like tSZ) or none (default paper)
  --no-los          only particles within 3 r200 (no structure 50 Mpc in front and behind)
  --chunk-rows N    rows per HDF5 hyperslab read (default 1048576)
  --per-pass N      groups held in memory per pass over the snapshot (default 64)
  --drop-nonfinite  leave out groups and particles with NaN or infinite values (counted in
                    the log and manifest.json) instead of refusing the import
  --quiet           no progress bar
  -h, --help        this text`;

if (import.meta.main) {
  const { values, fail, int } = parseTaskArgs("import", USAGE, {
    snapshot: { type: "string" },
    groups: { type: "string" },
    format: { type: "string" },
    out: { type: "string" },
    "min-m200": { type: "string" },
    clusters: { type: "string" },
    seed: { type: "string" },
    noise: { type: "string" },
    "no-los": { type: "boolean", default: false },
    "chunk-rows": { type: "string" },
    "per-pass": { type: "string" },
    "drop-nonfinite": { type: "boolean", default: false },
    quiet: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  });
  const snapshot = values.snapshot ?? fail("--snapshot PATH is required");
  const groups = values.groups ?? fail("--groups PATH is required");
  const format = values.format ?? fail("--format tng|eagle is required");
  const out = values.out ?? fail("--out DIR is required");
  let minM200Msun: number | undefined;
  if (values["min-m200"] !== undefined) {
    minM200Msun = Number(values["min-m200"]);
    if (!(Number.isFinite(minM200Msun) && minM200Msun >= 0)) {
      fail(`--min-m200 must be a mass in Msun >= 0 (e.g. 1e13), got "${values["min-m200"]}"`);
    }
  }
  // Every argument is checked before the output folder is made.
  const options = {
    snapshot,
    groups,
    format,
    out,
    minM200Msun,
    clusters: int("clusters", values.clusters),
    seed: int("seed", values.seed, 0),
    noise: values.noise,
    los: !values["no-los"],
    chunkRows: int("chunk-rows", values["chunk-rows"]),
    clustersPerPass: int("per-pass", values["per-pass"]),
    dropNonFinite: values["drop-nonfinite"],
    silent: values.quiet,
  };
  let folder: OutputFolder | undefined;
  try {
    for (const [flag, path] of [["--snapshot", snapshot], ["--groups", groups]]) {
      if (!(await Deno.stat(path).then((i) => i.isFile, () => false))) {
        throw new Error(`${flag} ${path} is not a file; give the path of an HDF5 file`);
      }
    }
    folder = await claimOutputFolder(out, "import");
    const r = await importSnapshot(options);
    folder.release();
    console.log(
      `Wrote ${r.images} images of ${r.clusters} groups to ${r.out} in ${
        formatDuration(r.seconds)
      }`,
    );
  } catch (e) {
    await folder?.abandon();
    console.error(`import: ${e instanceof Error ? e.message : e}`);
    Deno.exit(1);
  }
}
