/**
 * Data-parallel training steps on the WASM backend's kernels (oneDNN
 * convolutions when libdnnl2 is installed, else WASM SIMD), measured without
 * lib/train's bookkeeping: `workers` Deno workers (tasks/_bench_step_worker.ts)
 * each compute the summed gradient of their share of a batch of 50 random
 * images on their own single-threaded WASM backend; the main thread sends
 * the weights and gets the gradients back in recycled buffers (transferred,
 * never reallocated), adds them and applies a Keras RMSprop update (lr 0.01,
 * rho 0.9), as lib/train's ParallelEngine and trainer do per batch. Reports
 * images/s and the exchange cost: step time minus the slowest worker's
 * compute time (messages, summation, optimizer, waiting).
 *
 * Standalone: `deno run -A tasks/_bench_step.ts`.
 *
 * @module
 */
import process from "node:process";
import { convolutionRoute, loadOneDnn } from "../lib/backend/mod.ts";
import type { NetworkKind } from "../lib/types/mod.ts";
import type { BenchResult } from "./_bench_result.ts";
import type { StepReply, StepRequest } from "./_bench_step_worker.ts";

/** Options of {@linkcode benchStep}. */
export interface BenchStepOptions {
  /** Network. Default "ypar" (single channel). */
  kind?: NetworkKind;
  /** Workers. Default 2. */
  workers?: number;
  /** Timed steps after 2 warm-up steps. Default 4. */
  steps?: number;
  /** Batch size. Default 50. */
  batch?: number;
}

/** Images/s, step ms and exchange ms of data-parallel steps. */
export interface StepRate {
  imagesPerS: number;
  /** Images per CPU-second of the whole process (workers and main thread). */
  imagesPerCpuS: number;
  stepMs: number;
  exchangeMs: number;
  nParams: number;
}

class StepWorker {
  readonly worker = new Worker(new URL("./_bench_step_worker.ts", import.meta.url).href, {
    type: "module",
  });
  request(msg: StepRequest, transfer: Transferable[] = []): Promise<StepReply> {
    return new Promise((resolve, reject) => {
      this.worker.onmessage = (e: MessageEvent<StepReply>) => resolve(e.data);
      this.worker.onerror = (e) => {
        e.preventDefault();
        reject(new Error(`bench step worker: ${e.message}`));
      };
      this.worker.postMessage(msg, transfer);
    });
  }
}

/** Measure data-parallel training steps (see the module docs). */
export async function measureSteps(options: BenchStepOptions = {}): Promise<StepRate> {
  const kind = options.kind ?? "ypar";
  const k = options.workers ?? 2;
  const steps = options.steps ?? 4;
  const batch = options.batch ?? 50;
  const workers = Array.from({ length: k }, () => new StepWorker());
  try {
    const ready = await Promise.all(workers.map((w, i) => {
      const images = Math.floor(((i + 1) * batch) / k) - Math.floor((i * batch) / k);
      return w.request({ type: "init", kind, images, seed: 17 + 101 * i });
    }));
    const n = ready[0].type === "ready" ? ready[0].nParams : 0;
    const params = new Float32Array(n);
    for (let i = 0; i < n; i++) params[i] = 0.01 * Math.sin(i);
    const meanSquare = new Float32Array(n);
    const sum = new Float32Array(n);
    let buffers: Float32Array[] = workers.map(() => new Float32Array(n));
    let computeMax = 0;
    const step = async () => {
      const replies = await Promise.all(workers.map((w, i) => {
        buffers[i].set(params);
        return w.request({ type: "grad", params: buffers[i] }, [buffers[i].buffer]);
      }));
      const grads = replies.map((r) => (r.type === "grad" ? r.grads : new Float32Array(n)));
      computeMax += Math.max(...replies.map((r) => (r.type === "grad" ? r.computeMs : 0)));
      sum.set(grads[0]);
      for (let w = 1; w < grads.length; w++) {
        const g = grads[w];
        for (let i = 0; i < n; i++) sum[i] += g[i];
      }
      const lr = 0.01;
      for (let i = 0; i < n; i++) {
        const g = sum[i] / batch;
        const a = 0.9 * meanSquare[i] + 0.1 * g * g;
        meanSquare[i] = a;
        params[i] -= (lr * g) / (Math.sqrt(a) + 1e-7);
      }
      buffers = grads;
    };
    await step();
    await step();
    computeMax = 0;
    const cpu = () => {
      const u = process.cpuUsage();
      return (u.user + u.system) / 1e6;
    };
    const c0 = cpu();
    const t0 = performance.now();
    for (let i = 0; i < steps; i++) await step();
    const stepMs = (performance.now() - t0) / steps;
    return {
      imagesPerS: batch / (stepMs / 1000),
      imagesPerCpuS: (batch * steps) / (cpu() - c0),
      stepMs,
      exchangeMs: stepMs - computeMax / steps,
      nParams: n,
    };
  } finally {
    for (const w of workers) w.worker.terminate();
  }
}

/** 1 and 2 workers for the single-channel and multichannel networks. */
export async function benchStep(options: { steps?: number } = {}): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  loadOneDnn();
  const route = convolutionRoute();
  for (const kind of ["ypar", "multi"] as NetworkKind[]) {
    const name = kind === "multi" ? "multichannel" : "single-channel";
    const one = await measureSteps({ kind, workers: 1, steps: options.steps });
    const two = await measureSteps({ kind, workers: 2, steps: options.steps });
    out.push(
      {
        label: `step harness, ${name} CNN, 2 WASM workers (${route}), batch 50`,
        // The harness exchanges as lib/train did before its shared-memory step.
        value: two.imagesPerS,
        unit: "images/s",
        detail: `${two.stepMs.toFixed(0)} ms/step`,
      },
      {
        label: `step harness, ${name} CNN, 1 WASM worker`,
        value: one.imagesPerS,
        unit: "images/s",
        detail: `${one.stepMs.toFixed(0)} ms/step`,
      },
      {
        label: `step harness, ${name} CNN, 1 WASM worker, per CPU-second`,
        value: one.imagesPerCpuS,
        unit: "images/CPU-s",
      },
      {
        label: `step harness, ${name} CNN, scaling 1 -> 2 workers`,
        value: two.imagesPerS / one.imagesPerS,
        unit: "ratio",
      },
      {
        label:
          `step harness, ${name} CNN, transfer + sum + RMSprop on the main thread per step, 2 workers`,
        value: two.exchangeMs,
        unit: "ms",
        detail: `${(100 * two.exchangeMs / two.stepMs).toFixed(0)}% of the step; ${
          (two.nParams / 1e6).toFixed(2)
        } M weights`,
      },
    );
  }
  return out;
}

if (import.meta.main) {
  for (const r of await benchStep()) {
    console.log(
      `${r.label.padEnd(78)} ${r.value.toFixed(1).padStart(8)} ${r.unit}  ${r.detail ?? ""}`,
    );
  }
}
