/**
 * Figs 8-11 of Yan et al. (2020): interpreting one single-channel network
 * (Fig. 8 star, 9 fxs, 10 fxb, 11 ypar). Rows: four clusters spanning the
 * mass range; columns: the input image, the Deep Dream image change after the
 * iterations of eq. 12, and the Gaussian-mask map Delta M_pred(a, b) of
 * eq. 13. Black circles mark 0.15 R200 and R200; on Fig. 8 red circles mark
 * the galaxies (M_gal > 1e10 Msun) with radii proportional to their mass.
 *
 * Design, consistent with Fig. 2 ({@link ./fig02_images.ts}): every heat map
 * is a Vega-Lite `image` mark holding a 120 x 120 PNG (`data:` URL) coloured
 * here with a Vega scheme, so the spec stays small (well under 2 MB) and no
 * pixel is resampled; row 0 of an image is drawn at the top and the axes give
 * the offset from the cluster centre in arcmin. Each column shares one colour
 * scale down the rows and has a colour bar underneath:
 * - image: log scale (viridis), the tracer's units, as Fig. 2;
 * - Deep Dream: the change divided by its largest absolute value in that row
 *   (the caption's "relative signal change"), linear in [-1, 1] (blueorange:
 *   blue where gradient ascent lowers the pixel, orange where it raises it);
 * - mask: Delta M_pred / M_pred of the unmasked image in per cent, linear and
 *   symmetric about 0 (blue: masking there lowers the predicted mass, i.e.
 *   the network relies on that region).
 * Circles are drawn as closed polylines in data coordinates, so their radii
 * are exact whatever the panel size.
 *
 * @module
 */
import type { Tracer } from "../types/mod.ts";
import { assertPositive, round, TRACER_TITLES, VEGA_LITE_SCHEMA } from "./_common.ts";
import { fig02ColorDomain, TRACER_UNITS } from "./fig02_images.ts";
import { imageToPngDataUrl } from "./png.ts";
import type { TopLevelSpec } from "./render.ts";

/** Figure number of each tracer's interpretation figure. */
export const INTERPRET_FIGURE_NUMBER: Readonly<Record<Tracer, number>> = {
  star: 8,
  fxs: 9,
  fxb: 10,
  ypar: 11,
};

/** File stem of each tracer's figure in `deno task figures` (`fig08` ... `fig11`). */
export const INTERPRET_FIGURE_ID: Readonly<Record<Tracer, string>> = {
  star: "fig08",
  fxs: "fig09",
  fxb: "fig10",
  ypar: "fig11",
};

/** Gallery caption of each tracer's figure. */
export const INTERPRET_FIGURE_TITLE: Readonly<Record<Tracer, string>> = {
  star: "Fig. 8: Deep Dream and Gaussian-mask maps of the stellar-mass network",
  fxs: "Fig. 9: Deep Dream and Gaussian-mask maps of the soft X-ray network",
  fxb: "Fig. 10: Deep Dream and Gaussian-mask maps of the bolometric X-ray network",
  ypar: "Fig. 11: Deep Dream and Gaussian-mask maps of the Compton-y network",
};

/** A stack of `k` images `[k, H, W]` (as read from `images.npy`, `deepdream.npy`, `mask.npy`). */
export interface InterpretFigureStack {
  data: ArrayLike<number>;
  shape: readonly number[];
}

/** One shown cluster (a subset of `selection.json`'s `clusters[i]`). */
export interface InterpretFigureCluster {
  m200Msun: number;
  /** R200 in pixels. */
  r200Pix: number;
  /** M_pred of the unmasked image, Msun (needed for the relative mask map). */
  mPredMsun: number;
  cluster?: number;
  image?: number;
  /** Galaxies in continuous pixel coordinates (x = column, y = row). */
  galaxies?: readonly { xPix: number; yPix: number; mGalMsun: number }[];
}

