/**
 * The two Gadget-format HDF5 layouts the importer reads, and their unit
 * conversions to the toolkit's particle schema (lib/particles/types.ts:
 * physical Mpc, Msun, physical Msun Mpc^-3, K).
 *
 * `tng` (IllustrisTNG, Gadget-4; Nelson et al. 2019, Comput. Astrophys.
 * Cosmol. 6, 2, "The IllustrisTNG simulations: public data release", and its
 * online data specifications):
 * - `Header`: BoxSize [ckpc/h], HubbleParam, Omega0, OmegaLambda, Redshift, Time (a);
 * - `PartType0`: Coordinates [ckpc/h], Masses [1e10 Msun/h], Density
 *   [1e10 (Msun/h) (ckpc/h)^-3], InternalEnergy [(km/s)^2], ElectronAbundance
 *   (n_e / n_H), StarFormationRate [Msun/yr];
 * - `PartType4`: Coordinates, Masses, GFM_StellarFormationTime (a at birth;
 *   <= 0 marks a wind particle, not a star);
 * - group file `Group/GroupPos` [ckpc/h], `Group/Group_M_Crit200` [1e10 Msun/h],
 *   `Group/Group_R_Crit200` [ckpc/h].
 *   Temperature from the TNG data documentation (FAQ "How do I compute the
 *   temperature of a gas cell?"):
 *     T = (gamma - 1) (u / k_B) mu,  mu = 4 m_p / (1 + 3 X_H + 4 X_H x_e),
 *   gamma = 5/3, X_H = 0.76, u in (km/s)^2 x 1e10 -> (cm/s)^2, T in K.
 *
 * `eagle` (EAGLE, BAHAMAS: Gadget-3 with the EAGLE output layout; The EAGLE
 * team 2017, arXiv:1706.09899, §2.3): the same particle groups, with `Mass`
 * (EAGLE's name; `Masses` is accepted too), `Density`, `Temperature` [K] and
 * `StarFormationRate` per gas particle. Every dataset carries
 * `CGSConversionFactor`, `h-scale-exponent` and `aexp-scale-exponent`: the
 * physical CGS value is `raw * CGSConversionFactor * h^h-scale-exponent *
 * a^aexp-scale-exponent`. Groups: `FOF/GroupCentreOfPotential`,
 * `FOF/Group_M_Crit200`, `FOF/Group_R_Crit200` (same attributes). The header
 * holds `ExpansionFactor` (or `Time`).
 *
 * @module
 */
import { K_B_ERG_PER_K, M_P_G, MPC_CM, MSUN_G } from "../constants/mod.ts";
import type { Cosmology } from "../cosmology/mod.ts";
import { WMAP9_BAHAMAS } from "../cosmology/mod.ts";
import type { Hdf5Dataset, Hdf5File } from "../hdf5/mod.ts";

/** The snapshot layouts {@linkcode readSnapshotHeader} and the importer know. */
export type SnapshotFormat = "tng" | "eagle";

/** All snapshot formats. */
export const SNAPSHOT_FORMATS: readonly SnapshotFormat[] = ["tng", "eagle"];

/** Throw a RangeError naming the valid formats unless `value` is one. */
export function parseSnapshotFormat(value: string): SnapshotFormat {
  if (value === "tng" || value === "eagle") return value;
  throw new RangeError(
    `Unknown snapshot format "${value}": expected tng (IllustrisTNG / Gadget-4) or ` +
      `eagle (EAGLE / BAHAMAS)`,
  );
}

/** Hydrogen mass fraction of the TNG temperature formula (TNG data documentation). */
export const TNG_X_H = 0.76;
/** Adiabatic index of the TNG temperature formula. */
export const TNG_GAMMA = 5 / 3;

/**
 * Gas temperature [K] from TNG's InternalEnergy u [(km/s)^2] and
 * ElectronAbundance x_e: T = (gamma - 1) u / k_B * mu m_p, with
 * mu = 4 / (1 + 3 X_H + 4 X_H x_e), X_H = 0.76, gamma = 5/3 (TNG FAQ).
 */
