/**
 * The figure gallery: `gallery.json` (the list of figures written), the page
 * `index.html`, and the browser builds of Vega, Vega-Lite and vega-embed
 * copied from the project's own `node_modules` into `vendor/` (the page loads
 * nothing from a CDN).
 *
 * @module
 */
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { writeJsonAtomic } from "../io/mod.ts";

/** One figure in `gallery.json`. */
export interface GalleryEntry {
  /** Figure id, e.g. "fig01" or "table2". */
  id: string;
  /** Caption shown above the figure. */
  title: string;
  /** File names relative to the gallery folder. */
  spec: string;
  svg?: string;
  png?: string;
}

/** A figure left out, and why (missing inputs, or the error its builder threw). */
export interface GallerySkip {
  id: string;
  title: string;
  reason: string;
}

/** The content of `gallery.json`. */
export interface GalleryIndex {
  figures: GalleryEntry[];
  skipped: GallerySkip[];
}

/** Project root (two folders above this file). */
const ROOT: string = resolve(fileURLToPath(new URL("../../", import.meta.url)));

/** The browser builds copied into `vendor/`, as [node_modules path, vendor name]. */
export const VENDOR_FILES: readonly (readonly [string, string])[] = [
  ["vega/build/vega.min.js", "vega.min.js"],
  ["vega-lite/build/vega-lite.min.js", "vega-lite.min.js"],
  ["vega-embed/build/vega-embed.min.js", "vega-embed.min.js"],
];

/** The gallery page shipped with the toolkit (`figures/index.html`). */
export const GALLERY_PAGE: string = join(ROOT, "figures", "index.html");

/** Options of {@linkcode writeGallery}. */
export interface WriteGalleryOptions {
  /** Folder holding `vega/`, `vega-lite/`, `vega-embed/`. Default: the project's `node_modules`. */
  nodeModules?: string;
  /** The page to install as `index.html`. Default {@linkcode GALLERY_PAGE}. */
  page?: string;
}

async function copyIfDifferent(from: string, to: string): Promise<void> {
  if (resolve(from) === resolve(to)) return;
  const bytes = await Deno.readFile(from);
  const tmp = `${to}.${Deno.pid}.tmp`;
  await Deno.writeFile(tmp, bytes);
  await Deno.rename(tmp, to);
}

/**
 * Write `gallery.json`, install `index.html` and copy the vendor scripts into
 * `outDir`. Throws an Error saying what to run when `node_modules` lacks the
 * browser builds.
 */
export async function writeGallery(
  outDir: string,
  index: GalleryIndex,
  options: WriteGalleryOptions = {},
): Promise<void> {
  const nodeModules = options.nodeModules ?? join(ROOT, "node_modules");
  await Deno.mkdir(join(outDir, "vendor"), { recursive: true });
  for (const [from, name] of VENDOR_FILES) {
    const src = join(nodeModules, from);
    try {
      await copyIfDifferent(src, join(outDir, "vendor", name));
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) {
        throw new Error(
          `Cannot build the gallery: ${src} not found. Run \`./bin/deno install\` in ${ROOT} ` +
            `(deno.json sets nodeModulesDir "auto") so that the browser builds exist.`,
        );
      }
      throw e;
    }
  }
  await copyIfDifferent(options.page ?? GALLERY_PAGE, join(outDir, "index.html"));
  await writeJsonAtomic(join(outDir, "gallery.json"), index);
}
