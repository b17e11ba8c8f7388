/**
 * Test helpers: the HDF5 fixtures of `scripts/make_hdf5_fixtures.py`.
 * When Python with h5py is available the script writes them afresh into a
 * temporary directory (an independent HDF5 writer); otherwise the small
 * committed copies under `tests/fixtures/hdf5/` are used, so the tests run
 * everywhere (`HDF5_FIXTURES=committed` forces them).
 *
 * @module
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** Where the fixtures are and who wrote them. */
export interface Hdf5Fixtures {
  /** Directory holding `tng/` and `eagle/`. */
  dir: string;
  /** "h5py" (written now by the script) or "committed". */
  source: "h5py" | "committed";
}

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
let cached: Promise<Hdf5Fixtures> | null = null;

/** The first of `python3`, `/usr/bin/python3` that imports every module in `modules`, or null. */
export async function pythonWith(modules: string[]): Promise<string | null> {
  for (const exe of ["python3", "/usr/bin/python3"]) {
    try {
      const r = await new Deno.Command(exe, {
        args: ["-c", modules.map((m) => `import ${m}`).join("; ")],
        stdout: "null",
        stderr: "null",
      }).output();
      if (r.success) return exe;
    } catch {
      // not installed
    }
  }
  return null;
}

/** Write (h5py) or locate (committed) the fixtures; memoised per process. */
export function hdf5Fixtures(): Promise<Hdf5Fixtures> {
  cached ??= (async () => {
    // HDF5_FIXTURES=committed uses the committed copies even where h5py is installed.
    const forced = Deno.env.get("HDF5_FIXTURES") === "committed";
    const py = forced ? null : await pythonWith(["h5py", "numpy"]);
    if (py) {
      const dir = await Deno.makeTempDir({ prefix: "hdf5-fixtures-" });
      const r = await new Deno.Command(py, {
        args: [join(ROOT, "scripts/make_hdf5_fixtures.py"), "--out", dir],
        stdout: "piped",
        stderr: "piped",
      }).output();
      if (!r.success) {
        throw new Error(`make_hdf5_fixtures.py failed: ${new TextDecoder().decode(r.stderr)}`);
      }
      return { dir, source: "h5py" as const };
    }
    if (!forced) {
      console.warn("h5py not importable: using the committed fixtures in tests/fixtures/hdf5");
    }
    return { dir: join(ROOT, "tests/fixtures/hdf5"), source: "committed" as const };
  })();
  return cached;
}
