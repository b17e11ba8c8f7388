/**
 * Real data in and out, end to end: h5py-written TNG- and EAGLE-layout
 * snapshots -> `deno task import` -> `deno task train` (1 epoch, smoke
 * settings) -> `deno task evaluate` (Table 2, calibration, coverage) ->
 * `deno task export` (FITS) -> `deno task predict` on the FITS files and on a
 * `.npy` stack; and every bad input predict must refuse, each named.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { encodeFitsImage, fitsFileName, imageCards } from "../lib/fits/mod.ts";
import { hdf5Fixtures } from "../lib/import/testing.ts";
import { encodeNpy, readCsv } from "../lib/io/mod.ts";
import { PREDICT_COLUMNS, predictMasses } from "../lib/predict/mod.ts";

const repo = new URL("..", import.meta.url).pathname;

async function task(
  name: string,
  args: string[],
): Promise<{ code: number; out: string; err: string }> {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", join(repo, "tasks", `${name}.ts`), ...args],
    cwd: repo,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code, out: dec.decode(stdout), err: dec.decode(stderr) };
}

async function rejection(f: () => Promise<unknown>): Promise<string> {
  try {
    await f();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error("expected predictMasses to refuse the input");
}

const LAYOUTS = {
  tng: ["snap_099.0.hdf5", "fof_subhalo_tab_099.0.hdf5"],
  eagle: ["snap_028_z000p000.0.hdf5", "eagle_subfind_tab_028_z000p000.0.hdf5"],
} as const;

for (const format of ["tng", "eagle"] as const) {
  Deno.test(`import (${format}) -> train 1 epoch -> evaluate -> export FITS -> predict with calibrated intervals`, async () => {
    const fx = await hdf5Fixtures();
    const root = await Deno.makeTempDir({ prefix: `real_${format}_` });
    try {
      const data = join(root, "data");
      const [snap, groups] = LAYOUTS[format];
      const imp = await task("import", [
        "--snapshot",
        join(fx.dir, format, snap),
        "--groups",
        join(fx.dir, format, groups),
        "--format",
        format,
        "--out",
        data,
        "--quiet",
      ]);
      assert.equal(imp.code, 0, imp.err);
      assert.match(imp.out, /Wrote 80 images of 20 groups/);

      const run = join(root, "runs", "ypar");
      const tr = await task("train", [
        "--data",
        data,
        "--tracer",
        "ypar",
        "--out",
        run,
        "--epochs",
        "1",
        "--profile",
        "smoke",
        "--backend",
        "wasm",
        "--workers",
        "1",
      ]);
      assert.equal(tr.code, 0, tr.err);

      const ev = await task("evaluate", ["--runs", join(root, "runs")]);
      assert.equal(ev.code, 0, ev.err);
      const t2 = JSON.parse(await Deno.readTextFile(join(root, "runs", "table2.json")));
      assert.ok(t2.table2.ypar.n >= 2, "Table 2 has central-range test images");
      assert.ok(t2.coverage.ypar.central.clusters >= 1, "coverage counted by cluster");
      const cal = JSON.parse(await Deno.readTextFile(join(run, "calibration.json")));
      assert.equal(cal.data.pixelArcsec, 10);
      assert.equal(cal.data.npix, 120);
      assert.deepEqual(cal.data.channels, ["ypar"]);
      assert.match(ev.out, /Calibrated intervals/);
      // Interpretation (Deep Dream, masks) runs on the imported dataset as on a simulated one.
      const it = await task("interpret", [
        "--data",
        data,
        "--runs",
        join(root, "runs"),
        "--out",
        join(root, "interpret"),
        "--tracers",
        "ypar",
        "--stride",
        "24",
        "--iterations",
        "1",
        "--backend",
        "wasm",
        "--quiet",
      ]);
      assert.equal(it.code, 0, it.err);
      // The calibration curve is drawn from coverage.json and listed in the gallery.
      const figs = join(root, "figures");
      const fg = await task("figures", [
        "--data",
        data,
        "--runs",
        join(root, "runs"),
        "--interpret",
        join(root, "interpret"),
        "--out",
        figs,
        "--only",
        "calibration,fig11",
        "--quiet",
      ]);
      assert.equal(fg.code, 0, fg.err);
      for (
        const f of ["calibration.vl.json", "calibration.svg", "calibration.png", "fig11.vl.json"]
      ) {
        assert.ok((await Deno.stat(join(figs, f))).size > 0, f);
      }
      const gallery = JSON.parse(await Deno.readTextFile(join(figs, "gallery.json")));
      assert.ok(JSON.stringify(gallery).includes("calibration.vl.json"));

      const fits = join(root, "fits");
      const ex = await task("export", [
        "--data",
        data,
        "--out",
        fits,
        "--tracer",
        "ypar",
        "--quiet",
      ]);
      assert.equal(ex.code, 0, ex.err);
      const csv = join(root, "pred.csv");
      const pr = await task("predict", ["--run", run, "--images", fits, "--out", csv]);
      assert.equal(pr.code, 0, pr.err);
      const header = (await Deno.readTextFile(csv)).split("\n")[0];
      assert.equal(header, PREDICT_COLUMNS.join(","));
      const rows = await readCsv(csv);
      assert.equal(rows.length, 80);
      for (const r of rows) {
        const v = PREDICT_COLUMNS.slice(1, 6).map((c) => r[c] as number);
        const [m, p16, p84, p2, p97] = v;
        assert.ok(v.every((x) => x > 0 && Number.isFinite(x)), JSON.stringify(r));
        assert.ok(p2 <= p16 && p16 <= m && m <= p84 && p84 <= p97, JSON.stringify(r));
      }
      // The same images as a .npy stack give the same masses.
      const csv2 = join(root, "pred_npy.csv");
      const pn = await task("predict", [
        "--run",
        run,
        "--images",
        join(data, "images_ypar.npy"),
        "--out",
        csv2,
      ]);
      assert.equal(pn.code, 0, pn.err);
      const rows2 = await readCsv(csv2);
      assert.equal(rows2[7].m200_msun, rows[7].m200_msun);

      if (format === "tng") {
        // The multichannel network reads four FITS files per image, grouped by IMAGEID.
        const multi = join(root, "runs", "multi");
        const tm = await task("train", [
          "--data",
          data,
          "--tracer",
          "multi",
          "--out",
          multi,
          "--epochs",
          "1",
          "--profile",
          "smoke",
          "--backend",
          "wasm",
          "--workers",
          "1",
        ]);
        assert.equal(tm.code, 0, tm.err);
        const ev2 = await task("evaluate", ["--runs", join(root, "runs")]);
        assert.equal(ev2.code, 0, ev2.err);
        const all = join(root, "fits_all");
        const ex2 = await task("export", ["--data", data, "--out", all, "--quiet"]);
        assert.equal(ex2.code, 0, ex2.err);
        const csv3 = join(root, "pred_multi.csv");
        const pm = await task("predict", ["--run", multi, "--images", all, "--out", csv3]);
        assert.equal(pm.code, 0, pm.err);
        const rows3 = await readCsv(csv3);
        assert.equal(rows3.length, 80);
        assert.equal(rows3[0].image, "image_0");
        // Without the star files the multichannel run refuses, naming what is missing.
        for await (const e of Deno.readDir(all)) {
          if (e.name.endsWith("_star.fits")) await Deno.remove(join(all, e.name));
        }
        assert.match(
          await rejection(() => predictMasses(multi, { images: all })),
          /image image_0 has no star FITS file/,
        );
      }

      // Bad inputs, each refused with its reason named.
      const bad = join(root, "bad");
      await Deno.mkdir(bad);
      const img = new Float32Array(120 * 120);
      const noWcs = join(bad, "no_wcs.fits");
      await Deno.writeFile(
        noWcs,
        encodeFitsImage(img, {
          width: 120,
          height: 120,
          cards: [{ key: "TRACER", value: "ypar" }],
        }),
      );
      assert.match(
        await rejection(() => predictMasses(run, { images: noWcs })),
        /no_wcs\.fits: no celestial WCS \(missing CTYPE1, CTYPE2, CRPIX1/,
      );
      const cards = (pixelArcsec: number) =>
        imageCards({
          tracer: "ypar",
          npix: 120,
          pixelArcsec,
          raDeg: 10,
          decDeg: 5,
          redshift: 0.05,
        });
      const scale = join(bad, "scale.fits");
      await Deno.writeFile(
        scale,
        encodeFitsImage(img, { width: 120, height: 120, cards: cards(12) }),
      );
      assert.match(
        await rejection(() => predictMasses(run, { images: scale })),
        /scale\.fits has 12\.0000 arcsec pixels .*trained on 10 arcsec pixels/,
      );
      const units = join(bad, "units.fits");
      const u = cards(10).map((c) => c.key === "BUNIT" ? { ...c, value: "mJy/beam" } : c);
      await Deno.writeFile(units, encodeFitsImage(img, { width: 120, height: 120, cards: u }));
      assert.match(
        await rejection(() => predictMasses(run, { images: units })),
        /units\.fits has BUNIT 'mJy\/beam'; the run's ypar images are in ''/,
      );
      const other = join(bad, fitsFileName(0, "star"));
      await Deno.writeFile(
        other,
        encodeFitsImage(img, {
          width: 120,
          height: 120,
          cards: imageCards({
            tracer: "star",
            npix: 120,
            pixelArcsec: 10,
            raDeg: 0,
            decDeg: 0,
            redshift: 0.05,
          }),
        }),
      );
      assert.match(
        await rejection(() => predictMasses(run, { images: other })),
        /holds a ypar image/,
      );
      const small = join(bad, "small.npy");
      await Deno.writeFile(small, encodeNpy({ shape: [2, 100, 100], data: new Float32Array(2e4) }));
      assert.match(
        await rejection(() => predictMasses(run, { images: small })),
        /holds 100 x 100 pixel images; the run was trained on 120 x 120/,
      );
      const bigFits = join(bad, "big.fits");
      const big = imageCards({
        tracer: "ypar",
        npix: 100,
        pixelArcsec: 10,
        raDeg: 0,
        decDeg: 0,
        redshift: 0.05,
      });
      await Deno.writeFile(
        bigFits,
        encodeFitsImage(new Float32Array(1e4), { width: 100, height: 100, cards: big }),
      );
      assert.match(
        await rejection(() => predictMasses(run, { images: bigFits })),
        /100 x 100 pixels/,
      );
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  });
}
