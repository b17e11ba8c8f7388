/**
 * `deno task merge --out DIR SHARD_DIR...`: join the shard directories
 * written by `deno task simulate ... --shard i/N` into one dataset,
 * byte-identical to the unsharded `simulate` with the same settings and seed.
 * See lib/dataset/merge.ts.
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
import { mergeShards } from "../lib/dataset/mod.ts";

const USAGE = `Usage: deno task merge --out DIR SHARD_DIR...

  --out DIR     the dataset directory to write (created; files replaced atomically)
  SHARD_DIR...  every shard directory of one plan (simulate --shard 0/N ... N-1/N), any order`;

export async function main(args: string[]): Promise<number> {
  let values, positionals;
  try {
    ({ values, positionals } = parseArgs({
      args,
      options: { out: { type: "string" }, help: { type: "boolean", short: "h" } },
      strict: true,
      allowPositionals: true,
    }));
  } catch (e) {
    console.error(`merge: ${e instanceof Error ? e.message : e}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (!values.out) {
    console.error(`merge: missing --out DIR: say where to write the dataset\n\n${USAGE}`);
    return 2;
  }
  if (positionals.length === 0) {
    console.error(`merge: no shard directories given\n\n${USAGE}`);
    return 2;
  }
  const out = values.out;
  let folder: OutputFolder | undefined;
  try {
    // The shards are checked first; then the dataset folder is claimed like every
    // writer's (locked, leftovers of killed runs removed), and removed on failure
    // when this run made it.
    const r = await mergeShards({
      out,
      shards: positionals,
      beforeWrite: async () => {
        folder = await claimOutputFolder(out, "merge");
      },
    });
    folder?.release();
    console.log(
      `Merged ${r.shards} shards: ${r.images} images of ${r.clusters} clusters in ${r.out} (${
        formatDuration(r.seconds)
      })`,
    );
    return 0;
  } catch (e) {
    await folder?.abandon();
    console.error(`merge: ${e instanceof Error ? e.message : e}`);
    return 1;
  }
}

if (import.meta.main) {
  // Stop when whoever started this task (deno task, reproduce) is killed outright.
  stopWithParent();
  Deno.exit(await main(Deno.args));
}
