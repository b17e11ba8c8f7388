/**
 * Reading HDF5 files (Gadget-format snapshots and group catalogues) through
 * `h5wasm`, the HDF5 C library compiled to WebAssembly. Its Node build reads
 * the file system directly (Emscripten's NODERAWFS), so a 10 GB file is never
 * loaded into memory: {@linkcode Hdf5Dataset.readRows} reads one hyperslab of
 * rows at a time.
 *
 * Every missing group, dataset or attribute throws a TypeError that names
 * the file and the path, so that a user with a differently laid out file
 * knows exactly which field the reader wanted.
 *
 * @module
 */
import h5wasm from "h5wasm/node";

/** Typed arrays h5wasm returns for numeric datasets. */
export type NumericArray =
  | Float32Array
  | Float64Array
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array;

type H5File = InstanceType<typeof h5wasm.File>;
type H5Dataset = InstanceType<typeof h5wasm.Dataset>;

let readyPromise: Promise<unknown> | null = null;

/** One numeric dataset of an open file. */
export class Hdf5Dataset {
  /** The file the dataset lives in (for messages). */
  readonly file: string;
  /** Path of the dataset inside the file, e.g. `PartType0/Coordinates`. */
  readonly path: string;
  /** Shape; `[]` for a scalar. */
  readonly shape: number[];
  #ds: H5Dataset;

  /** @internal Use {@linkcode Hdf5File.dataset}. */
  constructor(file: string, path: string, ds: H5Dataset) {
    this.file = file;
    this.path = path;
    this.#ds = ds;
    this.shape = ds.shape ?? [];
  }

  /** Rows (the first dimension). */
  get rows(): number {
    return this.shape.length === 0 ? 1 : this.shape[0];
  }

  /** Values per row (product of the other dimensions). */
  get width(): number {
    return this.shape.slice(1).reduce((a, b) => a * b, 1);
  }

  /** Whether the dataset has attribute `name`. */
  hasAttr(name: string): boolean {
    return name in this.#ds.attrs;
  }

  /** A numeric attribute of the dataset; throws naming it when absent or not a number. */
  numberAttr(name: string): number {
    const a = this.#ds.attrs[name];
    if (a === undefined) {
      throw new TypeError(
        `Cannot read ${this.file}: dataset "${this.path}" has no attribute "${name}"`,
      );
    }
    return toNumber(a.value, `${this.file}: attribute "${name}" of "${this.path}"`);
  }

  /**
   * Rows `[start, end)` as float64, row-major (`(end - start) * width`
   * values): one HDF5 hyperslab read.
   */
  readRows(start: number, end: number): Float64Array {
    if (!(Number.isInteger(start) && Number.isInteger(end) && 0 <= start && start <= end)) {
      throw new RangeError(`Cannot read ${this.path}: bad row range [${start}, ${end})`);
    }
    if (end > this.rows) {
      throw new RangeError(
        `Cannot read ${this.file}: "${this.path}" has ${this.rows} rows, asked for rows up to ${end}`,
      );
    }
    if (end === start) return new Float64Array(0);
    const ranges = [[start, end], ...this.shape.slice(1).map(() => [] as [])] as [number, number][];
    const v = this.shape.length === 0 ? this.#ds.value : this.#ds.slice(ranges);
    return toFloat64(v, `${this.file}: "${this.path}"`);
  }

  /** The whole dataset as float64 (for small ones: group catalogues, headers). */
  readAll(): Float64Array {
    return this.readRows(0, this.rows);
  }
}

/** An HDF5 file opened read-only. Close it with {@linkcode Hdf5File.close}. */
export class Hdf5File {
  /** Path of the file. */
  readonly path: string;
  #f: H5File;

  private constructor(path: string, f: H5File) {
    this.path = path;
    this.#f = f;
  }

