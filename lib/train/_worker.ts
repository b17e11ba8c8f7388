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
import { ModelRunner, type SplitArrays, type TreeNode } from "./_runner.ts";

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
  | { type: "memory" };

/** Replies of the worker. */
export type WorkerReply =
  | { type: "ready"; nParams: number; backend: string }
  | { type: "grad"; lossSums: number[]; nodes: (Float32Array | null)[] }
  | { type: "predict"; outputs: Float32Array }
  | { type: "memory"; numTensors: number }
  | { type: "error"; message: string };

let runner: ModelRunner | undefined;
let splits: Record<Split, SplitArrays> | undefined;
let tfMemory: (() => { numTensors: number }) | undefined;

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
