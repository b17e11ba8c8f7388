/**
 * A stride-1, "same"-padded convolution with bias and ReLU that stays one
 * kernel when gradients are recorded.
 *
 * tfjs' `tf.fused.conv2d` runs the fused kernel only outside gradient mode:
 * while training (gradient depth > 0, activation not linear) it falls back to
 * three kernels, `Conv2D`, the bias `Add` and `Relu`, each a full pass over
 * the activation (on the paper's first layer, 25 x 120 x 120 x 16 floats per
 * worker shard, the `Add` alone took ~5 ms of a ~90 ms gradient step).
 * {@linkcode conv2dBiasRelu} runs the registered `FusedConv2D` kernel (on WASM
 * with oneDNN: one oneDNN convolution with a ReLU post-op) and defines its
 * gradient by hand: with y = relu(conv(x, w) + b), y > 0 exactly where the
 * pre-activation is > 0, so dz = dy where y > 0 (else 0), one pass
 * ({@linkcode reluGrad}: oneDNN's ReLU backward where it is active), then db = sum of dz over batch, rows and columns, and dx, dw
 * from the registered `Conv2DBackpropInput` and `Conv2DBackpropFilter`
 * kernels: the same formulas tfjs uses for its fused op outside training. On
 * WASM, dw and db come from one kernel ({@linkcode FILTER_BIAS_GRAD_KERNEL};
 * with oneDNN a single backward-weights primitive that also writes the bias
 * gradient, saving a pass over dz).
 *
 * {@linkcode fuseConvLayersForTraining} makes a tfjs-layers model's `Conv2D`
 * layers (ReLU, bias, stride 1, dilation 1, "same", channels last) call it
 * while training on the "wasm" backend; every other case, and inference,
 * keeps the layer's own `call`. The model stays a TensorFlow.js model.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { FILTER_BIAS_GRAD_KERNEL, reluGrad } from "./wasm_kernels.ts";

const CONV_ATTRS = {
  strides: [1, 1],
  pad: "same",
  dataFormat: "NHWC",
  dilations: [1, 1],
  dimRoundingMode: undefined,
} as const;

function makeConv2dBiasRelu(inputGradient: boolean) {
  return tf.customGrad(
    // deno-lint-ignore no-explicit-any
    ((x: tf.Tensor4D, filter: tf.Tensor4D, bias: tf.Tensor1D, save: any) => {
      const y = tf.engine().runKernel(
        "FusedConv2D",
        { x, filter, bias },
        { ...CONV_ATTRS, activation: "relu" } as unknown as tf.NamedAttrMap,
      ) as tf.Tensor4D;
      save([x, filter, y]);
      return {
        value: y,
        gradFunc: (dy: tf.Tensor4D, saved: tf.Tensor[]) => {
          const [xs, w, ys] = saved as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
          const dz = reluGrad(dy, ys);
          const dx = inputGradient
            ? tf.engine().runKernel(
              "Conv2DBackpropInput",
              { dy: dz, filter: w },
              { ...CONV_ATTRS, inputShape: xs.shape } as unknown as tf.NamedAttrMap,
            ) as tf.Tensor4D
            : tf.zeros(xs.shape);
          const filterAttrs = { ...CONV_ATTRS, filterShape: w.shape } as unknown as tf.NamedAttrMap;
          if (tf.getBackend() === "wasm" && tf.getKernel(FILTER_BIAS_GRAD_KERNEL, "wasm")) {
            const [dw, db] = tf.engine().runKernel(
              FILTER_BIAS_GRAD_KERNEL,
              { x: xs, dy: dz },
              filterAttrs,
            ) as tf.Tensor[];
            return [dx, dw, db];
          }
          const dw = tf.engine().runKernel(
            "Conv2DBackpropFilter",
            { x: xs, dy: dz },
            filterAttrs,
          ) as tf.Tensor4D;
          const db = tf.sum(dz, [0, 1, 2]);
          return [dx, dw, db];
        },
      };
    }) as unknown as Parameters<typeof tf.customGrad>[0],
  ) as unknown as (x: tf.Tensor4D, filter: tf.Tensor4D, bias: tf.Tensor1D) => tf.Tensor4D;
}

/**
 * relu(conv2d(x, filter, stride 1, "same") + bias) for NHWC `x`
 * [n, h, w, c], `filter` [kh, kw, c, co] and `bias` [co], as one kernel
 * forward and a hand-written gradient (module docs) with respect to all three.
 */
