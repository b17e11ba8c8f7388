/**
 * The kernels this toolkit registers on TensorFlow.js' WASM backend (and the
 * gradient kernels it adds to the `cpu` backend), listed in
 * {@linkcode WASM_GRADIENT_KERNELS}: `Conv2D`, `FusedConv2D`,
 * `Conv2DBackpropFilter` (which tfjs-backend-wasm lacks),
 * `Conv2DBackpropInput`, `BatchMatMul`, `AvgPool`, `AvgPoolGrad`, `Add`,
 * `Sum`, `Identity`, `Cast`, the ReLU gradient and the filter + bias gradient
 * of the fused convolution. Each picks oneDNN, the SIMD kernels or tfjs' own
 * kernel per call. At stride 1 (the
 * paper's network) the convolutions, their gradients, the dense layers'
 * matrix products, the tiling average-pool gradient and the bias-gradient sums
 * run on this toolkit's hand-written WASM SIMD kernels (`simd_conv.ts`,
 * `kernels/conv.c`), or, where Debian's oneDNN is installed, on oneDNN through
 * FFI (`onednn.ts`: the convolutions, matrix products, bias add, average
 * pooling and its gradient, and the ReLU gradient; the SIMD kernels take what
 * it does not). `setOneDnnKernels(false)` keeps the SIMD route;
 * `setSimdConvKernels(false)` restores the previous route described below
 * (both off), which also serves strides other than 1.
 *
 * tfjs-backend-wasm 4.22 has no `Conv2DBackpropFilter`, so no convolutional
 * network trains on it, and its `Conv2DBackpropInput` is a plain C++ loop that
 * is ~10x slower than the forward convolution. Both gradients are convolutions
 * themselves (for a convolution y = x * w with stride s and padding p):
 *
 * - filter gradient: dw[a, b, ci, co] = sum_{n,i,j} x[n, s i + a - p, s j + b - p, ci] dy[n, i, j, co],
 *   i.e. a forward convolution of the transposed input xT[ci, h, w, n] (batch =
 *   input channels, channels = images) with the transposed output gradient
 *   dyT[i, j, n, co] as the filter, dilated by s, then transposed back;
 * - input gradient (stride 1): dx = dy convolved with the spatially flipped,
 *   channel-swapped filter, padded by (k - 1 - p).
 *
 * The kernels call the WASM backend's own `Conv2D`, `Transpose`, `Reverse` and
 * `Slice` kernels on tensor infos (no tape, no JS loops over tensor data) and
 * free every intermediate.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import {
  simdAvgPoolGradTiled,
  simdConvBackpropFilter,
  simdConvBackpropInput,
  simdConvForward,
  simdConvGeometry,
  simdConvKernelsLoaded,
  simdMatMul,
  simdSumRows,
} from "./simd_conv.ts";
import {
  oneDnnAvgPool,
  oneDnnAvgPoolGrad,
  oneDnnBiasAdd,
  oneDnnConvBackpropFilter,
  oneDnnConvBackpropFilterBias,
  oneDnnConvBackpropInput,
  oneDnnConvForward,
  oneDnnKernelsActive,
  oneDnnMatMul,
  oneDnnReluGrad,
  type PoolGeometry,
} from "./onednn.ts";

type TensorInfo = tf.TensorInfo;
type Backend = tf.KernelBackend & {
  disposeData(id: object): boolean;
  makeOutput(shape: number[], dtype: "float32", offset?: number, values?: Float32Array): TensorInfo;
};
type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: Backend; attrs: tf.NamedAttrMap };
type Pad4 = [[number, number], [number, number], [number, number], [number, number]];

/** Kernel configs registered by this module, so registration is idempotent. */
const OURS = new WeakSet<object>();

let simdEnabled = true;

/**
 * Turn the hand-written WASM SIMD convolution kernels (`simd_conv.ts`) on or
 * off for this process; off, stride-1 convolutions and their gradients take
 * the previous route (XNNPACK forward convolutions of transposed tensors).
 * On by default; `deno task bench` switches them to time both routes.
 */
export function setSimdConvKernels(enabled: boolean): void {
  simdEnabled = enabled;
}

