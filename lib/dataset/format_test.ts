import assert from "node:assert/strict";
import { join } from "node:path";
import { WMAP9_BAHAMAS } from "../cosmology/mod.ts";
import { TRACERS } from "../types/mod.ts";
import {
  CATALOG_COLUMNS,
  catalogRowsOfViews,
  DATASET_FILES,
  type DatasetManifest,
  DatasetWriter,
  FIELD_OF_VIEW_ARCMIN,
  IMAGE_SIZE_PIX,
  imageGeometry,
  manifestGeometry,
  manifestHeader,
  manifestImaging,
  parseCatalog,
  readCatalog,
  readGalaxies,
  readManifest,
  readTracerImages,
  spreadInMass,
} from "./format.ts";

function tinyManifest(npix: number): DatasetManifest {
  return {
    ...manifestHeader(),
    profile: "smoke",
    seed: 1,
    clusters: 1,
    images: 4,
    galaxies: 1,
    splitClusters: { train: 1, val: 0, test: 0 },
    ...manifestGeometry(npix, 2),
    imageOrder: "image = 4 k + projection",
    projections: ["x", "y", "z", "d"],
    redshiftRange: [0.03, 0.07],
    los: false,
    ...manifestImaging({
      noise: "none",
      instruments: Object.fromEntries(
        TRACERS.map((t) => [t, { rms: 0, beamFwhmArcmin: 0 }]),
      ) as DatasetManifest["instruments"],
      units: {},
      cosmology: WMAP9_BAHAMAS,
    }),
  };
}

Deno.test("DatasetWriter writes a directory its readers read back, the manifest last", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const npix = 3;
    const writer = await DatasetWriter.create(dir, { nImages: 4, npix });
    const images = Object.fromEntries(
      TRACERS.map((t, k) => [t, Float32Array.from({ length: 4 * npix * npix }, (_, i) => i + k)]),
    ) as Record<(typeof TRACERS)[number], Float32Array>;
    const rows = catalogRowsOfViews(
      { redshifts: [0.03, 0.04, 0.05, 0.06], r200Arcmin: [9, 8, 7, 6] },
      { firstImage: 0, cluster: 7, m200Msun: 2e14, r200Mpc: 1.1, split: "train" },
    );
    await writer.fill(async (w) => {
      await w.append(images, rows, [{
        image: 2,
        cluster: 7,
        xPix: 1.5,
        yPix: 1.25,
        mGalMsun: 3e11,
      }]);
      assert.equal(await readManifest(dir), null, "no manifest before commit");
    });
    const written = await writer.commit(
      tinyManifest(npix),
      { clusters: 1, images: 4 },
      performance.now(),
    );
    assert.equal(written.images, 4);
    const catalog = await readCatalog(dir);
    assert.deepEqual(catalog.map((r) => [r.image, r.projection, r.redshift, r.r200Arcmin]), [
      [0, 0, 0.03, 9],
      [1, 1, 0.04, 8],
      [2, 2, 0.05, 7],
      [3, 3, 0.06, 6],
    ]);
    assert.equal(catalog[0].m200Msun, 2e14);
    assert.deepEqual(
      await readGalaxies(dir),
      new Map([[2, [{ xPix: 1.5, yPix: 1.25, mGalMsun: 3e11 }]]]),
    );
    const ypar = await readTracerImages(dir, "ypar");
    assert.deepEqual(ypar.shape, [4, npix, npix]);
    assert.deepEqual([...ypar.data.subarray(0, 3)], [3, 4, 5]);
    const m = await readManifest(dir);
    assert.deepEqual(imageGeometry(m), { npix: 3, fovArcmin: 2, pixelArcsec: 40 });
    const names = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
    assert.deepEqual(
      names,
      [
        DATASET_FILES.catalog,
        DATASET_FILES.galaxies,
        ...TRACERS.map((t) => DATASET_FILES.images(t)),
        DATASET_FILES.manifest,
      ].sort(),
      "no temporary file left",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("DatasetWriter.fill removes its temporary files when filling fails", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const writer = await DatasetWriter.create(dir, { nImages: 4, npix: 2 });
    await assert.rejects(() => writer.fill(() => Promise.reject(new Error("boom"))), /boom/);
    assert.deepEqual([...Deno.readDirSync(dir)], []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("parseCatalog() types the rows and refuses a wrong header or order", () => {
  const header = CATALOG_COLUMNS.join(",");
  const rows = parseCatalog(`${header}\n0,5,0,0.05,1e14,1,6,test\n`);
  assert.deepEqual(rows, [{
    image: 0,
    cluster: 5,
    projection: 0,
    redshift: 0.05,
    m200Msun: 1e14,
    r200Mpc: 1,
    r200Arcmin: 6,
    split: "test",
  }]);
  assert.throws(() => parseCatalog("image,cluster\n0,1\n"), /missing; expected the header/);
  assert.throws(() => parseCatalog(`${header}\n1,5,0,0.05,1e14,1,6,test\n`), /expected 0/);
  assert.throws(() => parseCatalog(`${header}\n0,5,0,0.05,1e14,1,6,dev\n`), /split "dev"/);
});

Deno.test("imageGeometry() falls back to the paper's 120 pixels over 20 arcmin without a manifest", () => {
  assert.deepEqual(imageGeometry(null), {
    npix: IMAGE_SIZE_PIX,
    fovArcmin: FIELD_OF_VIEW_ARCMIN,
    pixelArcsec: 10,
  });
});

Deno.test("spreadInMass() picks evenly over the mass order and returns them by id", () => {
  const items = [5, 1, 4, 2, 3].map((m, id) => ({ id, m }));
  const key = { mass: (x: { m: number }) => x.m, id: (x: { id: number }) => x.id };
  // By mass: ids 1, 3, 4, 2, 0; the 1st, 3rd and 5th are ids 1, 4 and 0, returned by id.
  assert.deepEqual(spreadInMass(items, 3, key).map((x) => x.id), [0, 1, 4]);

  assert.equal(spreadInMass(items, null, key).length, 5);
  assert.deepEqual(spreadInMass(items, 1, key).map((x) => x.m), [3]);
});

Deno.test("readCatalog() names the missing file and how to make a dataset", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await assert.rejects(() => readCatalog(dir), /catalog\.csv is missing.*deno task simulate/);
    assert.equal(await readManifest(dir), null);
    assert.deepEqual(await readGalaxies(join(dir, "nowhere")), new Map());
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
