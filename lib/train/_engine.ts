/**
 * Where gradients are computed: in this process on the active tfjs backend
 * (`LocalEngine`), or split over Deno workers that each run their own
 * single-threaded WASM backend (`ParallelEngine`). Both return the gradient
 * summed over the batch. The batch is cut into a fixed number of shards whose
 * gradients are added in a fixed pairwise tree (_runner.ts), and dropout
 * masks are drawn per image, so on WASM the result is the same to the bit
 * for 1, 2 or any number of workers (LocalEngine on WASM included).
 * Private to lib/train.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { buildModel, type ModelOptions } from "../model/mod.ts";
import type { NetworkKind, Split } from "../types/mod.ts";
import {
  dyadicCover,
  ModelRunner,
  nodeKey,
  shardRange,
  type SplitArrays,
  type TreeNode,
  treeRoot,
} from "./_runner.ts";
import type { WorkerReply, WorkerRequest } from "./_worker.ts";
import type { KerasRmsprop } from "./rmsprop.ts";

/** Throws a RangeError unless `n` is a power of two from 1 to 1024. */
export function checkShardCount(n: number): number {
  if (!Number.isInteger(n) || n < 1 || n > 1024 || (n & (n - 1)) !== 0) {
    throw new RangeError(
      `Cannot train: gradientShards must be a power of two from 1 to 1024, got ${n}`,
    );
  }
  return n;
}

/** The image lists of the `shardCount` shards of batch `idx`. */
function cutShards(idx: Int32Array, shardCount: number): Int32Array[] {
  return Array.from({ length: shardCount }, (_, j) => {
    const [a, b] = shardRange(j, shardCount, idx.length);
    return idx.slice(a, b);
  });
}

/** Computes summed gradients and predictions for given weights. */
export interface Engine {
  readonly workers: number;
  /** Shards per batch (power of two); fixes the order of the gradient sums. */
  readonly shardCount: number;
  /**
   * Loss and gradient summed over the train images `idx`; `augment` turns
   * each image by a random symmetry of the square drawn from `seed` and the
   * image's index (_runner.ts).
   */
  gradients(
    params: Float32Array,
    idx: Int32Array,
    seed: number,
    augment?: boolean,
  ): Promise<{ lossSum: number; grads: Float32Array }>;
  /**
   * One training step: the gradient averaged over the train images `idx`,
   * then one update of `opt` applied to `params` in place; the summed loss.
   */
  step(
    params: Float32Array,
    opt: KerasRmsprop,
    idx: Int32Array,
    seed: number,
    augment?: boolean,
  ): Promise<number>;
  /**
   * Arrays shared with the workers (SharedArrayBuffer), to keep the weights
   * and the optimizer's squared-gradient average in: then {@linkcode step}
   * copies nothing. Undefined for the local engine.
   */
  readonly shared?: { params: Float32Array; meanSquare: Float32Array };
  /**
   * Wall time of the steps so far, split into the gradient phase and the
   * update phase (sum + RMSprop on the workers); undefined for the local engine.
   */
  readonly timing?: { steps: number; gradientMs: number; updateMs: number };
  /** Network outputs for every image of a split. */
  predict(params: Float32Array, split: Split): Promise<Float32Array>;
  /** tf.memory().numTensors of each process holding a model. */
  numTensors(): Promise<number[]>;
  close(): Promise<void>;
}

/** Single process, on whatever tfjs backend is active. */
export class LocalEngine implements Engine {
  readonly workers = 1;
  readonly shardCount: number;
  readonly runner: ModelRunner;
  readonly #splits: Record<Split, SplitArrays>;

  constructor(
    runner: ModelRunner,
    splits: Record<Split, SplitArrays>,
    shardCount: number,
  ) {
    this.runner = runner;
    this.#splits = splits;
    this.shardCount = checkShardCount(shardCount);
  }

