/**
 * Fig. 2 of Yan et al. (2020): four clusters from four mass ranges (rows) in
 * the four tracers (columns), one logarithmic colour scale per tracer shared by
 * all rows, 20 arcmin on a side.
 *
 * Design choice: each panel is a Vega-Lite `image` mark whose URL is a PNG
 * (`data:` URL) coloured here with Vega's own `viridis` table
 * ({@linkcode imageToPngDataUrl}), and each column carries a colour bar drawn
 * from the same scheme with a log axis in the tracer's units. Sixteen 120 x 120
 * PNGs keep the spec well under 2 MB (a heat map of `rect` marks would need
 * 230,400 data rows), and the pixels are not resampled.
 * Row 0 of an image (the contract's `[row y][col x]`) is drawn at the top, as
 * NumPy/Matplotlib `imshow` does; the axes give the offset from the cluster
 * centre in arcmin.
 *
 * @module
 */
import { quantileSorted, range } from "./_d3.ts";
import type { Tracer } from "../types/mod.ts";
import { TRACERS } from "../types/mod.ts";
import { IMAGE_SIZE_PIX } from "../dataset/format.ts";
import { assertPositive, TRACER_TITLES, VEGA_LITE_SCHEMA } from "./_common.ts";
import { imageToPngDataUrl } from "./png.ts";
import type { TopLevelSpec } from "./render.ts";

/** One row of Fig. 2: a cluster seen in the four tracers. */
export interface Fig02Cluster {
  /** Cluster id (catalogue `cluster`). */
  cluster: number;
  /** M200 in Msun (hydrodynamical, the catalogue's `m200_msun`). */
  m200Msun: number;
  /** Row label, one string per line (keep lines short: they stand rotated beside a panel); default `log M200 = <value>`. */
  label?: string | string[];
  /** The four images, each `npix * npix` values, row-major (`[row y][col x]`), in the tracers' units. */
  images: Readonly<Record<Tracer, ArrayLike<number>>>;
}

/** Options of {@linkcode fig02Images}. */
export interface Fig02Options {
  /** Pixels on a side. Default 120 (the dataset contract). */
  npix?: number;
  /** Field of view on a side, arcmin. Default 20 (paper Fig. 2). */
  fovArcmin?: number;
  /**
   * Lower end of each tracer's colour scale, as dex below the brightest pixel
   * of the four images; the lower end is raised to the 1st percentile of the
   * positive pixels when that is higher. Default 4.
   */
  dynamicRangeDex?: number;
  /** Units shown under each colour bar. Default: the dataset contract's units. */
  units?: Partial<Record<Tracer, string>>;
  /** Panel side in pixels. Default 150. */
  panelPx?: number;
}

/** Default units per tracer (those `deno task simulate` writes; `manifest.json` has the full text). */
export const TRACER_UNITS: Readonly<Record<Tracer, string>> = {
  star: "Msun Mpc^-2",
  fxs: "erg/s/cm² per pixel",
  fxb: "erg/s/cm² per pixel",
  ypar: "Compton y",
};

/** A catalogue row as Fig. 2's selection needs it (from `catalog.csv`). */
export interface Fig02CatalogRow {
  image: number;
  cluster: number;
  projection: number;
  m200Msun: number;
}

/** The paper's four mass ranges of Fig. 2, log10(M200/Msun). */
export const FIG02_MASS_RANGES_LOG10: readonly (readonly [number, number])[] = [
  [13, 13.5],
  [13.5, 14],
  [14, 14.5],
  [14.5, 15],
];

/** One selected image of Fig. 2. */
export interface Fig02Selection extends Fig02CatalogRow {
  /** The mass range it was drawn from, log10(M200/Msun). */
  rangeLog10: readonly [number, number];
}

/**
 * Pick one image per mass range for Fig. 2: among projection-0 images whose
 * log10 M200 lies in the range, the one closest to the range's centre
 * (deterministic). Ranges with no cluster are left out.
 */
export function selectFig02Images(
  catalog: readonly Fig02CatalogRow[],
  options: { rangesLog10?: readonly (readonly [number, number])[] } = {},
): Fig02Selection[] {
  const ranges = options.rangesLog10 ?? FIG02_MASS_RANGES_LOG10;
  const out: Fig02Selection[] = [];
  for (const r of ranges) {
    const centre = (r[0] + r[1]) / 2;
    let best: Fig02CatalogRow | undefined;
    for (const row of catalog) {
      if (row.projection !== 0) continue;
      const lm = Math.log10(row.m200Msun);
      if (!(lm >= r[0] && lm < r[1])) continue;
      if (!best || Math.abs(lm - centre) < Math.abs(Math.log10(best.m200Msun) - centre)) best = row;
    }
    if (best) out.push({ ...best, rangeLog10: r });
  }
  return out;
}

/** Colour domain of one tracer over the shown images (see {@linkcode Fig02Options.dynamicRangeDex}). */
export function fig02ColorDomain(
  images: readonly ArrayLike<number>[],
  dynamicRangeDex = 4,
): [number, number] {
  assertPositive("Fig. 2", "dynamicRangeDex", dynamicRangeDex);
  const positive: number[] = [];
  for (const img of images) {
    for (let i = 0; i < img.length; i++) {
      if (img[i] > 0 && Number.isFinite(img[i])) positive.push(img[i]);
    }
  }
  if (positive.length === 0) {
    throw new RangeError(
      "Cannot build Fig. 2: a tracer's images have no positive pixel to set a log colour scale",
    );
  }
  positive.sort((a, b) => a - b);
  const hi = positive[positive.length - 1];
  const lo = Math.max(hi * 10 ** -dynamicRangeDex, quantileSorted(positive, 0.01)!);
  return lo < hi ? [lo, hi] : [hi / 10, hi];
}

