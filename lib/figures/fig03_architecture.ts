/**
 * Fig. 3 of Yan et al. (2020): the single-channel (a) and multichannel (b)
 * CNN architectures, drawn from the TensorFlow.js model objects themselves
 * ({@linkcode describeModel}), so the figure always shows the network the
 * toolkit trains.
 *
 * Layout: a layer's column is its depth (longest path from an input); its
 * lane is its input's lane (inputs take lanes 0, 1, ... in order), or the mean
 * of its parents' lanes where branches merge (the multichannel `Concatenate`).
 *
 * @module
 */
import type { LayersModel } from "@tensorflow/tfjs";
import { VEGA_LITE_SCHEMA } from "./_common.ts";
import type { TopLevelSpec } from "./render.ts";

/** One layer of a model, as {@linkcode describeModel} reads it. */
export interface LayerInfo {
  /** Layer name (unique within the model). */
  name: string;
  /** Keras class name, e.g. "Conv2D", "AveragePooling2D", "Dense", "InputLayer". */
  className: string;
  /** Output shape without the batch dimension, e.g. [60, 60, 16]. */
  outputShape: number[];
  /** Number of weights (trainable and not). */
  params: number;
  /** Names of the layers feeding this one (empty for inputs). */
  inbound: string[];
  /** Short human description from the layer's config, e.g. "16 filters 3×3, relu". */
  detail: string;
}

type Config = Record<string, unknown>;

function pair(v: unknown): string {
  const a = Array.isArray(v) ? v : [v, v];
  return `${a[0]}×${a[1]}`;
}

function describeConfig(className: string, c: Config): string {
  const act = typeof c.activation === "string" && c.activation !== "linear"
    ? `, ${c.activation}`
    : "";
  switch (className) {
    case "Conv2D":
      return `${c.filters} filters ${pair(c.kernelSize)}${act}`;
    case "AveragePooling2D":
      return `avg ${pair(c.poolSize)}, stride ${pair(c.strides ?? c.poolSize).split("×")[0]}`;
    case "MaxPooling2D":
      return `max ${pair(c.poolSize)}, stride ${pair(c.strides ?? c.poolSize).split("×")[0]}`;
    case "Dense":
      return `${c.units} ${c.units === 1 ? "unit" : "units"}${act || ", linear"}`;
    case "Dropout":
      return `rate ${c.rate}`;
    case "InputLayer":
      return String(c.name ?? "image");
    case "Concatenate":
      return "join branches";
    case "Flatten":
      return "to vector";
    default:
      return "";
  }
}

/**
 * Read a TensorFlow.js LayersModel (Sequential or functional) into a list of
 * {@linkcode LayerInfo}, inputs included, in topological order.
 */
export function describeModel(model: LayersModel): LayerInfo[] {
  const layers = [...model.layers];
  const known = new Set(layers.map((l) => l.name));
  // A Sequential model does not list its InputLayer: add any missing feeder first.
  for (const l of model.layers) {
    for (const node of l.inboundNodes) {
      for (const parent of node.inboundLayers) {
        if (!known.has(parent.name)) {
          known.add(parent.name);
          layers.unshift(parent);
        }
      }
    }
  }
  return layers.map((l) => {
    const shape = l.outputShape as (number | null)[];
    const className = l.getClassName();
    const inbound = l.inboundNodes.flatMap((n) => n.inboundLayers.map((p) => p.name))
      .filter((name) => name !== l.name);
    return {
      name: l.name,
      className,
      outputShape: shape.slice(1).map((d) => d ?? NaN),
      params: l.countParams(),
      inbound: [...new Set(inbound)],
      detail: describeConfig(className, l.getConfig() as Config),
    };
  });
}

/** A laid-out box of the diagram (the spec's data rows). */
export interface Fig03Box extends LayerInfo {
  depth: number;
  lane: number;
  /** The text in the box, lines joined by "\n". */
  label: string;
}

/** Compute each layer's column (depth) and lane; throws on unknown inbound names. */
export function layoutModel(layers: readonly LayerInfo[]): Fig03Box[] {
  const byName = new Map<string, Fig03Box>();
  let nextLane = 0;
  for (const l of layers) {
    const parents = l.inbound.map((n) => {
      const p = byName.get(n);
      if (!p) {
        throw new RangeError(
          `Cannot lay out Fig. 3: layer "${l.name}" is fed by "${n}", which is not listed before it`,
        );
      }
      return p;
    });
    const depth = parents.length === 0 ? 0 : Math.max(...parents.map((p) => p.depth)) + 1;
    const lane = parents.length === 0
      ? nextLane++
      : parents.reduce((s, p) => s + p.lane, 0) / parents.length;
    const shape = l.outputShape.join("×");
    const label = [l.className, l.detail, shape].filter((s) => s !== "").join("\n");
    byName.set(l.name, { ...l, depth, lane, label });
  }
  return [...byName.values()];
}

/** The architectures Fig. 3 draws. */
export interface Fig03Input {
  /** Panel (a): the single-channel CNN's layers (from {@linkcode describeModel}). */
  single: readonly LayerInfo[];
  /** Panel (b): the multichannel CNN's layers. */
  multi: readonly LayerInfo[];
}

