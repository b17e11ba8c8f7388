/**
 * A terminal progress bar for long work: fraction done, rate, time left, and a
 * free-text status. Writes to stderr; on a non-terminal it prints a line at
 * most every few seconds so logs stay short.
 *
 * @module
 */

/** Options for {@linkcode ProgressBar}. */
export interface ProgressOptions {
  /** Label shown before the bar. */
  label: string;
  /** Total units of work (e.g. clusters, batches). */
  total: number;
  /** Name of a unit for the rate, e.g. "img". Default "it". */
  unit?: string;
  /** Suppress all output (tests, notebooks). Default false. */
  silent?: boolean;
}

/** A progress bar; call {@linkcode ProgressBar.update} and then {@linkcode ProgressBar.done}. */
export class ProgressBar {
  #opts: Required<ProgressOptions>;
  #start = performance.now();
  #lastPrint = 0;
  #tty: boolean;
  #enc = new TextEncoder();

  constructor(options: ProgressOptions) {
    this.#opts = { unit: "it", silent: false, ...options };
    this.#tty = Deno.stderr.isTerminal();
  }

  /** Report `done` units finished, with an optional status text. */
  update(done: number, status = ""): void {
    if (this.#opts.silent) return;
    const now = performance.now();
    const final = done >= this.#opts.total;
    if (!final && now - this.#lastPrint < (this.#tty ? 100 : 5000)) return;
    this.#lastPrint = now;
    const { total, label, unit } = this.#opts;
    const frac = total > 0 ? Math.min(1, done / total) : 1;
    const elapsed = (now - this.#start) / 1000;
    const rate = elapsed > 0 ? done / elapsed : 0;
    const left = rate > 0 ? (total - done) / rate : NaN;
    const width = 24;
    const filled = Math.round(frac * width);
    const bar = "#".repeat(filled) + "-".repeat(width - filled);
    const line = `${label} [${bar}] ${done}/${total} ${(100 * frac).toFixed(0)}% ` +
      `${rate.toFixed(1)} ${unit}/s ${formatDuration(elapsed)} elapsed, ` +
      `${Number.isFinite(left) ? formatDuration(left) : "?"} left ${status}`;
    const out = this.#tty ? `\r\x1b[2K${line}` : `${line}\n`;
    Deno.stderr.writeSync(this.#enc.encode(out));
  }

  /** Finish the bar with a newline on a terminal. */
  done(status = ""): void {
    this.update(this.#opts.total, status);
    if (!this.#opts.silent && this.#tty) Deno.stderr.writeSync(this.#enc.encode("\n"));
  }
}

/** Seconds as "1h02m", "3m05s" or "12.3s". */
export function formatDuration(seconds: number): string {
  if (seconds >= 3600) {
    const h = Math.floor(seconds / 3600);
    return `${h}h${String(Math.floor((seconds % 3600) / 60)).padStart(2, "0")}m`;
  }
  if (seconds >= 60) {
    return `${Math.floor(seconds / 60)}m${String(Math.floor(seconds % 60)).padStart(2, "0")}s`;
  }
  return `${seconds.toFixed(1)}s`;
}