/**
 * Build Fig. 2 from up to a few clusters (rows) x the four tracers (columns).
 *
 * @example
 * ```ts
 * import { fig02Images } from "./fig02_images.ts";
 * const img = Float32Array.from({ length: 16 }, (_, i) => 1 + i);
 * const spec = fig02Images([{ cluster: 0, m200Msun: 1e14, images: { star: img, fxs: img, fxb: img, ypar: img } }], { npix: 4 });
 * if (!("concat" in spec)) throw new Error("a grid of panels");
 * ```
 */
export function fig02Images(
  clusters: readonly Fig02Cluster[],
  options: Fig02Options = {},
): TopLevelSpec {
  const what = "Fig. 2";
  const npix = options.npix ?? IMAGE_SIZE_PIX;
  const fov = options.fovArcmin ?? 20;
  const panel = options.panelPx ?? 150;
  assertPositive(what, "fovArcmin", fov);
  if (!Number.isInteger(npix) || npix <= 0) {
    throw new RangeError(`Cannot build ${what}: npix must be a positive integer, got ${npix}`);
  }
  if (clusters.length === 0) throw new RangeError(`Cannot build ${what}: no clusters given`);
  clusters.forEach((c, i) => {
    for (const t of TRACERS) {
      const img = c.images[t];
      if (!img || img.length !== npix * npix) {
        throw new RangeError(
          `Cannot build ${what}: clusters[${i}].images.${t} must hold ${
            npix * npix
          } values (${npix} x ${npix}), got ${img?.length}`,
        );
      }
    }
  });
  const half = fov / 2;
  const ticks = [-half, -half / 2, 0, half / 2, half];
  const columns = TRACERS.map((tracer, col) => {
    const domain = fig02ColorDomain(clusters.map((c) => c.images[tracer]), options.dynamicRangeDex);
    const panels = clusters.map((c, row) => {
      const url = imageToPngDataUrl(c.images[tracer], {
        width: npix,
        height: npix,
        domain,
        scale: "log",
      });
      const bottom = row === clusters.length - 1;
      const label = c.label ?? `log M200 = ${Math.log10(c.m200Msun).toFixed(2)}`;
      const lines = Array.isArray(label) ? label : [label];
      return {
        ...(row === 0 ? { title: { text: TRACER_TITLES[tracer], fontSize: 12 } } : {}),
        width: panel,
        height: panel,
        data: { values: [{ x: -half, x2: half, y: half, y2: -half, url, cluster: c.cluster }] },
        mark: { type: "image" as const, aspect: false, aria: false },
        encoding: {
          x: {
            field: "x",
            type: "quantitative" as const,
            scale: { domain: [-half, half], nice: false },
            axis: {
              values: ticks,
              labels: bottom,
              title: bottom ? "x (arcmin)" : null,
              grid: false,
            },
          },
          x2: { field: "x2" },
          y: {
            field: "y",
            type: "quantitative" as const,
            scale: { domain: [-half, half], nice: false },
            axis: {
              values: ticks,
              labels: col === 0,
              title: col === 0 ? [...lines, "y (arcmin)"] : null,
              grid: false,
            },
          },
          y2: { field: "y2" },
          url: { field: "url", type: "nominal" as const },
        },
      };
    });
    const nseg = 64;
    const [lo, hi] = domain;
    const ratio = Math.log10(hi / lo);
    const segments = range(nseg).map((i) => ({
      v0: lo * 10 ** (ratio * i / nseg),
      v1: lo * 10 ** (ratio * (i + 1) / nseg),
      vm: lo * 10 ** (ratio * (i + 0.5) / nseg),
    }));
    const colorbar = {
      width: panel,
      height: 10,
      data: { values: segments },
      mark: { type: "rect" as const, aria: false },
      encoding: {
        x: {
          field: "v0",
          type: "quantitative" as const,
          scale: { type: "log" as const, domain: [lo, hi], nice: false },
          axis: {
            title: options.units?.[tracer] ?? TRACER_UNITS[tracer],
            format: ".0e",
            tickCount: 4,
            grid: false,
          },
        },
        x2: { field: "v1" },
        color: {
          field: "vm",
          type: "quantitative" as const,
          scale: { type: "log" as const, domain: [lo, hi], scheme: "viridis" },
          legend: null,
        },
      },
    };
    return { panels, colorbar };
  });
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: {
      text: "Fig. 2: cluster images in the four tracers",
      subtitle: [
        "Rows: clusters from different mass ranges",
        `Log colour scale shared down each column; ${fov} arcmin on a side`,
      ],
    },
    // Row-major grid: rows of image panels, then a row of colour bars.
    columns: TRACERS.length,
    spacing: { row: 6, column: 10 },
    concat: [
      ...clusters.flatMap((_, row) => columns.map((c) => c.panels[row])),
      ...columns.map((c) => c.colorbar),
    ],
    resolve: { scale: { x: "independent", y: "independent", color: "independent" } },
    config: { view: { stroke: null } },
  } as TopLevelSpec;
}
