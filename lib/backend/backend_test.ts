import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { BACKEND_NAMES, parseBackendName, probeWebGpu, setupBackend } from "./mod.ts";
import { smallNetworkGradients } from "./_small_network_test_util.ts";

const probe = await probeWebGpu();

Deno.test("parseBackendName() accepts the four names and rejects others, naming the valid ones", () => {
  for (const name of BACKEND_NAMES) assert.equal(parseBackendName(name), name);
  assert.throws(
    () => parseBackendName("gpu"),
    /Unknown backend "gpu": expected one of auto, webgpu, wasm, cpu/,
  );
  assert.throws(() => parseBackendName(""), RangeError);
});

Deno.test("setupBackend() initialises the single-threaded WASM backend from local files", async () => {
  const info = await setupBackend("wasm", { quiet: true });
  assert.deepEqual(info, { name: "wasm", threads: 1 });
  assert.equal(tf.getBackend(), "wasm");
  // A second call is harmless (kernels are not registered twice).
  assert.equal((await setupBackend("wasm")).name, "wasm");
  assert.ok(tf.getKernel("Conv2DBackpropFilter", "wasm") !== undefined);
});

Deno.test("setupBackend('cpu') switches to the pure-JS backend", async () => {
  const info = await setupBackend("cpu", { quiet: true });
  assert.deepEqual(info, { name: "cpu" });
  assert.equal(tf.getBackend(), "cpu");
});

Deno.test("setupBackend('auto') picks WebGPU only on a real GPU adapter, else WASM", async () => {
  const info = await setupBackend("auto", { quiet: true });
  if (probe !== undefined && !probe.isFallbackAdapter) {
    assert.equal(info.name, "webgpu");
  } else {
    assert.equal(info.name, "wasm");
    assert.equal(info.adapter, probe?.adapter);
  }
});

Deno.test({
  name: "setupBackend('webgpu') throws a clear error when Deno finds no adapter",
  ignore: probe !== undefined,
  fn: async () => {
    await assert.rejects(() => setupBackend("webgpu"), /no WebGPU adapter/);
  },
});

Deno.test({
  name: "a small conv/pool/dense network has the same gradients on WebGPU as on cpu",
  ignore: probe === undefined,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const info = await setupBackend("webgpu", { quiet: true });
    assert.equal(info.name, "webgpu");
    assert.equal(info.isFallbackAdapter, probe?.isFallbackAdapter);
    const got = await smallNetworkGradients("webgpu");
    const want = await smallNetworkGradients("cpu");
    want.forEach((w, i) => {
      let scale = 0;
      let worst = 0;
      for (let j = 0; j < w.length; j++) {
        scale = Math.max(scale, Math.abs(w[j]));
        worst = Math.max(worst, Math.abs(got[i][j] - w[j]));
      }
      // Same tolerance as the WASM comparison: 1e-4 of the largest reference value.
      assert.ok(
        worst <= 1e-4 * scale,
        `weight ${i}: max |webgpu - cpu| = ${worst}, scale ${scale}`,
      );
    });
  },
});
