/**
 * The file-system side of the up-to-date checks: observing input files,
 * hashing their content and the code a task runs, and reading and writing
 * stamps (atomically, under `<outDir>/.stamps/<step>.json`).
 *
 * @module
 */
import { createHash } from "node:crypto";
import { dirname, join, relative } from "node:path";
import { fileURLToPath as fromFileUrl } from "node:url";
import { writeJsonAtomic } from "../io/mod.ts";
import type { FileFingerprint, FileObservation, Stamp } from "./stamp.ts";
import { LAYOUT } from "./steps.ts";

/** SHA-256 (hex) of a file's content, read in chunks. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash("sha256");
  using file = await Deno.open(path, { read: true });
  const buffer = new Uint8Array(1 << 20);
  while (true) {
    const n = await file.read(buffer);
    if (n === null) break;
    hash.update(buffer.subarray(0, n));
  }
  return hash.digest("hex");
}

/** Size and modification time of `paths` (relative to `outDir`); missing files give nulls. */
export async function observeFiles(
  outDir: string,
  paths: readonly string[],
): Promise<FileObservation[]> {
  return await Promise.all(paths.map(async (path) => {
    try {
      const info = await Deno.stat(join(outDir, path));
      return { path, size: info.size, mtimeMs: info.mtime?.getTime() ?? 0 };
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return { path, size: null, mtimeMs: null };
      throw e;
    }
  }));
}

/** Which of `paths` (relative to `outDir`) do not exist. */
export async function missingFiles(outDir: string, paths: readonly string[]): Promise<string[]> {
  const seen = await observeFiles(outDir, paths);
  return seen.filter((f) => f.size === null).map((f) => f.path);
}

/**
 * Full fingerprints (size, time, SHA-256) of `paths` relative to `outDir`.
 * A missing file throws an Error naming it and the step that needs it.
 */
export async function fingerprintFiles(
  outDir: string,
  paths: readonly string[],
): Promise<FileFingerprint[]> {
  const out: FileFingerprint[] = [];
  for (const path of paths) {
    const full = join(outDir, path);
    let info: Deno.FileInfo;
    try {
      info = await Deno.stat(full);
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) {
        throw new Error(`Cannot fingerprint input ${full}: the file does not exist`);
      }
      throw e;
    }
    out.push({
      path,
      size: info.size,
      mtimeMs: info.mtime?.getTime() ?? 0,
      sha256: await sha256File(full),
    });
  }
  return out;
}

/** The path of a step's stamp. */
export function stampPath(outDir: string, step: string): string {
  return join(outDir, LAYOUT.stamps, `${step}.json`);
}

/** A step's stamp, or `null` when there is none or it cannot be read as JSON. */
export async function readStamp(outDir: string, step: string): Promise<Stamp | null> {
  try {
    return JSON.parse(await Deno.readTextFile(stampPath(outDir, step))) as Stamp;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound || e instanceof SyntaxError) return null;
    throw e;
  }
}

/** Write a step's stamp atomically. */
export async function writeStamp(outDir: string, stamp: Stamp): Promise<void> {
  const path = stampPath(outDir, stamp.step);
  await Deno.mkdir(dirname(path), { recursive: true });
  await writeJsonAtomic(path, stamp);
}

/** Remove a step's stamp (before it re-runs, so a killed run is not taken as finished). */
export async function removeStamp(outDir: string, step: string): Promise<void> {
  await Deno.remove(stampPath(outDir, step)).catch((e) => {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  });
}

/** Options of {@linkcode codeHash}. */
export interface CodeHashOptions {
  /** Repository root: only local modules under it are hashed. Default: two levels above this file. */
  root?: string;
  /** The Deno binary to run `deno info` with. Default `Deno.execPath()`. */
  deno?: string;
}

/**
 * A hash of the code a task runs: the content of every local module in
 * `entry`'s static import graph (from `deno info --json`), plus every other
 * `.ts` file in the same `lib/<stage>/` folders (workers and dynamic imports
 * do not show in the static graph), plus the npm specifiers with their
 * versions. Test files (`*_test.ts`) are left out.
 */
export async function codeHash(entry: string, options: CodeHashOptions = {}): Promise<string> {
  const root = options.root ?? fromFileUrl(new URL("../../", import.meta.url));
  const out = await new Deno.Command(options.deno ?? Deno.execPath(), {
    args: ["info", "--json", entry],
    cwd: root,
    stdout: "piped",
    stderr: "piped",
    env: { DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" },
  }).output();
  if (!out.success) {
    throw new Error(
      `Cannot hash the code of ${entry}: deno info failed: ${new TextDecoder().decode(out.stderr)}`,
    );
  }
  const graph = JSON.parse(new TextDecoder().decode(out.stdout)) as {
    modules: { specifier: string; local?: string; kind?: string; error?: string }[];
  };
  const files = new Set<string>();
  const external = new Set<string>();
  const folders = new Set<string>();
  for (const m of graph.modules) {
    if (m.specifier.startsWith("file:")) {
      const path = fromFileUrl(m.specifier);
      const rel = relative(root, path);
      if (rel.startsWith("..")) continue;
      files.add(path);
      const parts = rel.split(/[\\/]/);
      if (parts[0] === "lib" && parts.length >= 3) folders.add(join(root, parts[0], parts[1]));
    } else if (!m.specifier.startsWith("node:")) {
      external.add(m.specifier);
    }
  }
  for (const folder of folders) {
    for await (const e of Deno.readDir(folder)) {
      if (e.isFile && e.name.endsWith(".ts") && !e.name.endsWith("_test.ts")) {
        files.add(join(folder, e.name));
      }
    }
  }
  const hash = createHash("sha256");
  for (const path of [...files].filter((f) => !f.endsWith("_test.ts")).sort()) {
    hash.update(`${relative(root, path)}\0`);
    hash.update(await Deno.readFile(path));
    hash.update("\0");
  }
  for (const spec of [...external].sort()) hash.update(`${spec}\0`);
  return hash.digest("hex");
}