/** Input of {@linkcode buildInterpretFigure}: exactly what `readInterpretTracer()` returns. */
export interface InterpretFigureInput {
  tracer: Tracer;
  images: InterpretFigureStack;
  deepdream: InterpretFigureStack;
  mask: InterpretFigureStack;
  selection: {
    clusters: readonly InterpretFigureCluster[];
    /** Cluster centre in continuous pixel coordinates; default the image centre. */
    centrePix?: readonly [number, number];
    settings?: { iterations?: number; stride?: number; sigmaPx?: number };
  };
}

/** Options of {@linkcode buildInterpretFigure}. */
export interface InterpretFigureOptions {
  /** Field of view on a side, arcmin. Default 20 (the dataset contract). */
  fovArcmin?: number;
  /** Panel side in pixels. Default 150. */
  panelPx?: number;
  /** Dynamic range of the image column's log colour scale, dex (as Fig. 2). Default 4. */
  dynamicRangeDex?: number;
  /** Core radius in units of R200. Default 0.15 (§4.2). */
  coreFraction?: number;
  /** Radius of the most massive galaxy shown, arcmin. Default 1. */
  galaxyMaxRadiusArcmin?: number;
  /** Smallest galaxy radius drawn, arcmin (so that light galaxies stay visible). Default 0.08. */
  galaxyMinRadiusArcmin?: number;
  /** Draw galaxies (default: only for the star network, as in Fig. 8). */
  galaxies?: boolean;
}

/** 0, 1, ..., n - 1. */
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/** Vertices of a circle polyline (closed: the first vertex is repeated). */
const CIRCLE_VERTICES = 48;

interface CirclePoint {
  id: string;
  kind: "r200" | "core" | "galaxy";
  k: number;
  x: number;
  y: number;
}

function circle(
  id: string,
  kind: CirclePoint["kind"],
  cx: number,
  cy: number,
  r: number,
  n = CIRCLE_VERTICES,
): CirclePoint[] {
  return range(n + 1).map((k) => ({
    id,
    kind,
    k,
    x: round(cx + r * Math.cos((2 * Math.PI * k) / n), 5),
    y: round(cy + r * Math.sin((2 * Math.PI * k) / n), 5),
  }));
}

/** Largest absolute finite value. */
function maxAbs(values: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < values.length; i++) {
    const v = Math.abs(values[i]);
    if (Number.isFinite(v) && v > m) m = v;
  }
  return m;
}

function slice(stack: InterpretFigureStack, r: number, size: number): Float64Array {
  const out = new Float64Array(size);
  for (let i = 0; i < size; i++) out[i] = stack.data[r * size + i];
  return out;
}

/**
 * Build Fig. 8, 9, 10 or 11 (by `input.tracer`) from one tracer's
 * interpretation directory.
 *
 * @example
 * ```ts
 * import { buildInterpretFigure } from "./fig08_11_interpret.ts";
 * const n = 8, img = { data: Float32Array.from({ length: n * n }, (_, i) => 1 + i), shape: [1, n, n] };
 * const spec = buildInterpretFigure({
 *   tracer: "fxs", images: img, deepdream: img, mask: img,
 *   selection: { clusters: [{ m200Msun: 1e14, r200Pix: 3, mPredMsun: 1e14 }] },
 * }, { fovArcmin: 4 });
 * if (!("concat" in spec)) throw new Error("a grid of panels");
 * ```
 */