  async gradients(params: Float32Array, idx: Int32Array, seed: number, augment = false) {
    this.runner.setParams(params);
    const r = await this.runner.gradNodes(this.#splits.train, {
      shards: cutShards(idx, this.shardCount),
      firstShard: 0,
      nodes: [{ lo: 0, size: this.shardCount }],
      seed,
      augment,
    });
    let lossSum = 0;
    for (const l of r.lossSums) lossSum += l;
    return { lossSum, grads: r.nodes[0] ?? new Float32Array(this.runner.nParams) };
  }

  async step(
    params: Float32Array,
    opt: KerasRmsprop,
    idx: Int32Array,
    seed: number,
    augment = false,
  ) {
    const g = await this.gradients(params, idx, seed, augment);
    opt.step(params, g.grads, 1 / idx.length);
    return g.lossSum;
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
 * backend; images are shared (SharedArrayBuffer) and never copied.
 *
 * A training step ({@linkcode ParallelEngine.step}) runs entirely on the
 * workers, in memory they share: the weights, RMSprop's squared-gradient
 * average and one gradient array per tree node (_runner.ts). Each worker
 * computes its nodes' gradients into their arrays; then each sums the tree
 * and applies the update over its own 1/n of the weights. The main thread
 * only sends the two requests; nothing is copied or summed there (before,
 * the sum and update on the main thread took ~25% of a 2-worker step of the
 * single-channel network, the workers idle meanwhile). The arithmetic per
 * weight is the same as in one process, so results are still bit-identical.
 * `gradients` (the summed gradient, transferred back) serves tests.
 */
export class ParallelEngine implements Engine {
  readonly workers: number;
  readonly shardCount: number;
  readonly #handles: WorkerHandle[];
  readonly #sizes: Record<Split, number>;
  #nParams = 0;
  /** Per worker: the array it returned last step, sent with the next weights. */
  readonly #buffers: (Float32Array | undefined)[] = [];
  shared?: { params: Float32Array; meanSquare: Float32Array };
  readonly timing = { steps: 0, gradientMs: 0, updateMs: 0 };
  /** Per worker: its shard range [lo, hi) and the tree nodes that cover it. */
  readonly #plan: { lo: number; hi: number; nodes: TreeNode[] }[] = [];

  private constructor(
    handles: WorkerHandle[],
    sizes: Record<Split, number>,
    shardCount: number,
  ) {
    this.#handles = handles;
    this.workers = handles.length;
    this.#sizes = sizes;
    this.shardCount = shardCount;
  }

  /**
   * Start `n` workers and build the model in each. Gradients use at most
   * `shardCount` of them (one shard is the smallest piece of work).
   */
  static async start(
    n: number,
    kind: NetworkKind,
    modelOptions: ModelOptions,
    splits: Record<Split, SplitArrays>,
    shardCount: number,
  ): Promise<ParallelEngine> {
    checkShardCount(shardCount);
    const handles = Array.from({ length: n }, (_, i) => new WorkerHandle(i));
    const engine = new ParallelEngine(handles, {
      train: splits.train.n,
      val: splits.val.n,
      test: splits.test.n,
    }, shardCount);
    try {
      const ready = await Promise.all(
        handles.map((h) => h.request({ type: "init", kind, modelOptions, splits })),
      );
      engine.#nParams = ready[0].type === "ready" ? ready[0].nParams : 0;
      await engine.#share();
    } catch (e) {
      await engine.close();
      throw e;
    }
    return engine;
  }

  /** Allocate the shared weights, squared-gradient average and node arrays; hand them out. */
  async #share(): Promise<void> {
    const S = this.shardCount;
    const n = Math.min(this.workers, S);
    const bytes = this.#nParams * 4;
    const params = new SharedArrayBuffer(bytes);
    const meanSquare = new SharedArrayBuffer(bytes);
    const nodes: Record<string, SharedArrayBuffer> = {};
    for (let k = 0; k < n; k++) {
      const lo = Math.floor((k * S) / n);
      const hi = Math.floor(((k + 1) * S) / n);
      const cover = dyadicCover(lo, hi);
      this.#plan.push({ lo, hi, nodes: cover });
      for (const c of cover) nodes[nodeKey(c)] = new SharedArrayBuffer(bytes);
    }
    await Promise.all(
      this.#handles.map((h) =>
        h.request({ type: "share", params, meanSquare, nodes, shardCount: S })
      ),
    );
    this.shared = { params: new Float32Array(params), meanSquare: new Float32Array(meanSquare) };
  }

  async step(
    params: Float32Array,
    opt: KerasRmsprop,
    idx: Int32Array,
    seed: number,
    augment = false,
  ) {
    const sh = this.shared!;
    if (params !== sh.params) sh.params.set(params);
    opt.adoptMeanSquare(sh.meanSquare);
    const t0 = performance.now();
    const shards = cutShards(idx, this.shardCount);
    const replies = await Promise.all(
      this.#plan.map(({ lo, hi, nodes }, k) =>
        this.#handles[k].request({
          type: "sgrad",
          shards: shards.slice(lo, hi),
          firstShard: lo,
          nodes,
          seed,
          augment,
        })
      ),
    );
    let lossSum = 0;
    const absent: string[] = [];
    replies.forEach((r, k) => {
      if (r.type !== "sgrad") throw new Error("Training worker: unexpected reply (internal error)");
      for (const l of r.lossSums) lossSum += l;
      this.#plan[k].nodes.forEach((c, i) => {
        if (!r.present[i]) absent.push(nodeKey(c));
      });
    });
    const update = opt.nextUpdate();
    const t1 = performance.now();
    const N = this.#nParams;
    const n = this.#plan.length;
    await Promise.all(this.#plan.map((_, k) =>
      this.#handles[k].request({
        type: "update",
        start: Math.floor((k * N) / n),
        end: Math.floor(((k + 1) * N) / n),
        absent,
        scale: 1 / idx.length,
        update,
      })
    ));
    if (params !== sh.params) params.set(sh.params);
    this.timing.steps++;
    this.timing.gradientMs += t1 - t0;
    this.timing.updateMs += performance.now() - t1;
    return lossSum;
  }

  /**
   * The summed gradient comes back in an array that the next call reuses (a
   * fresh multi-megabyte array per step costs first-touch page faults, ~4 ms
   * per MB on the toolkit's Linux VMs): use it before asking again.
   */
  async gradients(params: Float32Array, idx: Int32Array, seed: number, augment = false) {
    const S = this.shardCount;
    const shards = cutShards(idx, S);
    // Worker k: shards [lo, hi), returned as the aligned tree nodes covering them.
    const replies = await Promise.all(this.#plan.map(({ lo, hi, nodes }, k) => {
      // The buffer this worker sent back last step (its gradient), recycled:
      // fresh multi-megabyte arrays cost first-touch page faults.
      const held = this.#buffers[k];
      this.#buffers[k] = undefined;
      const p = held?.length === params.length ? held : new Float32Array(params.length);
      p.set(params);
      return this.#handles[k].request(
        // One seed for all: dropout masks are drawn per image from it (_runner.ts).
        {
          type: "grad",
          params: p,
          shards: shards.slice(lo, hi),
          firstShard: lo,
          nodes,
          seed,
          augment,
        },
        [p.buffer],
      ).then((r) => ({ r, lo, nodes }));
    }));
    const values = new Map<string, Float32Array | null>();
    const lossSums = new Array<number>(S).fill(0);
    for (const { r, lo, nodes } of replies) {
      if (r.type !== "grad") throw new Error("Training worker: unexpected reply (internal error)");
      nodes.forEach((node, i) => values.set(nodeKey(node), r.nodes[i]));
      r.lossSums.forEach((l, j) => (lossSums[lo + j] = l));
    }
    let lossSum = 0;
    for (const l of lossSums) lossSum += l;
    const root = treeRoot(values, S);
    // Recycle every worker's array, the one holding the sum too: the caller
    // uses the gradient before it asks for the next (see `gradients`).
    replies.forEach(({ r }, k) => {
      this.#buffers[k] = r.type === "grad" ? r.nodes[0] ?? undefined : undefined;
    });
    return { lossSum, grads: root ?? new Float32Array(this.#nParams) };
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
