/**
 * A data-parallel training worker: its own single-threaded WASM backend and a
 * copy of the model; it computes summed loss gradients (as nodes of the
 * engine's fixed summation tree, _runner.ts) and predictions on the images it
 * is told to, with the weights it is sent. Private to lib/train.
 *
 * @module
 */
/// <reference lib="deno.worker" />
import { setupBackend } from "../backend/mod.ts";
import { buildModel, type ModelOptions } from "../model/mod.ts";
import type { NetworkKind, Split } from "../types/mod.ts";
import { ModelRunner, nodeKey, type SplitArrays, type TreeNode, treeRoot } from "./_runner.ts";
import { type RmspropUpdate, rmspropUpdate } from "./rmsprop.ts";

/** Messages the main thread sends. */
export type WorkerRequest =
  | {
    type: "init";
    kind: NetworkKind;
    modelOptions: ModelOptions;
    splits: Record<Split, SplitArrays>;
  }
  | {
    type: "grad";
    params: Float32Array;
    /** Image lists of shards firstShard, firstShard + 1, ... */
    shards: Int32Array[];
    firstShard: number;
    /** Tree nodes to return, covering those shards. */
    nodes: TreeNode[];
    seed: number;
    /** Turn each image by a random symmetry of the square (_runner.ts). */
    augment: boolean;
  }
  | { type: "predict"; params: Float32Array; split: Split; start: number; end: number }
  | { type: "memory" }
  | {
    /** Memory shared by all workers: weights, RMSprop's average, one array per tree node. */
    type: "share";
    params: SharedArrayBuffer;
    meanSquare: SharedArrayBuffer;
    nodes: Record<string, SharedArrayBuffer>;
    shardCount: number;
  }
  | {
    /** Gradients of `nodes` with the shared weights, into the nodes' shared arrays. */
    type: "sgrad";
    shards: Int32Array[];
    firstShard: number;
    nodes: TreeNode[];
    seed: number;
    augment: boolean;
  }
  | {
    /**
     * Over weights [start, end): sum the tree of node arrays (`absent`: nodes
     * of empty shards), scale by `scale`, apply the RMSprop `update`.
     */
    type: "update";
    start: number;
    end: number;
    absent: string[];
    scale: number;
    update: RmspropUpdate;
  };

/** Replies of the worker. */
export type WorkerReply =
  | { type: "ready"; nParams: number; backend: string }
  | { type: "grad"; lossSums: number[]; nodes: (Float32Array | null)[] }
  | { type: "predict"; outputs: Float32Array }
  | { type: "memory"; numTensors: number }
  | { type: "shared" }
  | { type: "sgrad"; lossSums: number[]; present: boolean[] }
  | { type: "updated" }
  | { type: "error"; message: string };

let runner: ModelRunner | undefined;
let splits: Record<Split, SplitArrays> | undefined;
let tfMemory: (() => { numTensors: number }) | undefined;
let shared:
  | {
    params: Float32Array;
    meanSquare: Float32Array;
    nodes: Map<string, Float32Array>;
    shardCount: number;
  }
  | undefined;

function reply(msg: WorkerReply, transfer: Transferable[] = []): void {
  self.postMessage(msg, transfer);
}

self.onmessage = async (e: MessageEvent<WorkerRequest>) => {
  const msg = e.data;
  try {
    if (msg.type === "init") {
      const info = await setupBackend("wasm", { quiet: true });
      const tf = await import("@tensorflow/tfjs");
      tfMemory = () => tf.memory();
      runner = new ModelRunner(buildModel(msg.kind, msg.modelOptions));
      splits = msg.splits;
      reply({ type: "ready", nParams: runner.nParams, backend: info.name });
      return;
    }
    if (msg.type === "memory") {
      reply({ type: "memory", numTensors: tfMemory ? tfMemory().numTensors : 0 });
      return;
    }
    if (!runner || !splits) throw new Error("worker used before init");
    if (msg.type === "share") {
      shared = {
        params: new Float32Array(msg.params),
        meanSquare: new Float32Array(msg.meanSquare),
        nodes: new Map(Object.entries(msg.nodes).map(([k, b]) => [k, new Float32Array(b)])),
        shardCount: msg.shardCount,
      };
      reply({ type: "shared" });
      return;
    }
    if (msg.type === "sgrad" || msg.type === "update") {
      if (!shared) throw new Error("worker asked for a shared step before share");
      if (msg.type === "sgrad") {
        runner.setParams(shared.params);
        const mine = msg.nodes.map((c) => shared!.nodes.get(nodeKey(c))!);
        const { lossSums, nodes } = await runner.gradNodes(splits.train, { ...msg, buffers: mine });
        reply({ type: "sgrad", lossSums, present: nodes.map((x) => x !== null) });
      } else {
        const { start, end, scale } = msg;
        const values = new Map<string, Float32Array | null>(shared.nodes);
        for (const k of msg.absent) values.set(k, null);
        const g = treeRoot(values, shared.shardCount, start, end);
        if (g) rmspropUpdate(shared.params, shared.meanSquare, g, msg.update, start, end, scale);
        reply({ type: "updated" });
      }
      return;
    }
    runner.setParams(msg.params);
    if (msg.type === "grad") {
      // setParams copied the weights into the WASM heap, so their buffer can
      // carry the gradient back (no fresh array per step).
      const { lossSums, nodes } = await runner.gradNodes(splits.train, {
        ...msg,
        buffers: [msg.params],
      });
      reply({ type: "grad", lossSums, nodes }, nodes.flatMap((n) => (n ? [n.buffer] : [])));
    } else {
      const outputs = await runner.predict(splits[msg.split], msg.start, msg.end);
      reply({ type: "predict", outputs }, [outputs.buffer]);
    }
  } catch (err) {
    reply({
      type: "error",
      message: err instanceof Error ? `${err.message}\n${err.stack}` : String(err),
    });
  }
};
