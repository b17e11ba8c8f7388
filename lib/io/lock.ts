/**
 * One writer per output folder: `lockFolder(dir)` creates `dir/.lock`
 * (exclusively, so of two processes started together exactly one gets it)
 * holding the writer's pid, host, task and start time. A second writer stops
 * at once with a message that names the holder. A lock left by a process
 * that is no longer running (killed with SIGKILL, a crashed machine) is taken
 * over with a message; a lock held on another host is never taken over,
 * since this process cannot tell whether its holder still runs.
 *
 * @module
 */
import { join } from "node:path";

/** File name of the lock inside the locked folder. */
export const LOCK_FILE = ".lock";

/** Who holds a folder's lock (the content of `.lock`, JSON). */
export interface LockHolder {
  /** Process id of the writer. */
  pid: number;
  /** Host name of the writer's machine. */
  host: string;
  /** Task that writes (e.g. `simulate`). */
  task: string;
  /** ISO time the lock was taken. */
  startedAt: string;
}

/** A held lock; `release()` removes it (also done when the process exits). */
export interface FolderLock {
  /** Path of the lock file. */
  path: string;
  /** This process's entry. */
  holder: LockHolder;
  /** The holder whose stale lock was taken over, or null. */
  tookOver: LockHolder | null;
  /** Remove the lock file if it is still this process's. Idempotent. */
  release(): void;
}

/** Thrown when another running process holds the folder. */
export class FolderLockedError extends Error {
  constructor(message: string, readonly holder: LockHolder | null) {
    super(message);
    this.name = "FolderLockedError";
  }
}

/** Whether process `pid` on this machine is running. */
export function processAlive(pid: number): boolean {
  if (!(Number.isInteger(pid) && pid > 0)) return false;
  try {
    Deno.kill(pid, 0 as unknown as Deno.Signal);
    return true;
  } catch (e) {
    // EPERM: it runs, as another user.
    return !(e instanceof Deno.errors.NotFound);
  }
}

/** "simulate (pid 123 on vm, started 2026-12-04T21:00:00Z)". */
export function describeHolder(h: LockHolder): string {
  return `${h.task} (pid ${h.pid} on ${h.host}, started ${h.startedAt})`;
}

function readHolder(path: string): LockHolder | null {
  try {
    const h = JSON.parse(Deno.readTextFileSync(path));
    return typeof h?.pid === "number" && typeof h?.host === "string" ? h as LockHolder : null;
  } catch {
    return null;
  }
}

function sameHolder(a: LockHolder | null, b: LockHolder | null): boolean {
  return a !== null && b !== null && a.pid === b.pid && a.host === b.host &&
    a.startedAt === b.startedAt;
}

/**
 * Throw a {@linkcode FolderLockedError} naming the holder when a running
 * process holds `dir`'s lock; create nothing. For a task that reads its
 * inputs before it claims its folder: a second writer still stops at once.
 */
export function assertNotLocked(dir: string): void {
  const path = join(dir, LOCK_FILE);
  const other = readHolder(path);
  if (other && (other.host !== Deno.hostname() || processAlive(other.pid))) {
    throw new FolderLockedError(
      `Cannot write to ${dir}: ${describeHolder(other)} is writing there. ` +
        `Wait for it to finish or stop it${
          other.host === Deno.hostname() ? ` (kill ${other.pid})` : ""
        }; remove ${path} only if that process is gone`,
      other,
    );
  }
}

/**
 * Lock `dir` (which must exist) for `task`. Throws a
 * {@linkcode FolderLockedError} naming the holder when another running
 * process writes there; takes over the lock of a dead process on this host,
 * calling `log` with what it did.
 */
export function lockFolder(
  dir: string,
  task: string,
  options: { log?: (line: string) => void } = {},
): FolderLock {
  const path = join(dir, LOCK_FILE);
  const host = Deno.hostname();
  const holder: LockHolder = { pid: Deno.pid, host, task, startedAt: new Date().toISOString() };
  const text = JSON.stringify(holder) + "\n";
  let tookOver: LockHolder | null = null;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const f = Deno.openSync(path, { write: true, createNew: true });
      try {
        f.writeSync(new TextEncoder().encode(text));
      } finally {
        f.close();
      }
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        globalThis.removeEventListener("unload", release);
        if (sameHolder(readHolder(path), holder)) {
          try {
            Deno.removeSync(path);
          } catch {
            // already gone
          }
        }
      };
      globalThis.addEventListener("unload", release);
      return { path, holder, tookOver, release };
    } catch (e) {
      if (!(e instanceof Deno.errors.AlreadyExists)) throw e;
    }
    const other = readHolder(path);
    if (other === null) {
      // Being written this instant, or not a lock of ours: look again shortly.
      const t = Date.now() + 50;
      while (Date.now() < t) { /* brief wait */ }
      if (readHolder(path) === null && attempt === 2) {
        throw new FolderLockedError(
          `Cannot write to ${dir}: ${path} exists but names no writer; ` +
            `remove it if no task is writing there`,
          null,
        );
      }
      continue;
    }
    if (other.host !== host || processAlive(other.pid)) {
      throw new FolderLockedError(
        `Cannot write to ${dir}: ${describeHolder(other)} is writing there. ` +
          `Wait for it to finish or stop it${other.host === host ? ` (kill ${other.pid})` : ""}` +
          `; remove ${path} only if that process is gone`,
        other,
      );
    }
    // A dead holder on this host: take its lock over,
    // unless someone else did so in between.
    if (sameHolder(readHolder(path), other)) {
      try {
        Deno.removeSync(path);
      } catch {
        // taken over by another process in between: try again
      }
      tookOver = other;
      options.log?.(
        `${task}: took over the lock of ${dir} from ${describeHolder(other)}, ` +
          `which is no longer running`,
      );
    }
  }
  throw new FolderLockedError(`Cannot write to ${dir}: could not take ${path}`, readHolder(path));
}
