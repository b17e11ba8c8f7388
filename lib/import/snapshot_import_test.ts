import assert from "node:assert/strict";
import { join } from "node:path";
import { MPC_CM, MSUN_G } from "../constants/mod.ts";
import { comovingDistanceMpc, type Cosmology } from "../cosmology/mod.ts";
import { readCsv, readNpy } from "../io/mod.ts";
import { importSnapshot, type SnapshotFormat } from "./mod.ts";
import { hdf5Fixtures } from "./testing.ts";

const FILES: Record<SnapshotFormat, { snapshot: string; groups: string }> = {
  tng: { snapshot: "snap_099.0.hdf5", groups: "fof_subhalo_tab_099.0.hdf5" },
  eagle: {
    snapshot: "snap_028_z000p000.0.hdf5",
    groups: "eagle_subfind_tab_028_z000p000.0.hdf5",
  },
};

interface ExpectedView {
  star_mass_g: number;
  upsilon_cm2: number;
  lbol_erg_s: number;
  n_gas: number;
}
interface ExpectedGroup {
  m200_g: number;
  los: ExpectedView[];
  nolos: ExpectedView[];
}

function sum(a: Float32Array | Float64Array, from: number, n: number): number {
  let s = 0;
  for (let i = from; i < from + n; i++) s += a[i];
  return s;
}

for (const format of ["tng", "eagle"] as const) {
  for (const los of [true, false]) {
    Deno.test(
      `importSnapshot() ${format}${
        los ? "" : " --no-los"
      }: image totals equal numpy sums over the particles (h5py-written files)`,
      async () => {
        const fx = await hdf5Fixtures();
        const dir = join(fx.dir, format);
        const out = await Deno.makeTempDir();
        try {
          const r = await importSnapshot({
            snapshot: join(dir, FILES[format].snapshot),
            groups: join(dir, FILES[format].groups),
            format,
            out,
            noise: "none",
            los,
            chunkRows: 500, // several hyperslabs per file
            clustersPerPass: 4, // two passes over the snapshot
            silent: true,
          });
          const expected: ExpectedGroup[] =
            JSON.parse(await Deno.readTextFile(join(dir, "expected.json"))).groups;
          assert.equal(r.clusters, expected.length);
          const cat = await readCsv(join(out, "catalog.csv"));
          const manifest = JSON.parse(await Deno.readTextFile(join(out, "manifest.json")));
          const cosmo = manifest.cosmology as Cosmology;
          const img = {
            star: (await readNpy(join(out, "images_star.npy"))).data,
            fxb: (await readNpy(join(out, "images_fxb.npy"))).data,
            ypar: (await readNpy(join(out, "images_ypar.npy"))).data,
          };
          const npix2 = 120 * 120;
          const pixRad = 10 / 3600 * Math.PI / 180;
          for (const row of cat) {
            const i = row.image as number;
            const g = expected[row.cluster as number];
            const e = (los ? g.los : g.nolos)[row.projection as number];
            const z = row.redshift as number;
            const dC = comovingDistanceMpc(z, cosmo);
            const sMpc = dC / (1 + z) * pixRad;
            const dLcm = dC * (1 + z) * MPC_CM;
            const star = sum(img.star, i * npix2, npix2) * sMpc * sMpc * MSUN_G;
            const y = sum(img.ypar, i * npix2, npix2) * (sMpc * MPC_CM) ** 2;
            const lbol = sum(img.fxb, i * npix2, npix2) * 4 * Math.PI * dLcm * dLcm;
            // Tolerance 1e-4: the files hold float32, the expected sums come from float64.
            const close = (a: number, b: number, what: string) =>
              assert.ok(Math.abs(a / b - 1) < 1e-4, `${what} of image ${i}: ${a} vs numpy ${b}`);
            close(star, e.star_mass_g, "stellar mass");
            close(y, e.upsilon_cm2, "integrated Y");
            close(lbol, e.lbol_erg_s, "bolometric X-ray luminosity");
            close((row.m200_msun as number) * MSUN_G, g.m200_g, "M200 label");
          }
          // Splits as simulate makes them: 20 clusters -> 12 / 4 / 4.
          assert.deepEqual(manifest.splitClusters, { train: 12, val: 4, test: 4 });
        } finally {
          await Deno.remove(out, { recursive: true });
        }
      },
    );
  }
}