/** Whether the WASM SIMD convolution kernels are on and loaded in this process. */
export function simdConvKernelsActive(): boolean {
  return simdEnabled && simdConvKernelsLoaded();
}

/** The backend is tfjs-backend-wasm (it has an Emscripten module and a heap map). */
function isWasmBackend(backend: object): boolean {
  return "wasm" in backend && "dataIdMap" in backend;
}

/** The kernel `name` of the backend running now (our kernels run on wasm or cpu). */
function kernel(name: string): (args: KernelArgs) => TensorInfo {
  const backendName = tf.getBackend();
  const config = tf.getKernel(name, backendName);
  if (config === undefined) {
    throw new TypeError(
      `The ${backendName} backend lacks the ${name} kernel that the gradient kernels need`,
    );
  }
  return config.kernelFunc as unknown as (args: KernelArgs) => TensorInfo;
}

function conv2d(
  backend: Backend,
  x: TensorInfo,
  filter: TensorInfo,
  pad: Pad4,
  dilations: [number, number],
): TensorInfo {
  return kernel("Conv2D")({
    inputs: { x, filter },
    backend,
    attrs: { strides: [1, 1], pad, dataFormat: "NHWC", dilations, dimRoundingMode: undefined },
  } as unknown as KernelArgs);
}

function transpose(backend: Backend, x: TensorInfo, perm: number[]): TensorInfo {
  return kernel("Transpose")({ inputs: { x }, backend, attrs: { perm } } as unknown as KernelArgs);
}

function slice(backend: Backend, x: TensorInfo, begin: number[], size: number[]): TensorInfo {
  return kernel("Slice")(
    { inputs: { x }, backend, attrs: { begin, size } } as unknown as KernelArgs,
  );
}

function reverse(backend: Backend, x: TensorInfo, dims: number[]): TensorInfo {
  return kernel("Reverse")({ inputs: { x }, backend, attrs: { dims } } as unknown as KernelArgs);
}

function free(backend: Backend, ...infos: TensorInfo[]): void {
  for (const t of infos) backend.disposeData(t.dataId);
}

function convInfo(
  xShape: number[],
  filterShape: number[],
  attrs: tf.NamedAttrMap,
): tf.backend_util.Conv2DInfo {
  const dataFormat = attrs.dataFormat as "NHWC" | "NCHW";
  if (dataFormat !== "NHWC") {
    throw new TypeError(
      `WASM convolution gradients need dataFormat "NHWC" (channels last), got "${dataFormat}"`,
    );
  }
  return tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides as number | [number, number],
    1,
    attrs.pad as "same",
    attrs.dimRoundingMode as "floor" | undefined,
    false,
    "channelsLast",
  );
}

/**
 * [N, H, W, C] -> [C, H, W, N] as a 2-D transpose [N, HWC] -> [HWC, N] and a
 * block move [HW, C, N] -> [C, HW, N]: about twice as fast on WASM as the one
 * rank-4 permutation [3, 1, 2, 0], whose generic loop strides through memory.
 */
function channelsBatchLast(backend: Backend, x: TensorInfo): TensorInfo {
  const [n, h, w, c] = x.shape;
  const flat = reshape(backend, x, [n, h * w * c]);
  const t = transpose(backend, flat, [1, 0]);
  free(backend, flat);
  const t3 = reshape(backend, t, [h * w, c, n]);
  free(backend, t);
  const moved = transpose(backend, t3, [1, 0, 2]);
  free(backend, t3);
  const out = reshape(backend, moved, [c, h, w, n]);
  free(backend, moved);
  return out;
}

/**
 * dw = conv(xT, dyT) with dilation = stride: xT is [Cin, H, W, N], dyT is
 * [Ho, Wo, N, Cout], the result [Cin, kh, kw, Cout] is transposed to
 * [kh, kw, Cin, Cout].
 */
