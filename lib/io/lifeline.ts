/**
 * Stop with the parent: a task started by `deno task` or by `reproduce`
 * runs as a child process. Both pass SIGINT and SIGTERM on, but a parent
 * killed outright (SIGKILL, a closed session, an out-of-memory kill) cannot,
 * and its child would run on, writing into a folder the user thinks is free.
 * `stopWithParent()` watches the parent process id and, when the parent is
 * gone (the child is re-parented), sends this process SIGTERM, so it stops
 * exactly as if the parent had passed the signal on.
 *
 * @module
 */

let watching: ReturnType<typeof setInterval> | null = null;

/**
 * Watch the parent (every `intervalMs`, default 500) and stop this process
 * with SIGTERM when it exits. Idempotent; the timer does not keep the process alive.
 */
export function stopWithParent(options: { intervalMs?: number } = {}): void {
  if (watching !== null || Deno.build.os === "windows") return;
  const parent = Deno.ppid;
  if (parent <= 1) return; // started by init or a container's entry point: nothing to watch
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
