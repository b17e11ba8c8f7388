/**
 * The figure registry: every figure of the gallery (the paper's Figs 1-11,
 * Table 2, the calibration curve and the mock's realism) with the files it
 * needs and its builder, and {@linkcode runFigures}, which writes, renders
 * and indexes those whose inputs exist. `deno task figures` is its command
 * line; tests and notebooks call it directly.
 *
 * @module
 */
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import {
  biasBins,
  formatTable2Markdown,
  table2ByBin,
  type Table2Row,
  table2Stats,
} from "../evaluate/table2.ts";
import { ensureWritableDir, ProgressBar, writeFileAtomic, writeJsonAtomic } from "../io/mod.ts";
import { buildMultiChannelModel, buildSingleChannelModel } from "../model/mod.ts";
import { type NetworkKind, NETWORKS, TRACERS } from "../types/mod.ts";
import { readInterpretTracer } from "../interpret/mod.ts";
import { baselineApertureLabel, type BaselineRow, formatBaselineMarkdown } from "../realism/mod.ts";
import { DATASET_FILES } from "../dataset/format.ts";
import { NETWORK_LABELS } from "./_common.ts";
import { calibrationCurve } from "./calibration_curve.ts";
import { fig01MassDistribution } from "./fig01_mass_distribution.ts";
import { fig02Images } from "./fig02_images.ts";
import { describeModel, fig03Architecture, type LayerInfo } from "./fig03_architecture.ts";
import { fig04LearningCurves } from "./fig04_learning_curves.ts";
import { fig05PredVsTrue } from "./fig05_pred_vs_true.ts";
import { fig06BiasVsMass } from "./fig06_bias_vs_mass.ts";
import { fig06bRmsVsMass } from "./fig06b_rms_vs_mass.ts";
import { fig07BiasDistribution } from "./fig07_bias_distribution.ts";
import {
  buildInterpretFigure,
  INTERPRET_FIGURE_ID,
  INTERPRET_FIGURE_TITLE,
} from "./fig08_11_interpret.ts";
import { type GalleryEntry, type GalleryIndex, type GallerySkip, writeGallery } from "./gallery.ts";
import {
  pathExists,
  readFig01Clusters,
  readFig02Clusters,
  readLearningCurves,
  readMassPairs,
  readTracerUnits,
} from "./load.ts";
import { realismRelationsFigure } from "./realism_relations.ts";
import { renderSpec, type TopLevelSpec } from "./render.ts";
import { table2Json, table2Spec } from "./table2.ts";

/** Where a figure's inputs live. */
export interface FigureContext {
  /** Dataset directory (`deno task simulate --out`). */
  dataDir: string;
  /** Training runs directory holding `<network>/history.csv`, `predictions.csv`, `model.json`. */
  runsDir: string;
  /** Interpretation output directory (`deno task interpret --out`). */
  interpretDir: string;
  /** The realism report (`deno task realism`, `realism.json`). Default: none (figure skipped). */
  realismFile?: string;
}

/** What a builder returns: a spec, or a spec plus extra text files to write beside it. */
export type FigureOutput = TopLevelSpec | { spec: TopLevelSpec; files: Record<string, string> };

function hasFiles(out: FigureOutput): out is { spec: TopLevelSpec; files: Record<string, string> } {
  return typeof out === "object" && out !== null && "files" in out && "spec" in out;
}

/** One figure of the registry. */
export interface FigureEntry {
  /** File stem: `fig01` -> `fig01.vl.json`, `fig01.svg`, `fig01.png`. */
  id: string;
  /** Caption in the gallery. */
  title: string;
  /** Why the figure cannot be made (a missing input), or `null` when it can. */
  missing(ctx: FigureContext): Promise<string | null>;
  /** Read the inputs and build the spec. */
  build(ctx: FigureContext): Promise<FigureOutput>;
}

/** `null` when every path exists, else "missing <first absent path>". */
export async function requireAll(paths: string[]): Promise<string | null> {
  for (const p of paths) if (!(await pathExists(p))) return `missing ${p}`;
  return null;
}

/** `null` when at least one path exists, else "missing all of <paths>". */
export async function requireAny(paths: string[]): Promise<string | null> {
  for (const p of paths) if (await pathExists(p)) return null;
  return `missing all of ${paths.join(", ")}`;
}

const dataFiles = (c: FigureContext, names: string[]) => names.map((n) => join(c.dataDir, n));
const runFiles = (c: FigureContext, name: string) => NETWORKS.map((n) => join(c.runsDir, n, name));

/** Layers of a run's `model.json` (topology only, no weights), or `undefined` if absent. */
async function layersFromRun(
  runsDir: string,
  networks: readonly NetworkKind[],
): Promise<LayerInfo[] | undefined> {
  for (const n of networks) {
    const path = join(runsDir, n, "model.json");
    if (!(await pathExists(path))) continue;
    const json = JSON.parse(await Deno.readTextFile(path));
    const model = await tf.models.modelFromJSON({ modelTopology: json.modelTopology });
    try {
      return describeModel(model);
    } finally {
      model.dispose();
    }
  }
  return undefined;
}

