/**
 * What a run was trained on, as `predict` checks new images against it:
 * `RUNDIR/input_summary.json`, written by `deno task train` (and made from
 * the training dataset when an older run lacks it). Per input channel: the
 * tracer and its unit, the range over the training images of each image's
 * mean and spread of the scaled pixels (the network's actual input, after
 * lib/train/scaling.ts) and of its total signal (the sum of its raw pixels).
 * For every tracer in the dataset, also the run's other tracers, the typical
 * total signal, so that images of another tracer are recognised and named.
 *
 * `checkInput` flags each image whose statistics fall outside the training
 * range (widened by a tenth of its width on each side), and refuses a whole
 * input whose median image lies far outside it (by more than three widths,
 * or a factor of 100 in total signal): such images are plainly not what the
 * network was trained on, typically another tracer.
 *
 * @module
 */
import { join } from "node:path";
import { decodeNpy, writeJsonAtomic } from "../io/mod.ts";
import type { ChannelScaling, InputScaling } from "../train/mod.ts";
import { type Tracer, TRACERS } from "../types/mod.ts";

/** File name of a run's input summary. */
export const INPUT_SUMMARY_FILE = "input_summary.json";

/** Range of one per-image statistic over the training images. */
export interface StatRange {
  min: number;
  /** 1st and 99th percentiles. */
  p1: number;
  median: number;
  p99: number;
  max: number;
}

/** One input channel of the run. */
export interface ChannelSummary {
  tracer: Tracer;
  /** The dataset's unit of the tracer (manifest.json `units`), or null. */
  unit: string | null;
  /** Mean of an image's scaled pixels. */
  scaledMean: StatRange;
  /** Standard deviation of an image's scaled pixels. */
  scaledStd: StatRange;
  /** Sum of an image's raw pixels, in the unit of one pixel. */
  totalSignal: StatRange;
}

/** The content of `input_summary.json`. */
export interface InputSummary {
  format: "yan2020-input-summary";
  version: 1;
  /** Network input channels in order. */
  channels: ChannelSummary[];
  /** Typical total signal per image of each tracer of the training dataset (for naming a wrong tracer). */
  tracerTotals: Partial<Record<Tracer, StatRange & { unit: string | null }>>;
  /** Training images summarised (evenly spaced, at most `maxImages`). */
  images: number;
  /** The dataset directory. */
  dataDir: string;
}

function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return NaN;
  const x = q * (sorted.length - 1);
  const i = Math.floor(x);
  const f = x - i;
  return i + 1 < sorted.length ? sorted[i] * (1 - f) + sorted[i + 1] * f : sorted[i];
}

function range(values: Float64Array): StatRange {
  const s = Float64Array.from(values).sort();
  return {
    min: s[0],
    p1: quantile(s, 0.01),
    median: quantile(s, 0.5),
    p99: quantile(s, 0.99),
    max: s[s.length - 1],
  };
}

/** Per-image statistics of `n` images of `px` pixels, channel `c` of `channels` (channel last). */
export function imageStats(
  data: ArrayLike<number>,
  n: number,
  px: number,
  scaling: ChannelScaling,
  c = 0,
  channels = 1,
): { scaledMean: Float64Array; scaledStd: Float64Array; total: Float64Array } {
  const { softeningScale: s, mean, std } = scaling;
  const scaledMean = new Float64Array(n);
  const scaledStd = new Float64Array(n);
  const total = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let t = 0, a = 0, a2 = 0;
    for (let p = 0; p < px; p++) {
      const v = data[(i * px + p) * channels + c];
      t += v;
      const y = (Math.asinh(v / s) - mean) / std;
      a += y;
      a2 += y * y;
    }
    total[i] = t;
    scaledMean[i] = a / px;
    scaledStd[i] = Math.sqrt(Math.max(0, a2 / px - (a / px) ** 2));
  }
  return { scaledMean, scaledStd, total };
}

/**
 * Summarise the training split of the dataset in `dataDir` for a network
 * with `scaling` (at most `maxImages` evenly spaced training images).
 */
export async function summariseTrainingInputs(
  dataDir: string,
  scaling: InputScaling,
  options: { maxImages?: number } = {},
): Promise<InputSummary> {
  const maxImages = options.maxImages ?? 1000;
  const lines = (await Deno.readTextFile(join(dataDir, "catalog.csv"))).trim().split(/\r?\n/);
  const splitCol = lines[0].split(",").indexOf("split");
  const train = lines.slice(1).flatMap((l, i) => l.split(",")[splitCol] === "train" ? [i] : []);
  const step = Math.max(1, Math.ceil(train.length / maxImages));
  const pick = train.filter((_, k) => k % step === 0);
  let units: Record<string, string> = {};
  try {
    units = JSON.parse(await Deno.readTextFile(join(dataDir, "manifest.json"))).units ?? {};
  } catch {
    // no manifest: units unknown
  }
  const px = 120 * 120;
  const channels: ChannelSummary[] = [];
  const tracerTotals: InputSummary["tracerTotals"] = {};
  for (const t of TRACERS) {
    const path = join(dataDir, `images_${t}.npy`);
    let bytes: Uint8Array;
    try {
      bytes = await Deno.readFile(path);
    } catch {
      continue;
    }
    const arr = decodeNpy(bytes, path);
    const sub = new Float32Array(pick.length * px);
    pick.forEach((i, k) => sub.set(arr.data.subarray(i * px, (i + 1) * px), k * px));
    const unit = units[t] ?? null;
    const ch = scaling.channels.find((c) => c.tracer === t);
    const identity: ChannelScaling = { tracer: t, softeningScale: 1, mean: 0, std: 1 };
    const st = imageStats(sub, pick.length, px, ch ?? identity);
    tracerTotals[t] = { ...range(st.total), unit };
    if (ch) {
      channels.push({
        tracer: t,
        unit,
        scaledMean: range(st.scaledMean),
        scaledStd: range(st.scaledStd),
        totalSignal: range(st.total),
      });
    }
  }
  const order = scaling.channels.map((c) => c.tracer);
  channels.sort((a, b) => order.indexOf(a.tracer) - order.indexOf(b.tracer));
  if (channels.length !== order.length) {
    throw new Error(
      `Cannot summarise the training inputs: ${dataDir} lacks images_${
        order.filter((t) => !channels.some((c) => c.tracer === t)).join(", images_")
      }.npy`,
    );
  }
  return {
    format: "yan2020-input-summary",
    version: 1,
    channels,
    tracerTotals,
    images: pick.length,
    dataDir,
  };
}

