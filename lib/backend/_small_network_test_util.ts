/**
 * Test helper: gradients of a small conv/pool/dense network, to compare backends.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { Rng } from "../random/mod.ts";

function randomArray(rng: Rng, n: number): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = rng.normal();
  return a;
}

/** Gradients of a small conv/pool/dense network's MSE w.r.t. all weights. */
export async function smallNetworkGradients(backend: string): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const rng = new Rng(42);
  const t = (shape: number[]) => tf.tensor(randomArray(rng, shape.reduce((a, b) => a * b)), shape);
  const x = t([4, 16, 16, 1]);
  const y = t([4, 1]);
  const weights = [
    t([3, 3, 1, 4]).mul(0.3),
    t([4]).mul(0.1),
    t([3, 3, 4, 6]).mul(0.3),
    t([6]).mul(0.1),
    t([4 * 4 * 6, 5]).mul(0.1),
    t([5, 1]).mul(0.3),
  ].map((w) => tf.variable(w as tf.Tensor));
  const loss = () =>
    tf.tidy(() => {
      const [k1, b1, k2, b2, w1, w2] = weights;
      let h = tf.relu(tf.add(tf.conv2d(x as tf.Tensor4D, k1 as tf.Tensor4D, 1, "same"), b1));
      h = tf.avgPool(h as tf.Tensor4D, 2, 2, "valid");
      h = tf.relu(tf.add(tf.conv2d(h as tf.Tensor4D, k2 as tf.Tensor4D, 1, "same"), b2));
      h = tf.avgPool(h as tf.Tensor4D, 2, 2, "valid");
      const out = tf.matMul(tf.relu(tf.matMul(tf.reshape(h, [4, -1]), w1)), w2);
      return tf.losses.meanSquaredError(y, out) as tf.Scalar;
    });
  const { grads } = tf.variableGrads(loss, weights);
  const result = await Promise.all(
    weights.map((w) => grads[w.name].data() as Promise<Float32Array>),
  );
  tf.dispose([x, y, ...weights, ...Object.values(grads)]);
  return result;
}
