/**
 * The per-process part of training, shared by the single-process trainer and
 * the data-parallel workers: a model with its weights held as one flat
 * Float32Array outside tfjs, the summed loss gradient on a batch, and forward
 * predictions. Private to lib/train.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { IMAGE_PIXELS, IMAGE_SIZE_PIX } from "../dataset/format.ts";
import { Rng } from "../random/mod.ts";
import { fuseConvLayersForTraining, readFloat32Into } from "../backend/mod.ts";

/** (ln 10)^2: the MSLE of eq. (11), natural log, per squared error of the log10 target. */
export const MSLE_PER_SQUARED_LOG10 = Math.LN10 * Math.LN10;

/**
 * Fixed-shape gradient sums. A batch of b images is cut into `shardCount`
 * contiguous shards, shard j holding positions floor(j b / S) to
 * floor((j + 1) b / S) - 1 (S a power of two), and the shards' summed
 * gradients are added up the fixed pairwise tree over 0..S-1:
 * node (lo, size) = node (lo, size / 2) + node (lo + size / 2, size / 2).
 * Float addition is not associative, so the tree, not the workers, fixes the
 * order of every sum: a worker given a run of shards computes the aligned
 * tree nodes that cover it ({@linkcode dyadicCover}) and the caller completes
 * the tree, and the result is the same to the bit for any number of workers
 * on the same backend. (RMSprop divides each gradient by its own running
 * RMS, so rounding-level differences in near-zero gradients would otherwise
 * become full-size updates and the runs would drift apart within a few steps.)
 */
export interface TreeNode {
  /** First shard of the node. */
  lo: number;
  /** Shards in the node, a power of two; lo is a multiple of it. */
  size: number;
}

/** Positions [start, end) of shard `j` of `shardCount` in a batch of `batch` images. */
export function shardRange(j: number, shardCount: number, batch: number): [number, number] {
  return [Math.floor((j * batch) / shardCount), Math.floor(((j + 1) * batch) / shardCount)];
}

/** The key of a tree node in the maps of node values: `${lo}/${size}`. */
export function nodeKey(node: TreeNode): string {
  return `${node.lo}/${node.size}`;
}

/** The aligned tree nodes that exactly cover shards [lo, hi), largest first from lo. */
export function dyadicCover(lo: number, hi: number): TreeNode[] {
  const out: TreeNode[] = [];
  while (lo < hi) {
    let size = 1;
    while (lo % (size * 2) === 0 && lo + size * 2 <= hi) size *= 2;
    out.push({ lo, size });
    lo += size;
  }
  return out;
}

/**
 * a + b in float32, element by element, into a (`null`: a node of empty
 * shards), over [start, end) (default: all).
 */
export function addGrads(
  a: Float32Array | null,
  b: Float32Array | null,
  start = 0,
  end: number = a?.length ?? 0,
): Float32Array | null {
  if (!a) return b;
  if (!b) return a;
  for (let i = start; i < end; i++) a[i] += b[i];
  return a;
}

/**
 * The root of the tree over `shardCount` shards from the values of nodes that
 * cover it (keys `${lo}/${size}`), adding in tree order, in place into the
 * nodes' arrays. With `start`/`end`, only those elements are summed (the
 * array returned is valid there): pieces summed apart, e.g. by different
 * workers, give the same values as the whole.
 */
export function treeRoot(
  nodes: Map<string, Float32Array | null>,
  shardCount: number,
  start?: number,
  end?: number,
): Float32Array | null {
  const value = (lo: number, size: number): Float32Array | null => {
    const key = nodeKey({ lo, size });
    if (nodes.has(key)) return nodes.get(key)!;
    if (size === 1) throw new RangeError(`Cannot sum gradients: shard ${lo} is missing`);
    const h = size / 2;
    const a = value(lo, h);
    return addGrads(a, value(lo + h, h), start ?? 0, end ?? a?.length ?? 0);
  };
  return value(0, shardCount);
}

/**
 * The symmetry of the square (0-7, {@linkcode dihedralCopy}) applied to train
 * image `image` at the step seeded by `seed`: a function of the two only, so
 * that a batch split over any number of workers is turned the same way.
 */
