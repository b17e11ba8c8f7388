/**
 * Worker of tests/fuzz_readers_test.ts: reads one fuzzed file per message
 * with the toolkit's reader and says how it went, so that the test can stop
 * a reader that hangs.
 */
import { parseCatalog } from "../lib/dataset/mod.ts";
import { celestialWcs, decodeFitsImage } from "../lib/fits/mod.ts";
import { decodeNpy } from "../lib/io/mod.ts";

export type Reader = "npy" | "fits" | "csv";
export interface Case {
  reader: Reader;
  bytes: Uint8Array;
  source: string;
}
export interface Outcome {
  ok: boolean;
  /** Error name and message when it failed. */
  name?: string;
  message?: string;
  /** Whether the result that was read is consistent (shape and data agree). */
  consistent?: boolean;
}

function read(c: Case): boolean {
  if (c.reader === "npy") {
    const a = decodeNpy(c.bytes, c.source);
    return a.shape.reduce((x, y) => x * y, 1) === a.data.length;
  }
  if (c.reader === "fits") {
    const img = decodeFitsImage(c.bytes, c.source);
    celestialWcs(img.header, c.source);
    return img.data.length === img.width * img.height;
  }
  const rows = parseCatalog(new TextDecoder().decode(c.bytes), c.source);
  return rows.every((r, i) => r.image === i);
}

self.postMessage("ready");

self.onmessage = (e: MessageEvent<Case>) => {
  let out: Outcome;
  try {
    out = { ok: true, consistent: read(e.data) };
  } catch (err) {
    const x = err as Error;
    out = { ok: false, name: x?.name, message: String(x?.message ?? x) };
  }
  self.postMessage(out);
};
