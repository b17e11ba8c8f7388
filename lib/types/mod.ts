/**
 * Closed vocabularies shared by every stage.
 *
 * @module
 */

/** The paper's four observable tracers (Table 1): Star, Fxs, Fxb, Ypar. */
export type Tracer = "star" | "fxs" | "fxb" | "ypar";

/** All tracers in the paper's column order. */
export const TRACERS: readonly Tracer[] = ["star", "fxs", "fxb", "ypar"];

/** A network's input: one tracer, or all four (the multichannel CNN). */
export type NetworkKind = Tracer | "multi";

/** All five networks in the paper's Table 2 order. */
export const NETWORKS: readonly NetworkKind[] = ["star", "fxs", "fxb", "ypar", "multi"];

/** Dataset split, by cluster (60/20/20). */
export type Split = "train" | "val" | "test";

/** Run profiles (architecture.md). */
export type Profile = "smoke" | "quick" | "paper";

/** Image noise settings: the paper's Table 1, a Planck-like tSZ option, or none. */
export type NoiseSetting = "paper" | "planck" | "none";

/** Early stopping on the validation loss (Keras 2 `EarlyStopping` semantics). */
export interface EarlyStopping {
  /** Epochs without an improvement before stopping; 0 turns early stopping off. */
  patience: number;
  /** An improvement must lower the best validation loss by more than this. Default 0. */
  minDelta?: number;
}

/** A learning-rate schedule as a run asks for it, in epochs (resolved per run). */
export type LrScheduleSettings =
  | { name: "none" }
  | {
    name: "warmup-cosine";
    /** Warm-up length in epochs (may be fractional; 0: none). */
    warmupEpochs: number;
    /** Final factor of the cosine, in [0, 1] (e.g. 0.05: lr ends at 5 per cent). */
    floor: number;
  };

/** Throw a RangeError naming the valid values when `value` is not a tracer. */
export function parseTracer(value: string): Tracer {
  if ((TRACERS as readonly string[]).includes(value)) return value as Tracer;
  throw new RangeError(`Unknown tracer "${value}": expected one of ${TRACERS.join(", ")}`);
}

/** Throw a RangeError naming the valid values when `value` is not a network kind. */
export function parseNetworkKind(value: string): NetworkKind {
  if ((NETWORKS as readonly string[]).includes(value)) return value as NetworkKind;
  throw new RangeError(`Unknown tracer "${value}": expected one of ${NETWORKS.join(", ")}`);
}

/** Throw a RangeError naming the valid values when `value` is not a profile. */
export function parseProfile(value: string): Profile {
  if (value === "smoke" || value === "quick" || value === "paper") return value;
  throw new RangeError(`Unknown profile "${value}": expected one of smoke, quick, paper`);
}

/** Throw a RangeError naming the valid values when `value` is not a noise setting. */
export function parseNoise(value: string): NoiseSetting {
  if (value === "paper" || value === "planck" || value === "none") return value;
  throw new RangeError(`Unknown noise setting "${value}": expected one of paper, planck, none`);
}

/**
 * Parse a per-tracer noise factor list such as `fxs=0,fxb=0.5` (the
 * `--noise-scale` flag): tracer=factor pairs separated by commas, factor >= 0.
 */
export function parseNoiseScale(text: string): Partial<Record<Tracer, number>> {
  const out: Partial<Record<Tracer, number>> = {};
  for (const part of text.split(",").map((p) => p.trim()).filter((p) => p.length > 0)) {
    const m = /^([a-z]+)=(.+)$/.exec(part);
    const f = m ? Number(m[2]) : NaN;
    if (!m || !(TRACERS as readonly string[]).includes(m[1]) || !(Number.isFinite(f) && f >= 0)) {
      throw new RangeError(
        `Invalid --noise-scale "${text}": expected tracer=factor pairs such as fxs=0,fxb=0.5 ` +
          `(tracers ${TRACERS.join(", ")}; factors >= 0, 0 = noiseless)`,
      );
    }
    out[m[1] as Tracer] = f;
  }
  return out;
}
