/**
 * Worker of tasks/_bench_step.ts: a model on its own single-threaded WASM
 * backend (with the SIMD kernels) and a fixed batch of random images; per
 * request it takes the weights, computes the summed loss gradient of its
 * images and sends it back in the same (recycled) buffer, with its compute time.
 *
 * @module
 */
/// <reference lib="deno.worker" />
import * as tf from "@tensorflow/tfjs";
import { readFloat32Into, setupBackend } from "../lib/backend/mod.ts";
import { buildModel } from "../lib/model/mod.ts";
import type { NetworkKind } from "../lib/types/mod.ts";

/** Requests of the step benchmark. */
export type StepRequest =
  | { type: "init"; kind: NetworkKind; images: number; seed: number }
  | { type: "grad"; params: Float32Array };

/** Replies of the step worker. */
export type StepReply =
  | { type: "ready"; nParams: number }
  | { type: "grad"; grads: Float32Array; loss: number; computeMs: number };

let state:
  | { vars: tf.Variable[]; model: tf.LayersModel; xs: tf.Tensor[]; y: tf.Tensor }
  | undefined;

self.onmessage = async (e: MessageEvent<StepRequest>) => {
  const msg = e.data;
  if (msg.type === "init") {
    await setupBackend("wasm", { quiet: true });
    const model = buildModel(msg.kind, { seed: 0 });
    const vars = model.trainableWeights.map((w) =>
      (w as unknown as { read(): tf.Variable }).read()
    );
    const channels = msg.kind === "multi" ? 4 : 1;
    const xs = Array.from(
      { length: channels },
      (_, c) => tf.randomNormal([msg.images, 120, 120, 1], 0, 1, "float32", msg.seed + c),
    );
    const y = tf.randomUniform([msg.images, 1], -0.5, 1, "float32", msg.seed + 9);
    state = { vars, model, xs, y };
    const nParams = vars.reduce((a, v) => a + v.size, 0);
    self.postMessage({ type: "ready", nParams } satisfies StepReply);
    return;
  }
  const { vars, model, xs, y } = state!;
  const t0 = performance.now();
  const flat = msg.params;
  let off = 0;
  for (const v of vars) {
    const t = tf.tensor(flat.subarray(off, off + v.size), v.shape, "float32");
    v.assign(t);
    t.dispose();
    off += v.size;
  }
  const { value, grads } = tf.variableGrads(() =>
    tf.tidy(() => {
      const out = model.apply(xs.length === 1 ? xs[0] : xs, { training: true }) as tf.Tensor;
      return tf.mul(tf.sum(tf.squaredDifference(out, y)), Math.LN10 * Math.LN10) as tf.Scalar;
    }), vars);
  off = 0;
  for (const v of vars) {
    await readFloat32Into(grads[v.name], { out: flat, offset: off });
    off += v.size;
  }
  const loss = (await value.data())[0];
  tf.dispose([value, ...Object.values(grads)]);
  const reply: StepReply = { type: "grad", grads: flat, loss, computeMs: performance.now() - t0 };
  self.postMessage(reply, [flat.buffer]);
};
