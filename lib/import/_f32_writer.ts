/**
 * Private: stream a little-endian float32 C-order `.npy` whose shape is known
 * up front (NumPy format 1.0: magic, version, header dict padded to 64 bytes).
 *
 * @module
 */

function header(shape: number[]): Uint8Array {
  const shapeStr = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
  let h = `{'descr': '<f4', 'fortran_order': False, 'shape': ${shapeStr}, }`;
  const total = 10 + h.length + 1;
  h += " ".repeat((64 - (total % 64)) % 64) + "\n";
  const out = new Uint8Array(10 + h.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0);
  new DataView(out.buffer).setUint16(8, h.length, true);
  for (let i = 0; i < h.length; i++) out[10 + i] = h.charCodeAt(i);
  return out;
}

/** A float32 `.npy` being written. */
export class F32StreamWriter {
  #file: Deno.FsFile;
  #expected: number;
  #written = 0;
  private constructor(readonly path: string, file: Deno.FsFile, expected: number) {
    this.#file = file;
    this.#expected = expected;
  }
  /** Create (truncate) `path` and write the header of an array of `shape`. */
  static async create(path: string, shape: number[]): Promise<F32StreamWriter> {
    const file = await Deno.open(path, { write: true, create: true, truncate: true });
    const w = new F32StreamWriter(path, file, shape.reduce((a, b) => a * b, 1));
    await w.#write(header(shape));
    return w;
  }
  async #write(bytes: Uint8Array): Promise<void> {
    let off = 0;
    while (off < bytes.length) off += await this.#file.write(bytes.subarray(off));
  }
  /** Append values (C order). */
  async append(values: Float32Array): Promise<void> {
    await this.#write(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
    this.#written += values.length;
  }
  /** Close; throws when the values written do not fill the shape. */
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
      // closed already
    }
  }
}
