/**
 * `importSnapshot`: a dataset directory in the format `simulateDataset`
 * writes (catalog.csv, images_{star,fxs,fxb,ypar}.npy, galaxies.csv,
 * manifest.json), made from a real hydrodynamical snapshot and its group
 * catalogue in Gadget-format HDF5 (IllustrisTNG or EAGLE/BAHAMAS layout,
 * lib/import/formats.ts), so that train, evaluate, interpret and figures run
 * on it unchanged.
 *
 * What it does, following Yan et al. (2020) §2.2:
 * 1. reads every group of the catalogue (all files of a multi-file set),
 *    keeps those with M200c >= `minM200Msun`, and optionally `clusters` of
 *    them spread evenly in mass; the label of each image is the group file's
 *    M200c (`Group_M_Crit200`) in Msun;
 * 2. streams the snapshot file by file, particle type by particle type, in
 *    hyperslabs of `chunkRows` rows (a file is never read whole), and keeps,
 *    for every selected group, the gas and star particles that can reach one
 *    of its four images. Positions are taken relative to the group centre by
 *    the minimal periodic image. With line-of-sight structure (the default),
 *    projection k keeps the particles with |d . n_k| <= `losDepthMpc`
 *    (50 comoving Mpc in front and behind, as in the paper; at most half the
 *    box) that lie within the field's half-diagonal of the axis; without it,
 *    only particles within 3 r200 of the centre;
 * 3. renders four views per group exactly as the mock does (lib/dataset
 *    render.ts): projection axes x, y, z, (sqrt2/2, -sqrt2/2, 0), a random
 *    azimuth and a redshift U(0.03, 0.07) per view from
 *    `clusterRng(seed, groupIndex)`, every particle placed at the group's
 *    distance, binning by lib/observe (eqs. 2-5), then noise and beam;
 *    star-forming gas (StarFormationRate > 0) and gas below 1e5 K emit no
 *    X-rays (BAHAMAS' convention, McCarthy et al. 2017), but all gas
 *    contributes to Compton y; TNG wind particles (formation time <= 0) are
 *    not stars;
 * 4. writes the files under temporary names and renames them into place,
 *    the manifest last (as `simulateDataset` does).
 *
 * Memory: the particles of at most `clustersPerPass` groups are held at once;
 * more groups mean more passes over the snapshot.
 *
 * @module
 */
import { ARCMIN_PER_RAD } from "../constants/mod.ts";
import { comovingDistanceMpc, type Cosmology } from "../cosmology/mod.ts";
import {
  catalogRowsOfViews,
  clusterRng,
  clustersPerSplit,
  type DatasetManifest,
  DatasetWriter,
  type DatasetWritten,
  FIELD_OF_VIEW_ARCMIN,
  IMAGE_SIZE_PIX,
  IMAGE_UNITS,
  MANIFEST_PROJECTIONS,
  manifestGeometry,
  manifestHeader,
  manifestImaging,
  splitClusters,
  spreadInMass,
  VIEW_REDSHIFT_RANGE,
} from "../dataset/mod.ts";
import { type Hdf5Dataset, Hdf5File, hdf5FileSet } from "../hdf5/mod.ts";
import { ensureWritableDir, ProgressBar } from "../io/mod.ts";
import {
  binParticles,
  type FourViews,
  gasObservables,
  instrumentsFor,
  observeFourViews,
  PROJECTION_AXES,
} from "../observe/mod.ts";
import { allocGalaxies, allocGas, allocStars, type ClusterParticles } from "../particles/mod.ts";
import { type NoiseSetting, parseNoise, TRACERS } from "../types/mod.ts";
import {
  densityToMsunPerMpc3,
  formatFields,
  lengthToMpc,
  massToMsun,
  parseSnapshotFormat,
  pickDataset,
  readGroups,
  readSnapshotHeader,
  type SnapshotFormat,
  type SnapshotHeader,
  tngTemperatureK,
} from "./formats.ts";
import { formatTriple, NonFiniteGuard } from "./_finite.ts";

