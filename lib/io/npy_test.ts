import assert from "node:assert/strict";
import { decodeNpy, encodeNpy } from "./mod.ts";

// numpy 1.26 `numpy.save(f, numpy.array([[1.5, -2.0]], dtype="<f4"))` writes 136 bytes:
// a 10-byte preamble, a 118-byte header padded with spaces to end at byte 128, then data.
Deno.test("encodeNpy() writes the header numpy writes for a 1 x 2 float32 array", () => {
  const bytes = encodeNpy({ shape: [1, 2], data: new Float32Array([1.5, -2]) });
  const header = new TextDecoder().decode(bytes.subarray(10, 128));
  assert.equal(
    header,
    "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2), }".padEnd(117) + "\n",
  );
  assert.equal(bytes.length, 136);
  assert.deepEqual(Array.from(decodeNpy(bytes).data), [1.5, -2]);
});

Deno.test("decodeNpy() rejects truncated and non-npy bytes with the source named", () => {
  const bytes = encodeNpy({ shape: [3], data: new Float64Array([1, 2, 3]) });
  assert.throws(() => decodeNpy(bytes.subarray(0, bytes.length - 4), "x.npy"), /x\.npy.*truncated/);
  assert.throws(() => decodeNpy(new Uint8Array(20), "y.npy"), /y\.npy.*magic/);
});