/** Fig. 3's inputs: the trained models' topology when present, else fresh models from lib/model. */
async function architectureLayers(
  runsDir: string,
): Promise<{ single: LayerInfo[]; multi: LayerInfo[] }> {
  let single = await layersFromRun(runsDir, TRACERS);
  let multi = await layersFromRun(runsDir, ["multi"]);
  if (!single) {
    const m = buildSingleChannelModel({ tracer: "star" });
    single = describeModel(m);
    m.dispose();
  }
  if (!multi) {
    const m = buildMultiChannelModel();
    multi = describeModel(m);
    m.dispose();
  }
  return { single, multi };
}

async function table2Output(c: FigureContext): Promise<FigureOutput> {
  const pairs = await readMassPairs(c.runsDir);
  const rows: Partial<Record<NetworkKind, Table2Row>> = {};
  for (const n of NETWORKS) {
    const p = pairs[n];
    if (p) rows[n] = table2Stats(p.mTrueMsun, p.mPredMsun);
  }
  // Scaling-relation baselines, when `deno task evaluate --data` wrote them.
  const baselinesPath = join(c.runsDir, "baselines.json");
  const baselines: Omit<BaselineRow, "test">[] = (await pathExists(baselinesPath))
    ? JSON.parse(await Deno.readTextFile(baselinesPath)).rows
    : [];
  const label = (b: Omit<BaselineRow, "test">) =>
    `${NETWORK_LABELS[b.tracer]} (${baselineApertureLabel(b.aperture)})`;
  const md = formatTable2Markdown(rows) +
    (baselines.length > 0
      ? "\nScaling-relation baselines on the same test images (fitted on the training split):\n\n" +
        formatBaselineMarkdown(baselines)
      : "");
  return {
    spec: table2Spec(rows, {
      baselines: baselines.map((b) => ({ label: label(b), table2: b.table2 })),
    }),
    files: {
      "table2.md": md,
      "table2.json": JSON.stringify(table2Json(rows), null, 2) + "\n",
    },
  };
}

/** The figures, in order (1-7, Table 2, then 8-11 from the interpretation maps). Adding one is one entry. */
export const FIGURES: FigureEntry[] = [
  {
    id: "fig01",
    title: "Fig. 1: mass distribution of the cluster sample",
    missing: (c) => requireAll(dataFiles(c, [DATASET_FILES.catalog])),
    build: async (c) => fig01MassDistribution(await readFig01Clusters(c.dataDir)),
  },
  {
    id: "fig02",
    title: "Fig. 2: clusters of four mass ranges in the four tracers",
    missing: (c) =>
      requireAll(dataFiles(c, [DATASET_FILES.catalog, ...TRACERS.map(DATASET_FILES.images)])),
    build: async (c) =>
      fig02Images(await readFig02Clusters(c.dataDir), { units: await readTracerUnits(c.dataDir) }),
  },
  {
    id: "fig03",
    title: "Fig. 3: single-channel and multichannel CNN architectures",
    missing: () => Promise.resolve(null),
    build: async (c) => fig03Architecture(await architectureLayers(c.runsDir)),
  },
  {
    id: "fig04",
    title: "Fig. 4: learning curves (validation loss per epoch)",
    missing: (c) => requireAny(runFiles(c, "history.csv")),
    build: async (c) => fig04LearningCurves(await readLearningCurves(c.runsDir)),
  },
  {
    id: "fig05",
    title: "Fig. 5: predicted against true M200",
    missing: (c) => requireAny(runFiles(c, "predictions.csv")),
    build: async (c) => fig05PredVsTrue(await readMassPairs(c.runsDir)),
  },
  {
    id: "fig06",
    title: "Fig. 6: mass bias against true mass",
    missing: (c) => requireAny(runFiles(c, "predictions.csv")),
    build: async (c) => {
      const pairs = await readMassPairs(c.runsDir);
      const bins = Object.fromEntries(
        Object.entries(pairs).map(([n, p]) => [n, biasBins(p.mTrueMsun, p.mPredMsun)]),
      );
      return fig06BiasVsMass(bins);
    },
  },
  {
    id: "fig06b",
    title: "Fig. 6b: Table 2's rms in bins of true mass (not in the paper)",
    missing: (c) => requireAny(runFiles(c, "predictions.csv")),
    build: async (c) => {
      const pairs = await readMassPairs(c.runsDir);
      const bins = Object.fromEntries(
        Object.entries(pairs).map(([n, p]) => [n, table2ByBin(p.mTrueMsun, p.mPredMsun)]),
      );
      return fig06bRmsVsMass(bins);
    },
  },
  {
    id: "fig07",
    title: "Fig. 7: distribution of the mass bias in the central mass range",
    missing: (c) => requireAny(runFiles(c, "predictions.csv")),
    build: async (c) => fig07BiasDistribution(await readMassPairs(c.runsDir)),
  },
  {
    id: "table2",
    title: "Table 2: mean mass bias and scatter (ours beside the paper's)",
    missing: (c) => requireAny(runFiles(c, "predictions.csv")),
    build: table2Output,
  },
  ...TRACERS.map((t): FigureEntry => ({
    id: INTERPRET_FIGURE_ID[t],
    title: INTERPRET_FIGURE_TITLE[t],
    missing: (c) =>
      requireAll(
        ["selection.json", "images.npy", "deepdream.npy", "mask.npy"].map((f) =>
          join(c.interpretDir, t, f)
        ),
      ),
    build: async (c) => buildInterpretFigure(await readInterpretTracer(c.interpretDir, t)),
  })),
  {
    id: "calibration",
    title: "Calibration of the mass intervals: nominal against empirical coverage (test split)",
    missing: (c) => requireAll([join(c.runsDir, "coverage.json")]),
    build: async (c) =>
      calibrationCurve(
        JSON.parse(await Deno.readTextFile(join(c.runsDir, "coverage.json"))).coverage,
      ),
  },
  {
    id: "realism",
    title: "The mock's scaling relations beside published ones (deno task realism)",
    missing: (c) =>
      c.realismFile ? requireAll([c.realismFile]) : Promise.resolve("no --realism file given"),
    build: async (c) =>
      realismRelationsFigure(
        JSON.parse(await Deno.readTextFile(c.realismFile!)).particles.curves,
      ),
  },
];