/** Options of {@linkcode importSnapshot}. */
export interface ImportOptions {
  /** Snapshot file, or the first file (`snap_099.0.hdf5`) of a multi-file snapshot. */
  snapshot: string;
  /** Group catalogue file, or the first of a multi-file set. */
  groups: string;
  /** Layout: "tng" (IllustrisTNG / Gadget-4) or "eagle" (EAGLE / BAHAMAS). */
  format: SnapshotFormat | string;
  /** Output dataset directory (created). */
  out: string;
  /** Smallest M200c [Msun] imported. Default 1e13. */
  minM200Msun?: number;
  /** Number of groups, spread evenly in mass over those above the cut. Default: all. */
  clusters?: number;
  /** Seed of the views' redshifts, azimuths, noise and the split. Default 1. */
  seed?: number;
  /** Noise setting (Table 1, Planck-like tSZ, or none). Default "paper". */
  noise?: NoiseSetting | string;
  /** Line-of-sight structure (particles 50 Mpc in front and behind). Default true. */
  los?: boolean;
  /** Half depth of the line-of-sight slab [comoving Mpc]. Default 50 (the paper's). */
  losDepthMpc?: number;
  /** Rows per hyperslab read. Default 1,048,576. */
  chunkRows?: number;
  /** Groups whose particles are held in memory at once (estimated, not measured: 10-30 MB each in a TNG300-like box with line-of-sight structure). Default 64. */
  clustersPerPass?: number;
  /**
   * Leave out groups and particles with a non-finite (or, for masses,
   * densities and temperatures, non-positive) value, counting them in the
   * log and the manifest, instead of refusing the import. Default false.
   */
  dropNonFinite?: boolean;
  /** No progress bar. Default false. */
  silent?: boolean;
}

/** What {@linkcode importSnapshot} wrote. */
export type ImportResult = DatasetWritten;

/** Radius of the region kept without line-of-sight structure, in units of r200. */
export const NO_LOS_RADIUS_R200 = 3;

interface Group {
  index: number;
  posMpc: [number, number, number];
  m200Msun: number;
  r200Mpc: number;
}

/** Particles kept for one group (struct of growable arrays). */
class Kept {
  gas = new Grow(6); // dx, dy, dz, mass, density, temperature
  gasSf: number[] = [];
  stars = new Grow(4); // dx, dy, dz, mass
}

class Grow {
  data: Float32Array;
  n = 0;
  constructor(readonly width: number) {
    this.data = new Float32Array(width * 64);
  }
  push(...v: number[]): void {
    if ((this.n + 1) * this.width > this.data.length) {
      const d = new Float32Array(this.data.length * 2);
      d.set(this.data);
      this.data = d;
    }
    this.data.set(v, this.n * this.width);
    this.n++;
  }
}

function resolve(o: ImportOptions) {
  for (const k of ["snapshot", "groups", "out"] as const) {
    if (typeof o[k] !== "string" || o[k].length === 0) {
      throw new TypeError(`Cannot import: --${k} is required`);
    }
  }
  const format = parseSnapshotFormat(String(o.format));
  const noise = parseNoise(o.noise ?? "paper");
  const minM200Msun = o.minM200Msun ?? 1e13;
  if (!(minM200Msun >= 0)) {
    throw new RangeError(`Cannot import: minM200Msun must be >= 0 Msun, got ${o.minM200Msun}`);
  }
  const clusters = o.clusters ?? null;
  if (clusters !== null && !(Number.isInteger(clusters) && clusters > 0)) {
    throw new RangeError(`Cannot import: clusters must be a positive integer, got ${clusters}`);
  }
  const seed = o.seed ?? 1;
  if (!Number.isSafeInteger(seed)) {
    throw new RangeError(`Cannot import: seed must be an integer, got ${o.seed}`);
  }
  const chunkRows = o.chunkRows ?? 1 << 20;
  const clustersPerPass = o.clustersPerPass ?? 64;
  for (const [k, v] of [["chunkRows", chunkRows], ["clustersPerPass", clustersPerPass]] as const) {
    if (!(Number.isInteger(v) && v > 0)) {
      throw new RangeError(`Cannot import: ${k} must be a positive integer, got ${v}`);
    }
  }
  const losDepthMpc = o.losDepthMpc ?? 50;
  if (!(losDepthMpc > 0)) {
    throw new RangeError(`Cannot import: losDepthMpc must be > 0, got ${losDepthMpc}`);
  }
  return {
    ...o,
    format,
    noise,
    minM200Msun,
    clusters,
    seed,
    chunkRows,
    clustersPerPass,
    losDepthMpc,
    los: o.los ?? true,
    silent: o.silent ?? false,
  };
}