  /**
   * Open `path` read-only. Throws a TypeError naming the file when it is
   * missing or not HDF5.
   */
  static async open(path: string): Promise<Hdf5File> {
    let info: Deno.FileInfo;
    try {
      info = await Deno.stat(path);
    } catch {
      throw new TypeError(`Cannot open HDF5 file ${path}: it does not exist`);
    }
    if (!info.isFile) throw new TypeError(`Cannot open HDF5 file ${path}: not a file`);
    const head = new Uint8Array(8);
    const fh = await Deno.open(path, { read: true });
    try {
      await fh.read(head);
    } finally {
      fh.close();
    }
    const magic = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];
    if (!magic.every((b, i) => head[i] === b)) {
      throw new TypeError(
        `Cannot open ${path}: not an HDF5 file (no HDF5 signature at the start). ` +
          `Give a Gadget-format .hdf5 snapshot or group catalogue.`,
      );
    }
    readyPromise ??= h5wasm.ready;
    await readyPromise;
    let f: H5File;
    try {
      f = new h5wasm.File(path, "r");
    } catch (e) {
      throw new TypeError(`Cannot open HDF5 file ${path}: ${e instanceof Error ? e.message : e}`);
    }
    return new Hdf5File(path, f);
  }

  /** Whether a group or dataset exists at `path` (e.g. `PartType4`). */
  has(path: string): boolean {
    const parts = path.split("/").filter((p) => p.length > 0);
    let cur = "";
    for (const p of parts) {
      const parent = cur === "" ? this.#f : this.#f.get(cur);
      if (!parent || !("keys" in parent)) return false;
      if (!(parent as InstanceType<typeof h5wasm.Group>).keys().includes(p)) return false;
      cur = cur === "" ? p : `${cur}/${p}`;
    }
    return true;
  }

  /** The numeric dataset at `path`; throws a TypeError naming it (and `why`) when absent. */
  dataset(path: string, why = ""): Hdf5Dataset {
    const e = this.has(path) ? this.#f.get(path) : null;
    if (!e || !(e instanceof h5wasm.Dataset)) {
      throw new TypeError(
        `Cannot read ${this.path}: the HDF5 dataset "${path}" is missing${why ? ` (${why})` : ""}`,
      );
    }
    return new Hdf5Dataset(this.path, path, e);
  }

  /** Whether group (or dataset) `objPath` has attribute `name`. */
  hasAttr(objPath: string, name: string): boolean {
    const e = this.#object(objPath);
    return !!e && name in e.attrs;
  }

  /** A numeric (scalar or first element of an array) attribute of a group; throws naming it. */
  numberAttr(objPath: string, name: string): number {
    return toNumber(this.#attr(objPath, name), `${this.path}: attribute ${objPath}/${name}`);
  }

  /** A numeric array attribute (e.g. `Header/NumPart_ThisFile`) as float64. */
  arrayAttr(objPath: string, name: string): Float64Array {
    return toFloat64(this.#attr(objPath, name), `${this.path}: attribute ${objPath}/${name}`);
  }

  #object(objPath: string): { attrs: Record<string, { value: unknown }> } | null {
    const e = this.has(objPath) ? this.#f.get(objPath) : null;
    if (e instanceof h5wasm.Group || e instanceof h5wasm.Dataset) return e;
    return null;
  }

  #attr(objPath: string, name: string): unknown {
    const e = this.#object(objPath);
    if (!e) {
      throw new TypeError(`Cannot read ${this.path}: the HDF5 group "${objPath}" is missing`);
    }
    const a = e.attrs[name];
    if (a === undefined) {
      throw new TypeError(
        `Cannot read ${this.path}: the attribute "${name}" of "${objPath}" is missing`,
      );
    }
    return a.value;
  }

  /** Close the file (idempotent). */
  close(): void {
    try {
      this.#f.close();
    } catch {
      // already closed
    }
  }
}

function toNumber(v: unknown, what: string): number {
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "boolean") return v ? 1 : 0;
  if (ArrayBuffer.isView(v) && (v as NumericArray).length > 0) {
    return Number((v as NumericArray)[0]);
  }
  if (Array.isArray(v) && v.length > 0) return toNumber(v[0], what);
  throw new TypeError(`Cannot read ${what}: expected a number, got ${String(v)}`);
}

function toFloat64(v: unknown, what: string): Float64Array {
  if (v instanceof Float64Array) return v;
  if (typeof v === "number" || typeof v === "bigint") return Float64Array.of(Number(v));
  if (v instanceof BigInt64Array || v instanceof BigUint64Array) {
    return Float64Array.from(v as ArrayLike<bigint>, (x) => Number(x));
  }
  if (ArrayBuffer.isView(v)) return Float64Array.from(v as unknown as ArrayLike<number>);
  throw new TypeError(`Cannot read ${what}: not a numeric array (got ${typeof v})`);
}

/**
 * The files of a snapshot or group catalogue given its first file. A path
 * ending in `.0.hdf5` (e.g. `snap_099.0.hdf5`) is the first of a multi-file
 * set: its siblings `.1.hdf5`, `.2.hdf5`, ... are listed, as many as the
 * header's `NumFilesPerSnapshot` (or `NumFiles`) says, or else as many
 * consecutive ones as exist. Any other path is a single file. Throws a
 * TypeError naming the first missing sibling.
 */
export async function hdf5FileSet(path: string): Promise<string[]> {
  const m = /^(.*)\.0\.hdf5$/.exec(path);
  if (!m) {
    await Hdf5File.open(path).then((f) => f.close());
    return [path];
  }
  const stem = m[1];
  const first = await Hdf5File.open(path);
  let declared: number | null = null;
  try {
    for (const key of ["NumFilesPerSnapshot", "NumFiles"]) {
      if (first.hasAttr("Header", key)) {
        declared = first.numberAttr("Header", key);
        break;
      }
    }
  } finally {
    first.close();
  }
  const files = [path];
  for (let i = 1; declared === null || i < declared; i++) {
    const p = `${stem}.${i}.hdf5`;
    const exists = await Deno.stat(p).then(() => true, () => false);
    if (!exists) {
      if (declared === null) break;
      throw new TypeError(
        `Cannot read the file set of ${path}: its header says ${declared} files, but ${p} is missing`,
      );
    }
    files.push(p);
  }
  return files;
}
