/**
 * Echo worker of tasks/_bench_exchange.ts: takes a weight vector and answers
 * with a gradient vector of the same length, as a training worker does, with
 * no computation in between. `fresh`: a new gradient array per step (as
 * lib/train's runner allocates); otherwise the weights' own buffer is filled
 * and sent back, so no step allocates.
 *
 * @module
 */
/// <reference lib="deno.worker" />
self.onmessage = (e: MessageEvent<{ params: Float32Array; fresh: boolean }>) => {
  const p = e.data.params;
  const grads = e.data.fresh ? new Float32Array(p.length) : p;
  grads.fill(0.5);
  self.postMessage({ grads }, [grads.buffer]);
};
