/**
 * Stream a float32 `.npy` file whose shape is known up front, so
 * that images go to disk cluster by cluster instead of being held in memory
 * (the paper-sized dataset is ~1.8 GB). The header is byte-identical to
 * `encodeNpy` in lib/io.
 *
 * @module
 */

/** The header bytes (magic, version 1.0, padded dict) of a little-endian float32 C-order array. */
export function npyHeaderF32(shape: number[]): Uint8Array {
  const shapeStr = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': ${shapeStr}, }`;
  const preamble = 10;
  const total = preamble + header.length + 1;
  header += " ".repeat((64 - (total % 64)) % 64) + "\n";
  const out = new Uint8Array(preamble + header.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59], 0);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[preamble + i] = header.charCodeAt(i);
  return out;
}

async function writeAll(file: Deno.FsFile, bytes: Uint8Array): Promise<void> {
  let off = 0;
  while (off < bytes.length) off += await file.write(bytes.subarray(off));
}

/** A float32 .npy being written to a temporary path. */
export class NpyStreamWriter {
  readonly path: string;
  #file: Deno.FsFile;
  #expected: number;
  #written = 0;

  private constructor(path: string, file: Deno.FsFile, expected: number) {
    this.path = path;
    this.#file = file;
    this.#expected = expected;
  }

  /** Create (truncate) `path` and write the header of an array of `shape`. */
  static async create(path: string, shape: number[]): Promise<NpyStreamWriter> {
    const file = await Deno.open(path, { write: true, create: true, truncate: true });
    const w = new NpyStreamWriter(path, file, shape.reduce((a, b) => a * b, 1));
    await writeAll(file, npyHeaderF32(shape));
    return w;
  }

  /** Append values (C order). */
  async append(values: Float32Array): Promise<void> {
    await writeAll(this.#file, new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
    this.#written += values.length;
  }

  /** Flush and close; throws if fewer or more values than the shape holds were written. */
  async close(): Promise<void> {
    await this.#file.syncData().catch(() => {});
    this.#file.close();
    if (this.#written !== this.#expected) {
      throw new RangeError(
        `Cannot finish ${this.path}: wrote ${this.#written} values, shape holds ${this.#expected}`,
      );
    }
  }

  /** Close without checks (error path). */
  abort(): void {
    try {
      this.#file.close();
    } catch {
      // already closed
    }
  }
}
