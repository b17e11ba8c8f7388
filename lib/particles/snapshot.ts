/**
 * On-disk particle format, so that REAL simulation particles (e.g. a BAHAMAS
 * cluster extracted with a Python reader) can be imaged by this toolkit
 * exactly like the mock's.
 *
 * A snapshot is a directory holding
 * - `particles.json`: `{ "format": "yan2020-particles", "version": 1,
 *   "counts": { "gas": Ngas, "stars": Nstar, "galaxies": Ngal },
 *   "units": {...}, "halo": { "m200Msun": ..., ... } (optional), "note": "..." }`;
 * - one NumPy `.npy` file (float32 or float64, 1-D) per column:
 *   `gas_x.npy gas_y.npy gas_z.npy` (physical Mpc, cluster-centred),
 *   `gas_massMsun.npy` (Msun), `gas_densityMsunPerMpc3.npy` (physical Msun Mpc^-3),
 *   `gas_temperatureK.npy` (K), `stars_x/y/z.npy`, `stars_massMsun.npy`,
 *   `galaxies_x/y/z.npy`, `galaxies_massMsun.npy`.
 *
 * From Python: `np.save("gas_x.npy", x.astype("f4"))` for each column, and the
 * JSON header. Units are the ones above: convert comoving Mpc/h to physical
 * Mpc (x a / h) and Msun/h to Msun (/ h) before writing.
 *
 * @module
 */
import { join } from "node:path";
import { readNpy, writeJsonAtomic, writeNpyAtomic } from "../io/mod.ts";
import {
  allocGalaxies,
  allocGas,
  allocStars,
  type ClusterParticles,
  PARTICLE_COLUMNS,
} from "./types.ts";

/** Format tag of `particles.json`. */
export const PARTICLE_FORMAT = "yan2020-particles";

const UNITS = {
  x: "physical Mpc, cluster-centred",
  massMsun: "Msun",
  densityMsunPerMpc3: "physical Msun Mpc^-3",
  temperatureK: "K",
};

/** Write a particle set as a snapshot directory (created if missing; files written atomically). */
export async function writeParticleSnapshot(
  dir: string,
  particles: ClusterParticles,
  meta: { halo?: Record<string, number>; note?: string } = {},
): Promise<void> {
  await Deno.mkdir(dir, { recursive: true });
  for (const family of ["gas", "stars", "galaxies"] as const) {
    const set = particles[family] as unknown as Record<string, Float32Array | Float64Array>;
    for (const col of PARTICLE_COLUMNS[family]) {
      const data = set[col].subarray(0, particles[family].count);
      await writeNpyAtomic(join(dir, `${family}_${col}.npy`), { shape: [data.length], data });
    }
  }
  await writeJsonAtomic(join(dir, "particles.json"), {
    format: PARTICLE_FORMAT,
    version: 1,
    counts: {
      gas: particles.gas.count,
      stars: particles.stars.count,
      galaxies: particles.galaxies.count,
    },
    units: UNITS,
    ...meta,
  });
}

/**
 * Read and validate a snapshot directory. Throws a TypeError naming the file
 * and what to fix for: a missing header or column, a wrong format tag, a
 * column of the wrong length, NaN or infinite values, negative or zero masses,
 * negative densities or temperatures.
 */
export async function readParticleSnapshot(dir: string): Promise<ClusterParticles> {
  const headerPath = join(dir, "particles.json");
  let header: { format?: string; counts?: Record<string, number> };
  try {
    header = JSON.parse(await Deno.readTextFile(headerPath));
  } catch (e) {
    throw new TypeError(
      `Cannot read particle snapshot ${dir}: ${headerPath} is missing or not JSON ` +
        `(${
          e instanceof Error ? e.message : e
        }); write it as documented in lib/particles/snapshot.ts`,
    );
  }
  if (header.format !== PARTICLE_FORMAT) {
    throw new TypeError(
      `Cannot read particle snapshot ${dir}: format must be "${PARTICLE_FORMAT}", got "${header.format}"`,
    );
  }
  const out: ClusterParticles = {
    gas: allocGas(0),
    stars: allocStars(0),
    galaxies: allocGalaxies(0),
  };
  for (const family of ["gas", "stars", "galaxies"] as const) {
    const n = header.counts?.[family];
    if (!(Number.isInteger(n) && (n as number) >= 0)) {
      throw new TypeError(
        `Cannot read particle snapshot ${dir}: counts.${family} must be an integer >= 0, got ${n}`,
      );
    }
    const set = (family === "gas"
      ? allocGas(n as number)
      : family === "stars"
      ? allocStars(n as number)
      : allocGalaxies(n as number)) as unknown as Record<string, Float32Array | Float64Array>;
    for (const col of PARTICLE_COLUMNS[family]) {
      const path = join(dir, `${family}_${col}.npy`);
      try {
        await Deno.stat(path);
      } catch {
        throw new TypeError(
          `Cannot read particle snapshot ${dir}: missing column ${family}_${col}.npy`,
        );
      }
      const arr = await readNpy(path);
      if (arr.data.length !== n) {
        throw new TypeError(
          `Cannot read particle snapshot ${dir}: ${family}_${col}.npy has ${arr.data.length} values, ` +
            `counts.${family} says ${n}`,
        );
      }
      const positive = col === "massMsun";
      const nonNegative = col === "densityMsunPerMpc3" || col === "temperatureK";
      for (let i = 0; i < arr.data.length; i++) {
        const v = arr.data[i];
        if (!Number.isFinite(v)) {
          throw new TypeError(
            `Cannot read particle snapshot ${dir}: ${family}_${col}.npy[${i}] is ${v}; remove or fix non-finite values`,
          );
        }
        if ((positive && !(v > 0)) || (nonNegative && v < 0)) {
          throw new TypeError(
            `Cannot read particle snapshot ${dir}: ${family}_${col}.npy[${i}] = ${v} must be ` +
              `${positive ? "> 0" : ">= 0"}`,
          );
        }
      }
      set[col].set(arr.data);
    }
    (out as unknown as Record<string, unknown>)[family] = set;
  }
  return out;
}
