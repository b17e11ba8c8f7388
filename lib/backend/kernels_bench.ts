/**
 * Per-kernel timings of a WASM training step of the paper's single-channel
 * CNN (batch 50, 120 x 120): each convolution's forward pass, filter gradient
 * and input gradient, the first dense layer's three matrix products, the
 * pooling gradient and the bias-gradient sum, on oneDNN through FFI when
 * libdnnl2 is installed (lib/backend/onednn.ts), on the
 * hand-written WASM SIMD kernels (lib/backend/kernels/conv.c) and on the
 * previous route (XNNPACK forward convolutions of transposed tensors, tfjs'
 * own kernels), in CPU ms
 * per call (single-threaded kernels: their run time on a core, even on a busy
 * machine) and GFLOPS (2 x multiply-adds / time).
 *
 * Standalone: `deno run -A lib/backend/kernels_bench.ts` (every route);
 * `deno bench -A lib/backend/kernels_bench.ts` times one step's kernels on the
 * route in use with Deno.bench; `deno task bench` imports
 * {@linkcode benchKernels}.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import process from "node:process";
import {
  oneDnnKernelsActive,
  oneDnnStatus,
  setOneDnnKernels,
  setSimdConvKernels,
  setupBackend,
} from "../backend/mod.ts";
import { Rng } from "../random/mod.ts";
import type { BenchResult } from "../io/bench_result.ts";

/** Options of {@linkcode benchKernels}. */
export interface BenchKernelsOptions {
  /** Timed calls per kernel and route (after one untimed call). Default 3. */
  repeats?: number;
  /** Images per batch. Default 50. */
  batch?: number;
}

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** CPU ms per call of a synchronous WASM kernel (its output disposed, never read back). */
function timeKernel(f: () => tf.Tensor, repeats: number): number {
  f().dispose();
  const c0 = cpuMs();
  for (let i = 0; i < repeats; i++) f().dispose();
  return (cpuMs() - c0) / repeats;
}

interface Piece {
  label: string;
  /** Multiply-adds of one call. */
  macs: number;
  run: () => tf.Tensor;
}

/**
 * Time every piece on each route; one result per piece (CPU ms on the default
 * route: oneDNN when loaded, else SIMD), its detail giving the others and GFLOPS.
 */
/** The kernels of one training step of the single-channel network, on random inputs. */
function kernelPieces(n: number): { pieces: Piece[]; tensors: tf.Tensor[] } {
  const rng = new Rng(11);
  const tensors: tf.Tensor[] = [];
  const rand = (shape: number[]) => {
    const a = new Float32Array(shape.reduce((p, q) => p * q, 1));
    for (let i = 0; i < a.length; i++) a[i] = rng.normal();
    const t = tf.tensor(a, shape);
    tensors.push(t);
    return t;
  };
  const attrs = { strides: [1, 1], pad: "same", dataFormat: "NHWC", dilations: [1, 1] };
  const run = (name: string, inputs: tf.NamedTensorMap, a: Record<string, unknown> = {}) => () =>
    tf.engine().runKernel(name, inputs, { ...attrs, ...a } as tf.NamedAttrMap) as tf.Tensor;
  const pieces: Piece[] = [];
  // [side, input channels, output channels] of conv1..conv3 ("same" padding).
  const layers = [[120, 1, 16], [60, 16, 32], [30, 32, 64]];
  layers.forEach(([h, ci, co], i) => {
    const x = rand([n, h, h, ci]);
    const dy = rand([n, h, h, co]);
    const w = rand([3, 3, ci, co]);
    const macs = n * h * h * 9 * ci * co;
    const what = `conv${i + 1} ${n}x${h}x${h}x${ci}->${co}`;
    pieces.push({ label: `${what} forward`, macs, run: run("Conv2D", { x, filter: w }) });
    pieces.push({
      label: `${what} filter gradient`,
      macs,
      run: run("Conv2DBackpropFilter", { x, dy }, { filterShape: w.shape }),
    });
    // conv1's input gradient is not needed in training (its input is the image).
    if (i > 0) {
      pieces.push({
        label: `${what} input gradient`,
        macs,
        run: run("Conv2DBackpropInput", { dy, filter: w }, { inputShape: x.shape }),
      });
    }
  });
  const feat = 15 * 15 * 64;
  const a = rand([n, feat]);
  const wd = rand([feat, 200]);
  const g = rand([n, 200]);
  const macs = n * feat * 200;
  const mm = (x: tf.Tensor, y: tf.Tensor, tA: boolean, tB: boolean) =>
    run("BatchMatMul", { a: x, b: y }, { transposeA: tA, transposeB: tB });
  pieces.push({ label: `dense1 ${n}x${feat}->200 forward`, macs, run: mm(a, wd, false, false) });
  pieces.push({ label: `dense1 weight gradient x^T dy`, macs, run: mm(a, g, true, false) });
  pieces.push({ label: `dense1 input gradient dy W^T`, macs, run: mm(g, wd, false, true) });
  const pooled = rand([n, 60, 60, 16]);
  const act = rand([n, 120, 120, 16]);
  pieces.push({
    label: `pool1 gradient ${n}x60x60x16 -> 120x120`,
    macs: 0,
    run: run("AvgPoolGrad", { dy: pooled, input: act }, {
      filterSize: [2, 2],
      strides: [2, 2],
      pad: "valid",
    }),
  });
  pieces.push({
    label: `conv1 bias gradient (sum of ${n}x120x120x16)`,
    macs: 0,
    run: run("Sum", { x: act }, { axis: [0, 1, 2], keepDims: false }),
  });
  return { pieces, tensors };
}

