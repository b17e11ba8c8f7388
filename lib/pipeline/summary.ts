/**
 * The closing summary of a reproduction: where everything is, how long each
 * step took, and Table 2 beside the paper's.
 *
 * @module
 */
import { join } from "node:path";
import { formatTable2Markdown, type Table2Row } from "../evaluate/mod.ts";
import { formatDuration } from "../io/mod.ts";
import type { GalleryIndex } from "../figures/mod.ts";
import type { NetworkKind } from "../types/mod.ts";
import type { ReproduceResult } from "./reproduce.ts";

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + " ".repeat(width - text.length);
}

/** The step table: name, status, time (this run, or the last run's for skipped steps), reason. */
export function formatStepTable(result: ReproduceResult): string {
  const rows = result.steps.map((s) => {
    const time = s.status === "skipped"
      ? (s.lastSeconds === null ? "-" : `(${formatDuration(s.lastSeconds)} last run)`)
      : s.status === "ran" || s.status === "failed"
      ? formatDuration(s.seconds)
      : "-";
    return [s.name, s.status, time, s.reason];
  });
  const head = ["step", "status", "time", "why"];
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (r: string[]) =>
    r.map((x, c) => (c === r.length - 1 ? x : pad(x, widths[c]))).join("  ");
  return [line(head), ...rows.map(line)].join("\n");
}

/** Where the outputs of a reproduction are. */
export function formatPaths(result: ReproduceResult): string {
  const p = result.paths;
  return [
    `dataset        ${p.data}`,
    `trained models ${join(p.runs, "<star|fxs|fxb|ypar|multi>")}`,
    `Table 2        ${join(p.runs, "table2.md")} (${join(p.runs, "table2.json")})`,
    `interpretation ${p.interpret}`,
    `figures        ${p.figures} (gallery: ${join(p.figures, "gallery.json")})`,
  ].join("\n");
}

/**
 * Table 2 of a finished run beside the paper's, as Markdown: the evaluate
 * step's `table2.md` when present, else built from its `table2.json`; `null`
 * when neither exists.
 */
export async function readTable2Comparison(runsDir: string): Promise<string | null> {
  try {
    return await Deno.readTextFile(join(runsDir, "table2.md"));
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(await Deno.readTextFile(join(runsDir, "table2.json")));
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
  const rows = (parsed as { table2?: unknown }).table2 ?? parsed;
  return formatTable2Markdown(rows as Partial<Record<NetworkKind, Table2Row>>);
}

/**
 * The figures of a run's gallery (`gallery.json` of the figures step): the
 * ids written and the ones skipped with their reasons; `null` before the
 * figures step ran.
 */
export async function readGallerySummary(figuresDir: string): Promise<string | null> {
  let index: GalleryIndex;
  try {
    index = JSON.parse(await Deno.readTextFile(join(figuresDir, "gallery.json")));
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
  const lines = [`figures written: ${index.figures.map((f) => f.id).join(", ") || "none"}`];
  for (const s of index.skipped ?? []) lines.push(`figure skipped: ${s.id}: ${s.reason}`);
  lines.push(`gallery page: ${join(figuresDir, "index.html")}`);
  return lines.join("\n");
}