/** Check, before any long read, that every file has the fields the format needs. */
function checkSnapshotFields(f: Hdf5File, format: SnapshotFormat): void {
  const fields = formatFields(format);
  const why = `the ${format} snapshot layout needs it`;
  if (!f.has("PartType0") && !f.has("PartType4")) return; // an empty file of a set
  if (f.has("PartType0")) {
    f.dataset("PartType0/Coordinates", why);
    pickDataset(f, "PartType0", fields.gasMass, why);
    f.dataset("PartType0/Density", why);
    f.dataset("PartType0/StarFormationRate", why);
    if (format === "tng") {
      f.dataset("PartType0/InternalEnergy", why);
      f.dataset("PartType0/ElectronAbundance", why);
    } else {
      f.dataset("PartType0/Temperature", why);
    }
  }
  if (f.has("PartType4")) {
    f.dataset("PartType4/Coordinates", why);
    pickDataset(f, "PartType4", fields.starMass, why);
    if (format === "tng") f.dataset("PartType4/GFM_StellarFormationTime", why);
  }
  if (format === "eagle") {
    for (const p of ["PartType0", "PartType4"]) {
      if (!f.has(p)) continue;
      for (const name of ["Coordinates", "Density", "Temperature", "StarFormationRate"]) {
        if (!f.has(`${p}/${name}`)) continue;
        const ds = f.dataset(`${p}/${name}`);
        for (const a of ["CGSConversionFactor", "h-scale-exponent", "aexp-scale-exponent"]) {
          ds.numberAttr(a);
        }
      }
    }
  }
}

/** A spatial hash of the groups' extraction regions over the periodic box. */
class RegionGrid {
  readonly n: number;
  readonly cell: number;
  readonly heads = new Map<number, number[]>();
  constructor(readonly boxMpc: number, cellTargetMpc: number) {
    this.n = Math.max(1, Math.min(128, Math.floor(boxMpc / cellTargetMpc)));
    this.cell = boxMpc / this.n;
  }
  #wrap(i: number): number {
    return ((i % this.n) + this.n) % this.n;
  }
  /** Mark the cells touched by the axis-aligned box [lo, hi] (box coordinates, may exceed the box). */
  markBox(g: number, lo: number[], hi: number[], seen: Set<number>): void {
    const i0 = lo.map((v) => Math.floor(v / this.cell));
    const i1 = hi.map((v) => Math.floor(v / this.cell));
    for (let a = i0[0]; a <= Math.min(i1[0], i0[0] + this.n - 1); a++) {
      for (let b = i0[1]; b <= Math.min(i1[1], i0[1] + this.n - 1); b++) {
        for (let c = i0[2]; c <= Math.min(i1[2], i0[2] + this.n - 1); c++) {
          const key = (this.#wrap(a) * this.n + this.#wrap(b)) * this.n + this.#wrap(c);
          if (seen.has(key)) continue;
          seen.add(key);
          const list = this.heads.get(key);
          if (list) list.push(g);
          else this.heads.set(key, [g]);
        }
      }
    }
  }
  lookup(x: number, y: number, z: number): number[] | undefined {
    const f = (v: number) => this.#wrap(Math.floor(v / this.cell));
    return this.heads.get((f(x) * this.n + f(y)) * this.n + f(z));
  }
}

/**
 * Import a snapshot and its group catalogue as a dataset directory (see the
 * module docs). Validates the options and the files' layout before the long
 * read; every missing HDF5 field is named in the error.
 */