export function tngTemperatureK(internalEnergyKm2PerS2: number, electronAbundance: number): number {
  const mu = 4 / (1 + 3 * TNG_X_H + 4 * TNG_X_H * electronAbundance);
  return (TNG_GAMMA - 1) * (internalEnergyKm2PerS2 * 1e10 / K_B_ERG_PER_K) * mu * M_P_G;
}

/** What the importer needs from a snapshot header. */
export interface SnapshotHeader {
  /** Box side in the raw units of `Coordinates`. */
  boxRaw: number;
  /** Dimensionless Hubble parameter. */
  h: number;
  /** Expansion factor of the snapshot. */
  a: number;
  /** Redshift of the snapshot. */
  redshift: number;
  /** The cosmology (h, Omega_m, Omega_Lambda from the header; see {@linkcode headerCosmology}). */
  cosmology: Cosmology;
}

/**
 * The cosmology of a snapshot: h, Omega_m and Omega_Lambda (and Omega_b when
 * the header has OmegaBaryon) from the header; sigma_8, n_s and T_CMB are not
 * in Gadget headers and are taken from WMAP9_BAHAMAS. Only h, Omega_m and
 * Omega_Lambda enter the images (through the distances).
 */
export function headerCosmology(f: Hdf5File, name: string): Cosmology {
  const h = f.numberAttr("Header", "HubbleParam");
  const omegaM = f.numberAttr("Header", "Omega0");
  const omegaL = f.numberAttr("Header", "OmegaLambda");
  const omegaB = f.hasAttr("Header", "OmegaBaryon")
    ? f.numberAttr("Header", "OmegaBaryon")
    : Math.min(WMAP9_BAHAMAS.omegaB, omegaM / 2);
  return {
    name,
    h,
    omegaM,
    omegaB,
    omegaC: omegaM - omegaB,
    omegaL,
    sigma8: WMAP9_BAHAMAS.sigma8,
    ns: WMAP9_BAHAMAS.ns,
    tcmbK: WMAP9_BAHAMAS.tcmbK,
  };
}

/** Read the header of a snapshot file in `format`; missing attributes throw, naming them. */
export function readSnapshotHeader(f: Hdf5File, format: SnapshotFormat): SnapshotHeader {
  const aKey = format === "tng"
    ? "Time"
    : (f.hasAttr("Header", "ExpansionFactor") ? "ExpansionFactor" : "Time");
  const a = f.numberAttr("Header", aKey);
  const redshift = f.numberAttr("Header", "Redshift");
  const h = f.numberAttr("Header", "HubbleParam");
  const boxRaw = f.numberAttr("Header", "BoxSize");
  for (const [k, v] of [["Time", a], ["HubbleParam", h], ["BoxSize", boxRaw]] as const) {
    if (!(v > 0)) {
      throw new RangeError(`Cannot read ${f.path}: Header/${k} must be > 0, got ${v}`);
    }
  }
  return { boxRaw, h, a, redshift, cosmology: headerCosmology(f, `${format} snapshot header`) };
}

/** Factor from raw dataset values to physical CGS for an EAGLE dataset (its three attributes). */
export function eagleCgsFactor(ds: Hdf5Dataset, header: { h: number; a: number }): number {
  const cgs = ds.numberAttr("CGSConversionFactor");
  const hx = ds.numberAttr("h-scale-exponent");
  const ax = ds.numberAttr("aexp-scale-exponent");
  return cgs * header.h ** hx * header.a ** ax;
}

/** Factor from raw `Coordinates` (or group positions / radii) to physical Mpc. */
export function lengthToMpc(
  ds: Hdf5Dataset,
  format: SnapshotFormat,
  header: { h: number; a: number },
): number {
  return format === "tng" ? header.a / header.h / 1000 : eagleCgsFactor(ds, header) / MPC_CM;
}

/** Factor from raw masses to Msun. */
export function massToMsun(
  ds: Hdf5Dataset,
  format: SnapshotFormat,
  header: { h: number; a: number },
): number {
  return format === "tng" ? 1e10 / header.h : eagleCgsFactor(ds, header) / MSUN_G;
}

