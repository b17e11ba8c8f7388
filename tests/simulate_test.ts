/**
 * End to end: `simulateDataset` / `deno task simulate` write the dataset
 * contract, reproducibly, split by cluster, and refuse bad input before
 * writing anything.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { encodeNpy, readCsv, readNpy } from "../lib/io/mod.ts";
import { DATASET_GALAXY_COLUMNS, simulateDataset } from "../lib/dataset/mod.ts";
import { loadDataset } from "../lib/dataset/mod.ts";
import { npyHeaderF32 } from "../lib/io/npy_stream.ts";
import { TRACERS } from "../lib/types/mod.ts";
import { main } from "../tasks/simulate.ts";

const FILES = [
  "catalog.csv",
  "galaxies.csv",
  "manifest.json",
  ...TRACERS.map((t) => `images_${t}.npy`),
];

async function listDir(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(dir)) out.push(e.name);
  return out.sort();
}

Deno.test("simulate writes the dataset contract for a tiny run, identically with 0 or 2 workers", async () => {
  const root = await Deno.makeTempDir();
  try {
    const a = join(root, "a");
    const b = join(root, "b");
    const r = await simulateDataset({ out: a, clusters: 6, seed: 7, workers: 2, silent: true });
    await simulateDataset({ out: b, clusters: 6, seed: 7, workers: 0, silent: true });
    assert.equal(r.images, 24);
    assert.deepEqual(await listDir(a), [...FILES].sort());
    for (const f of FILES) {
      assert.deepEqual(await Deno.readFile(join(a, f)), await Deno.readFile(join(b, f)), f);
    }
    const catText = await Deno.readTextFile(join(a, "catalog.csv"));
    assert.equal(
      catText.split("\n")[0],
      "image,cluster,projection,redshift,m200_msun,r200_mpc,r200_arcmin,split",
    );
    const galText = await Deno.readTextFile(join(a, "galaxies.csv"));
    assert.equal(galText.split("\n")[0], "image,cluster,x_pix,y_pix,m_gal_msun");
    const cat = await readCsv(join(a, "catalog.csv"));
    assert.equal(cat.length, 24);
    const splitOf = new Map<number, string>();
    cat.forEach((row, i) => {
      assert.equal(row.image, i);
      assert.equal(row.projection, i % 4);
      const z = row.redshift as number;
      assert.ok(z >= 0.03 && z <= 0.07);
      const s = splitOf.get(row.cluster as number);
      if (s) assert.equal(row.split, s, "all views of a cluster share its split");
      splitOf.set(row.cluster as number, row.split as string);
    });
    const counts = { train: 0, val: 0, test: 0 } as Record<string, number>;
    for (const s of splitOf.values()) counts[s]++;
    assert.deepEqual(counts, { train: 4, val: 1, test: 1 });
    for (const t of TRACERS) {
      const arr = await readNpy(join(a, `images_${t}.npy`));
      assert.deepEqual(arr.shape, [24, 120, 120]);
      assert.ok(arr.data instanceof Float32Array);
      assert.ok(arr.data.every(Number.isFinite));
    }
    const gal = await readCsv(join(a, "galaxies.csv"));
    assert.ok(gal.length >= 24, "every view holds at least its central galaxy");
    for (const g of gal) {
      assert.ok((g.x_pix as number) >= 0 && (g.x_pix as number) < 120);
      assert.ok((g.m_gal_msun as number) > 1e10);
    }
    // The training-side reader accepts the dataset and agrees on the columns.
    assert.deepEqual(DATASET_GALAXY_COLUMNS, ["image", "cluster", "x_pix", "y_pix", "m_gal_msun"]);
    const ds = await loadDataset(a, { tracer: "multi" });
    assert.equal(ds.nImages, 24);
    assert.equal(ds.splits.train.n, 16);
    const manifest = JSON.parse(await Deno.readTextFile(join(a, "manifest.json")));
    assert.equal(manifest.seed, 7);
    assert.equal(manifest.images, 24);
    assert.equal(manifest.los, true);
    assert.equal(manifest.instruments.ypar.beamFwhmArcmin, 1.4);
    assert.match(manifest.units.star, /Msun Mpc\^-2/);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("noise-free images peak at the cluster centre and the LOS switch changes the data", async () => {
  const root = await Deno.makeTempDir();
  try {
    const on = join(root, "on");
    const off = join(root, "off");
    await simulateDataset({
      out: on,
      clusters: 2,
      seed: 3,
      noise: "none",
      workers: 0,
      silent: true,
    });
    await simulateDataset({
      out: off,
      clusters: 2,
      seed: 3,
      noise: "none",
      los: false,
      workers: 0,
      silent: true,
    });
    const y = await readNpy(join(off, "images_ypar.npy"));
    for (let i = 0; i < 8; i++) {
      const img = y.data.subarray(i * 14400, (i + 1) * 14400);
      let central = 0, total = 0;
      for (let r = 0; r < 120; r++) {
        for (let c = 0; c < 120; c++) {
          const v = img[r * 120 + c];
          total += v;
          if (Math.hypot(r + 0.5 - 60, c + 0.5 - 60) < 20) central += v;
        }
      }
      assert.ok(total > 0 && central / total > 0.3 * (400 * Math.PI) / 14400, `view ${i}`);
    }
    assert.notDeepEqual(
      await Deno.readFile(join(on, "images_star.npy")),
      await Deno.readFile(join(off, "images_star.npy")),
    );
    const m = JSON.parse(await Deno.readTextFile(join(off, "manifest.json")));
    assert.equal(m.los, false);
    assert.equal(m.noise, "none");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("--noise-scale fxs=0 leaves the soft X-ray maps noiseless and the other tracers noisy", async () => {
  const root = await Deno.makeTempDir();
  try {
    const scaled = join(root, "scaled");
    const code = await main([
      "--out",
      scaled,
      "--clusters",
      "2",
      "--seed",
      "3",
      "--no-los",
      "--workers",
      "0",
      "--noise-scale",
      "fxs=0",
      "--quiet",
    ]);
    assert.equal(code, 0);
    const min = (a: Float32Array) => a.reduce((m, v) => Math.min(m, v), Infinity);
    // Emission is positive: only noise makes a pixel negative.
    const fxs = (await readNpy(join(scaled, "images_fxs.npy"))).data as Float32Array;
    const fxb = (await readNpy(join(scaled, "images_fxb.npy"))).data as Float32Array;
    assert.ok(min(fxs) >= 0, `fxs min ${min(fxs)}`);
    assert.ok(min(fxb) < 0, `fxb keeps its noise: min ${min(fxb)}`);
    const m = JSON.parse(await Deno.readTextFile(join(scaled, "manifest.json")));
    assert.equal(m.instruments.fxs.rms, 0);
    assert.equal(m.instruments.fxb.rms, 9e-16);
    assert.deepEqual(m.noiseScale, { fxs: 0 });
    assert.equal(await main(["--out", join(root, "bad"), "--noise-scale", "fx=0", "--quiet"]), 1);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("bad input fails before anything is written", async () => {
  const root = await Deno.makeTempDir();
  try {
    const out = join(root, "never");
    const bad: [Record<string, unknown>, RegExp][] = [
      [{ profile: "huge" }, /Unknown profile "huge"/],
      [{ noise: "act" }, /Unknown noise setting "act"/],
      [{ clusters: 0 }, /positive integer, got 0/],
      [{ clusters: -3 }, /positive integer, got -3/],
      [{ clusters: 1.5 }, /positive integer, got 1.5/],
      [{ seed: 0.5 }, /seed must be an integer/],
    ];
    for (const [opts, re] of bad) {
      await assert.rejects(() => simulateDataset({ out, silent: true, ...opts }), re);
    }
    const file = join(root, "a-file");
    await Deno.writeTextFile(file, "x");
    await assert.rejects(
      () => simulateDataset({ out: join(file, "sub"), clusters: 1, silent: true }),
      /Cannot write to output directory/,
    );
    assert.deepEqual(await listDir(root), ["a-file"]);
    // The CLI turns the same mistakes into exit codes without writing.
    const quiet = console.error;
    console.error = () => {};
    try {
      assert.equal(await main(["--out", out, "--clusters", "two"]), 1);
      assert.equal(await main(["--out", out, "--noise", "act"]), 1);
      assert.equal(await main(["--out", out, "--bogus"]), 2);
      assert.equal(await main(["--clusters", "3"]), 1);
    } finally {
      console.error = quiet;
    }
    assert.deepEqual(await listDir(root), ["a-file"]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("a failure while rendering leaves no dataset file and no temporary file", async () => {
  const root = await Deno.makeTempDir();
  try {
    const good = {
      id: 0,
      bin: 0,
      m200DmoMsun: 1e14,
      m200Msun: 1e14,
      c200: 4,
      r200Mpc: 0.95,
      m500Msun: 7e13,
      r500Mpc: 0.62,
    };
    const broken = { ...good, id: 1, r500Mpc: Number.NaN };
    await assert.rejects(
      () =>
        simulateDataset({
          out: root,
          haloes: [good, broken],
          workers: 2,
          silent: true,
          los: false,
        }),
      /r500Mpc must be finite/,
    );
    assert.deepEqual(await listDir(root), []);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("the streamed npy header is byte-identical to lib/io's encodeNpy", () => {
  const full = encodeNpy({ shape: [3, 120, 120], data: new Float32Array(3 * 14400) });
  const head = npyHeaderF32([3, 120, 120]);
  assert.deepEqual(full.subarray(0, head.length), head);
  assert.equal(full.length - head.length, 3 * 14400 * 4);
});
