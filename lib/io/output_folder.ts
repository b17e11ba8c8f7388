/**
 * Output folders that clean up after themselves. A task checks its inputs,
 * then `claimOutputFolder(dir)`: that checks the folder can be written
 * (before any work), creates it if needed, locks it (lib/io/lock.ts: one
 * writer per folder) and removes the temporary files that killed runs left
 * there (`*.partial-<pid>`, `*.<pid>.<n>.tmp` of processes no longer running).
 * On success the task calls `release()`; on failure `abandon()`, which
 * removes the folder when this run created it (everything in it is then this
 * run's) and otherwise only the lock, so a failed task leaves nothing it made
 * and touches nothing it did not.
 *
 * @module
 */
import { dirname, join, resolve } from "node:path";
import { type FolderLock, lockFolder, processAlive } from "./lock.ts";

/** A claimed output folder. */
export interface OutputFolder {
  /** The folder. */
  dir: string;
  /** The topmost folder this process created (`dir` or an ancestor), or null when it existed. */
  created: string | null;
  /** The folder's lock. */
  lock: FolderLock;
  /** Stale temporary files removed when claiming. */
  removedStale: StaleFile[];
  /** Keep what was written; drop the lock. */
  release(): void;
  /** After a failure: remove what this process created (the folder if it made it); drop the lock. */
  abandon(): Promise<void>;
}

function why(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

async function statOrNull(path: string): Promise<Deno.FileInfo | null> {
  try {
    return await Deno.stat(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
}

async function probeWrite(dir: string, flag: string, subject: string): Promise<void> {
  const probe = join(dir, `.write-probe-${Deno.pid}`);
  try {
    await Deno.writeTextFile(probe, "");
    await Deno.remove(probe);
  } catch (e) {
    throw new Error(
      `Cannot write ${subject}: ${dir} is not writable (${why(e)}). ` +
        `Choose a folder you can write to with ${flag}`,
    );
  }
}

/** The nearest existing ancestor of `path` (itself included). */
async function existingAncestor(path: string): Promise<{ dir: string; info: Deno.FileInfo }> {
  let p = resolve(path);
  for (;;) {
    const info = await statOrNull(p).catch(() => null);
    if (info) return { dir: p, info };
    const up = dirname(p);
    if (up === p) throw new Error(`Cannot find any existing folder above ${path}`);
    p = up;
  }
}

/**
 * Check, without creating anything, that folder `dir` exists and is writable
 * or can be created. `flag` names the option in messages (default `--out`).
 */
export async function checkWritableFolder(dir: string, flag = "--out"): Promise<void> {
  const { dir: at, info } = await existingAncestor(dir);
  if (!info.isDirectory) {
    throw new Error(
      `Cannot write to ${dir}: ${at} is a file, not a folder. Give a folder with ${flag}`,
    );
  }
  await probeWrite(at, flag, `to ${dir}`);
}

/**
 * Check, before any work, that the file `path` can be written: not a
 * folder, and its folder exists and is writable. `flag` names the option.
 */
export async function checkWritableFile(path: string, flag = "--out"): Promise<void> {
  const info = await statOrNull(path).catch(() => null);
  if (info?.isDirectory) {
    throw new Error(
      `Cannot write ${path}: it is a folder. Give a file name with ${flag}, e.g. ${
        join(path, "predictions.csv")
      }`,
    );
  }
  const parent = dirname(resolve(path));
  const p = await statOrNull(parent).catch(() => null);
  if (p === null || !p.isDirectory) {
    throw new Error(
      `Cannot write ${path}: its folder ${parent} does not exist. ` +
        `Create it or give another path with ${flag}`,
    );
  }
  await probeWrite(parent, flag, path);
}

const STALE_PATTERNS = [/\.partial-(\d+)$/, /\.(\d+)\.\d+\.tmp$/];

/** A temporary file removed by {@linkcode removeStalePartials}. */
export interface StaleFile {
  path: string;
  bytes: number;
}

/**
 * Remove the temporary files in `dir` that processes no longer running left
 * (`<name>.partial-<pid>` of simulate and import, `<name>.<pid>.<n>.tmp` of
 * atomic writes). Returns the removed files and their sizes.
 */
export async function removeStalePartials(dir: string): Promise<StaleFile[]> {
  const removed: StaleFile[] = [];
  let entries: Deno.DirEntry[];
  try {
    entries = await Array.fromAsync(Deno.readDir(dir));
  } catch {
    return removed;
  }
  for (const e of entries) {
    if (!e.isFile) continue;
    for (const re of STALE_PATTERNS) {
      const m = re.exec(e.name);
      if (!m) continue;
      const pid = Number(m[1]);
      if (pid !== Deno.pid && !processAlive(pid)) {
        const path = join(dir, e.name);
        const size = (await Deno.stat(path).catch(() => null))?.size ?? 0;
        await Deno.remove(path).then(() => removed.push({ path, bytes: size }), () => {});
      }
      break;
    }
  }
  return removed;
}

/**
 * Claim `dir` for `task`: check it can be written, create it if missing,
 * lock it and clear stale temporary files of killed runs (each reported
 * through `log`, default stderr). Call after the inputs are checked.
 */
export async function claimOutputFolder(
  dir: string,
  task: string,
  options: { log?: (line: string) => void; flag?: string } = {},
): Promise<OutputFolder> {
  const log = options.log ?? ((line: string) => console.error(line));
  await checkWritableFolder(dir, options.flag);
  const abs = resolve(dir);
  const { dir: existing } = await existingAncestor(abs);
  let created: string | null = null;
  if (existing !== abs) {
    // The first missing folder below the existing ancestor is the one we create.
    let top = abs;
    while (dirname(top) !== existing) top = dirname(top);
    await Deno.mkdir(abs, { recursive: true });
    created = top;
  }
  let lock: FolderLock;
  try {
    lock = lockFolder(dir, task, { log });
  } catch (e) {
    if (created) await Deno.remove(created, { recursive: true }).catch(() => {});
    throw e;
  }
  const removedStale = await removeStalePartials(dir);
  if (removedStale.length > 0) {
    const mb = removedStale.reduce((a, f) => a + f.bytes, 0) / 1e6;
    log(
      `${task}: removed ${removedStale.length} temporary file(s) (${
        mb.toFixed(1)
      } MB) that killed runs left in ${dir}: ` +
        removedStale.map((f) => f.path.slice(f.path.lastIndexOf("/") + 1)).join(", "),
    );
  }
  return {
    dir,
    created,
    lock,
    removedStale,
    release: () => lock.release(),
    abandon: async () => {
      if (created) await Deno.remove(created, { recursive: true }).catch(() => {});
      lock.release();
    },
  };
}
