/**
 * Choosing and initialising a TensorFlow.js backend for training in Deno.
 *
 * - `webgpu`: Deno's native `navigator.gpu` with `@tensorflow/tfjs-backend-webgpu`.
 *   Right on any adapter, but slow on a software one (lavapipe/llvmpipe).
 * - `wasm`: `@tensorflow/tfjs-backend-wasm`, SIMD, single-threaded (the threaded
 *   build fails in Deno with ERR_WORKER_PATH), its `.wasm` binary read from the
 *   local npm package (no network), plus this toolkit's training kernels
 *   (hand-written WASM SIMD convolutions, gradients and matrix products working
 *   in place on the tfjs heap, `simd_conv.ts`; see `wasm_kernels.ts`).
 * - `cpu`: tfjs' pure-JavaScript backend, a slow last resort (its filter gradient
 *   replaced by the same convolution formulation, ~30x faster than tfjs' own).
 * - `auto`: WebGPU on a real (non-fallback) GPU adapter, else WASM.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { fileURLToPath } from "node:url";
import { registerCpuGradientKernels, registerWasmGradientKernels } from "./wasm_kernels.ts";
import { loadSimdConvKernels } from "./simd_conv.ts";
import { loadOneDnn } from "./onednn.ts";

/** A backend request: a concrete backend or `auto`. */
export type BackendName = "auto" | "webgpu" | "wasm" | "cpu";

/** Valid backend requests, in the order `--backend` documents them. */
export const BACKEND_NAMES: readonly BackendName[] = ["auto", "webgpu", "wasm", "cpu"];

/** What {@linkcode setupBackend} initialised. */
export interface BackendInfo {
  /** The active tfjs backend. */
  name: "webgpu" | "wasm" | "cpu";
  /** WebGPU adapter description (vendor, architecture, device), when WebGPU was probed. */
  adapter?: string;
  /** Whether the WebGPU adapter is a software (fallback) adapter. */
  isFallbackAdapter?: boolean;
  /** Threads the WASM backend computes with (1: the SIMD single-threaded build). */
  threads?: number;
}

/** Options of {@linkcode setupBackend}. */
export interface SetupBackendOptions {
  /** Silence tfjs' console notices (sets tfjs' PROD flag). Default false. */
  quiet?: boolean;
}

/** Throw a RangeError naming the valid values when `value` is not a backend name. */
export function parseBackendName(value: string): BackendName {
  if ((BACKEND_NAMES as readonly string[]).includes(value)) return value as BackendName;
  throw new RangeError(`Unknown backend "${value}": expected one of ${BACKEND_NAMES.join(", ")}`);
}

/** The WebGPU adapter this process would get, or undefined when there is none. */
export interface WebGpuProbe {
  /** Human-readable adapter description. */
  adapter: string;
  /** True for software adapters (e.g. lavapipe, llvmpipe, WARP). */
  isFallbackAdapter: boolean;
}

interface AdapterLike {
  isFallbackAdapter?: boolean;
  info?: {
    vendor?: string;
    architecture?: string;
    device?: string;
    description?: string;
    isFallbackAdapter?: boolean;
  };
}

const SOFTWARE_ADAPTER = /llvmpipe|lavapipe|softpipe|swiftshader|warp|software/i;

/**
 * Mesa's Vulkan/GL drivers print "XDG_RUNTIME_DIR is invalid or not set" when
 * the variable is missing (as in containers and CI); pointing it at a private
 * temporary folder before the first adapter request silences them. Linux only;
 * a missing permission leaves the environment as it is.
 */
async function quietMesa(): Promise<void> {
  if (Deno.build.os !== "linux") return;
  try {
    if (Deno.env.get("XDG_RUNTIME_DIR") !== undefined) return;
    const dir = await Deno.makeTempDir({ prefix: "xdg-runtime-" });
    Deno.env.set("XDG_RUNTIME_DIR", dir);
    globalThis.addEventListener("unload", () => {
      try {
        Deno.removeSync(dir, { recursive: true });
      } catch {
        // already gone
      }
    });
  } catch {
    // no --allow-env / --allow-write: the notices are harmless
  }
}

/**
 * Ask `navigator.gpu` for an adapter (high-performance preference) and describe
 * it; undefined when WebGPU is unavailable or no adapter exists. An adapter is
 * a fallback when WebGPU says so or its name is a known software rasteriser.
 * Sets XDG_RUNTIME_DIR to a private temporary folder when it is unset (Linux),
 * which silences Mesa's notices.
 */
