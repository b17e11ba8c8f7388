/**
 * NumPy `.npy` files (format version 1.0), so that Python users read the
 * toolkit's images with `numpy.load`. Only little-endian float32 and float64
 * C-ordered arrays are written and read.
 *
 * Format: https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html
 *
 * @module
 */

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"

/** An n-dimensional array read from or written to a `.npy` file. */
export interface NpyArray {
  /** Shape, outermost first (C order). */
  shape: number[];
  /** Values in C order. */
  data: Float32Array | Float64Array;
}

/** Encode an array as the bytes of a `.npy` file. */
export function encodeNpy(array: NpyArray): Uint8Array {
  const { shape, data } = array;
  const n = shape.reduce((a, b) => a * b, 1);
  if (n !== data.length) {
    throw new RangeError(
      `Cannot encode npy: shape [${shape}] holds ${n} values but data has ${data.length}`,
    );
  }
  const descr = data instanceof Float32Array ? "<f4" : "<f8";
  const shapeStr = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeStr}, }`;
  const preamble = 10; // magic(6) + version(2) + header length(2)
  const total = preamble + header.length + 1;
  header += " ".repeat((64 - (total % 64)) % 64) + "\n";
  const out = new Uint8Array(preamble + header.length + data.byteLength);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[preamble + i] = header.charCodeAt(i);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), preamble + header.length);
  return out;
}

/**
 * Decode the bytes of a `.npy` file. Throws a `TypeError` that names `source`
 * when the bytes are not a float32/float64 little-endian C-ordered array.
 */
export function decodeNpy(bytes: Uint8Array, source = "npy data"): NpyArray {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new TypeError(`Cannot read ${source}: not a NumPy .npy file (bad magic bytes)`);
  }
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  if (start + headerLen > bytes.length) {
    throw new TypeError(`Cannot read ${source}: truncated header`);
  }
  const header = new TextDecoder().decode(bytes.subarray(start, start + headerLen));
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeMatch = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || !fortran || shapeMatch === undefined) {
    throw new TypeError(`Cannot read ${source}: malformed header ${JSON.stringify(header)}`);
  }
  if (fortran === "True") throw new TypeError(`Cannot read ${source}: Fortran order unsupported`);
  if (descr !== "<f4" && descr !== "<f8") {
    throw new TypeError(
      `Cannot read ${source}: dtype ${JSON.stringify(descr)} unsupported (need <f4 or <f8)`,
    );
  }
  const shape = shapeMatch.split(",").map((s) => s.trim()).filter((s) => s.length > 0).map(
    Number,
  );
  if (shape.some((d) => !(Number.isSafeInteger(d) && d >= 0))) {
    throw new TypeError(
      `Cannot read ${source}: shape ${
        JSON.stringify(`(${shapeMatch})`)
      } must list integers >= 0 (malformed header)`,
    );
  }
  const n = shape.reduce((a, b) => a * b, 1);
  const itemSize = descr === "<f4" ? 4 : 8;
  const offset = start + headerLen;
  if (bytes.length - offset !== n * itemSize) {
    throw new TypeError(
      `Cannot read ${source}: shape [${shape}] needs ${n * itemSize} data bytes, file has ${
        bytes.length - offset
      } (truncated or corrupt)`,
    );
  }
  const copy = bytes.slice(offset);
  const data = itemSize === 4 ? new Float32Array(copy.buffer) : new Float64Array(copy.buffer);
  return { shape, data };
}

/** Read a `.npy` file; errors name the path. */
export async function readNpy(path: string): Promise<NpyArray> {
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new Error(`Cannot read ${path}: file not found`);
    }
    throw e;
  }
  return decodeNpy(bytes, path);
}