export function buildInterpretFigure(
  input: InterpretFigureInput,
  options: InterpretFigureOptions = {},
): TopLevelSpec {
  const { tracer } = input;
  const fig = INTERPRET_FIGURE_NUMBER[tracer];
  const what = `Fig. ${fig}`;
  const fov = options.fovArcmin ?? 20;
  const panel = options.panelPx ?? 150;
  const coreFraction = options.coreFraction ?? 0.15;
  assertPositive(what, "fovArcmin", fov);
  assertPositive(what, "panelPx", panel);
  const clusters = input.selection.clusters;
  const k = clusters.length;
  if (k === 0) throw new RangeError(`Cannot build ${what}: no clusters in the selection`);
  const shape = input.images.shape;
  if (shape.length !== 3 || shape[0] !== k) {
    throw new RangeError(
      `Cannot build ${what}: images must have shape [${k}, H, W] for ${k} clusters, got [${shape}]`,
    );
  }
  const [, h, w] = shape;
  for (const [name, s] of [["deepdream", input.deepdream], ["mask", input.mask]] as const) {
    if (s.shape.length !== 3 || s.shape[0] !== k || s.shape[1] !== h || s.shape[2] !== w) {
      throw new RangeError(
        `Cannot build ${what}: ${name} must have shape [${k}, ${h}, ${w}], got [${s.shape}]`,
      );
    }
  }
  const size = h * w;
  const arcminPerPix = fov / w;
  const [cxPix, cyPix] = input.selection.centrePix ?? [w / 2, h / 2];
  // Pixel coordinates (x right, y down) to arcmin offsets (x right, y up).
  const toX = (xPix: number) => (xPix - cxPix) * arcminPerPix;
  const toY = (yPix: number) => (cyPix - yPix) * arcminPerPix;
  const halfX = (w / 2) * arcminPerPix, halfY = (h / 2) * arcminPerPix;

  const rawImages = range(k).map((r) => slice(input.images, r, size));
  const imageDomain = fig02ColorDomain(rawImages, options.dynamicRangeDex);
  const dreams = range(k).map((r) => {
    const d = slice(input.deepdream, r, size);
    const m = maxAbs(d);
    return m > 0 ? d.map((v) => v / m) : d;
  });
  const masks = range(k).map((r) => {
    const mPred = clusters[r].mPredMsun;
    assertPositive(what, `clusters[${r}].mPredMsun`, mPred);
    return slice(input.mask, r, size).map((v) => (100 * v) / mPred);
  });
  const maskMax = Math.max(...masks.map(maxAbs)) || 1;
  const maskDomain: [number, number] = [-maskMax, maskMax];

  const showGalaxies = options.galaxies ?? tracer === "star";
  const gMax = Math.max(
    0,
    ...clusters.flatMap((c) => (c.galaxies ?? []).map((g) => g.mGalMsun)),
  );
  const rMaxGal = options.galaxyMaxRadiusArcmin ?? 1;
  const rMinGal = options.galaxyMinRadiusArcmin ?? 0.08;

  const datasets: Record<string, CirclePoint[]> = {};
  const rowCircles = clusters.map((c, r) => {
    assertPositive(what, `clusters[${r}].r200Pix`, c.r200Pix);
    const rArc = c.r200Pix * arcminPerPix;
    const pts = [
      ...circle("core", "core", 0, 0, coreFraction * rArc),
      ...circle("r200", "r200", 0, 0, rArc),
    ];
    if (showGalaxies && gMax > 0) {
      (c.galaxies ?? []).forEach((g, i) => {
        if (g.xPix < 0 || g.xPix > w || g.yPix < 0 || g.yPix > h) return;
        const radius = Math.max(rMinGal, (rMaxGal * g.mGalMsun) / gMax);
        pts.push(...circle(`g${i}`, "galaxy", toX(g.xPix), toY(g.yPix), radius, 24));
      });
    }
    const name = `circles_row${r}`;
    datasets[name] = pts;
    return name;
  });

  const ticks = [-halfX, -halfX / 2, 0, halfX / 2, halfX];
  const columnTitles = [
    TRACER_TITLES[tracer],
    `Deep Dream (${input.selection.settings?.iterations ?? "?"} it.)`,
    `Gaussian mask (sigma ${input.selection.settings?.sigmaPx ?? 5} px)`,
  ];
  const panelSpec = (
    r: number,
    col: number,
    url: string,
  ) => {
    const c = clusters[r];
    const bottom = r === k - 1;
    const label = `log M200 = ${Math.log10(c.m200Msun).toFixed(2)}`;
    const sub = `log Mpred = ${Math.log10(c.mPredMsun).toFixed(2)}`;
    const xEnc = {
      field: "x",
      type: "quantitative" as const,
      scale: { domain: [-halfX, halfX], nice: false },
      axis: { values: ticks, labels: bottom, title: bottom ? "x (arcmin)" : null, grid: false },
    };
    const yEnc = {
      field: "y",
      type: "quantitative" as const,
      scale: { domain: [-halfY, halfY], nice: false },
      axis: {
        values: ticks,
        labels: col === 0,
        title: col === 0 ? [label, sub, "y (arcmin)"] : null,
        grid: false,
      },
    };
    return {
      ...(r === 0 ? { title: { text: columnTitles[col], fontSize: 12 } } : {}),
      width: panel,
      height: panel,
      layer: [
        {
          data: { values: [{ x: -halfX, x2: halfX, y: halfY, y2: -halfY, url }] },
          mark: { type: "image" as const, aspect: false, aria: false },
          encoding: {
            x: xEnc,
            x2: { field: "x2" },
            y: yEnc,
            y2: { field: "y2" },
            url: { field: "url", type: "nominal" as const },
          },
        },
        {
          data: { name: rowCircles[r] },
          mark: { type: "line" as const, strokeWidth: 1, clip: true, aria: false },
          encoding: {
            x: xEnc,
            y: yEnc,
            order: { field: "k", type: "quantitative" as const },
            detail: { field: "id", type: "nominal" as const },
            color: {
              field: "kind",
              type: "nominal" as const,
              scale: { domain: ["core", "r200", "galaxy"], range: ["black", "black", "red"] },
              legend: null,
            },
          },
        },
      ],
    };
  };

  const panels = range(k).flatMap((r) => [
    panelSpec(
      r,
      0,
      imageToPngDataUrl(rawImages[r], { width: w, height: h, domain: imageDomain, scale: "log" }),
    ),
    panelSpec(
      r,
      1,
      imageToPngDataUrl(dreams[r], {
        width: w,
        height: h,
        domain: [-1, 1],
        scale: "linear",
        scheme: "blueorange",
      }),
    ),
    panelSpec(
      r,
      2,
      imageToPngDataUrl(masks[r], {
        width: w,
        height: h,
        domain: maskDomain,
        scale: "linear",
        scheme: "blueorange",
      }),
    ),
  ]);

  const colorbar = (
    domain: [number, number],
    scale: "log" | "linear",
    scheme: string,
    title: string,
  ) => {
    const nseg = 64;
    const [lo, hi] = domain;
    const at = (t: number) => scale === "log" ? lo * (hi / lo) ** t : lo + (hi - lo) * t;
    return {
      width: panel,
      height: 10,
      data: {
        values: range(nseg).map((i) => ({
          v0: round(at(i / nseg)),
          v1: round(at((i + 1) / nseg)),
          vm: round(at((i + 0.5) / nseg)),
        })),
      },
      mark: { type: "rect" as const, aria: false },
      encoding: {
        x: {
          field: "v0",
          type: "quantitative" as const,
          scale: { type: scale, domain: [lo, hi], nice: false },
          axis: { title, format: scale === "log" ? ".0e" : ".2~g", tickCount: 4, grid: false },
        },
        x2: { field: "v1" },
        color: {
          field: "vm",
          type: "quantitative" as const,
          scale: { type: scale, domain: [lo, hi], scheme },
          legend: null,
        },
      },
    };
  };

  const stride = input.selection.settings?.stride;
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: {
      text: `Fig. ${fig}: what the ${TRACER_TITLES[tracer]} network looks at`,
      subtitle: [
        "Rows: test clusters across the mass range",
        "Columns: image; Deep Dream change (eq. 12, max-normalised);",
        "change of M_pred under a Gaussian mask (eq. 13)" +
        (stride && stride > 1 ? `, centres every ${stride} px` : ""),
        `Black circles: ${coreFraction} R200 and R200`,
        ...(showGalaxies ? ["Red circles: galaxies > 1e10 Msun, radius proportional to mass"] : []),
      ],
    },
    datasets,
    columns: 3,
    spacing: { row: 6, column: 10 },
    concat: [
      ...panels,
      colorbar(imageDomain, "log", "viridis", TRACER_UNITS[tracer]),
      colorbar([-1, 1], "linear", "blueorange", "relative image change"),
      colorbar(maskDomain, "linear", "blueorange", "ΔM_pred / M_pred (%)"),
    ],
    resolve: { scale: { x: "independent", y: "independent", color: "independent" } },
    config: { view: { stroke: null } },
  } as TopLevelSpec;
}