export async function benchKernels(options: BenchKernelsOptions = {}): Promise<BenchResult[]> {
  const repeats = options.repeats ?? 3;
  const n = options.batch ?? 50;
  await setupBackend("wasm", { quiet: true });
  const { pieces, tensors } = kernelPieces(n);
  const results: BenchResult[] = [];
  const native = oneDnnKernelsActive();
  const routes: { name: string; simd: boolean; onednn: boolean }[] = [
    { name: "previous", simd: false, onednn: false },
    { name: "SIMD", simd: true, onednn: false },
    ...(native ? [{ name: "oneDNN", simd: true, onednn: true }] : []),
  ];
  const totals = routes.map(() => 0);
  try {
    for (const p of pieces) {
      const ms = routes.map((r, i) => {
        setSimdConvKernels(r.simd);
        setOneDnnKernels(r.onednn);
        const t = timeKernel(p.run, repeats);
        totals[i] += t;
        return t;
      });
      const best = ms[ms.length - 1];
      const gf = (t: number) => (2 * p.macs / (t / 1000) / 1e9).toFixed(1);
      const others = routes.slice(0, -1).map((r, i) => `${r.name} ${ms[i].toFixed(1)}`).join(", ");
      const detail = `${routes[routes.length - 1].name}; ${others} ms` +
        (p.macs > 0 ? `; ${ms.map(gf).join(" / ")} GFLOPS` : "") +
        `; ${(ms[0] / best).toFixed(1)}x previous`;
      results.push({ label: `kernel ${p.label}`, value: best, unit: "CPU ms", detail });
    }
  } finally {
    setSimdConvKernels(true);
    setOneDnnKernels(true);
    tf.dispose(tensors);
  }
  const best = totals[totals.length - 1];
  results.push({
    label: "kernels above, total per batch of 50",
    value: best,
    unit: "CPU ms",
    detail: `${routes[routes.length - 1].name}; ` +
      routes.slice(0, -1).map((r, i) =>
        `${r.name} ${totals[i].toFixed(1)} ms (${(totals[i] / best).toFixed(1)}x)`
      )
        .join(", ") +
      (native ? "" : `; oneDNN not used: ${oneDnnStatus().detail}`),
  });
  return results;
}

let stepPieces: Promise<Piece[]> | undefined;

// `deno bench -A lib/backend/kernels_bench.ts`: the same kernels, one training
// step's worth per iteration on the route in use, with Deno.bench's statistics.
Deno.bench({
  name: "kernels of a single-channel training step, batch 50 (oneDNN if loaded, else WASM SIMD)",
  async fn(b) {
    stepPieces ??= setupBackend("wasm", { quiet: true }).then(() => kernelPieces(50).pieces);
    const pieces = await stepPieces;
    b.start();
    for (const p of pieces) p.run().dispose();
    b.end();
  },
});

if (import.meta.main) {
  for (const r of await benchKernels()) {
    console.log(
      `${r.label.padEnd(60)} ${r.value.toFixed(1).padStart(8)} ${r.unit}  ${r.detail ?? ""}`,
    );
  }
}