export function dihedralDraw(seed: number, image: number): number {
  return new Rng(seed ^ 0x2545f491).fork(image + 1).nextUint32() & 7;
}

/**
 * Copy a square image (IMAGE_SIZE_PIX on a side, row-major [y][x]) mapped by
 * one of the 8 symmetries of the square about its centre, where the cluster
 * centre sits (lib/observe/imaging.ts: coordinate (npix/2, npix/2), the
 * corner between the four central pixels): rotation by `k & 3` quarter
 * turns, then a mirror in x when `k & 4`. Every pixel lands on a pixel, none
 * is lost or repeated. A cluster's mass does not depend on how its map is
 * turned or mirrored (a rotation about the line of sight, a parity flip), so
 * these are free extra training views; the paper trains without them.
 */
export function dihedralCopy(src: Float32Array, dst: Float32Array, k: number): void {
  const n = IMAGE_SIZE_PIX;
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      // Twice the pixel centre's offset from the image centre: odd integers.
      let u = (k & 4) ? n - 1 - 2 * x : 2 * x + 1 - n;
      let v = 2 * y + 1 - n;
      for (let r = 0; r < (k & 3); r++) {
        const t = u;
        u = v;
        v = -t;
      }
      dst[y * n + x] = src[((v + n - 1) / 2) * n + (u + n - 1) / 2];
    }
  }
}

/** One split, scaled and ready for the network. */
export interface SplitArrays {
  /** Images in the split. */
  n: number;
  /** One array per channel, n x 120 x 120 scaled pixels. */
  images: Float32Array[];
  /** Network targets log10(M200/Msun) - 14. */
  targets: Float32Array;
}

/** A model and its trainable variables, exchanged as one flat parameter vector. */
export class ModelRunner {
  readonly model: tf.LayersModel;
  readonly vars: tf.Variable[];
  readonly sizes: number[];
  readonly nParams: number;
  readonly #dropoutRates: number[];
  #masks: Float32Array[] | undefined;

  constructor(model: tf.LayersModel) {
    if (model.nonTrainableWeights.length > 0) {
      throw new TypeError(
        "Cannot train: the model has non-trainable weights, which this trainer does not handle",
      );
    }
    this.model = model;
    this.vars = model.trainableWeights.map((w) => (w as unknown as { read(): tf.Variable }).read());
    this.sizes = this.vars.map((v) => v.size);
    this.nParams = this.sizes.reduce((a, b) => a + b, 0);
    // While training on WASM, each conv + bias + ReLU is one kernel with a
    // hand-written gradient (lib/backend/fused_conv.ts) instead of tfjs' three.
    fuseConvLayersForTraining(model, { inputGradient: false });
    // Dropout masks drawn per example, not per batch: the mask of train image i
    // at a step depends only on the step's seed, i and the layer, so a batch
    // split over any number of workers sees the same masks as one process.
    // tfjs' own Dropout draws one mask for the whole batch from a layer seed;
    // here each Dropout layer's `call` multiplies by the mask we build instead.
    const layers = model.layers.filter((l) => l.getClassName() === "Dropout");
    this.#dropoutRates = layers.map((l) => (l as unknown as { rate: number }).rate);
    layers.forEach((layer, k) => {
      (layer as unknown as { call: unknown }).call = (
        inputs: tf.Tensor | tf.Tensor[],
        kwargs: { training?: boolean },
      ) =>
        tf.tidy(() => {
          const x = Array.isArray(inputs) ? inputs[0] : inputs;
          const mask = this.#masks?.[k];
          if (!kwargs.training || !mask) return x;
          const m = tf.tensor(mask, x.shape, "float32");
          return tf.mul(x, m);
        });
    });
  }