export async function importSnapshot(options: ImportOptions): Promise<ImportResult> {
  const o = resolve(options);
  const t0 = performance.now();
  const snapFiles = await hdf5FileSet(o.snapshot);
  const groupFiles = await hdf5FileSet(o.groups);

  // Header and layout checks of every file before anything long.
  let header: SnapshotHeader | null = null;
  let lengthFactor = 0;
  let totalRows = 0;
  let anyGas = false;
  for (const path of snapFiles) {
    const f = await Hdf5File.open(path);
    try {
      const h = readSnapshotHeader(f, o.format);
      header ??= h;
      checkSnapshotFields(f, o.format);
      for (const p of ["PartType0", "PartType4"]) {
        if (!f.has(p)) continue;
        const c = f.dataset(`${p}/Coordinates`);
        if (c.width !== 3) {
          throw new TypeError(
            `Cannot read ${path}: ${p}/Coordinates must be N x 3, got [${c.shape}]`,
          );
        }
        if (lengthFactor === 0) lengthFactor = lengthToMpc(c, o.format, h);
        totalRows += c.rows;
        if (p === "PartType0" && c.rows > 0) anyGas = true;
      }
    } finally {
      f.close();
    }
  }
  if (!header) throw new TypeError(`Cannot import: no snapshot file found at ${o.snapshot}`);
  if (!anyGas) {
    throw new TypeError(
      `Cannot import ${o.snapshot}: no PartType0 (gas) particles in any of its ${snapFiles.length} ` +
        `file(s); the X-ray and tSZ images need gas`,
    );
  }
  const hdr = header;
  const boxMpc = hdr.boxRaw * lengthFactor;
  const cosmology: Cosmology = hdr.cosmology;

  const guard = new NonFiniteGuard(options.dropNonFinite ?? false);
  const gf = formatFields(o.format);
  const groups: Group[] = [];
  for (const path of groupFiles) {
    const f = await Hdf5File.open(path);
    try {
      const g = readGroups(f, o.format, hdr);
      for (let i = 0; i < g.m200Msun.length; i++) {
        const p = g.posMpc;
        const bad = ![p[3 * i], p[3 * i + 1], p[3 * i + 2]].every(Number.isFinite)
          ? `${gf.groupPos} ${formatTriple(p, 3 * i)} Mpc`
          : !Number.isFinite(g.m200Msun[i])
          ? `${gf.groupM200} ${g.m200Msun[i]} Msun`
          : !Number.isFinite(g.r200Mpc[i])
          ? `${gf.groupR200} ${g.r200Mpc[i]} Mpc`
          : null;
        if (bad !== null) {
          guard.bad(
            "groups",
            `${path}:${i}`,
            `${path}: group ${i} has ${bad}, not finite`,
            "groups",
          );
          continue;
        }
        groups.push({
          index: groups.length,
          posMpc: [g.posMpc[3 * i], g.posMpc[3 * i + 1], g.posMpc[3 * i + 2]],
          m200Msun: g.m200Msun[i],
          r200Mpc: g.r200Mpc[i],
        });
      }
    } finally {
      f.close();
    }
  }
  if (groups.length === 0) {
    const fields = formatFields(o.format);
    throw new TypeError(
      `Cannot import: the group catalogue ${o.groups} holds no groups (${fields.groupPos} ` +
        `missing or empty in all ${groupFiles.length} file(s))`,
    );
  }
  const above = groups.filter((g) => g.m200Msun >= o.minM200Msun && g.r200Mpc > 0);
  if (above.length === 0) {
    const top = Math.max(...groups.map((g) => g.m200Msun));
    throw new RangeError(
      `Cannot import: none of the ${groups.length} groups has M200 >= ${
        o.minM200Msun.toExponential(3)
      } ` +
        `Msun (the largest is ${top.toExponential(3)}); lower --min-m200`,
    );
  }
  const selected = spreadInMass(above, o.clusters, { mass: (g) => g.m200Msun, id: (g) => g.index });
  const split = splitClusters(selected.map((g) => g.index), o.seed);
  await ensureWritableDir(o.out);

  const instruments = instrumentsFor(o.noise);
  const dCMin = comovingDistanceMpc(VIEW_REDSHIFT_RANGE[0], cosmology);
  const halfDiagRad = (FIELD_OF_VIEW_ARCMIN / 2) * Math.SQRT2 / ARCMIN_PER_RAD;
  const rFieldMpc = 1.02 * halfDiagRad * dCMin / (1 + VIEW_REDSHIFT_RANGE[0]);
  const depthMpc = Math.min(o.losDepthMpc * hdr.a, boxMpc / 2);
  if (o.los && o.losDepthMpc * hdr.a > boxMpc / 2 && !o.silent) {
    console.warn(
      `import: the box (${boxMpc.toFixed(1)} Mpc) is shorter than twice the line-of-sight depth; ` +
        `using +-${depthMpc.toFixed(1)} Mpc`,
    );
  }

  const nImages = 4 * selected.length;
  const passes = Math.ceil(selected.length / o.clustersPerPass);
  const bar = new ProgressBar({
    label: "import",
    total: passes * totalRows + selected.length,
    unit: "row",
    silent: o.silent,
  });
  let done = 0;
  const writer = await DatasetWriter.create(o.out, { nImages, npix: IMAGE_SIZE_PIX });
  await writer.fill(async () => {
    for (let pass = 0; pass < passes; pass++) {
      const batch = selected.slice(pass * o.clustersPerPass, (pass + 1) * o.clustersPerPass);
      const kept = batch.map(() => new Kept());
      const grid = new RegionGrid(boxMpc, Math.max(2 * rFieldMpc, boxMpc / 128));
      batch.forEach((g, k) => {
        const seen = new Set<number>();
        const c = g.posMpc;
        if (o.los) {
          const r = rFieldMpc;
          const step = grid.cell / 2;
          for (const n of PROJECTION_AXES) {
            for (let t = -depthMpc; t <= depthMpc + step; t += step) {
              const tt = Math.min(t, depthMpc);
              const p = [0, 1, 2].map((i) => c[i] + tt * n[i]);
              grid.markBox(k, p.map((v) => v - r), p.map((v) => v + r), seen);
            }
          }
        } else {
          const r = NO_LOS_RADIUS_R200 * g.r200Mpc;
          grid.markBox(k, c.map((v) => v - r), c.map((v) => v + r), seen);
        }
      });
      for (const path of snapFiles) {
        const f = await Hdf5File.open(path);
        try {
          for (const pt of ["PartType0", "PartType4"] as const) {
            if (!f.has(pt)) continue;
            const rowsRead = await scanParticles(f, pt, {
              o,
              hdr,
              lengthFactor,
              boxMpc,
              grid,
              batch,
              kept,
              rFieldMpc,
              depthMpc,
              guard,
              onProgress: (rows) => bar.update(done + rows, `pass ${pass + 1}/${passes} ${path}`),
            });
            done += rowsRead;
          }
        } finally {
          f.close();
        }
      }
      for (let k = 0; k < batch.length; k++) {
        const g = batch[k];
        const views = renderGroup(g, kept[k], {
          cosmology,
          seed: o.seed,
          los: o.los,
          depthMpc,
          instruments,
        });
        kept[k] = new Kept(); // free the particles
        const rows = catalogRowsOfViews(views, {
          firstImage: 4 * (pass * o.clustersPerPass + k),
          cluster: g.index,
          m200Msun: g.m200Msun,
          r200Mpc: g.r200Mpc,
          split: split.get(g.index)!,
        });
        await writer.append(views.images, rows);
        bar.update(done + k + 1, `rendered group ${g.index}`);
      }
      done += batch.length;
    }
  });
  bar.done();
  const droppedLine = guard.summary();
  if (droppedLine) console.error(droppedLine);
  const counts = clustersPerSplit(split);
  const manifest: DatasetManifest = {
    ...manifestHeader(),
    profile: null,
    seed: o.seed,
    source: {
      kind: "hdf5-import",
      format: o.format,
      snapshotFiles: snapFiles,
      groupFiles,
      snapshotRedshift: hdr.redshift,
      expansionFactor: hdr.a,
      boxSizeMpc: boxMpc,
      groupsInCatalogue: groups.length + guard.dropped.groups,
      dropped: { nonFinite: guard.drop, ...guard.dropped },
      groupsAboveCut: above.length,
      minM200Msun: o.minM200Msun,
      label: o.format === "tng" ? "Group/Group_M_Crit200" : "FOF/Group_M_Crit200",
      selection: o.los
        ? `per projection k: particles with |d . n_k| <= ${depthMpc.toFixed(3)} physical Mpc ` +
          `(50 comoving Mpc, at most half the box) within ${
            rFieldMpc.toFixed(4)
          } Mpc (the field's ` +
          `half-diagonal at z = ${VIEW_REDSHIFT_RANGE[0]}) of the axis; minimal periodic image`
        : `particles within ${NO_LOS_RADIUS_R200} r200 of the group centre; minimal periodic image`,
      xray: "gas with StarFormationRate > 0 or T < 1e5 K emits no X-rays; all gas enters Compton y",
      stars: o.format === "tng"
        ? "PartType4 with GFM_StellarFormationTime > 0 (wind particles excluded)"
        : "all PartType4",
    },
    clusters: selected.length,
    images: nImages,
    galaxies: 0,
    galaxiesNote: "no galaxy catalogue is imported; galaxies.csv has its header only",
    splitClusters: counts,
    ...manifestGeometry(IMAGE_SIZE_PIX, FIELD_OF_VIEW_ARCMIN),
    imageOrder:
      "image = 4 * (rank of the group by catalogue index) + projection; arrays [image][row y][col x]",
    projections: [...MANIFEST_PROJECTIONS],
    redshiftRange: [...VIEW_REDSHIFT_RANGE],
    los: o.los,
    losDepthMpc: o.losDepthMpc,
    ...manifestImaging({
      noise: o.noise,
      instruments: Object.fromEntries(
        TRACERS.map((t) => [t, instruments[t]]),
      ) as DatasetManifest["instruments"],
      units: { ...IMPORT_UNITS },
      cosmology,
    }),
  };
  return await writer.commit(manifest, { clusters: selected.length, images: nImages }, t0);
}

