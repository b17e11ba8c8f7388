/**
 * Private: a Deno worker that renders clusters for `simulateDataset`.
 * Protocol: `{ type: "init", settings }` once, then `{ type: "job", index, halo }`;
 * replies `{ type: "result", index, views }` (image buffers transferred) or
 * `{ type: "error", index, message }`.
 *
 * @module
 */
/// <reference lib="deno.worker" />
import type { HaloRecord } from "../halo/mod.ts";
import { makeRenderContext, renderClusterViews, type RenderContext } from "./render.ts";
import { TRACERS } from "../types/mod.ts";

let ctx: RenderContext | null = null;

self.onmessage = (e: MessageEvent) => {
  const msg = e.data as
    | { type: "init"; settings: Parameters<typeof makeRenderContext>[0] }
    | { type: "job"; index: number; halo: HaloRecord };
  try {
    if (msg.type === "init") {
      ctx = makeRenderContext(msg.settings);
      self.postMessage({ type: "ready" });
      return;
    }
    if (!ctx) throw new Error("worker received a job before init");
    const views = renderClusterViews(msg.halo, ctx);
    self.postMessage(
      { type: "result", index: msg.index, views },
      TRACERS.map((t) => views.images[t].buffer as ArrayBuffer),
    );
  } catch (err) {
    self.postMessage({
      type: "error",
      index: (msg as { index?: number }).index ?? -1,
      message: err instanceof Error ? `${err.message}\n${err.stack ?? ""}` : String(err),
    });
  }
};