export async function probeWebGpu(): Promise<WebGpuProbe | undefined> {
  const gpu = (globalThis.navigator as { gpu?: GPU } | undefined)?.gpu;
  if (gpu === undefined) return undefined;
  await quietMesa();
  let adapter: AdapterLike | null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: "high-performance" }) as
      | AdapterLike
      | null;
  } catch {
    return undefined;
  }
  if (adapter === null) return undefined;
  const info = adapter.info ?? {};
  const parts = [info.vendor, info.architecture, info.device]
    .filter((s): s is string => typeof s === "string" && s.length > 0 && s !== "0");
  const description = (info.description ?? "").length > 0
    ? info.description as string
    : parts.join(" ") || "unknown adapter";
  const flagged = adapter.isFallbackAdapter === true || info.isFallbackAdapter === true;
  return {
    adapter: description,
    isFallbackAdapter: flagged || SOFTWARE_ADAPTER.test(description),
  };
}

/** Folder of the tfjs-backend-wasm package's `.wasm` binaries, as a local path. */
function wasmBinaryDir(): string {
  const main = import.meta.resolve("@tensorflow/tfjs-backend-wasm");
  if (!main.startsWith("file:")) {
    throw new TypeError(
      `Cannot load the WASM backend: @tensorflow/tfjs-backend-wasm resolved to ${main}, ` +
        `not a local file; run with nodeModulesDir "auto" (see deno.json)`,
    );
  }
  return fileURLToPath(new URL(".", main));
}

async function setupWasm(): Promise<BackendInfo> {
  const wasm = await import("@tensorflow/tfjs-backend-wasm");
  // SharedArrayBuffer exists in Deno, so tfjs would pick the threaded build,
  // whose worker shim fails (ERR_WORKER_PATH); the SIMD build is single-threaded.
  tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", false);
  wasm.setWasmPaths(wasmBinaryDir() + "/");
  await loadSimdConvKernels();
  loadOneDnn();
  registerWasmGradientKernels();
  if (!(await tf.setBackend("wasm"))) {
    throw new TypeError(
      "Cannot initialise the WASM backend: tfjs-backend-wasm failed to load its binary; " +
        "check that node_modules/.deno holds @tensorflow/tfjs-backend-wasm@4.22.0",
    );
  }
  await tf.ready();
  const backend = tf.backend() as unknown as { wasm?: { tfjs?: { getThreadsCount(): number } } };
  const threads = backend.wasm?.tfjs?.getThreadsCount?.() ?? 1;
  return { name: "wasm", threads };
}

async function setupWebGpu(probe: WebGpuProbe): Promise<BackendInfo> {
  await import("@tensorflow/tfjs-backend-webgpu");
  if (!(await tf.setBackend("webgpu"))) {
    throw new TypeError(
      `Cannot initialise the WebGPU backend on adapter "${probe.adapter}"; ` +
        `use --backend wasm`,
    );
  }
  await tf.ready();
  return { name: "webgpu", adapter: probe.adapter, isFallbackAdapter: probe.isFallbackAdapter };
}

/**
 * Make `name` the active tfjs backend and say which one it is.
 *
 * `auto` takes WebGPU only on a real (non-fallback) GPU adapter, else WASM;
 * `webgpu` throws when Deno finds no adapter at all. Re-running with another
 * name switches backends (tensors on the old backend move lazily).
 *
 * @example
 * ```ts
 * import { setupBackend } from "./mod.ts";
 * const info = await setupBackend("cpu", { quiet: true });
 * if (info.name !== "cpu") throw new Error("cpu backend expected");
 * ```
 */
export async function setupBackend(
  name: BackendName,
  options: SetupBackendOptions = {},
): Promise<BackendInfo> {
  parseBackendName(name);
  if (options.quiet === true) tf.env().set("PROD", true);
  switch (name) {
    case "cpu": {
      registerCpuGradientKernels();
      if (!(await tf.setBackend("cpu"))) {
        throw new TypeError("Cannot initialise the tfjs cpu backend");
      }
      await tf.ready();
      return { name: "cpu" };
    }
    case "wasm":
      return await setupWasm();
    case "webgpu": {
      const probe = await probeWebGpu();
      if (probe === undefined) {
        throw new TypeError(
          "Cannot use the WebGPU backend: Deno found no WebGPU adapter " +
            "(install a GPU driver or Debian's mesa-vulkan-drivers, or use --backend wasm)",
        );
      }
      return await setupWebGpu(probe);
    }
    case "auto": {
      const probe = await probeWebGpu();
      if (probe !== undefined && !probe.isFallbackAdapter) return await setupWebGpu(probe);
      const info = await setupWasm();
      return probe === undefined
        ? info
        : { ...info, adapter: probe.adapter, isFallbackAdapter: probe.isFallbackAdapter };
    }
  }
}
