import assert from "node:assert/strict";
import { join } from "node:path";
import { encodeNpy, readNpy } from "../io/mod.ts";
import { IMAGE_PIXELS, loadDataset, writeSyntheticDataset } from "./mod.ts";

async function withDataset(
  fn: (dir: string) => Promise<void>,
  clusters = 5,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "c2_ds_" });
  try {
    await writeSyntheticDataset(dir, {
      clusters,
      seed: 3,
      tracers: ["star", "fxs", "fxb", "ypar"],
    });
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("loadDataset() splits images by the catalogue and copies the right pixels", async () => {
  await withDataset(async (dir) => {
    const ds = await loadDataset(dir, { tracer: "multi" });
    assert.deepEqual(ds.channels, ["star", "fxs", "fxb", "ypar"]);
    const { train, val, test } = ds.splits;
    assert.equal(train.n + val.n + test.n, 20);
    assert.equal(train.n, 12); // 3 of 5 clusters x 4 projections
    const raw = await readNpy(join(dir, "images_fxb.npy"));
    const k = 2;
    const i = val.image[k];
    assert.deepEqual(
      Array.from(val.images[2].subarray(k * IMAGE_PIXELS, (k + 1) * IMAGE_PIXELS)),
      Array.from(raw.data.subarray(i * IMAGE_PIXELS, (i + 1) * IMAGE_PIXELS)),
    );
    // No cluster is in two splits.
    const inTrain = new Set(train.cluster);
    for (const c of [...val.cluster, ...test.cluster]) assert.ok(!inTrain.has(c));
    assert.ok(val.m200Msun.every((m) => m > 1e12));
  });
});

Deno.test("loadDataset() names the missing directory or file and suggests simulate", async () => {
  await assert.rejects(
    () => loadDataset("/nonexistent/c2", { tracer: "ypar" }),
    /\/nonexistent\/c2 does not exist.*deno task simulate/,
  );
  await withDataset(async (dir) => {
    await Deno.remove(join(dir, "images_fxs.npy"));
    await loadDataset(dir, { tracer: "ypar" }); // other tracers still load
    await assert.rejects(
      () => loadDataset(dir, { tracer: "fxs" }),
      /images_fxs\.npy is missing.*deno task simulate/,
    );
    await assert.rejects(() => loadDataset(dir, { tracer: "xray" }), /unknown tracer "xray"/);
  });
});

Deno.test("loadDataset() rejects corrupt npy, wrong shapes and non-finite pixels", async () => {
  await withDataset(async (dir) => {
    const path = join(dir, "images_ypar.npy");
    const good = await Deno.readFile(path);
    await Deno.writeFile(path, good.subarray(0, good.length - 100));
    await assert.rejects(() => loadDataset(dir, { tracer: "ypar" }), /images_ypar\.npy.*truncated/);
    await Deno.writeFile(path, encodeNpy({ shape: [20, 60, 240], data: new Float32Array(288000) }));
    await assert.rejects(() => loadDataset(dir, { tracer: "ypar" }), /shape \[20,60,240\]/);
    await Deno.writeFile(
      path,
      encodeNpy({ shape: [19, 120, 120], data: new Float32Array(19 * IMAGE_PIXELS) }),
    );
    await assert.rejects(
      () => loadDataset(dir, { tracer: "ypar" }),
      /holds 19 images but.*20 rows/,
    );
    const bad = new Float32Array(20 * IMAGE_PIXELS);
    bad[7 * IMAGE_PIXELS + 130] = NaN;
    bad[9 * IMAGE_PIXELS] = Infinity;
    await Deno.writeFile(path, encodeNpy({ shape: [20, 120, 120], data: bad }));
    await assert.rejects(
      () => loadDataset(dir, { tracer: "ypar" }),
      /images_ypar\.npy has a non-finite pixel \(NaN\) in image 7 \(first bad image; row 1, column 10\)/,
    );
  });
});

Deno.test("loadDataset() refuses a dataset whose test split is empty", async () => {
  await withDataset(async (dir) => {
    const path = join(dir, "catalog.csv");
    const text = await Deno.readTextFile(path);
    await Deno.writeTextFile(path, text.replaceAll(",test\n", ",val\n"));
    await assert.rejects(() => loadDataset(dir, { tracer: "star" }), /the test split is empty/);
    await Deno.writeTextFile(path, text.replace("image,cluster", "img,cluster"));
    await assert.rejects(
      () => loadDataset(dir, { tracer: "star" }),
      /column image missing \(found "img" instead\); expected the header "image,cluster/,
    );
  });
});
