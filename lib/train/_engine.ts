/**
 * Where gradients are computed: in this process on the active tfjs backend
 * (`LocalEngine`), or split over Deno workers that each run their own
 * single-threaded WASM backend (`ParallelEngine`). Both return the gradient
 * summed over the batch, so the caller's average equals single-process
 * training on the full batch. Private to lib/train.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { buildModel, type ModelOptions } from "../model/mod.ts";
import type { NetworkKind, Split } from "../types/mod.ts";
import { ModelRunner, type SplitArrays } from "./_runner.ts";
import type { WorkerReply, WorkerRequest } from "./_worker.ts";

/** Computes summed gradients and predictions for given weights. */
export interface Engine {
  readonly workers: number;
  /** Loss and gradient summed over the train images `idx`. */
  gradients(
    params: Float32Array,
    idx: Int32Array,
    seed: number,
  ): Promise<{ lossSum: number; grads: Float32Array }>;
  /** Network outputs for every image of a split. */
  predict(params: Float32Array, split: Split): Promise<Float32Array>;
  /** tf.memory().numTensors of each process holding a model. */
  numTensors(): Promise<number[]>;
  close(): Promise<void>;
}

/** Single process, on whatever tfjs backend is active. */
export class LocalEngine implements Engine {
  readonly workers = 1;
  readonly runner: ModelRunner;
  readonly #splits: Record<Split, SplitArrays>;

  constructor(runner: ModelRunner, splits: Record<Split, SplitArrays>) {
    this.runner = runner;
    this.#splits = splits;
  }

  gradients(params: Float32Array, idx: Int32Array, seed: number) {
    this.runner.setParams(params);
    return this.runner.gradSum(this.#splits.train, idx, seed);
  }

  predict(params: Float32Array, split: Split) {
    this.runner.setParams(params);
    return this.runner.predict(this.#splits[split], 0, this.#splits[split].n);
  }

  numTensors() {
    return Promise.resolve([tf.memory().numTensors]);
  }

  close() {
    return Promise.resolve();
  }
}

class WorkerHandle {
  readonly worker: Worker;
  #pending: { resolve: (r: WorkerReply) => void; reject: (e: Error) => void } | undefined;
  #failed: Error | undefined;

  constructor(index: number) {
    this.worker = new Worker(new URL("./_worker.ts", import.meta.url).href, {
      type: "module",
      name: `train-worker-${index}`,
    });
    this.worker.onmessage = (e: MessageEvent<WorkerReply>) => {
      const p = this.#pending;
      this.#pending = undefined;
      if (!p) return;
      if (e.data.type === "error") {
        p.reject(new Error(`Training worker ${index}: ${e.data.message}`));
      } else p.resolve(e.data);
    };
    this.worker.onerror = (e: ErrorEvent) => {
      e.preventDefault();
      this.#failed = new Error(`Training worker ${index} crashed: ${e.message}`);
      this.#pending?.reject(this.#failed);
      this.#pending = undefined;
    };
  }

  request(msg: WorkerRequest, transfer: Transferable[] = []): Promise<WorkerReply> {
    if (this.#failed) return Promise.reject(this.#failed);
    if (this.#pending) return Promise.reject(new Error("worker busy (internal error)"));
    return new Promise((resolve, reject) => {
      this.#pending = { resolve, reject };
      this.worker.postMessage(msg, transfer);
    });
  }
}

/**
 * Data parallel over `n` Deno workers, each with its own single-threaded WASM
 * backend; weights go out and gradients come back as transferred
 * Float32Arrays, images are shared (SharedArrayBuffer) and never copied.
 */
export class ParallelEngine implements Engine {
  readonly workers: number;
  readonly #handles: WorkerHandle[];
  readonly #sizes: Record<Split, number>;

  private constructor(handles: WorkerHandle[], sizes: Record<Split, number>) {
    this.#handles = handles;
    this.workers = handles.length;
    this.#sizes = sizes;
  }

  /** Start `n` workers and build the model in each. */
  static async start(
    n: number,
    kind: NetworkKind,
    modelOptions: ModelOptions,
    splits: Record<Split, SplitArrays>,
  ): Promise<ParallelEngine> {
    const handles = Array.from({ length: n }, (_, i) => new WorkerHandle(i));
    const engine = new ParallelEngine(handles, {
      train: splits.train.n,
      val: splits.val.n,
      test: splits.test.n,
    });
    try {
      await Promise.all(
        handles.map((h) => h.request({ type: "init", kind, modelOptions, splits })),
      );
    } catch (e) {
      await engine.close();
      throw e;
    }
    return engine;
  }

  async gradients(params: Float32Array, idx: Int32Array, seed: number) {
    const n = this.workers;
    const parts = Array.from({ length: n }, (_, k) => {
      const lo = Math.floor((k * idx.length) / n);
      const hi = Math.floor(((k + 1) * idx.length) / n);
      return idx.slice(lo, hi);
    });
    const replies = await Promise.all(parts.map((part, k) => {
      if (part.length === 0) return Promise.resolve(undefined);
      const p = params.slice();
      return this.#handles[k].request(
        { type: "grad", params: p, idx: part, seed: seed + 104729 * k },
        [p.buffer],
      );
    }));
    let lossSum = 0;
    let grads: Float32Array | undefined;
    for (const r of replies) {
      if (!r || r.type !== "grad") continue;
      lossSum += r.lossSum;
      if (!grads) grads = r.grads;
      else for (let i = 0; i < grads.length; i++) grads[i] += r.grads[i];
    }
    return { lossSum, grads: grads! };
  }

  async predict(params: Float32Array, split: Split) {
    const total = this.#sizes[split];
    const n = this.workers;
    const out = new Float32Array(total);
    await Promise.all(this.#handles.map(async (h, k) => {
      const start = Math.floor((k * total) / n);
      const end = Math.floor(((k + 1) * total) / n);
      if (end <= start) return;
      const p = params.slice();
      const r = await h.request({ type: "predict", params: p, split, start, end }, [p.buffer]);
      if (r.type === "predict") out.set(r.outputs, start);
    }));
    return out;
  }

  async numTensors() {
    const r = await Promise.all(this.#handles.map((h) => h.request({ type: "memory" })));
    return r.map((x) => (x.type === "memory" ? x.numTensors : -1));
  }

  close() {
    for (const h of this.#handles) h.worker.terminate();
    return Promise.resolve();
  }
}

/** Build a model runner in this process (for the local engine and for saving). */
export function localRunner(kind: NetworkKind, modelOptions: ModelOptions): ModelRunner {
  return new ModelRunner(buildModel(kind, modelOptions));
}