export const conv2dBiasRelu: (
  x: tf.Tensor4D,
  filter: tf.Tensor4D,
  bias: tf.Tensor1D,
) => tf.Tensor4D = makeConv2dBiasRelu(true);

/**
 * {@linkcode conv2dBiasRelu} whose gradient with respect to `x` is zeros, not
 * computed: for a network's first layer when only the weights' gradients are
 * wanted (the paper's first layer's input gradient would cost as much as its
 * second layer's filter gradient, ~15 ms per 25 images here, for nothing).
 */
export const conv2dBiasReluWeightsOnly: (
  x: tf.Tensor4D,
  filter: tf.Tensor4D,
  bias: tf.Tensor1D,
) => tf.Tensor4D = makeConv2dBiasRelu(false);

/** The fields of a tfjs-layers Conv2D read here (its config, as getConfig() gives it). */
interface ConvConfig {
  strides: number[];
  padding: string;
  dataFormat: string;
  dilationRate: number | number[];
  activation: string;
  useBias: boolean;
}

/** Whether a Conv2D layer's config is the case {@linkcode conv2dBiasRelu} computes. */
export function fusableConvConfig(config: ConvConfig): boolean {
  const ones = (v: number | number[]) => (Array.isArray(v) ? v : [v, v]).every((d) => d === 1);
  return config.activation === "relu" && config.useBias === true && config.padding === "same" &&
    config.dataFormat === "channelsLast" && ones(config.strides) && ones(config.dilationRate);
}

/** Options of {@linkcode fuseConvLayersForTraining}. */
export interface FuseOptions {
  /**
   * Compute the gradient with respect to the model's input images (default
   * true). False: layers fed by an input layer use
   * {@linkcode conv2dBiasReluWeightsOnly}, for training, where only the
   * weights' gradients are used.
   */
  inputGradient?: boolean;
}

/**
 * Make every fusable `Conv2D` layer of `model` (see {@linkcode fusableConvConfig})
 * compute with {@linkcode conv2dBiasRelu} when called with `training: true`
 * on the "wasm" backend; returns how many layers it changed. Their weights and
 * outputs are unchanged (to float rounding: the bias is added inside the
 * convolution). Safe to call once per model.
 */
export function fuseConvLayersForTraining(
  model: tf.LayersModel,
  options: FuseOptions = {},
): number {
  const inputGradient = options.inputGradient ?? true;
  let changed = 0;
  for (const layer of model.layers) {
    if (layer.getClassName() !== "Conv2D") continue;
    if (!fusableConvConfig(layer.getConfig() as unknown as ConvConfig)) continue;
    const fed = (layer as unknown as { inboundNodes: { inboundLayers: tf.layers.Layer[] }[] })
      .inboundNodes.flatMap((n) => n.inboundLayers);
    const onInput = fed.length > 0 && fed.every((l) => l.getClassName() === "InputLayer");
    const op = !inputGradient && onInput ? conv2dBiasReluWeightsOnly : conv2dBiasRelu;
    const own = layer as unknown as {
      call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean }): tf.Tensor;
      trainableWeights: { read(): tf.Tensor }[];
    };
    const original = own.call.bind(layer);
    own.call = (inputs, kwargs) => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      if (!kwargs?.training || tf.getBackend() !== "wasm" || x.rank !== 4) {
        return original(inputs, kwargs);
      }
      const [kernel, bias] = own.trainableWeights.map((w) => w.read());
      return op(x as tf.Tensor4D, kernel as tf.Tensor4D, bias as tf.Tensor1D);
    };
    changed++;
  }
  return changed;
}