/** Summarise and write `RUNDIR/input_summary.json`. */
export async function writeInputSummary(
  runDir: string,
  dataDir: string,
  scaling: InputScaling,
): Promise<InputSummary> {
  const s = await summariseTrainingInputs(dataDir, scaling);
  await writeJsonAtomic(join(runDir, INPUT_SUMMARY_FILE), s);
  return s;
}

/** Read `RUNDIR/input_summary.json`, or null when the run has none. */
export async function readInputSummary(runDir: string): Promise<InputSummary | null> {
  const path = join(runDir, INPUT_SUMMARY_FILE);
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch {
    return null;
  }
  const s = JSON.parse(text);
  if (s?.format !== "yan2020-input-summary" || !Array.isArray(s.channels)) {
    throw new TypeError(`Cannot read ${path}: not an input summary written by deno task train`);
  }
  return s as InputSummary;
}

const fmt = (x: number) => x.toExponential(2);

function outside(x: number, r: StatRange, widths: number): boolean {
  const w = Math.max(r.max - r.min, 1e-12 * Math.max(Math.abs(r.min), Math.abs(r.max)), 1e-30);
  return x < r.min - widths * w || x > r.max + widths * w;
}

/** What {@linkcode checkInput} found. */
export interface InputCheck {
  /** Per image: "ok", or what lies outside the training range, e.g. "ypar:total;ypar:mean". */
  flags: string[];
  /** Images flagged. */
  flagged: number;
}

/**
 * Check images `[n, npix, npix, C]` (channel last) against the run's
 * summary; throws a RangeError naming what was seen and what the run
 * expects when the input is plainly something else (another tracer).
 */
export function checkInput(
  data: Float32Array,
  n: number,
  summary: InputSummary,
  scaling: InputScaling,
  source: string,
): InputCheck {
  const C = summary.channels.length;
  const px = data.length / Math.max(1, n * C);
  const flags: string[][] = Array.from({ length: n }, () => []);
  summary.channels.forEach((ch, c) => {
    const st = imageStats(data, n, px, scaling.channels[c], c, C);
    const median = (a: Float64Array) => quantile(Float64Array.from(a).sort(), 0.5);
    const mT = median(st.total);
    const mMean = median(st.scaledMean);
    const T = ch.totalSignal;
    const farInTotal = T.min > 0 && (mT > 100 * T.max || mT < T.min / 100);
    if (n > 0 && (outside(mMean, ch.scaledMean, 3) || farInTotal)) {
      const like = Object.entries(summary.tracerTotals).filter(([t, r]) =>
        t !== ch.tracer && r && mT >= r.p1 / 3 && mT <= r.p99 * 3
      ).map(([t, r]) => `${t} images${r!.unit ? ` (${unitHead(r!.unit)})` : ""}`);
      throw new RangeError(
        `Cannot predict: ${source} does not look like ${ch.tracer} images: their median total ` +
          `signal is ${fmt(mT)} per image, the run's ${ch.tracer} training images have ` +
          `${fmt(T.min)} to ${fmt(T.max)}${ch.unit ? ` (${unitHead(ch.unit)})` : ""}` +
          (like.length > 0 ? `; it matches ${like.join(" or ")} instead` : "") +
          `. Give this run ${ch.tracer} maps${
            like.length > 0 ? ", or use a run of that tracer" : ""
          }`,
      );
    }
    for (let i = 0; i < n; i++) {
      if (outside(st.total[i], T, 0.1)) flags[i].push(`${ch.tracer}:total`);
      if (outside(st.scaledMean[i], ch.scaledMean, 0.1)) flags[i].push(`${ch.tracer}:mean`);
      if (outside(st.scaledStd[i], ch.scaledStd, 0.1)) flags[i].push(`${ch.tracer}:spread`);
    }
  });
  const out = flags.map((f) => (f.length === 0 ? "ok" : f.join(";")));
  return { flags: out, flagged: out.filter((f) => f !== "ok").length };
}

/** The unit's head: the text before the first ":", "," or " (". */
function unitHead(u: string): string {
  return u.slice(0, u.search(/:|,| \(|$/)).trim();
}