/** Unit descriptions of an imported dataset (the same units as `simulateDataset`'s). */
export const IMPORT_UNITS: Readonly<Record<string, string>> = Object.freeze({
  ...IMAGE_UNITS,
  m200_msun: "M200c of the group from the group catalogue [Msun], the label",
  r200_mpc: "r200c of the group [physical Mpc] at the snapshot's redshift",
  r200_arcmin: "r200 / d_A(redshift) [arcmin]",
});

interface ScanContext {
  o: ReturnType<typeof resolve>;
  hdr: SnapshotHeader;
  lengthFactor: number;
  boxMpc: number;
  grid: RegionGrid;
  batch: Group[];
  kept: Kept[];
  rFieldMpc: number;
  depthMpc: number;
  guard: NonFiniteGuard;
  onProgress: (rows: number) => void;
}

/** Stream one particle type of one file in hyperslabs; returns the rows read. */
async function scanParticles(
  f: Hdf5File,
  pt: "PartType0" | "PartType4",
  ctx: ScanContext,
): Promise<number> {
  const { o, hdr, boxMpc, grid, batch, kept, rFieldMpc, depthMpc, guard } = ctx;
  const fields = formatFields(o.format);
  const coords = f.dataset(`${pt}/Coordinates`);
  const lf = lengthToMpc(coords, o.format, hdr);
  const gas = pt === "PartType0";
  const massDs = pickDataset(f, pt, gas ? fields.gasMass : fields.starMass, "");
  const mf = massToMsun(massDs, o.format, hdr);
  const extra: Record<string, Hdf5Dataset> = {};
  let rhoF = 1;
  if (gas) {
    extra.rho = f.dataset(`${pt}/Density`);
    rhoF = densityToMsunPerMpc3(extra.rho, o.format, hdr);
    extra.sfr = f.dataset(`${pt}/StarFormationRate`);
    if (o.format === "tng") {
      extra.u = f.dataset(`${pt}/InternalEnergy`);
      extra.xe = f.dataset(`${pt}/ElectronAbundance`);
    } else {
      extra.t = f.dataset(`${pt}/Temperature`);
    }
  } else if (o.format === "tng") {
    extra.form = f.dataset(`${pt}/GFM_StellarFormationTime`);
  }
  let tF = 1;
  if (extra.t) tF = o.format === "eagle" ? eagleFactorOrOne(extra.t, hdr) : 1;
  for (const [k, ds] of [["mass", massDs], ...Object.entries(extra)] as [string, Hdf5Dataset][]) {
    if (ds.rows !== coords.rows) {
      throw new TypeError(
        `Cannot read ${f.path}: ${ds.path} has ${ds.rows} rows but ${coords.path} has ` +
          `${coords.rows} (field ${k})`,
      );
    }
  }
  const L = boxMpc;
  const r2Field = rFieldMpc * rFieldMpc;
  const rows = coords.rows;
  for (let s = 0; s < rows; s += o.chunkRows) {
    const e = Math.min(rows, s + o.chunkRows);
    const xyz = coords.readRows(s, e);
    const hits: { i: number; g: number; d: [number, number, number] }[] = [];
    for (let i = 0; i < e - s; i++) {
      let x = xyz[3 * i] * lf;
      let y = xyz[3 * i + 1] * lf;
      let z = xyz[3 * i + 2] * lf;
      if (!(Number.isFinite(x) && Number.isFinite(y) && Number.isFinite(z))) {
        guard.bad(
          "positions",
          `${f.path}:${coords.path}:${s + i}`,
          `${f.path}: ${coords.path} row ${s + i} is ${formatTriple(xyz, 3 * i)}, not finite`,
          "particles",
        );
        continue;
      }
      x -= L * Math.floor(x / L);
      y -= L * Math.floor(y / L);
      z -= L * Math.floor(z / L);
      const cands = grid.lookup(x, y, z);
      if (!cands) continue;
      for (const g of cands) {
        const c = batch[g].posMpc;
        let dx = x - c[0];
        let dy = y - c[1];
        let dz = z - c[2];
        dx -= L * Math.round(dx / L);
        dy -= L * Math.round(dy / L);
        dz -= L * Math.round(dz / L);
        const d2 = dx * dx + dy * dy + dz * dz;
        let keep = false;
        if (o.los) {
          for (const n of PROJECTION_AXES) {
            const along = dx * n[0] + dy * n[1] + dz * n[2];
            if (Math.abs(along) <= depthMpc && d2 - along * along <= r2Field) {
              keep = true;
              break;
            }
          }
        } else {
          const r = NO_LOS_RADIUS_R200 * batch[g].r200Mpc;
          keep = d2 <= r * r;
        }
        if (keep) hits.push({ i, g, d: [dx, dy, dz] });
      }
    }
    if (hits.length > 0) {
      const m = massDs.readRows(s, e);
      const cols = Object.fromEntries(
        Object.entries(extra).map(([k, ds]) => [k, ds.readRows(s, e)]),
      );
      for (const h of hits) {
        const mass = m[h.i] * mf;
        if (gas) {
          const temp = o.format === "tng"
            ? tngTemperatureK(cols.u[h.i], cols.xe[h.i])
            : cols.t[h.i] * tF;
          const rho = cols.rho[h.i] * rhoF;
          if (
            !(mass > 0 && Number.isFinite(mass) && rho > 0 && Number.isFinite(rho) &&
              Number.isFinite(temp) && temp >= 0)
          ) {
            guard.bad(
              "gas",
              `${f.path}:${pt}:${s + h.i}`,
              `${f.path}: gas particle ${s + h.i} has mass ${mass} Msun, density ` +
                `${rho} Msun/Mpc^3, temperature ${temp} K; all must be finite and > 0`,
              "particles",
            );
            continue;
          }
          kept[h.g].gas.push(h.d[0], h.d[1], h.d[2], mass, rho, temp);
          kept[h.g].gasSf.push(cols.sfr[h.i] > 0 ? 1 : 0);
        } else {
          if (o.format === "tng" && !(cols.form[h.i] > 0)) continue; // wind particle
          if (!(mass > 0 && Number.isFinite(mass))) {
            guard.bad(
              "stars",
              `${f.path}:${pt}:${s + h.i}`,
              `${f.path}: star particle ${
                s + h.i
              } has mass ${mass} Msun; it must be finite and > 0`,
              "particles",
            );
            continue;
          }
          kept[h.g].stars.push(h.d[0], h.d[1], h.d[2], mass);
        }
      }
    }
    ctx.onProgress(e);
    if (((s / o.chunkRows) | 0) % 8 === 7) await new Promise((r) => setTimeout(r, 0));
  }
  return rows;
}