function conv2DBackpropFilter(args: KernelArgs): TensorInfo {
  const { backend, inputs, attrs } = args;
  const x = inputs.x as TensorInfo;
  const dy = inputs.dy as TensorInfo;
  const filterShape = attrs.filterShape as number[];
  const info = convInfo(x.shape, filterShape, attrs);
  if (simdConvKernelsActive() && isWasmBackend(backend)) {
    const geometry = simdConvGeometry(info);
    if (geometry !== undefined) {
      return oneDnnConvBackpropFilter(backend, { x, dy, geometry }) ??
        simdConvBackpropFilter(backend, { x, dy, geometry });
    }
  }
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const { inHeight: h, inWidth: w, outHeight: ho, outWidth: wo } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  // Pad the far sides so that the output is exactly kh x kw; when the forward
  // convolution ignored trailing rows/columns (valid padding with a remainder),
  // the needed pad is negative and those rows/columns are cut off instead.
  const bottom = kh + sh * (ho - 1) - h - top;
  const right = kw + sw * (wo - 1) - w - left;
  let xT = channelsBatchLast(backend, x);
  if (bottom < 0 || right < 0) {
    const cut = slice(backend, xT, [0, 0, 0, 0], [
      xT.shape[0],
      h + Math.min(bottom, 0),
      w + Math.min(right, 0),
      xT.shape[3],
    ]);
    free(backend, xT);
    xT = cut;
  }
  const dyT = transpose(backend, dy, [1, 2, 0, 3]);
  const pad: Pad4 = [[0, 0], [top, Math.max(bottom, 0)], [left, Math.max(right, 0)], [0, 0]];
  const dwT = conv2d(backend, xT, dyT, pad, [sh, sw]);
  free(backend, xT, dyT);
  const dw = transpose(backend, dwT, [1, 2, 0, 3]);
  free(backend, dwT);
  return dw;
}

/**
 * For stride 1: dx = conv(dy, flip(w) with in/out channels swapped), padded by
 * (k - 1 - p) on the near sides; other strides use the backend's own kernel.
 */
function makeConv2DBackpropInput(
  native: (args: KernelArgs) => TensorInfo,
): (args: KernelArgs) => TensorInfo {
  return (args) => {
    const { backend, inputs, attrs } = args;
    const dy = inputs.dy as TensorInfo;
    const filter = inputs.filter as TensorInfo;
    const inputShape = attrs.inputShape as number[];
    const info = convInfo(inputShape, filter.shape, attrs);
    if (simdConvKernelsActive()) {
      const geometry = simdConvGeometry(info);
      if (geometry !== undefined) {
        return oneDnnConvBackpropInput(backend, { dy, filter, geometry }) ??
          simdConvBackpropInput(backend, { dy, filter, geometry });
      }
    }
    const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
    const { inHeight: h, inWidth: w, outHeight: ho, outWidth: wo } = info;
    const top = kh - 1 - info.padInfo.top;
    const left = kw - 1 - info.padInfo.left;
    const bottom = h - ho - top + kh - 1;
    const right = w - wo - left + kw - 1;
    if (sh !== 1 || sw !== 1 || top < 0 || left < 0 || bottom < 0 || right < 0) {
      return native(args);
    }
    const flipped = reverse(backend, filter, [0, 1]);
    const swapped = transpose(backend, flipped, [0, 1, 3, 2]);
    free(backend, flipped);
    const dx = conv2d(backend, dy, swapped, [[0, 0], [top, bottom], [left, right], [0, 0]], [1, 1]);
    free(backend, swapped);
    return dx;
  };
}

/**
 * `Conv2D` and `FusedConv2D` (bias of one value per output channel, ReLU or
 * no activation) for stride 1 and dilation 1 on the WASM SIMD kernel, which
 * adds the bias and applies the ReLU as it stores each output; other cases
 * (strides, dilations, PReLU and other activations) keep the native kernel.
 */
