/**
 * A seeded, bounded fuzz test of the readers of what users hand the toolkit:
 * `.npy` (decodeNpy), FITS (decodeFitsImage + celestialWcs) and CSV
 * (parseCatalog over parseCsv). Each valid file is truncated, has bytes
 * flipped, header numbers replaced or garbage appended; every case must
 * either read consistently or fail with the toolkit's own one-line error
 * ("Cannot read <the file>: ..."), never another exception, and none may
 * take more than a few seconds (each case runs in a worker that is stopped
 * when it hangs).
 */
import assert from "node:assert/strict";
import { CATALOG_COLUMNS } from "../lib/dataset/mod.ts";
import { encodeFitsImage, imageCards } from "../lib/fits/mod.ts";
import { encodeNpy, formatCsv } from "../lib/io/mod.ts";
import { Rng } from "../lib/random/mod.ts";
import type { Case, Outcome, Reader } from "./_fuzz_readers_worker.ts";

const CASES_PER_READER = Number(Deno.env.get("FUZZ_CASES") ?? 400);
const CASE_TIMEOUT_MS = 5000;
const SEED = Number(Deno.env.get("FUZZ_SEED") ?? 20);

function npyFile(): Uint8Array {
  const data = new Float32Array(3 * 4 * 5).map((_, i) => i * 0.5 - 3);
  return encodeNpy({ shape: [3, 4, 5], data });
}

function fitsFile(): Uint8Array {
  const cards = imageCards({
    tracer: "ypar",
    npix: 16,
    pixelArcsec: 10,
    raDeg: 10,
    decDeg: -5,
    redshift: 0.05,
  });
  const data = new Float32Array(16 * 16).map((_, i) => Math.sin(i));
  return encodeFitsImage(data, { width: 16, height: 16, cards });
}

function csvFile(): Uint8Array {
  const rows = Array.from({ length: 8 }, (_, i) => ({
    image: i,
    cluster: i >> 2,
    projection: i % 4,
    redshift: 0.05,
    m200_msun: 1.5e14,
    r200_mpc: 1.1,
    r200_arcmin: 12.5,
    split: ["train", "val", "test"][i % 3],
  }));
  return new TextEncoder().encode(formatCsv(rows, [...CATALOG_COLUMNS]));
}

const NUMBERS = ["-1", "0", "1e12", "99999999999999", "nan", "1.5", "-0", "3e308", "", "("];

/** One mutation of `base`, chosen by `rng`. */
function mutate(base: Uint8Array, rng: Rng, headerBytes: number): Uint8Array {
  const kind = Math.floor(rng.random() * 5);
  if (kind === 0) return base.slice(0, Math.floor(rng.random() * base.length));
  if (kind === 1 || kind === 2) {
    const b = base.slice();
    const flips = 1 + Math.floor(rng.random() * 4);
    const span = kind === 1 ? headerBytes : b.length;
    for (let k = 0; k < flips; k++) {
      b[Math.floor(rng.random() * span)] = Math.floor(rng.random() * 256);
    }
    return b;
  }
  if (kind === 3) {
    // Replace a run of digits in the header by another number.
    const text = new TextDecoder("latin1").decode(base.subarray(0, headerBytes));
    const spans = [...text.matchAll(/\d+(\.\d+)?/g)];
    if (spans.length === 0) return base.slice();
    const m = spans[Math.floor(rng.random() * spans.length)];
    const repl = NUMBERS[Math.floor(rng.random() * NUMBERS.length)];
    const head = text.slice(0, m.index!) + repl + text.slice(m.index! + m[0].length);
    const fixed = head.length === text.length
      ? head
      : head.length < text.length
      ? head + " ".repeat(text.length - head.length)
      : head.slice(0, text.length);
    const b = base.slice();
    for (let i = 0; i < fixed.length; i++) b[i] = fixed.charCodeAt(i) & 0xff;
    return b;
  }
  const extra = new Uint8Array(1 + Math.floor(rng.random() * 64)).map(() =>
    Math.floor(rng.random() * 256)
  );
  const out = new Uint8Array(base.length + extra.length);
  out.set(base);
  out.set(extra, base.length);
  return out;
}

/** A fresh worker, once it has loaded (module loading is not timed: a loaded machine is slow). */
function startWorker(url: string): Promise<Worker> {
  const w = new Worker(url, { type: "module" });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the fuzz worker did not start")), 300_000);
    w.onmessage = () => {
      clearTimeout(timer);
      resolve(w);
    };
  });
}

function runCase(worker: Worker, c: Case): Promise<Outcome | "timeout"> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve("timeout"), CASE_TIMEOUT_MS);
    worker.onmessage = (e: MessageEvent<Outcome>) => {
      clearTimeout(timer);
      resolve(e.data);
    };
    worker.postMessage(c);
  });
}

Deno.test("fuzzed .npy, FITS and CSV files read correctly or fail with the toolkit's own error", async () => {
  const bases: Record<Reader, { bytes: Uint8Array; header: number }> = {
    npy: { bytes: npyFile(), header: 128 },
    fits: { bytes: fitsFile(), header: 2880 },
    csv: { bytes: csvFile(), header: 120 },
  };
  const url = new URL("./_fuzz_readers_worker.ts", import.meta.url).href;
  let worker = await startWorker(url);
  const failures: string[] = [];
  const counts: Record<string, number> = {};
  const t0 = performance.now();
  try {
    for (const reader of ["npy", "fits", "csv"] as Reader[]) {
      const rng = new Rng(SEED);
      for (let k = 0; k < CASES_PER_READER; k++) {
        const source = `fuzz_${reader}_${k}`;
        const bytes = k === 0
          ? bases[reader].bytes
          : mutate(bases[reader].bytes, rng, bases[reader].header);
        const r = await runCase(worker, { reader, bytes, source });
        if (r === "timeout") {
          failures.push(`${source}: no answer within ${CASE_TIMEOUT_MS} ms (hangs)`);
          worker.terminate();
          worker = await startWorker(url);
          continue;
        }
        const what = r.ok ? "read" : "refused";
        counts[`${reader} ${what}`] = (counts[`${reader} ${what}`] ?? 0) + 1;
        if (r.ok && !r.consistent) failures.push(`${source}: read, but shape and data disagree`);
        if (!r.ok) {
          const own = ["TypeError", "RangeError", "Error"].includes(r.name ?? "") &&
            /^Cannot /.test(r.message ?? "") && (r.message ?? "").includes(source) &&
            !(r.message ?? "").includes("\n");
          if (!own) failures.push(`${source}: ${r.name}: ${r.message}`);
        }
        if (k === 0) {
          assert.ok(r.ok, `the unmutated ${reader} file must read: ${r.ok || r.message}`);
        }
      }
    }
  } finally {
    worker.terminate();
  }
  const seconds = (performance.now() - t0) / 1000;
  console.log(`fuzz: ${JSON.stringify(counts)} in ${seconds.toFixed(1)} s`);
  assert.deepEqual(failures, [], failures.slice(0, 20).join("\n"));
  // Both outcomes occur for every reader, so the mutations do reach the checks.
  for (const r of ["npy", "fits", "csv"]) {
    assert.ok(counts[`${r} read`] > 0 && counts[`${r} refused`] > 0, JSON.stringify(counts));
  }
});
