/**
 * Training checkpoints: one file, `checkpoint.bin`, written atomically after
 * every epoch, holding everything needed to resume (weights, optimizer state,
 * epoch, best-so-far weights and loss, history, and the settings that must
 * match on resume). The shuffling order and dropout seeds are functions of the
 * seed and the epoch, so no generator state needs saving. Private to lib/train.
 *
 * Layout: 8 magic bytes `YANCKPT1`, a little-endian uint32 byte length L, L
 * bytes of UTF-8 JSON, zero padding to a multiple of 4, then float32 arrays:
 * params, RMSprop mean squares, best params (each nParams long).
 *
 * @module
 */
import { writeFileAtomic } from "../io/mod.ts";

const MAGIC = "YANCKPT1";

/** The JSON part of a checkpoint. */
export interface CheckpointMeta {
  version: 1;
  /** Last epoch completed (1-based). */
  epochsCompleted: number;
  /** RMSprop updates applied so far. */
  iterations: number;
  bestEpoch: number;
  bestValLoss: number;
  nParams: number;
  /** Settings that must be equal to resume. */
  fingerprint: Record<string, unknown>;
  /** Rows of history.csv so far. */
  history: Record<string, number>[];
  /** The input scaling (re-used on resume). */
  scaling: unknown;
  /**
   * The learning-rate schedule resolved to update counts (schedule.ts), kept
   * so that a resumed run follows the same curve. Absent in checkpoints made
   * before schedules existed (no schedule).
   */
  lrSchedule?: unknown;
}

/** A checkpoint in memory. */
export interface Checkpoint {
  meta: CheckpointMeta;
  params: Float32Array;
  meanSquare: Float32Array;
  bestParams: Float32Array;
}

/** Serialise and write a checkpoint atomically. */
export async function writeCheckpoint(path: string, ck: Checkpoint): Promise<void> {
  const json = new TextEncoder().encode(JSON.stringify(ck.meta));
  const head = 8 + 4 + json.length;
  const pad = (4 - (head % 4)) % 4;
  const n = ck.meta.nParams;
  for (
    const [name, a] of [["params", ck.params], ["meanSquare", ck.meanSquare], [
      "best",
      ck.bestParams,
    ]] as const
  ) {
    if (a.length !== n) {
      throw new RangeError(`Cannot write checkpoint: ${name} has ${a.length} values, need ${n}`);
    }
  }
  const bytes = new Uint8Array(head + pad + 3 * n * 4);
  bytes.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(bytes.buffer).setUint32(8, json.length, true);
  bytes.set(json, 12);
  const f = new Float32Array(bytes.buffer, head + pad, 3 * n);
  f.set(ck.params, 0);
  f.set(ck.meanSquare, n);
  f.set(ck.bestParams, 2 * n);
  await writeFileAtomic(path, bytes);
}

/** Read a checkpoint; `null` when the file does not exist. */
export async function readCheckpoint(path: string): Promise<Checkpoint | null> {
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
  const bad = (why: string) =>
    new TypeError(`Cannot resume from ${path}: ${why}. Delete it to start training afresh.`);
  if (bytes.length < 12 || new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC) {
    throw bad("not a checkpoint file");
  }
  const len = new DataView(bytes.buffer, bytes.byteOffset).getUint32(8, true);
  if (12 + len > bytes.length) throw bad("truncated header");
  const meta = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + len))) as CheckpointMeta;
  const head = 12 + len;
  const pad = (4 - (head % 4)) % 4;
  const n = meta.nParams;
  if (bytes.length !== head + pad + 12 * n) throw bad("wrong size (truncated or corrupt)");
  const f = new Float32Array(bytes.slice(head + pad).buffer);
  return {
    meta,
    params: f.slice(0, n),
    meanSquare: f.slice(n, 2 * n),
    bestParams: f.slice(2 * n, 3 * n),
  };
}
