/**
 * Stop with the parent: a task started by `deno task` or by `reproduce`
 * runs as a child process of another Deno process. Both pass SIGINT and
 * SIGTERM on, but a parent killed outright (SIGKILL, an out-of-memory kill)
 * cannot, and its child would run on, writing into a folder the user thinks
 * is free. `stopWithParent()` watches such a parent's process id and, when
 * the parent is gone (the child is re-parented), sends this process SIGTERM,
 * so it stops exactly as if the parent had passed the signal on.
 *
 * Only a Deno parent is watched: a task started from a shell, `nohup`,
 * `setsid` or a batch script that exits on purpose keeps running.
 *
 * @module
 */

let watching: ReturnType<typeof setInterval> | null = null;

/** Whether process `pid` is a Deno executable (Linux /proc; elsewhere: started by `deno task`). */
function isDenoProcess(pid: number): boolean {
  try {
    const argv0 = Deno.readTextFileSync(`/proc/${pid}/cmdline`).split("\0")[0];
    return /(^|\/)deno(\.exe)?$/.test(argv0);
  } catch {
    return Deno.env.get("INIT_CWD") !== undefined; // `deno task` sets it
  }
}

/**
 * Watch a Deno parent (every `intervalMs`, default 500) and stop this
 * process with SIGTERM when it exits. Idempotent; the timer does not keep
 * the process alive.
 */
export function stopWithParent(options: { intervalMs?: number } = {}): void {
  if (watching !== null || Deno.build.os === "windows") return;
  const parent = Deno.ppid;
  if (parent <= 1 || !isDenoProcess(parent)) return;
  const timer = setInterval(() => {
    if (Deno.ppid !== parent) {
      clearInterval(timer);
      console.error(`stopping: the parent process (pid ${parent}) is gone`);
      Deno.kill(Deno.pid, "SIGTERM");
    }
  }, options.intervalMs ?? 500);
  watching = timer;
  Deno.unrefTimer(timer);
}
