import assert from "node:assert/strict";
import { join } from "node:path";
import h5wasm from "h5wasm/node";
import { importSnapshot } from "./mod.ts";
import { hdf5Fixtures } from "./testing.ts";

/** Write a TNG-layout snapshot with h5wasm, leaving out `omit` (a dataset path). */
async function writeTngSnapshot(path: string, omit: string): Promise<void> {
  await h5wasm.ready;
  const f = new h5wasm.File(path, "w");
  const hd = f.create_group("Header");
  const attrs: Record<string, number> = {
    BoxSize: 20000,
    HubbleParam: 0.7,
    Omega0: 0.3,
    OmegaLambda: 0.7,
    Redshift: 0,
    Time: 1,
  };
  for (const [k, v] of Object.entries(attrs)) hd.create_attribute(k, v);
  const p0 = f.create_group("PartType0");
  const n = 4;
  const cols: Record<string, Float32Array> = {
    Coordinates: new Float32Array(3 * n).fill(100),
    Masses: new Float32Array(n).fill(0.01),
    Density: new Float32Array(n).fill(1e-6),
    InternalEnergy: new Float32Array(n).fill(1e5),
    ElectronAbundance: new Float32Array(n).fill(1.16),
    StarFormationRate: new Float32Array(n),
  };
  for (const [k, v] of Object.entries(cols)) {
    if (`PartType0/${k}` === omit) continue;
    p0.create_dataset({ name: k, data: v, shape: k === "Coordinates" ? [n, 3] : [n] });
  }
  f.close();
}

async function errorOf(f: () => Promise<unknown>): Promise<Error> {
  try {
    await f();
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected an error");
}

Deno.test("importSnapshot() names a missing HDF5 dataset (PartType0/Density) before reading", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const snap = join(dir, "snap.hdf5");
    await writeTngSnapshot(snap, "PartType0/Density");
    const fx = await hdf5Fixtures();
    const e = await errorOf(() =>
      importSnapshot({
        snapshot: snap,
        groups: join(fx.dir, "tng/fof_subhalo_tab_099.0.hdf5"),
        format: "tng",
        out: join(dir, "out"),
        silent: true,
      })
    );
    assert.ok(e instanceof TypeError);
    assert.match(e.message, /"PartType0\/Density" is missing/);
    assert.match(e.message, /snap\.hdf5/);
    // Nothing was written.
    assert.equal(await Deno.stat(join(dir, "out")).then(() => true, () => false), false);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("importSnapshot() names a missing group-catalogue field (Group/Group_M_Crit200)", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await h5wasm.ready;
    const groups = join(dir, "groups.hdf5");
    const f = new h5wasm.File(groups, "w");
    const g = f.create_group("Group");
    g.create_dataset({ name: "GroupPos", data: new Float32Array(3).fill(1000), shape: [1, 3] });
    g.create_dataset({ name: "Group_R_Crit200", data: new Float32Array([500]), shape: [1] });
    f.close();
    const fx = await hdf5Fixtures();
    const e = await errorOf(() =>
      importSnapshot({
        snapshot: join(fx.dir, "tng/snap_099.0.hdf5"),
        groups,
        format: "tng",
        out: join(dir, "out"),
        silent: true,
      })
    );
    assert.match(e.message, /"Group\/Group_M_Crit200" is missing/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("importSnapshot() refuses an unknown format, naming the two it knows", async () => {
  const e = await errorOf(() =>
    importSnapshot({ snapshot: "a.hdf5", groups: "b.hdf5", format: "gizmo", out: "x" })
  );
  assert.ok(e instanceof RangeError);
  assert.match(e.message, /Unknown snapshot format "gizmo".*tng.*eagle/);
});

Deno.test("importSnapshot() reads the EAGLE layout's unit attributes and names a missing one", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await h5wasm.ready;
    const fx = await hdf5Fixtures();
    // Copy of the EAGLE snapshot's first file with the Temperature attributes stripped.
    const src = new h5wasm.File(join(fx.dir, "eagle/snap_028_z000p000.0.hdf5"), "r");
    const snap = join(dir, "snap.hdf5");
    const f = new h5wasm.File(snap, "w");
    const hd = f.create_group("Header");
    for (
      const k of ["BoxSize", "HubbleParam", "Omega0", "OmegaLambda", "Redshift", "ExpansionFactor"]
    ) {
      hd.create_attribute(
        k,
        (src.get("Header") as InstanceType<typeof h5wasm.Group>).attrs[k].value as number,
      );
    }
    const p0 = f.create_group("PartType0");
    for (const k of ["Coordinates", "Mass", "Density", "Temperature", "StarFormationRate"]) {
      const ds = src.get(`PartType0/${k}`) as InstanceType<typeof h5wasm.Dataset>;
      const out = p0.create_dataset({ name: k, data: ds.value as Float32Array, shape: ds.shape });
      if (k === "Temperature") continue;
      for (const a of ["CGSConversionFactor", "h-scale-exponent", "aexp-scale-exponent"]) {
        out.create_attribute(a, ds.attrs[a].value as number);
      }
    }
    src.close();
    f.close();
    const e = await errorOf(() =>
      importSnapshot({
        snapshot: snap,
        groups: join(fx.dir, "eagle/eagle_subfind_tab_028_z000p000.0.hdf5"),
        format: "eagle",
        out: join(dir, "out"),
        silent: true,
      })
    );
    assert.match(e.message, /"PartType0\/Temperature" has no attribute "CGSConversionFactor"/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("importSnapshot() names the missing sibling of a multi-file snapshot", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const fx = await hdf5Fixtures();
    await Deno.copyFile(join(fx.dir, "tng/snap_099.0.hdf5"), join(dir, "snap_099.0.hdf5"));
    const e = await errorOf(() =>
      importSnapshot({
        snapshot: join(dir, "snap_099.0.hdf5"),
        groups: join(fx.dir, "tng/fof_subhalo_tab_099.0.hdf5"),
        format: "tng",
        out: join(dir, "out"),
        silent: true,
      })
    );
    assert.match(e.message, /says 2 files, but .*snap_099\.1\.hdf5 is missing/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("importSnapshot() refuses a file that is not HDF5", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const p = join(dir, "snap.hdf5");
    await Deno.writeTextFile(p, "hello");
    const e = await errorOf(() =>
      importSnapshot({ snapshot: p, groups: p, format: "tng", out: join(dir, "o"), silent: true })
    );
    assert.match(e.message, /not an HDF5 file/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
