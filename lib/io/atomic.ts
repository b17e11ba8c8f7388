/**
 * Atomic writes: data goes to a temporary file beside the target and is
 * renamed into place, so a killed run never leaves a half-written file under
 * the final name.
 *
 * @module
 */
import { dirname } from "node:path";
import { encodeNpy, type NpyArray } from "./npy.ts";

let counter = 0;

/** Write bytes to `path` atomically (temporary file, then rename). */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const tmp = `${path}.${Deno.pid}.${counter++}.tmp`;
  try {
    if (typeof data === "string") await Deno.writeTextFile(tmp, data);
    else await Deno.writeFile(tmp, data);
    await Deno.rename(tmp, path);
  } catch (e) {
    await Deno.remove(tmp).catch(() => {});
    throw e;
  }
}

/** Write a `.npy` file atomically. */
export async function writeNpyAtomic(path: string, array: NpyArray): Promise<void> {
  await writeFileAtomic(path, encodeNpy(array));
}

/** Write JSON (2-space indent, trailing newline) atomically. */
export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  await writeFileAtomic(path, JSON.stringify(value, null, 2) + "\n");
}

/**
 * Make sure `dir` exists and is writable; throws an Error that says what to
 * fix otherwise. Call before any expensive work.
 */
export async function ensureWritableDir(dir: string): Promise<void> {
  try {
    await Deno.mkdir(dir, { recursive: true });
    const probe = `${dir}/.write-probe-${Deno.pid}`;
    await Deno.writeTextFile(probe, "");
    await Deno.remove(probe);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new Error(
      `Cannot write to output directory ${dir} (parent ${dirname(dir)}): ${why}. ` +
        `Choose a directory you can write to with --out.`,
    );
  }
}
