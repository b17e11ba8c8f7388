/**
 * The gallery page in a real browser: figures generated from seeded data are
 * served on 127.0.0.1 and opened in headless Debian `chromium`, which runs
 * the vendored Vega/Vega-Lite/vega-embed; the page reports in
 * `<div id="status">` how many figures drew data marks and how many console
 * errors it saw. Skipped (with a message) only when `chromium` is absent;
 * `.ci/run` installs it.
 */
import assert from "node:assert/strict";
import { extname, join, normalize } from "node:path";
import { writeSyntheticDataset } from "../lib/dataset/mod.ts";
import { writeSyntheticRuns } from "../lib/figures/mod.ts";
import { runFigures } from "../lib/figures/mod.ts";
import { VENDOR_FILES } from "../lib/figures/gallery.ts";

async function findChromium(): Promise<string | null> {
  for (const name of ["chromium", "chromium-browser"]) {
    try {
      const out = await new Deno.Command(name, {
        args: ["--version"],
        stdout: "null",
        stderr: "null",
      }).output();
      if (out.success) return name;
    } catch {
      // not installed under this name
    }
  }
  return null;
}

const CHROMIUM = await findChromium();
if (!CHROMIUM) {
  console.warn("tests/gallery_test.ts: skipped, `chromium` not found (apt-get install chromium)");
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".md": "text/markdown",
};

/** Serve `root` on 127.0.0.1 at a free port. */
function serveDir(root: string): Deno.HttpServer<Deno.NetAddr> {
  return Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    const path = normalize(decodeURIComponent(new URL(req.url).pathname));
    if (path.includes("..")) return new Response("bad path", { status: 400 });
    const file = join(root, path === "/" ? "index.html" : path);
    try {
      const body = await Deno.readFile(file);
      return new Response(body, {
        headers: { "content-type": TYPES[extname(file)] ?? "application/octet-stream" },
      });
    } catch {
      return new Response("not found", { status: 404 });
    }
  });
}

interface PageStatus {
  state: string;
  figures: number;
  rendered: number;
  empty: string[];
  errors: number;
  warnings: number;
  text: string;
}

/** Open `url` in headless chromium and read the page's status element from the final DOM. */
async function pageStatus(url: string): Promise<PageStatus> {
  const profile = await Deno.makeTempDir({ prefix: "chromium_profile_" });
  try {
    const out = await new Deno.Command(CHROMIUM!, {
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        `--user-data-dir=${profile}`,
        "--virtual-time-budget=30000",
        "--dump-dom",
        url,
      ],
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(90_000),
    }).output();
    const dom = new TextDecoder().decode(out.stdout);
    const m = dom.match(/<div id="status"([^>]*)>([^<]*)</);
    if (!m) {
      throw new Error(
        `chromium (exit ${out.code}) returned no status element; stderr tail:\n` +
          new TextDecoder().decode(out.stderr).slice(-2000),
      );
    }
    const attr = (name: string) => m[1].match(new RegExp(`data-${name}="([^"]*)"`))?.[1] ?? "";
    return {
      state: attr("state"),
      figures: Number(attr("figures")),
      rendered: Number(attr("rendered")),
      empty: attr("empty").split(",").filter((s) => s !== ""),
      errors: Number(attr("errors")),
      warnings: Number(attr("warnings")),
      text: m[2],
    };
  } finally {
    await Deno.remove(profile, { recursive: true });
  }
}

Deno.test({
  name:
    "the gallery renders every figure in headless chromium with no console error or warning and no empty figure",
  ignore: CHROMIUM === null,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "gallery_test_" });
    const server = serveDir(join(dir, "figures"));
    try {
      await writeSyntheticDataset(join(dir, "data"), { clusters: 8, seed: 9 });
      await writeSyntheticRuns(join(dir, "runs"), { seed: 10, epochs: 12 });
      const result = await runFigures({
        dataDir: join(dir, "data"),
        runsDir: join(dir, "runs"),
        interpretDir: join(dir, "interpret"),
        outDir: join(dir, "figures"),
        png: false,
        silent: true,
      });
      assert.equal(result.figures.length, 9);
      const status = await pageStatus(`http://127.0.0.1:${server.addr.port}/index.html`);
      assert.equal(status.state, "done", status.text);
      assert.equal(status.figures, 9, status.text);
      assert.equal(status.rendered, 9, status.text);
      assert.deepEqual(status.empty, [], status.text);
      assert.equal(status.errors, 0, status.text);
      assert.equal(status.warnings, 0, status.text);
    } finally {
      await server.shutdown();
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "the gallery page reports a figure that fails to render (the browser check can fail)",
  ignore: CHROMIUM === null,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "gallery_test_" });
    const server = serveDir(join(dir, "figures"));
    try {
      await writeSyntheticRuns(join(dir, "runs"), { seed: 11, epochs: 5, networks: ["fxs"] });
      await runFigures({
        dataDir: join(dir, "nodata"),
        runsDir: join(dir, "runs"),
        interpretDir: join(dir, "interpret"),
        outDir: join(dir, "figures"),
        only: ["fig04"],
        png: false,
        silent: true,
      });
      // Add a figure whose data file does not exist: Vega's loader gets a 404.
      const out = join(dir, "figures");
      await Deno.writeTextFile(
        join(out, "broken.vl.json"),
        JSON.stringify({
          $schema: "https://vega.github.io/schema/vega-lite/v6.json",
          data: { url: "no-such-file.csv" },
          mark: "point",
          encoding: { x: { field: "a", type: "quantitative" } },
        }),
      );
      const gallery = JSON.parse(await Deno.readTextFile(join(out, "gallery.json")));
      gallery.figures.push({ id: "broken", title: "broken", spec: "broken.vl.json" });
      await Deno.writeTextFile(join(out, "gallery.json"), JSON.stringify(gallery));
      const status = await pageStatus(`http://127.0.0.1:${server.addr.port}/`);
      assert.equal(status.state, "done", status.text);
      assert.equal(status.figures, 2);
      assert.equal(status.rendered, 1, status.text);
      assert.deepEqual(status.empty, ["broken"]);
      assert.ok(status.errors + status.warnings >= 1, status.text);
      assert.match(status.text, /no-such-file\.csv/);
    } finally {
      await server.shutdown();
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name:
    "the committed figures/ gallery renders from a plain checkout (its vendor scripts are in the repository)",
  ignore: CHROMIUM === null,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const figures = new URL("../figures/", import.meta.url).pathname;
    for (
      const f of [
        "index.html",
        "gallery.json",
        ...VENDOR_FILES.map(([, name]) => `vendor/${name}`),
      ]
    ) {
      await Deno.stat(join(figures, f)); // throws NotFound, naming the file
    }
    const listed = JSON.parse(await Deno.readTextFile(join(figures, "gallery.json"))).figures;
    const server = serveDir(figures);
    try {
      const status = await pageStatus(`http://127.0.0.1:${server.addr.port}/index.html`);
      assert.equal(status.state, "done", status.text);
      assert.equal(status.figures, listed.length, status.text);
      assert.equal(status.rendered, listed.length, status.text);
      assert.deepEqual(status.empty, [], status.text);
      assert.equal(status.errors, 0, status.text);
    } finally {
      await server.shutdown();
    }
  },
});