function eagleFactorOrOne(ds: Hdf5Dataset, hdr: { h: number; a: number }): number {
  const cgs = ds.numberAttr("CGSConversionFactor");
  return cgs * hdr.h ** ds.numberAttr("h-scale-exponent") *
    hdr.a ** ds.numberAttr("aexp-scale-exponent");
}

interface RenderGroupOptions {
  cosmology: Cosmology;
  seed: number;
  los: boolean;
  depthMpc: number;
  instruments: ReturnType<typeof instrumentsFor>;
}

/** The four views of one imported group (lib/observe `observeFourViews`, as the mock's). */
export function renderGroup(
  g: { index: number; r200Mpc: number },
  kept: {
    gas: { data: Float32Array; n: number };
    gasSf: ArrayLike<number>;
    stars: { data: Float32Array; n: number };
  },
  options: RenderGroupOptions,
): FourViews {
  const gd = kept.gas.data;
  const sd = kept.stars.data;
  const viewOptions = {
    cosmology: options.cosmology,
    npix: IMAGE_SIZE_PIX,
    fovArcmin: FIELD_OF_VIEW_ARCMIN,
    redshiftRange: VIEW_REDSHIFT_RANGE,
    instruments: options.instruments,
    r200Mpc: g.r200Mpc,
  };
  return observeFourViews(clusterRng(options.seed, g.index), viewOptions, (view) => {
    const n = PROJECTION_AXES[view.projection];
    const inSlab = (x: number, y: number, zz: number) =>
      !options.los || Math.abs(x * n[0] + y * n[1] + zz * n[2]) <= options.depthMpc;
    const gi: number[] = [];
    for (let i = 0; i < kept.gas.n; i++) {
      if (inSlab(gd[6 * i], gd[6 * i + 1], gd[6 * i + 2])) gi.push(i);
    }
    const si: number[] = [];
    for (let i = 0; i < kept.stars.n; i++) {
      if (inSlab(sd[4 * i], sd[4 * i + 1], sd[4 * i + 2])) si.push(i);
    }
    const gas = allocGas(gi.length);
    gi.forEach((i, k) => {
      gas.x[k] = gd[6 * i];
      gas.y[k] = gd[6 * i + 1];
      gas.z[k] = gd[6 * i + 2];
      gas.massMsun[k] = gd[6 * i + 3];
      gas.densityMsunPerMpc3[k] = gd[6 * i + 4];
      gas.temperatureK[k] = gd[6 * i + 5];
    });
    const stars = allocStars(si.length);
    si.forEach((i, k) => {
      stars.x[k] = sd[4 * i];
      stars.y[k] = sd[4 * i + 1];
      stars.z[k] = sd[4 * i + 2];
      stars.massMsun[k] = sd[4 * i + 3];
    });
    const particles: ClusterParticles = { gas, stars, galaxies: allocGalaxies(0) };
    const observables = gasObservables(gas);
    gi.forEach((i, k) => {
      if (kept.gasSf[i] > 0) {
        observables.lSoftErgPerS[k] = 0;
        observables.lBolErgPerS[k] = 0;
      }
    });
    const { dAMpc, dLMpc } = view.placement;
    return binParticles(particles, {
      npix: IMAGE_SIZE_PIX,
      fovArcmin: FIELD_OF_VIEW_ARCMIN,
      frame: view.frame,
      placement: { dAMpc, dLMpc },
      observables,
    });
  });
}