function makeConvForward(
  fused: boolean,
): (native: (args: KernelArgs) => TensorInfo) => (args: KernelArgs) => TensorInfo {
  return (native) => (args) => {
    const { backend, inputs, attrs } = args;
    if (!simdConvKernelsActive()) return native(args);
    const x = inputs.x as TensorInfo;
    const filter = inputs.filter as TensorInfo;
    const bias = fused ? (inputs.bias as TensorInfo | undefined | null) ?? undefined : undefined;
    const activation = fused
      ? (attrs.activation as string | undefined | null) ?? "linear"
      : "linear";
    if (
      attrs.dataFormat !== "NHWC" || x.shape.length !== 4 || x.dtype !== "float32" ||
      filter.dtype !== "float32" || (activation !== "linear" && activation !== "relu") ||
      (fused && inputs.preluActivationWeights != null) ||
      (bias !== undefined &&
        (bias.dtype !== "float32" || size(bias.shape) !== filter.shape[3] ||
          bias.shape.length > 1))
    ) {
      return native(args);
    }
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      filter.shape as [number, number, number, number],
      attrs.strides as number | [number, number],
      attrs.dilations as number | [number, number],
      attrs.pad as "same",
      attrs.dimRoundingMode as "floor" | undefined,
      false,
      "channelsLast",
    );
    const geometry = simdConvGeometry(info);
    if (geometry === undefined) return native(args);
    const conv = { x, filter, bias, relu: activation === "relu", geometry };
    return oneDnnConvForward(backend, conv) ?? simdConvForward(backend, conv);
  };
}

function reshape(backend: Backend, x: TensorInfo, shape: number[]): TensorInfo {
  return kernel("Reshape")({ inputs: { x }, backend, attrs: { shape } } as unknown as KernelArgs);
}

