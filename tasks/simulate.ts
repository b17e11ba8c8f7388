/**
 * `deno task simulate --profile smoke|quick|paper --out DIR [--clusters N]
 * [--seed S] [--no-los] [--noise paper|planck|none] [--workers W] [--shard i/N]`
 *
 * Writes the mock dataset (catalog.csv, images_*.npy, galaxies.csv,
 * manifest.json) into DIR, or with `--shard i/N` the i-th of N blocks of its
 * clusters for `deno task merge`. See lib/dataset/simulate.ts and shard.ts.
 *
 * @module
 */
import { parseArgs } from "node:util";
import {
  claimOutputFolder,
  formatDuration,
  type OutputFolder,
  stopWithParent,
} from "../lib/io/mod.ts";
import {
  parseShard,
  resolveSimulateOptions,
  simulateDataset,
  type SimulateOptions,
} from "../lib/dataset/mod.ts";
import { codeHash } from "../lib/pipeline/files.ts";
import { parseNoiseScale } from "../lib/types/mod.ts";

const USAGE = `Usage: deno task simulate --out DIR [--profile smoke|quick|paper] [--clusters N]
                          [--seed S] [--no-los] [--noise paper|planck|none] [--workers W]
                          [--star-noise X] [--noise-scale T=F,...] [--shard i/N] [--quiet]

  --out DIR        output directory (created; files replaced atomically)
  --profile P      smoke (60 clusters), quick or paper (full catalogue, ~2000). Default smoke.
  --clusters N     number of clusters, spread over the mass range (default: the profile's)
  --seed S         integer seed (default: the profile's)
  --no-los         no line-of-sight structure (the paper's ablation)
  --noise N        paper (Table 1), planck (Planck-like tSZ), none. Default paper.
  --workers W      worker threads (default 2; 0 = main thread)
  --star-noise X   star noise rms per pixel [Msun/Mpc^2] (Table 1: 2.14e11)
  --noise-scale L  factors on tracers' noise rms, e.g. fxs=0,fxb=0 (X-ray noiseless, beams
                   kept; the noise ablation of one tracer's Table 2 row)
  --shard i/N      write only shard i (0..N-1) of N of the clusters into --out; join the N
                   shard directories with \`deno task merge --out DIR SHARD_DIR...\`
  --quiet          no progress bar`;

function parseInteger(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!/^[-+]?\d+$/.test(v.trim()) || !Number.isSafeInteger(n)) {
    throw new RangeError(`Invalid --${name}: expected an integer, got "${v}"`);
  }
  return n;
}

export async function main(args: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        out: { type: "string" },
        profile: { type: "string" },
        clusters: { type: "string" },
        seed: { type: "string" },
        "no-los": { type: "boolean" },
        noise: { type: "string" },
        workers: { type: "string" },
        "star-noise": { type: "string" },
        "noise-scale": { type: "string" },
        shard: { type: "string" },
        quiet: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    console.error(`${e instanceof Error ? e.message : e}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  let folder: OutputFolder | undefined;
  try {
    if (!values.out) throw new TypeError("Missing --out DIR: say where to write the dataset");
    const opts: SimulateOptions = {
      out: values.out,
      profile: values.profile, // default: lib/profiles DEFAULT_SIMULATE_PROFILE
      clusters: parseInteger("clusters", values.clusters),
      seed: parseInteger("seed", values.seed),
      noise: values.noise,
      workers: parseInteger("workers", values.workers),
      silent: values.quiet ?? false,
    };
    if (values["star-noise"] !== undefined) {
      const v = Number(values["star-noise"]);
      if (!(Number.isFinite(v) && v >= 0)) {
        throw new RangeError(
          `Invalid --star-noise: expected a number >= 0 (Msun/Mpc^2), got "${
            values["star-noise"]
          }"`,
        );
      }
      opts.starNoiseMsun = v;
    }
    if (values["noise-scale"] !== undefined) {
      opts.noiseScale = parseNoiseScale(values["noise-scale"]);
    }
    if (values["no-los"]) opts.los = false;
    if (values.shard !== undefined) {
      const shard = parseShard(values.shard);
      // Shards made by different code must not be merged: record the code's hash.
      const code = await codeHash(new URL("./simulate.ts", import.meta.url).pathname);
      opts.shard = { ...shard, code };
    }
    // Options checked, then the folder (the dataset's, or this shard's) claimed:
    // locked, leftovers of killed runs removed.
    resolveSimulateOptions(opts);
    folder = await claimOutputFolder(opts.out, opts.shard ? "simulate --shard" : "simulate");
    const r = await simulateDataset(opts);
    folder.release();
    console.log(
      `Wrote ${r.images} images of ${r.clusters} clusters${
        opts.shard ? ` (shard ${values.shard})` : ""
      } to ${r.out} in ${formatDuration(r.seconds)}`,
    );
    return 0;
  } catch (e) {
    await folder?.abandon();
    console.error(`simulate: ${e instanceof Error ? e.message : e}`);
    return 1;
  }
}

if (import.meta.main) {
  // Stop when whoever started this task (deno task, reproduce) is killed outright.
  stopWithParent();
  Deno.exit(await main(Deno.args));
}
