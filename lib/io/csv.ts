/**
 * Minimal CSV for the toolkit's own tables (numbers and simple strings, no
 * quoted commas): `catalog.csv`, `galaxies.csv`, `history.csv`, `predictions.csv`.
 *
 * @module
 */

/** A table row: column name to value. */
export type Row = Record<string, string | number>;

/** Format rows as CSV with the given column order. */
export function formatCsv(rows: Row[], columns: string[]): string {
  const lines = [columns.join(",")];
  for (const r of rows) {
    lines.push(
      columns.map((c) => {
        const v = r[c];
        if (v === undefined) throw new RangeError(`Cannot format CSV: row lacks column ${c}`);
        const s = String(v);
        if (s.includes(",") || s.includes("\n")) {
          throw new RangeError(`Cannot format CSV: value ${JSON.stringify(s)} has a comma`);
        }
        return s;
      }).join(","),
    );
  }
  return lines.join("\n") + "\n";
}

/**
 * Parse CSV text into rows; fields that parse as finite numbers become numbers.
 * `source` names the file in errors.
 */
export function parseCsv(text: string, source = "CSV"): Row[] {
  const lines = text.split(/\r?\n/).filter((l) => l.length > 0);
  if (lines.length === 0) throw new TypeError(`Cannot read ${source}: empty file`);
  const cols = lines[0].split(",");
  return lines.slice(1).map((line, i) => {
    const f = line.split(",");
    if (f.length !== cols.length) {
      throw new TypeError(
        `Cannot read ${source}: line ${i + 2} has ${f.length} fields, header has ${cols.length}`,
      );
    }
    const row: Row = {};
    cols.forEach((c, j) => {
      const v = f[j];
      const num = Number(v);
      row[c] = v !== "" && Number.isFinite(num) ? num : v;
    });
    return row;
  });
}

/** Read and parse a CSV file; a missing file gives an error naming the path. */
export async function readCsv(path: string): Promise<Row[]> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) throw new Error(`Cannot read ${path}: file not found`);
    throw e;
  }
  return parseCsv(text, path);
}
