/**
 * Headless rendering of Vega-Lite specs: Vega-Lite -> Vega -> SVG (a Vega
 * `View` with `renderer: "none"`) -> PNG (`@resvg/resvg-js`). No browser, no
 * canvas, no network.
 *
 * @module
 */
import * as vl from "vega-lite";
import * as vega from "vega";
import { Resvg } from "@resvg/resvg-js";
import { dirname } from "node:path";
import { writeFileAtomic } from "../io/mod.ts";

/** A Vega-Lite top-level spec (the type every builder returns). */
export type TopLevelSpec = vl.TopLevelSpec;

/** Result of {@linkcode compileSpec}. */
export interface CompiledSpec {
  /** The Vega spec. */
  vega: vega.Spec;
  /** Warnings Vega-Lite emitted while compiling (empty for a clean spec). */
  warnings: string[];
}

/**
 * Compile a Vega-Lite spec to Vega, collecting the compiler's warnings
 * instead of printing them. Throws what Vega-Lite throws for an invalid spec.
 */
export function compileSpec(spec: TopLevelSpec): CompiledSpec {
  const warnings: string[] = [];
  const collect = (...args: unknown[]) => warnings.push(args.map(String).join(" "));
  let level = 0;
  const logger: vega.LoggerInterface = {
    level(l?: number) {
      if (l === undefined) return level as never;
      level = l;
      return logger as never;
    },
    error: (...args: readonly unknown[]) => {
      throw new Error(`Vega-Lite compile error: ${args.map(String).join(" ")}`);
    },
    warn: (...args: readonly unknown[]) => {
      collect(...args);
      return logger;
    },
    info: () => logger,
    debug: () => logger,
  } as vega.LoggerInterface;
  const { spec: vgSpec } = vl.compile(spec, { logger });
  return { vega: vgSpec, warnings };
}

/** Options of {@linkcode renderSpec}. */
export interface RenderOptions {
  /** Write the SVG here (atomically). */
  svgPath?: string;
  /** Write a PNG here (atomically); the PNG is rendered only when this or `png` is set. */
  pngPath?: string;
  /** Render the PNG even without `pngPath` (returned in the result). Default false. */
  png?: boolean;
  /** PNG pixels per SVG pixel. Default 2. */
  pngScale?: number;
  /**
   * Font files for the PNG. Default: DejaVu Sans from Debian's
   * `fonts-dejavu-core` when present, else the system's fonts.
   */
  fontFiles?: string[];
}

/** Result of {@linkcode renderSpec}. */
export interface RenderResult {
  /** The SVG document. */
  svg: string;
  /** The PNG bytes, when a PNG was rendered. */
  png?: Uint8Array;
  /** Width and height of the SVG in CSS pixels. */
  widthPx: number;
  heightPx: number;
}

/** Debian's `fonts-dejavu-core` sans-serif face. */
export const DEJAVU_SANS_PATH = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

function defaultFontFiles(): string[] {
  try {
    Deno.statSync(DEJAVU_SANS_PATH);
    return [DEJAVU_SANS_PATH];
  } catch {
    return [];
  }
}

/**
 * Render a Vega-Lite spec to SVG and, on request, PNG; write them atomically
 * to the paths given (their folders are created).
 *
 * @example
 * ```ts
 * import { renderSpec } from "./render.ts";
 * const { svg } = await renderSpec({
 *   $schema: "https://vega.github.io/schema/vega-lite/v6.json",
 *   data: { values: [{ x: 1, y: 2 }, { x: 2, y: 3 }] },
 *   mark: "line",
 *   encoding: { x: { field: "x", type: "quantitative" }, y: { field: "y", type: "quantitative" } },
 * });
 * if (!svg.startsWith("<svg")) throw new Error("expected an SVG document");
 * ```
 */
export async function renderSpec(
  spec: TopLevelSpec,
  options: RenderOptions = {},
): Promise<RenderResult> {
  const scale = options.pngScale ?? 2;
  if (!(Number.isFinite(scale) && scale > 0)) {
    throw new RangeError(`Cannot render spec: pngScale must be a finite number > 0, got ${scale}`);
  }
  const { vega: vgSpec } = compileSpec(spec);
  const view = new vega.View(vega.parse(vgSpec), { renderer: "none" });
  let svg: string;
  try {
    svg = await view.toSVG();
  } finally {
    view.finalize();
  }
  const size = svg.match(/^<svg[^>]*\swidth="([\d.]+)"[^>]*\sheight="([\d.]+)"/);
  const widthPx = size ? Number(size[1]) : NaN;
  const heightPx = size ? Number(size[2]) : NaN;
  const result: RenderResult = { svg, widthPx, heightPx };
  if (options.svgPath) {
    await Deno.mkdir(dirname(options.svgPath), { recursive: true });
    await writeFileAtomic(options.svgPath, svg);
  }
  if (options.pngPath || options.png) {
    const fontFiles = options.fontFiles ?? defaultFontFiles();
    const resvg = new Resvg(svg, {
      fitTo: { mode: "zoom", value: scale },
      background: "white",
      font: fontFiles.length > 0
        ? {
          loadSystemFonts: false,
          fontFiles,
          defaultFontFamily: "DejaVu Sans",
          sansSerifFamily: "DejaVu Sans",
        }
        : { loadSystemFonts: true },
    });
    const png = resvg.render().asPng();
    result.png = png;
    if (options.pngPath) {
      await Deno.mkdir(dirname(options.pngPath), { recursive: true });
      await writeFileAtomic(options.pngPath, png);
    }
  }
  return result;
}
