/**
 * The gradient-exchange cost of data-parallel training, without compute
 * (tasks/_bench_exchange_worker.ts echoes): per step the main thread copies
 * the weights for each worker and transfers them, each worker answers with a
 * gradient vector (transferred), and the main thread adds the gradients, as
 * lib/train's ParallelEngine does: `fresh` allocates new arrays every step
 * (`params.slice()`, a new gradient array: lib/train before it recycled its
 * buffers), `recycled` sends the same buffers back and forth (lib/train now). Transfers are zero-copy; on this toolkit's Linux VM the
 * cost of fresh arrays is first-touch page faults (~4 ms per MB). Inside each
 * worker the weights go into the tfjs heap and the gradients come out of it,
 * timed with `data()` (fresh arrays) and with lib/backend's
 * `readFloat32Into` (no allocation).
 *
 * Standalone: `deno run -A tasks/_bench_exchange.ts`.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { readFloat32Into, setupBackend } from "../lib/backend/mod.ts";
import { buildModel } from "../lib/model/mod.ts";
import type { NetworkKind } from "../lib/types/mod.ts";
import type { BenchResult } from "./_bench_result.ts";

/** Options of {@linkcode benchExchange}. */
export interface BenchExchangeOptions {
  /** Workers. Default 2. */
  workers?: number;
  /** Timed steps (after one untimed). Default 5. */
  steps?: number;
  /** Networks whose parameter vectors are exchanged. Default single-channel and multichannel. */
  networks?: NetworkKind[];
}

function request(w: Worker, params: Float32Array, fresh: boolean): Promise<Float32Array> {
  return new Promise((resolve) => {
    w.onmessage = (e: MessageEvent<{ grads: Float32Array }>) => resolve(e.data.grads);
    w.postMessage({ params, fresh }, [params.buffer]);
  });
}

/** Milliseconds of one exchange step with `workers` echo workers and `n` parameters. */
async function exchangeMs(
  workers: Worker[],
  n: number,
  options: { steps: number; fresh: boolean },
): Promise<number> {
  const { steps, fresh } = options;
  const params = new Float32Array(n).fill(0.5);
  let buffers: Float32Array[] = workers.map(() => new Float32Array(n));
  const sum = new Float32Array(n);
  const step = async () => {
    const replies = await Promise.all(workers.map((w, k) => {
      const p = fresh ? params.slice() : buffers[k];
      if (!fresh) p.set(params);
      return request(w, p, fresh);
    }));
    const out = fresh ? replies[0] : sum;
    if (!fresh) out.set(replies[0]);
    for (let k = 1; k < replies.length; k++) {
      const g = replies[k];
      for (let i = 0; i < n; i++) out[i] += g[i];
    }
    if (!fresh) buffers = replies;
    return out;
  };
  await step();
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) await step();
  return (performance.now() - t0) / steps;
}

/** Weights into a model's variables and gradients out, as a worker does per step, in ms. */
async function heapCopyMs(
  kind: NetworkKind,
  options: { steps: number; fresh: boolean },
): Promise<{ ms: number; n: number }> {
  const { steps, fresh } = options;
  await setupBackend("wasm", { quiet: true });
  const model = buildModel(kind, { seed: 0 });
  const vars = model.trainableWeights.map((w) => (w as unknown as { read(): tf.Variable }).read());
  const n = vars.reduce((a, v) => a + v.size, 0);
  const flat = new Float32Array(n).fill(0.25);
  const out = new Float32Array(n);
  const once = async () => {
    let off = 0;
    for (const v of vars) {
      const t = tf.tensor(flat.subarray(off, off + v.size), v.shape, "float32");
      v.assign(t);
      t.dispose();
      off += v.size;
    }
    off = 0;
    for (const v of vars) {
      if (fresh) out.set((await v.data()) as Float32Array, off);
      else await readFloat32Into(v, { out, offset: off });
      off += v.size;
    }
  };
  try {
    await once();
    const t0 = performance.now();
    for (let i = 0; i < steps; i++) await once();
    return { ms: (performance.now() - t0) / steps, n };
  } finally {
    model.dispose();
  }
}

/** Exchange cost per step for each network: messages and sums, and heap copies in a worker. */
export async function benchExchange(options: BenchExchangeOptions = {}): Promise<BenchResult[]> {
  const k = options.workers ?? 2;
  const steps = options.steps ?? 5;
  const networks = options.networks ?? ["ypar", "multi"];
  const workers = Array.from(
    { length: k },
    () =>
      new Worker(new URL("./_bench_exchange_worker.ts", import.meta.url).href, { type: "module" }),
  );
  const out: BenchResult[] = [];
  try {
    for (const kind of networks) {
      const name = kind === "multi" ? "multichannel" : "single-channel";
      const heapFresh = await heapCopyMs(kind, { steps, fresh: true });
      const heap = await heapCopyMs(kind, { steps, fresh: false });
      const fresh = await exchangeMs(workers, heap.n, { steps, fresh: true });
      const recycled = await exchangeMs(workers, heap.n, { steps, fresh: false });
      const m = (heap.n / 1e6).toFixed(2);
      out.push({
        label: `gradient exchange, ${name} CNN (${m} M weights), ${k} workers, recycled buffers`,
        value: recycled,
        unit: "ms/step",
        detail: `fresh arrays per step: ${fresh.toFixed(1)} ms`,
      });
      out.push({
        label: `weights into / gradients out of the tfjs heap, ${name} CNN, readFloat32Into`,
        value: heap.ms,
        unit: "ms/step",
        detail: `with data(), fresh arrays: ${heapFresh.ms.toFixed(1)} ms`,
      });
    }
  } finally {
    for (const w of workers) w.terminate();
  }
  return out;
}

if (import.meta.main) {
  for (const r of await benchExchange()) {
    console.log(
      `${r.label.padEnd(78)} ${r.value.toFixed(1).padStart(8)} ${r.unit}  ${r.detail ?? ""}`,
    );
  }
}