function size(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * Relative cost per float of XNNPACK packing a matrix product's right operand
 * (a transposing copy done on every call with new weights) against one plain
 * `Transpose` copy; measured ~5x on the paper's dense layer (14400 x 200).
 */
const PACK_COST = 5;

/**
 * The WASM `BatchMatMul` runs XNNPACK only without transposes; with
 * `transposeA`/`transposeB` (every dense-layer gradient) it falls back to a
 * scalar triple loop (~20x slower). And XNNPACK repacks its right operand
 * whenever that tensor is new, which in training is every step for the
 * weights. For a single matrix product this materialises the transposes with
 * the `Transpose` kernel and calls the XNNPACK path on either
 * C = op(A) op(B) or C^T = op(B)^T op(A)^T, whichever copies and packs fewer
 * floats (a right operand already packed by a previous call, e.g. fixed weights
 * at inference, costs nothing).
 */
function makeBatchMatMul(
  native: (args: KernelArgs) => TensorInfo,
): (args: KernelArgs) => TensorInfo {
  const packed = new WeakSet<object>();
  return (args) => {
    const { backend, inputs, attrs } = args;
    const a = inputs.a as TensorInfo;
    const b = inputs.b as TensorInfo;
    const tA = attrs.transposeA === true;
    const tB = attrs.transposeB === true;
    const ra = a.shape.length;
    const rb = b.shape.length;
    if (
      a.dtype !== "float32" || b.dtype !== "float32" ||
      size(a.shape.slice(0, -2)) !== 1 || size(b.shape.slice(0, -2)) !== 1
    ) {
      return native(args);
    }
    const [ar, ac] = a.shape.slice(-2);
    const [br, bc] = b.shape.slice(-2);
    const m = tA ? ac : ar;
    const n = tB ? br : bc;
    if (simdConvKernelsActive()) {
      const batch = ra > rb ? a.shape.slice(0, -2) : b.shape.slice(0, -2);
      const product = { a, b, transposeA: tA, transposeB: tB, shape: [...batch, m, n] };
      const out = oneDnnMatMul(backend, product) ?? simdMatMul(backend, product);
      if (out !== undefined) return out;
    }
    const sizeA = ar * ac;
    const sizeB = br * bc;
    const bPacked = !tB && packed.has(b.dataId);
    const direct = (tA ? sizeA : 0) + (tB ? sizeB : 0) + (bPacked ? 0 : PACK_COST * sizeB);
    const swapped = (tB ? 0 : sizeB) + (tA ? 0 : sizeA) + PACK_COST * sizeA + m * n;
    if (!tA && !tB) {
      if (direct <= swapped) return native(args);
      // Pack these weights next time if they come again unchanged.
      packed.add(b.dataId);
    }
    const a2 = reshape(backend, a, [ar, ac]);
    const b2 = reshape(backend, b, [br, bc]);
    const plain = (x: TensorInfo, y: TensorInfo) =>
      native({ inputs: { a: x, b: y }, backend, attrs: { transposeA: false, transposeB: false } });
    let c: TensorInfo;
    if (direct <= swapped) {
      const x = tA ? transpose(backend, a2, [1, 0]) : a2;
      const y = tB ? transpose(backend, b2, [1, 0]) : b2;
      c = plain(x, y);
      if (x !== a2) free(backend, x);
      if (y !== b2) free(backend, y);
    } else {
      const x = tB ? b2 : transpose(backend, b2, [1, 0]);
      const y = tA ? a2 : transpose(backend, a2, [1, 0]);
      const cT = plain(x, y);
      if (x !== b2) free(backend, x);
      if (y !== a2) free(backend, y);
      c = transpose(backend, cT, [1, 0]);
      free(backend, cT);
    }
    free(backend, a2, b2);
    const batch = ra > rb ? a.shape.slice(0, -2) : b.shape.slice(0, -2);
    const out = reshape(backend, c, [...batch, m, n]);
    free(backend, c);
    return out;
  };
}

/**
 * The WASM `AvgPoolGrad` is a plain loop; when the pooling windows tile the
 * input exactly (window = stride, input = stride x output, as in the paper's
 * 2x2 stride-2 pooling) the gradient is dy / (window area) upsampled by
 * nearest neighbour, which `ResizeNearestNeighbor` does in one pass.
 */
function makeAvgPoolGrad(
  native: (args: KernelArgs) => TensorInfo,
): (args: KernelArgs) => TensorInfo {
  return (args) => {
    const { backend, inputs, attrs } = args;
    const dy = inputs.dy as TensorInfo;
    const input = inputs.input as TensorInfo;
    const pair = (v: unknown): [number, number] =>
      Array.isArray(v) ? [v[0], v[1]] : [v as number, v as number];
    const [fh, fw] = pair(attrs.filterSize);
    const [sh, sw] = pair(attrs.strides);
    const pad = attrs.pad;
    const [, h, w] = input.shape;
    const [, ho, wo] = dy.shape;
    const tiles = fh === sh && fw === sw && h === sh * ho && w === sw * wo &&
      (pad === "valid" || pad === "same" || pad === 0);
    if (!tiles || dy.dtype !== "float32" || input.shape.length !== 4) return native(args);
    if (simdConvKernelsActive()) {
      const [n, , , c] = input.shape;
      const geometry = { n, h, w, c, ho, wo, kh: fh, kw: fw, sh, sw };
      return oneDnnAvgPoolGrad(backend, { dy, geometry }) ??
        simdAvgPoolGradTiled(backend, { dy, sh, sw });
    }
    const scale = backend.makeOutput([], "float32", undefined, new Float32Array([1 / (fh * fw)]));
    const scaled = kernel("Multiply")({
      inputs: { a: dy, b: scale },
      backend,
      attrs: {},
    } as unknown as KernelArgs);
    free(backend, scale);
    const dx = kernel("ResizeNearestNeighbor")({
      inputs: { images: scaled },
      backend,
      attrs: { alignCorners: false, halfPixelCenters: false, size: [h, w] },
    } as unknown as KernelArgs);
    free(backend, scaled);
    return dx;
  };
}

/**
 * `Add` of a bias, x [n, h, w, c] + b [c] (or [1, 1, 1, c]), as every
 * convolution layer does in training (tfjs fuses bias and ReLU into the
 * convolution only outside gradient recording): one oneDNN pass instead of
 * the WASM backend's broadcasting loop. Other adds keep the native kernel.
 */
function makeAdd(native: (args: KernelArgs) => TensorInfo): (args: KernelArgs) => TensorInfo {
  return (args) => {
    const { backend, inputs } = args;
    const a = inputs.a as TensorInfo;
    const b = inputs.b as TensorInfo;
    if (
      simdConvKernelsActive() && a.dtype === "float32" && b.dtype === "float32" &&
      a.shape.length === 4 && b.shape.length >= 1 && b.shape.length <= 4 &&
      b.shape[b.shape.length - 1] === a.shape[3] && size(b.shape) === a.shape[3]
    ) {
      const y = oneDnnBiasAdd(backend, { x: a, bias: b });
      if (y !== undefined) return y;
    }
    return native(args);
  };
}

/**
 * `AvgPool` without padding (the paper's 2 x 2, stride 2) on oneDNN; with
 * padding, other dtypes or without oneDNN, the native (XNNPACK) kernel.
 */
function makeAvgPool(native: (args: KernelArgs) => TensorInfo): (args: KernelArgs) => TensorInfo {
  return (args) => {
    const { backend, inputs, attrs } = args;
    const x = inputs.x as TensorInfo;
    if (!simdConvKernelsActive() || x.dtype !== "float32" || x.shape.length !== 4) {
      return native(args);
    }
    const info = tf.backend_util.computePool2DInfo(
      x.shape as [number, number, number, number],
      attrs.filterSize as [number, number] | number,
      attrs.strides as [number, number] | number,
      1,
      attrs.pad as "valid",
      attrs.dimRoundingMode as "floor" | undefined,
    );
    const p = info.padInfo;
    if (p.top !== 0 || p.left !== 0 || p.bottom !== 0 || p.right !== 0) return native(args);
    const geometry: PoolGeometry = {
      n: info.batchSize,
      h: info.inHeight,
      w: info.inWidth,
      c: info.inChannels,
      ho: info.outHeight,
      wo: info.outWidth,
      kh: info.filterHeight,
      kw: info.filterWidth,
      sh: info.strideHeight,
      sw: info.strideWidth,
    };
    return oneDnnAvgPool(backend, { x, geometry }) ?? native(args);
  };
}

/**
 * Name of the WASM kernel that returns [dw, db] of a convolution with bias:
 * `Conv2DBackpropFilter`'s dw (same inputs x, dy and attributes) and db, dy
 * summed over batch, rows and columns; on oneDNN one primitive computes both.
 */
export const FILTER_BIAS_GRAD_KERNEL = "ClusterCnnConv2DBackpropFilterBias";

function filterBiasGradKernel(args: KernelArgs): TensorInfo[] {
  const { backend, inputs, attrs } = args;
  const x = inputs.x as TensorInfo;
  const dy = inputs.dy as TensorInfo;
  if (simdConvKernelsActive() && isWasmBackend(backend) && attrs.dataFormat === "NHWC") {
    const geometry = simdConvGeometry(convInfo(x.shape, attrs.filterShape as number[], attrs));
    const r = geometry && oneDnnConvBackpropFilterBias(backend, { x, dy, geometry });
    if (r) return [r.dw, r.db];
  }
  const dw = conv2DBackpropFilter(args);
  const db = kernel("Sum")({
    inputs: { x: dy },
    backend,
    attrs: { axis: [0, 1, 2], keepDims: false },
  } as unknown as KernelArgs);
  return [dw, db];
}

/** Name of the WASM kernel dx = dy where x > 0 (else 0), the ReLU gradient in one pass. */
export const RELU_GRAD_KERNEL = "ClusterCnnReluGrad";

function reluGradKernel(args: KernelArgs): TensorInfo {
  const { backend, inputs } = args;
  const dy = inputs.dy as TensorInfo;
  const x = inputs.x as TensorInfo;
  const dx = oneDnnReluGrad(backend, { dy, x });
  if (dx === undefined) {
    throw new Error(`${RELU_GRAD_KERNEL} needs oneDNN (internal error: it was called without)`);
  }
  return dx;
}

/**
 * The ReLU gradient tfjs registers, dy * cast(step(x)), takes three passes
 * over each activation (Step, Cast, Multiply); on the WASM backend with
 * oneDNN it is one pass of oneDNN's ReLU backward ({@linkcode RELU_GRAD_KERNEL}),
 * elsewhere the same formula as tfjs'. Not differentiable again (no
 * second-order gradients through ReLU; none of this toolkit's uses needs them).
 */
const reluGradConfig: tf.GradConfig = {
  kernelName: "Relu",
  inputsToSave: ["x"],
  gradFunc: (dy, saved) => {
    const [x] = saved;
    return { x: () => reluGrad(dy as tf.Tensor, x) };
  },
};

/**
 * dy where x > 0, else 0: the ReLU gradient, with x the ReLU's input or its
 * output (both are > 0 at the same places). One pass of
 * {@linkcode RELU_GRAD_KERNEL} on wasm with oneDNN, tfjs' formula elsewhere.
 */
export function reluGrad(dy: tf.Tensor, x: tf.Tensor): tf.Tensor {
  if (
    tf.getBackend() === "wasm" && simdConvKernelsActive() && oneDnnKernelsActive() &&
    dy.dtype === "float32" && x.dtype === "float32" && dy.shape.join() === x.shape.join()
  ) {
    return tf.engine().runKernel(RELU_GRAD_KERNEL, { dy, x }, {}) as tf.Tensor;
  }
  return tf.mul(dy, tf.cast(tf.step(x), "float32"));
}

/**
 * The WASM `Sum` over leading axes (every bias gradient: a sum over batch,
 * rows and columns) transposes the whole tensor with a slow rank-4 loop first;
 * viewing it as a matrix [leading, rest] and summing axis 0 is ~2-3x faster.
 */
function makeSum(native: (args: KernelArgs) => TensorInfo): (args: KernelArgs) => TensorInfo {
  return (args) => {
    const { backend, inputs, attrs } = args;
    const x = inputs.x as TensorInfo;
    const rank = x.shape.length;
    const raw = attrs.axis as number | number[];
    const axes = (Array.isArray(raw) ? raw : [raw]).map((a) => (a < 0 ? a + rank : a))
      .sort((p, q) => p - q);
    const simd = simdConvKernelsActive();
    const leading = axes.every((a, i) => a === i) && axes.length >= (simd ? 1 : 2) &&
      axes.length < rank;
    if (!leading || x.dtype !== "float32") return native(args);
    const lead = size(x.shape.slice(0, axes.length));
    const rest = x.shape.slice(axes.length);
    const shape = attrs.keepDims === true ? [...axes.map(() => 1), ...rest] : rest;
    if (simd) return simdSumRows(backend, { x, rows: lead, cols: size(rest), shape });
    const x2 = reshape(backend, x, [lead, size(rest)]);
    const s = native({ inputs: { x: x2 }, backend, attrs: { axis: [0], keepDims: false } });
    free(backend, x2);
    const out = reshape(backend, s, shape);
    free(backend, s);
    return out;
  };
}

/**
 * The WASM `Identity` copies its input; tfjs' engine calls it to keep every
 * tensor a gradient needs (`saveTensorsForBackwardMode`), i.e. a full copy of
 * each large activation per step. Tensors are immutable in tfjs, so, like the
 * cpu and WebGL backends, share the buffer and count the reference instead.
 */
function makeIdentity(_native: (args: KernelArgs) => TensorInfo): (args: KernelArgs) => TensorInfo {
  return (args) => {
    const x = args.inputs.x as TensorInfo;
    (args.backend as unknown as { incRef(id: object): void }).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
}

/**
 * The WASM `Cast` copies even when the dtype does not change (as in every ReLU
 * gradient, `cast(step(x), "float32")`); like `Identity`, share the buffer then.
 */
function makeCast(native: (args: KernelArgs) => TensorInfo): (args: KernelArgs) => TensorInfo {
  return (args) => {
    const x = args.inputs.x as TensorInfo;
    if (x.dtype !== args.attrs.dtype) return native(args);
    (args.backend as unknown as { incRef(id: object): void }).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
}

/** Names of the kernels {@linkcode registerWasmGradientKernels} adds or replaces. */
export const WASM_GRADIENT_KERNELS: readonly string[] = [
  "Conv2D",
  "FusedConv2D",
  "Conv2DBackpropFilter",
  "Conv2DBackpropInput",
  "BatchMatMul",
  "AvgPoolGrad",
  "Sum",
  "Identity",
  "Cast",
  "Add",
  "AvgPool",
  RELU_GRAD_KERNEL,
  FILTER_BIAS_GRAD_KERNEL,
];

function replace(
  name: string,
  make: (native: (args: KernelArgs) => TensorInfo) => (args: KernelArgs) => TensorInfo,
): void {
  const current = tf.getKernel(name, "wasm");
  if (current === undefined || OURS.has(current)) return;
  const native = current.kernelFunc as unknown as (args: KernelArgs) => TensorInfo;
  tf.unregisterKernel(name, "wasm");
  const config: tf.KernelConfig = {
    kernelName: name,
    backendName: "wasm",
    // The native kernel's setup binds its C++ function; keep it for the fallback.
    setupFunc: current.setupFunc,
    kernelFunc: make(native) as unknown as tf.KernelFunc,
  };
  OURS.add(config);
  tf.registerKernel(config);
}

/**
 * Replace the pure-JS "cpu" backend's `Conv2DBackpropFilter` (a 7-deep loop,
 * ~0.1 training images/s for the paper's network) with the same formulation as
 * on WASM, a forward `Conv2D` of transposed tensors (~30x faster there). Safe to
 * call more than once.
 */
export function registerCpuGradientKernels(): void {
  const current = tf.getKernel("Conv2DBackpropFilter", "cpu");
  if (current !== undefined && OURS.has(current)) return;
  if (current !== undefined) tf.unregisterKernel("Conv2DBackpropFilter", "cpu");
  const config: tf.KernelConfig = {
    kernelName: "Conv2DBackpropFilter",
    backendName: "cpu",
    kernelFunc: conv2DBackpropFilter as unknown as tf.KernelFunc,
  };
  OURS.add(config);
  tf.registerKernel(config);
}

/**
 * Register the fast training kernels for the "wasm" backend: adds
 * `Conv2DBackpropFilter` and the one-pass ReLU gradient kernel (with a
 * gradient of `Relu` that uses it on wasm with oneDNN, tfjs' formula
 * elsewhere); replaces `Conv2D` and `FusedConv2D` (stride 1),
 * `Conv2DBackpropInput` (stride 1), `BatchMatMul` (single products),
 * `AvgPoolGrad` (tiling windows), `Sum` (over leading axes), `Identity` and
 * same-dtype `Cast` (share, not copy), `Add` (bias, on oneDNN) and `AvgPool`
 * (no padding, on oneDNN), each keeping the original for the cases it does
 * not cover. Call it
 * after importing `@tensorflow/tfjs-backend-wasm`; safe to call more than once,
 * before or after the backend is initialised.
 */
export function registerWasmGradientKernels(): void {
  if (tf.getKernel("Conv2D", "wasm") === undefined) {
    throw new TypeError(
      "Cannot register WASM gradient kernels: import @tensorflow/tfjs-backend-wasm first",
    );
  }
  addWasmKernel("Conv2DBackpropFilter", conv2DBackpropFilter);
  replace("Conv2DBackpropInput", makeConv2DBackpropInput);
  replace("Conv2D", makeConvForward(false));
  replace("FusedConv2D", makeConvForward(true));
  replace("BatchMatMul", makeBatchMatMul);
  replace("AvgPoolGrad", makeAvgPoolGrad);
  replace("Sum", makeSum);
  replace("Identity", makeIdentity);
  replace("Cast", makeCast);
  replace("Add", makeAdd);
  replace("AvgPool", makeAvgPool);
  addWasmKernel(RELU_GRAD_KERNEL, reluGradKernel);
  addWasmKernel(FILTER_BIAS_GRAD_KERNEL, filterBiasGradKernel);
  tf.registerGradient(reluGradConfig);
}

/** Register `func` as the wasm kernel `name` unless a kernel of that name exists. */
function addWasmKernel(name: string, func: (args: KernelArgs) => TensorInfo | TensorInfo[]): void {
  if (tf.getKernel(name, "wasm") !== undefined) return;
  const config: tf.KernelConfig = {
    kernelName: name,
    backendName: "wasm",
    kernelFunc: func as unknown as tf.KernelFunc,
  };
  OURS.add(config);
  tf.registerKernel(config);
}
