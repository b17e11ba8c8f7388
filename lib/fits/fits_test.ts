import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeSyntheticDataset } from "../dataset/mod.ts";
import { readCsv, readNpy } from "../io/mod.ts";
import { pythonWith } from "../import/testing.ts";
import {
  celestialWcs,
  decodeFitsImage,
  encodeFitsImage,
  exportDatasetFits,
  fitsFileName,
  formatCard,
  imageCards,
  readFitsImageFile,
} from "./mod.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

Deno.test("formatCard() writes 80-character fixed-format cards (FITS 4.0 §4.2)", () => {
  // Fixed format: value right-justified in columns 11-30, strings quoted from column 11.
  const a = formatCard({ key: "NAXIS1", value: 120, comment: "columns" });
  assert.equal(a.length, 80);
  assert.equal(a.slice(0, 30), "NAXIS1  =                  120");
  const s = formatCard({ key: "CTYPE1", value: "RA---TAN" });
  assert.equal(s.slice(0, 20), "CTYPE1  = 'RA---TAN'");
  assert.equal(formatCard({ key: "X", value: "it's" }).slice(10, 20), "'it''s   '");
  assert.equal(formatCard({ key: "SIMPLE", value: true }).slice(29, 30), "T");
  assert.equal(
    formatCard({ key: "CDELT1", value: 0.5 }).slice(10, 30),
    "             5.0E-01",
  );
  // A value longer than 20 characters (free format) keeps every digit.
  assert.equal(
    formatCard({ key: "CDELT1", value: -10 / 3600 }).slice(10, 32),
    "-2.777777777777778E-03",
  );
  assert.throws(() => formatCard({ key: "TOOLONGKEY", value: 1 }), /1-8 characters/);
});

Deno.test("encodeFitsImage() and decodeFitsImage() round-trip float32 pixels, big-endian in 2880-byte blocks", () => {
  const data = new Float32Array(6).map((_, i) => (i - 2.5) * 1e-13);
  const bytes = encodeFitsImage(data, { width: 3, height: 2 });
  assert.equal(bytes.length, 2 * 2880);
  // First pixel, big-endian float32 at the start of the data unit.
  assert.equal(new DataView(bytes.buffer, 2880).getFloat32(0, false), data[0]);
  const back = decodeFitsImage(bytes);
  assert.deepEqual([back.width, back.height], [3, 2]);
  assert.deepEqual(back.data, data);
});

Deno.test("celestialWcs() refuses a header without celestial WCS, naming the missing keywords", () => {
  const bytes = encodeFitsImage(new Float32Array(4), {
    width: 2,
    height: 2,
    cards: [{ key: "CTYPE1", value: "RA---TAN" }, { key: "CRPIX1", value: 1 }],
  });
  const h = decodeFitsImage(bytes).header;
  assert.throws(
    () => celestialWcs(h, "x.fits"),
    (e: Error) =>
      e instanceof TypeError &&
      /x\.fits: no celestial WCS \(missing CTYPE2, CRPIX2, CRVAL1, CRVAL2, CDELT1, CDELT2\)/.test(
        e.message,
      ),
  );
  const linear = decodeFitsImage(encodeFitsImage(new Float32Array(4), {
    width: 2,
    height: 2,
    cards: ["1", "2"].flatMap((i) => [
      { key: `CTYPE${i}`, value: "LINEAR" },
      { key: `CRPIX${i}`, value: 1 },
      { key: `CRVAL${i}`, value: 0 },
      { key: `CDELT${i}`, value: 1 },
    ]),
  })).header;
  assert.throws(() => celestialWcs(linear), /not a celestial pair/);
});

Deno.test("exportDatasetFits() writes images that astropy reads back with the same pixels and a valid 10 arcsec TAN WCS", async (t) => {
  const dir = await Deno.makeTempDir();
  try {
    const data = join(dir, "data");
    await writeSyntheticDataset(data, { clusters: 3, seed: 4 });
    const out = join(dir, "fits");
    const files = await exportDatasetFits(data, { out, silent: true });
    const cat = await readCsv(join(data, "catalog.csv"));
    assert.equal(files.length, 4 * cat.length);
    // Our own reader first.
    const ypar = await readNpy(join(data, "images_ypar.npy"));
    const f = await readFitsImageFile(join(out, fitsFileName(5, "ypar")));
    assert.deepEqual(f.data, ypar.data.subarray(5 * 14400, 6 * 14400));
    assert.equal(f.tracer, "ypar");
    assert.equal(f.redshift, cat[5].redshift);
    assert.deepEqual(f.wcs.pixelArcsec.map((v) => Math.round(v * 1e9) / 1e9), [10, 10]);
    const py = await pythonWith(["astropy", "numpy"]);
    if (!py) {
      console.warn(
        "astropy not importable (apt-get install python3-astropy): skipping the astropy read-back",
      );
      return;
    }
    for (const [tracer, image] of [["ypar", 5], ["star", 0], ["fxb", 11]] as const) {
      await t.step(`astropy reads ${tracer} image ${image}`, async () => {
        const r = await new Deno.Command(py, {
          args: [
            join(ROOT, "scripts/check_fits_astropy.py"),
            join(data, `images_${tracer}.npy`),
            String(image),
            join(out, fitsFileName(image, tracer)),
          ],
          stdout: "piped",
          stderr: "piped",
        }).output();
        assert.ok(r.success, new TextDecoder().decode(r.stderr));
        const got = JSON.parse(new TextDecoder().decode(r.stdout));
        assert.deepEqual(got.shape, [120, 120]);
        assert.equal(got.same_pixels, true, `max |diff| ${got.max_abs_diff}`);
        assert.equal(got.has_celestial, true);
        assert.deepEqual(got.ctype, ["RA---TAN", "DEC--TAN"]);
        for (const s of got.pixel_scale_arcsec) assert.ok(Math.abs(s - 10) < 1e-9, `scale ${s}`);
        // The image centre (between the four central pixels) is the reference point.
        assert.ok(Math.abs(got.centre_world_deg[0] - 180) < 1e-9);
        assert.ok(Math.abs(got.centre_world_deg[1]) < 1e-9);
        assert.equal(got.redshift, cat[image].redshift);
        assert.ok(Math.abs(got.m200 / (cat[image].m200_msun as number) - 1) < 1e-12);
        assert.equal(
          got.bunit,
          imageCards({ tracer, npix: 120, pixelArcsec: 10, raDeg: 0, decDeg: 0, redshift: 0.05 })[0]
            .value,
        );
      });
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