/** Options of {@linkcode fig03Architecture}. */
export interface Fig03Options {
  /** Pixels per layer column. Default 100. */
  columnPx?: number;
  /** Pixels per lane. Default 64. */
  lanePx?: number;
}

const CLASS_COLORS: Record<string, string> = {
  InputLayer: "#bab0ac",
  Conv2D: "#4e79a7",
  AveragePooling2D: "#76b7b2",
  MaxPooling2D: "#76b7b2",
  Flatten: "#edc948",
  Concatenate: "#f28e2b",
  Dense: "#e15759",
  Dropout: "#ff9da7",
};

function colorScale(classes: readonly string[]): { domain: string[]; range: string[] } {
  const used = [...new Set(classes)];
  return { domain: used, range: used.map((c) => CLASS_COLORS[c] ?? "#9c755f") };
}

function panel(
  title: string,
  layers: readonly LayerInfo[],
  options: Fig03Options & { color: { domain: string[]; range: string[] } },
) {
  const boxes = layoutModel(layers);
  const colPx = options.columnPx ?? 100;
  const lanePx = options.lanePx ?? 64;
  const maxDepth = Math.max(...boxes.map((b) => b.depth));
  const lanes = Math.max(...boxes.map((b) => b.lane)) + 1;
  const halfW = 0.44;
  const halfH = 0.4;
  const rows = boxes.map((b) => ({
    name: b.name,
    className: b.className,
    label: b.label,
    params: b.params,
    shape: b.outputShape.join("×"),
    x0: b.depth - halfW,
    x1: b.depth + halfW,
    y0: b.lane - halfH,
    y1: b.lane + halfH,
    xc: b.depth,
    yc: b.lane,
  }));
  const index = new Map(boxes.map((b) => [b.name, b]));
  const edges = boxes.flatMap((b) =>
    b.inbound.map((p) => {
      const a = index.get(p)!;
      return {
        from: p,
        to: b.name,
        x0: a.depth + halfW,
        y0: a.lane,
        x1: b.depth - halfW,
        y1: b.lane,
      };
    })
  );
  const total = boxes.reduce((s, b) => s + b.params, 0);
  const x = {
    type: "quantitative" as const,
    scale: { domain: [-0.5, maxDepth + 0.5], nice: false },
    axis: null,
  };
  const y = {
    type: "quantitative" as const,
    scale: { domain: [-0.5, lanes - 0.5], nice: false, reverse: true },
    axis: null,
  };
  return {
    title: {
      text: title,
      subtitle: `${boxes.length} layers, ${total.toLocaleString("en-US")} parameters`,
      anchor: "start" as const,
    },
    width: (maxDepth + 1) * colPx,
    height: lanes * lanePx,
    layer: [
      {
        data: { values: edges },
        mark: { type: "rule" as const, color: "#333333", strokeWidth: 1.2 },
        encoding: {
          x: { field: "x0", ...x },
          y: { field: "y0", ...y },
          x2: { field: "x1" },
          y2: { field: "y1" },
        },
      },
      {
        data: { values: rows },
        mark: {
          type: "rect" as const,
          cornerRadius: 3,
          opacity: 0.35,
          stroke: "#333333",
          strokeWidth: 0.8,
        },
        encoding: {
          x: { field: "x0", ...x },
          x2: { field: "x1" },
          y: { field: "y0", ...y },
          y2: { field: "y1" },
          color: {
            field: "className",
            type: "nominal" as const,
            title: "Layer type",
            scale: options.color,
          },
          tooltip: [
            { field: "name", type: "nominal" as const },
            { field: "shape", type: "nominal" as const, title: "output" },
            { field: "params", type: "quantitative" as const, format: "," },
          ],
        },
      },
      {
        data: { values: rows },
        mark: {
          type: "text" as const,
          fontSize: 8.5,
          lineBreak: "\n",
          align: "center" as const,
          baseline: "middle" as const,
        },
        encoding: {
          x: { field: "xc", ...x },
          y: { field: "yc", ...y },
          text: { field: "label", type: "nominal" as const },
        },
      },
    ],
  };
}

/**
 * Build Fig. 3: panel (a) single-channel, panel (b) multichannel, each a
 * box-and-arrow diagram of the model's layers with output shapes.
 *
 * @example
 * ```ts
 * import { fig03Architecture } from "./fig03_architecture.ts";
 * const layer = { name: "in", className: "InputLayer", outputShape: [8, 8, 1], params: 0, inbound: [], detail: "image" };
 * const spec = fig03Architecture({ single: [layer], multi: [layer] });
 * if (!("vconcat" in spec)) throw new Error("two panels");
 * ```
 */
export function fig03Architecture(input: Fig03Input, options: Fig03Options = {}): TopLevelSpec {
  if (input.single.length === 0 || input.multi.length === 0) {
    throw new RangeError(
      "Cannot build Fig. 3: both the single-channel and multichannel layer lists must be non-empty",
    );
  }
  const color = colorScale([...input.single, ...input.multi].map((l) => l.className));
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: "Fig. 3: CNN architectures (drawn from the TensorFlow.js models)",
    vconcat: [
      panel("(a) Single-channel CNN", input.single, { ...options, color }),
      panel("(b) Multichannel CNN", input.multi, { ...options, color }),
    ],
    resolve: { scale: { x: "independent", y: "independent" } },
    config: { view: { stroke: null } },
  } as TopLevelSpec;
}
