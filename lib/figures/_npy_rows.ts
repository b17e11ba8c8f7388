/**
 * Read selected outer-index rows of a large `.npy` file without loading the
 * whole file (Fig. 2 needs 4 of several thousand 120 x 120 images).
 *
 * @module
 */

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];

async function readExactly(file: Deno.FsFile, buf: Uint8Array, what: string): Promise<void> {
  let got = 0;
  while (got < buf.length) {
    const n = await file.read(buf.subarray(got));
    if (n === null) throw new TypeError(`Cannot read ${what}: file ends early (truncated?)`);
    got += n;
  }
}

/** Rows `indices` (along the first axis) of a little-endian float32/float64 C-ordered `.npy`. */
export async function readNpyRows(
  path: string,
  indices: readonly number[],
): Promise<{ shape: number[]; rows: (Float32Array | Float64Array)[] }> {
  const file = await Deno.open(path, { read: true });
  try {
    const pre = new Uint8Array(12);
    await readExactly(file, pre, path);
    if (MAGIC.some((b, i) => pre[i] !== b)) {
      throw new TypeError(`Cannot read ${path}: not a NumPy .npy file (bad magic bytes)`);
    }
    const view = new DataView(pre.buffer);
    const major = pre[6];
    const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
    const start = major === 1 ? 10 : 12;
    const header = new Uint8Array(headerLen);
    await file.seek(start, Deno.SeekMode.Start);
    await readExactly(file, header, path);
    const text = new TextDecoder().decode(header);
    const descr = /'descr':\s*'([^']+)'/.exec(text)?.[1];
    const fortran = /'fortran_order':\s*(True|False)/.exec(text)?.[1];
    const shapeText = /'shape':\s*\(([^)]*)\)/.exec(text)?.[1];
    if ((descr !== "<f4" && descr !== "<f8") || fortran !== "False" || shapeText === undefined) {
      throw new TypeError(
        `Cannot read ${path}: need a little-endian float32/float64 C-ordered array, header ${
          JSON.stringify(text)
        }`,
      );
    }
    const shape = shapeText.split(",").map((s) => s.trim()).filter((s) => s !== "").map(Number);
    const itemSize = descr === "<f4" ? 4 : 8;
    const rowValues = shape.slice(1).reduce((a, b) => a * b, 1);
    const rows = [];
    for (const i of indices) {
      if (!Number.isInteger(i) || i < 0 || i >= shape[0]) {
        throw new RangeError(`Cannot read row ${i} of ${path}: it has ${shape[0]} rows`);
      }
      const bytes = new Uint8Array(rowValues * itemSize);
      await file.seek(start + headerLen + i * rowValues * itemSize, Deno.SeekMode.Start);
      await readExactly(file, bytes, path);
      rows.push(itemSize === 4 ? new Float32Array(bytes.buffer) : new Float64Array(bytes.buffer));
    }
    return { shape, rows };
  } finally {
    file.close();
  }
}