/** Factor from raw densities to physical Msun Mpc^-3. */
export function densityToMsunPerMpc3(
  ds: Hdf5Dataset,
  format: SnapshotFormat,
  header: { h: number; a: number },
): number {
  if (format === "tng") {
    // (1e10 Msun/h) / (ckpc/h)^3 = 1e10 h^2 / (a 1e-3 Mpc)^3
    return 1e10 * header.h ** 2 * 1e9 / header.a ** 3;
  }
  return eagleCgsFactor(ds, header) * MPC_CM ** 3 / MSUN_G;
}

/** Dataset paths of a format. */
export interface FormatFields {
  gasMass: string[];
  starMass: string[];
  groupPos: string;
  groupM200: string;
  groupR200: string;
}

/** The dataset names each format reads (alternatives in order of preference). */
export function formatFields(format: SnapshotFormat): FormatFields {
  return format === "tng"
    ? {
      gasMass: ["Masses"],
      starMass: ["Masses"],
      groupPos: "Group/GroupPos",
      groupM200: "Group/Group_M_Crit200",
      groupR200: "Group/Group_R_Crit200",
    }
    : {
      gasMass: ["Mass", "Masses"],
      starMass: ["Mass", "Masses"],
      groupPos: "FOF/GroupCentreOfPotential",
      groupM200: "FOF/Group_M_Crit200",
      groupR200: "FOF/Group_R_Crit200",
    };
}

/** The first of `names` under `group` that exists; throws naming all when none does. */
export function pickDataset(f: Hdf5File, group: string, names: string[], why: string): Hdf5Dataset {
  for (const n of names) if (f.has(`${group}/${n}`)) return f.dataset(`${group}/${n}`);
  return f.dataset(`${group}/${names[0]}`, why);
}

/** Groups of one group-catalogue file, in physical units. */
export interface GroupChunk {
  /** Centres [physical Mpc], box coordinates, 3 per group. */
  posMpc: Float64Array;
  /** M200c [Msun]. */
  m200Msun: Float64Array;
  /** r200c [physical Mpc]. */
  r200Mpc: Float64Array;
}

/**
 * Read the groups of one catalogue file. The header's expansion factor is
 * the snapshot's (`header`), so that group and particle positions agree.
 * A file without groups (no `Group`/`FOF` group, as Gadget writes for empty
 * files) gives empty arrays.
 */
export function readGroups(
  f: Hdf5File,
  format: SnapshotFormat,
  header: { h: number; a: number },
): GroupChunk {
  const fields = formatFields(format);
  const top = fields.groupPos.split("/")[0];
  if (!f.has(top)) {
    return {
      posMpc: new Float64Array(0),
      m200Msun: new Float64Array(0),
      r200Mpc: new Float64Array(0),
    };
  }
  const why = `the ${format} group catalogue layout needs it`;
  const pos = f.dataset(fields.groupPos, why);
  const m = f.dataset(fields.groupM200, why);
  const r = f.dataset(fields.groupR200, why);
  if (pos.width !== 3) {
    throw new TypeError(
      `Cannot read ${f.path}: ${fields.groupPos} must be N x 3, got [${pos.shape}]`,
    );
  }
  if (m.rows !== pos.rows || r.rows !== pos.rows) {
    throw new TypeError(
      `Cannot read ${f.path}: ${fields.groupPos}, ${fields.groupM200} and ${fields.groupR200} ` +
        `have ${pos.rows}, ${m.rows} and ${r.rows} rows; they must match`,
    );
  }
  const posMpc = pos.readAll();
  const lf = lengthToMpc(pos, format, header);
  for (let i = 0; i < posMpc.length; i++) posMpc[i] *= lf;
  const m200Msun = m.readAll();
  const mf = massToMsun(m, format, header);
  for (let i = 0; i < m200Msun.length; i++) m200Msun[i] *= mf;
  const r200Mpc = r.readAll();
  const rf = lengthToMpc(r, format, header);
  for (let i = 0; i < r200Mpc.length; i++) r200Mpc[i] *= rf;
  return { posMpc, m200Msun, r200Mpc };
}
