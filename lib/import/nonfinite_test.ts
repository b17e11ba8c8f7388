import assert from "node:assert/strict";
import { join } from "node:path";
import h5wasm, { type Dataset } from "h5wasm/node";
import { importSnapshot } from "./mod.ts";
import { hdf5Fixtures } from "./testing.ts";

/** A copy of the TNG fixtures with `value` written at `row` of each `dataset` given. */
async function mutatedTng(
  edits: { file: string; dataset: string; row: number; values: number[] }[],
): Promise<string> {
  const fx = await hdf5Fixtures();
  const dir = await Deno.makeTempDir({ prefix: "nonfinite_" });
  await Deno.mkdir(join(dir, "tng"));
  for await (const e of Deno.readDir(join(fx.dir, "tng"))) {
    await Deno.copyFile(join(fx.dir, "tng", e.name), join(dir, "tng", e.name));
  }
  await h5wasm.ready;
  for (const e of edits) {
    const f = new h5wasm.File(join(dir, "tng", e.file), "a");
    const d = f.get(e.dataset) as Dataset;
    const width = d.shape!.length === 2 ? d.shape![1] : 1;
    const data = d.dtype === "<d" ? new Float64Array(e.values) : new Float32Array(e.values);
    d.write_slice(width === 1 ? [[e.row, e.row + 1]] : [[e.row, e.row + 1], [0, width]], data);
    f.close();
  }
  return dir;
}

const options = (dir: string) => ({
  snapshot: join(dir, "tng/snap_099.0.hdf5"),
  groups: join(dir, "tng/fof_subhalo_tab_099.0.hdf5"),
  format: "tng",
  out: join(dir, "out"),
  silent: true,
});

Deno.test("importSnapshot() refuses a NaN group centre, naming the file, the group and the fix, and writes nothing", async () => {
  const dir = await mutatedTng([
    { file: "fof_subhalo_tab_099.0.hdf5", dataset: "Group/GroupPos", row: 1, values: [NaN, 1, 2] },
  ]);
  try {
    await assert.rejects(
      importSnapshot(options(dir)),
      (e: Error) => {
        // Positions in the message are in Mpc (the file's ckpc/h converted).
        assert.match(
          e.message,
          new RegExp(
            `^Cannot import: ${dir}/tng/fof_subhalo_tab_099\\.0\\.hdf5: group 1 has Group/GroupPos ` +
              "\\[NaN, 0\\.00142\\d*, 0\\.00285\\d*\\] Mpc, not finite\\. Fix the file, or pass " +
              "--drop-nonfinite to leave out such groups \\(counted in the log and in manifest\\.json\\)$",
          ),
        );
        return true;
      },
    );
    await assert.rejects(Deno.stat(join(dir, "out")), Deno.errors.NotFound);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("importSnapshot() refuses a non-finite group radius (Group_R_Crit200 = Infinity)", async () => {
  const dir = await mutatedTng([
    {
      file: "fof_subhalo_tab_099.0.hdf5",
      dataset: "Group/Group_R_Crit200",
      row: 0,
      values: [Infinity],
    },
  ]);
  try {
    await assert.rejects(
      importSnapshot(options(dir)),
      /group 0 has Group\/Group_R_Crit200 Infinity Mpc, not finite\. Fix the file, or pass --drop-nonfinite/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("importSnapshot() refuses a particle whose Coordinates hold NaN, naming the dataset and row", async () => {
  const dir = await mutatedTng([
    { file: "snap_099.0.hdf5", dataset: "PartType0/Coordinates", row: 7, values: [5, NaN, 5] },
  ]);
  try {
    await assert.rejects(
      importSnapshot(options(dir)),
      (e: Error) => {
        assert.equal(
          e.message,
          `Cannot import: ${dir}/tng/snap_099.0.hdf5: PartType0/Coordinates row 7 is ` +
            "[5, NaN, 5], not finite. Fix the file, or pass --drop-nonfinite to leave out such " +
            "particles (counted in the log and in manifest.json)",
        );
        return true;
      },
    );
    // The streamed temporary files are gone too.
    const left = await Array.fromAsync(Deno.readDir(join(dir, "out"))).catch(() => []);
    assert.deepEqual(left.map((e) => e.name), []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("importSnapshot() refuses a star particle with a NaN mass", async () => {
  const dir = await mutatedTng([]);
  try {
    // Find a star particle the import keeps: the first with a formation time > 0.
    await h5wasm.ready;
    const f = new h5wasm.File(join(dir, "tng/snap_099.0.hdf5"), "a");
    const form = (f.get("PartType4/GFM_StellarFormationTime") as Dataset).value as Float32Array;
    const row = form.findIndex((t) => t > 0);
    const m = f.get("PartType4/Masses") as Dataset;
    const arr = m.dtype === "<d" ? new Float64Array([NaN]) : new Float32Array([NaN]);
    m.write_slice([[row, row + 1]], arr);
    f.close();
    await assert.rejects(
      importSnapshot({ ...options(dir), los: false }),
      new RegExp(
        `star particle ${row} has mass NaN Msun; it must be finite and > 0\\. Fix the file`,
      ),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("importSnapshot({ dropNonFinite }) leaves out the bad group and particle and counts them in the manifest", async () => {
  const dir = await mutatedTng([
    { file: "fof_subhalo_tab_099.0.hdf5", dataset: "Group/GroupPos", row: 1, values: [NaN, 1, 2] },
    { file: "snap_099.0.hdf5", dataset: "PartType0/Coordinates", row: 7, values: [5, NaN, 5] },
  ]);
  try {
    const r = await importSnapshot({ ...options(dir), dropNonFinite: true });
    const m = JSON.parse(await Deno.readTextFile(join(dir, "out", "manifest.json")));
    assert.deepEqual(m.source.dropped, {
      nonFinite: true,
      groups: 1,
      positions: 1,
      gas: 0,
      stars: 0,
    });
    assert.equal(m.source.groupsInCatalogue, r.manifest.source && m.source.groupsInCatalogue);
    assert.ok(r.images > 0);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("deno task import: a NaN group centre exits 1 leaving no folder; --drop-nonfinite imports and logs the count", async () => {
  const dir = await mutatedTng([
    { file: "fof_subhalo_tab_099.0.hdf5", dataset: "Group/GroupPos", row: 1, values: [NaN, 1, 2] },
  ]);
  try {
    const task = (extra: string[]) =>
      new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "-A",
          new URL("../../tasks/import.ts", import.meta.url).pathname,
          ...["--snapshot", join(dir, "tng/snap_099.0.hdf5")],
          ...["--groups", join(dir, "tng/fof_subhalo_tab_099.0.hdf5")],
          ...["--format", "tng", "--out", join(dir, "out"), "--quiet", ...extra],
        ],
        stdout: "piped",
        stderr: "piped",
      }).output();
    const refused = await task([]);
    const err = new TextDecoder().decode(refused.stderr);
    assert.equal(refused.code, 1, err);
    assert.match(err, /^import: Cannot import: .*group 1 has Group\/GroupPos \[NaN, /);
    await assert.rejects(Deno.stat(join(dir, "out")), Deno.errors.NotFound);

    const dropped = await task(["--drop-nonfinite"]);
    const log = new TextDecoder().decode(dropped.stderr);
    assert.equal(dropped.code, 0, log);
    assert.match(
      log,
      /import: left out for non-finite values \(--drop-nonfinite\): 1 group\(s\), 0 particle/,
    );
    const m = JSON.parse(await Deno.readTextFile(join(dir, "out", "manifest.json")));
    assert.equal(m.source.dropped.groups, 1);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