  /**
   * Per-example dropout multipliers (0 or 1 / (1 - rate)) of every Dropout
   * layer for the train images `idx` at the step seeded by `dropoutSeed`;
   * `units` are the layers' input widths, read from the model.
   */
  #makeMasks(idx: ArrayLike<number>, dropoutSeed: number): Float32Array[] {
    const layers = this.model.layers.filter((l) => l.getClassName() === "Dropout");
    const step = new Rng(dropoutSeed);
    return layers.map((layer, k) => {
      const units = (layer.outputShape as number[])[1];
      const rate = this.#dropoutRates[k];
      const keep = 1 - rate;
      const out = new Float32Array(idx.length * units);
      for (let b = 0; b < idx.length; b++) {
        const rng = step.fork(idx[b] + 1).fork(k + 1);
        for (let u = 0; u < units; u++) out[b * units + u] = rng.random() < keep ? 1 / keep : 0;
      }
      return out;
    });
  }

  /**
   * Copy the weights out as one flat vector (in trainableWeights order).
   * Reads are asynchronous: WebGPU in Deno cannot read tensors synchronously.
   */
  async getParams(): Promise<Float32Array> {
    const out = new Float32Array(this.nParams);
    let off = 0;
    for (const v of this.vars) {
      out.set((await v.data()) as Float32Array, off);
      off += v.size;
    }
    return out;
  }

  /** Set the weights from one flat vector. */
  setParams(flat: Float32Array): void {
    if (flat.length !== this.nParams) {
      throw new RangeError(
        `Cannot set weights: got ${flat.length} values, model has ${this.nParams}`,
      );
    }
    let off = 0;
    for (const v of this.vars) {
      const t = tf.tensor(flat.subarray(off, off + v.size), v.shape, "float32");
      v.assign(t);
      t.dispose();
      off += v.size;
    }
  }

  /**
   * The images `idx` as input tensors; with `turns`, image k is first mapped
   * by the symmetry of the square `turns[k]` ({@linkcode dihedralCopy}), the
   * same for every channel.
   */
  #inputs(data: SplitArrays, idx: ArrayLike<number>, turns?: Uint8Array): tf.Tensor4D[] {
    const b = idx.length;
    return data.images.map((img) => {
      const buf = new Float32Array(b * IMAGE_PIXELS);
      for (let k = 0; k < b; k++) {
        const i = idx[k];
        const src = img.subarray(i * IMAGE_PIXELS, (i + 1) * IMAGE_PIXELS);
        if (turns && turns[k] !== 0) {
          dihedralCopy(src, buf.subarray(k * IMAGE_PIXELS, (k + 1) * IMAGE_PIXELS), turns[k]);
        } else buf.set(src, k * IMAGE_PIXELS);
      }
      return tf.tensor4d(buf, [b, IMAGE_SIZE_PIX, IMAGE_SIZE_PIX, 1]);
    });
  }

  /**
   * The loss summed over the images `idx` (MSLE of eq. 11 per image, natural
   * log) and its gradient, summed too, as one flat vector. `dropoutSeed` seeds
   * this step's dropout masks, which are drawn per image (see the constructor),
   * so the sum over a batch does not depend on how the batch is split.
   */
  async gradSum(
    data: SplitArrays,
    idx: ArrayLike<number>,
    dropoutSeed: number,
  ): Promise<{ lossSum: number; grads: Float32Array }> {
    const r = await this.gradNodes(data, {
      shards: [idx],
      firstShard: 0,
      nodes: [{ lo: 0, size: 1 }],
      seed: dropoutSeed,
    });
    return { lossSum: r.lossSums[0], grads: r.nodes[0] ?? new Float32Array(this.nParams) };
  }

  /** Loss (a number) and per-variable gradient tensors, summed over `idx`; null for no images. */
  async #shardGrads(
    data: SplitArrays,
    idx: ArrayLike<number>,
    dropoutSeed: number,
    augment: boolean,
  ): Promise<{ loss: number; grads: tf.Tensor[] } | null> {
    if (idx.length === 0) return null;
    this.#masks = this.#makeMasks(idx, dropoutSeed);
    const turns = augment ? Uint8Array.from(idx, (i) => dihedralDraw(dropoutSeed, i)) : undefined;
    const xs = this.#inputs(data, idx, turns);
    const yArr = new Float32Array(idx.length);
    for (let k = 0; k < idx.length; k++) yArr[k] = data.targets[idx[k]];
    const y = tf.tensor2d(yArr, [idx.length, 1]);
    try {
      const { value, grads } = tf.variableGrads(() =>
        tf.tidy(() => {
          const out = this.model.apply(xs.length === 1 ? xs[0] : xs, {
            training: true,
          }) as tf.Tensor;
          return tf.mul(tf.sum(tf.squaredDifference(out, y)), MSLE_PER_SQUARED_LOG10) as tf.Scalar;
        }), this.vars);
      const loss = (await value.data())[0];
      value.dispose();
      return { loss, grads: this.vars.map((v) => grads[v.name]) };
    } finally {
      this.#masks = undefined;
      tf.dispose(xs);
      y.dispose();
    }
  }

  /**
   * Summed loss gradients of the tree nodes `nodes` (see {@linkcode TreeNode})
   * over a batch whose shards `firstShard`, `firstShard + 1`, ... are the
   * image lists `shards` (the nodes must lie inside them), each as one flat
   * vector (`null` for a node of empty shards), and the summed loss of each
   * shard. Sums inside a node follow the tree, on this backend.
   */
  async gradNodes(
    data: SplitArrays,
    req: {
      shards: ArrayLike<number>[];
      firstShard: number;
      nodes: TreeNode[];
      seed: number;
      /**
       * Turn each image by a random symmetry of the square drawn from `seed`
       * and its index ({@linkcode dihedralDraw}). Default false.
       */
      augment?: boolean;
      /**
       * Arrays to write node i's gradient into (reused when of the right
       * length): fresh multi-megabyte arrays cost first-touch page faults
       * (~4 ms per MB on the toolkit's Linux VMs), recycled ones do not.
       */
      buffers?: (Float32Array | null | undefined)[];
    },
  ): Promise<{ lossSums: number[]; nodes: (Float32Array | null)[] }> {
    const lossSums = new Array<number>(req.shards.length).fill(0);
    type G = tf.Tensor[] | null;
    const add = (a: G, b: G): G => {
      if (!a) return b;
      if (!b) return a;
      const r = a.map((t, i) => tf.add(t, b[i]));
      tf.dispose([...a, ...b]);
      return r;
    };
    const value = async (lo: number, size: number): Promise<G> => {
      if (size === 1) {
        const j = lo - req.firstShard;
        if (j < 0 || j >= req.shards.length) {
          throw new RangeError(`Cannot compute gradients: shard ${lo} was not sent`);
        }
        const r = await this.#shardGrads(data, req.shards[j], req.seed, req.augment ?? false);
        if (!r) return null;
        lossSums[j] = r.loss;
        return r.grads;
      }
      const left = await value(lo, size / 2);
      return add(left, await value(lo + size / 2, size / 2));
    };
    const out: (Float32Array | null)[] = [];
    for (const n of req.nodes) {
      const g = await value(n.lo, n.size);
      if (!g) {
        out.push(null);
        continue;
      }
      const given = req.buffers?.[out.length];
      const flat = given?.length === this.nParams ? given : new Float32Array(this.nParams);
      let off = 0;
      for (const t of g) {
        // Straight from the tfjs heap on WASM, no fresh array per tensor.
        await readFloat32Into(t, { out: flat, offset: off });
        off += t.size;
      }
      tf.dispose(g);
      out.push(flat);
    }
    return { lossSums, nodes: out };
  }

  /** Network outputs (log10(M/Msun) - 14) for images start..end-1, inference mode. */
  async predict(
    data: SplitArrays,
    start: number,
    end: number,
    batchSize = 100,
  ): Promise<Float32Array> {
    const out = new Float32Array(end - start);
    for (let s = start; s < end; s += batchSize) {
      const e = Math.min(end, s + batchSize);
      const idx = Array.from({ length: e - s }, (_, k) => s + k);
      const xs = this.#inputs(data, idx);
      const y = tf.tidy(() =>
        this.model.apply(xs.length === 1 ? xs[0] : xs, { training: false }) as tf.Tensor
      );
      out.set((await y.data()) as Float32Array, s - start);
      y.dispose();
      tf.dispose(xs);
    }
    return out;
  }
}