/** Options of {@linkcode runFigures}. */
export interface RunFiguresOptions extends FigureContext {
  /** Output folder (specs, SVG, PNG, gallery). */
  outDir: string;
  /** Only these ids; the gallery keeps the other figures already in `outDir`. Default: all. */
  only?: readonly string[];
  /** Render PNGs. Default true. */
  png?: boolean;
  /** No progress output. Default false. */
  silent?: boolean;
  /** The registry. Default {@linkcode FIGURES}. */
  figures?: readonly FigureEntry[];
}

/** Result of {@linkcode runFigures}. */
export interface RunFiguresResult extends GalleryIndex {
  /** Figures whose inputs existed but whose build or render threw. */
  failed: GallerySkip[];
  /** Ids written by this run (`figures` also lists earlier ones kept with `only`). */
  written: string[];
}

/** Build, write and render every figure whose inputs exist, then the gallery. */
export async function runFigures(options: RunFiguresOptions): Promise<RunFiguresResult> {
  const registry = options.figures ?? FIGURES;
  const only = options.only;
  if (only) {
    const unknown = only.filter((id) => !registry.some((f) => f.id === id));
    if (unknown.length > 0) {
      throw new RangeError(
        `Unknown figure id(s) ${unknown.join(", ")}: expected some of ${
          registry.map((f) => f.id).join(", ")
        }`,
      );
    }
  }
  await ensureWritableDir(options.outDir);
  const selected = registry.filter((f) => !only || only.includes(f.id));
  const figures: GalleryEntry[] = [];
  const skipped: GallerySkip[] = [];
  const failed: GallerySkip[] = [];
  const bar = new ProgressBar({
    label: "figures",
    total: selected.length,
    unit: "fig",
    silent: options.silent,
  });
  const log = (s: string) => options.silent || console.error(s);
  for (const [k, fig] of selected.entries()) {
    bar.update(k, fig.id);
    const why = await fig.missing(options);
    if (why !== null) {
      skipped.push({ id: fig.id, title: fig.title, reason: why });
      log(`${fig.id} skipped: ${why}`);
      continue;
    }
    try {
      const out = await fig.build(options);
      const withFiles = hasFiles(out);
      const spec = withFiles ? out.spec : out;
      const files = withFiles ? out.files : {};
      const specFile = `${fig.id}.vl.json`;
      await writeJsonAtomic(join(options.outDir, specFile), spec);
      for (const [name, text] of Object.entries(files)) {
        await writeFileAtomic(join(options.outDir, name), text);
      }
      const png = options.png ?? true;
      await renderSpec(spec, {
        svgPath: join(options.outDir, `${fig.id}.svg`),
        pngPath: png ? join(options.outDir, `${fig.id}.png`) : undefined,
      });
      figures.push({
        id: fig.id,
        title: fig.title,
        spec: specFile,
        svg: `${fig.id}.svg`,
        ...(png ? { png: `${fig.id}.png` } : {}),
      });
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      failed.push({ id: fig.id, title: fig.title, reason });
      log(`${fig.id} FAILED: ${reason}`);
    }
  }
  bar.done(`${figures.length} written, ${skipped.length} skipped, ${failed.length} failed`);
  const written = figures.map((f) => f.id);
  if (only) {
    // Keep the figures of an earlier run that were not rebuilt, when their spec is still there.
    const previous = join(options.outDir, "gallery.json");
    if (await pathExists(previous)) {
      const old = JSON.parse(await Deno.readTextFile(previous)) as GalleryIndex;
      for (const e of old.figures ?? []) {
        if (!only.includes(e.id) && (await pathExists(join(options.outDir, e.spec)))) {
          figures.push(e);
        }
      }
      const order = registry.map((f) => f.id);
      figures.sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
    }
  }
  const index: GalleryIndex = { figures, skipped: [...skipped, ...failed] };
  await writeGallery(options.outDir, index);
  return { ...index, failed, written };
}
