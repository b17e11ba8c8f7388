/**
 * Settings resolved in one place: a profile's defaults, then what the caller
 * asked for, checked. The tasks, the pipeline and the notebooks all call
 * these, so that `simulate`, `train` and `interpret` mean the same settings
 * by the same profile name.
 *
 * Which profile when none is named: `simulate` takes
 * {@linkcode DEFAULT_SIMULATE_PROFILE} (`smoke`: a dataset in a minute);
 * `train` and `interpret` take the profile recorded in the dataset's
 * `manifest.json`, so a smoke dataset trains with smoke settings, and
 * {@linkcode DEFAULT_TRAIN_PROFILE} (`quick`) for a dataset without one
 * (an HDF5 import).
 *
 * @example
 * ```ts
 * import { resolveTrainSettings } from "./resolve.ts";
 * const s = resolveTrainSettings("multi", { datasetProfile: "smoke", epochs: 2 });
 * if (s.profile !== "smoke" || s.epochs !== 2) throw new Error("smoke data, two epochs");
 * if (s.learningRate !== 1.25e-4) throw new Error("the multichannel network's rate");
 * ```
 * @module
 */
import {
  type EarlyStopping,
  type LrScheduleSettings,
  type NetworkKind,
  type NoiseSetting,
  parseNoise,
  parseProfile,
  type Profile,
} from "../types/mod.ts";
import { getProfile, profileEpochs } from "./profiles.ts";

/** The profile of `simulate` when none is named. */
export const DEFAULT_SIMULATE_PROFILE: Profile = "smoke";
/** The profile of `train` and `interpret` when none is named and the dataset records none. */
export const DEFAULT_TRAIN_PROFILE: Profile = "quick";

/** What a caller may ask of a simulation; the rest comes from the profile. */
export interface SimulateRequest {
  /** Default {@linkcode DEFAULT_SIMULATE_PROFILE}. */
  profile?: Profile | string;
  /** Number of clusters; `null`: the full catalogue. Default: the profile's. */
  clusters?: number | null;
  /** Dataset seed. Default: the profile's. */
  seed?: number;
  /** Line-of-sight structure. Default: the profile's. */
  los?: boolean;
  /** Noise setting. Default "paper". */
  noise?: NoiseSetting | string;
}

/** The settings of a simulation, resolved. */
export interface SimulateSettings {
  profile: Profile;
  /** Number of clusters; `null`: the full catalogue. */
  clusters: number | null;
  seed: number;
  los: boolean;
  noise: NoiseSetting;
}

/** A profile's simulation settings with the caller's overrides, checked (RangeError when out of range). */
export function resolveSimulateSettings(request: SimulateRequest = {}): SimulateSettings {
  const profile = parseProfile(request.profile ?? DEFAULT_SIMULATE_PROFILE);
  const p = getProfile(profile).simulate;
  const noise = parseNoise(request.noise ?? "paper");
  const clusters = request.clusters === undefined ? p.clusters : request.clusters;
  if (clusters !== null && !(Number.isInteger(clusters) && clusters > 0)) {
    throw new RangeError(
      `Cannot simulate: the number of clusters must be a positive integer, got ${request.clusters}`,
    );
  }
  const seed = request.seed ?? p.seed;
  if (!(Number.isInteger(seed) && Math.abs(seed) <= 2 ** 53)) {
    throw new RangeError(`Cannot simulate: seed must be an integer, got ${request.seed}`);
  }
  return { profile, clusters, seed, los: request.los ?? p.los, noise };
}

/** The profile a train or interpret run uses: the one named, else the dataset's, else the default. */
export function profileForRun(
  named: Profile | string | undefined,
  datasetProfile: unknown,
): Profile {
  if (named !== undefined) return parseProfile(named);
  if (typeof datasetProfile === "string") return parseProfile(datasetProfile);
  return DEFAULT_TRAIN_PROFILE;
}

/** What a caller may ask of a training run; the rest comes from the profile. */
export interface TrainRequest {
  /** The profile named by the caller (`--profile`). */
  profile?: Profile | string;
  /** The profile in the dataset's manifest (`manifest.profile`), used when none is named. */
  datasetProfile?: unknown;
  epochs?: number;
  batchSize?: number;
  seed?: number;
  /** Peak RMSprop learning rate. Default: the profile's (multichannel: its own). */
  learningRate?: number;
  decay?: number;
  /** Schedule name; `warmupEpochs` and `floor` override its numbers. */
  schedule?: LrScheduleSettings["name"];
  warmupEpochs?: number;
  floor?: number;
  patience?: number;
  minDelta?: number;
  augment?: boolean;
  dropout?: number;
  /** Factor on the input softening scale (single-channel networks; > 0). */
  inputSoftening?: number;
}

/** The settings of one training run, resolved: what `trainNetwork` is given. */
export interface TrainSettings {
  profile: Profile;
  epochs: number;
  batchSize: number;
  seed: number;
  learningRate: number;
  decay: number;
  schedule: LrScheduleSettings;
  earlyStopping: EarlyStopping;
  augment: boolean;
  dropout: number;
  /** Factor on the input softening scale (lib/train/scaling.ts); 1 = the noise rms. */
  inputSoftening: number;
}

/**
 * A profile's training settings for network `kind` with the caller's
 * overrides, checked: the learning rate must be > 0, the cosine's floor in
 * [0, 1], dropout in [0, 1) (RangeError otherwise).
 */
export function resolveTrainSettings(
  kind: NetworkKind,
  request: TrainRequest = {},
): TrainSettings {
  const profile = profileForRun(request.profile, request.datasetProfile);
  const settings = getProfile(profile);
  const t = settings.train;
  const profileLr = kind === "multi"
    ? t.multichannelLearningRate ?? t.learningRate
    : t.learningRate;
  const learningRate = request.learningRate ?? profileLr;
  if (!(Number.isFinite(learningRate) && learningRate > 0)) {
    throw new RangeError(`the learning rate must be a number > 0, got ${learningRate}`);
  }
  const ps = t.schedule;
  const scheduleName = request.schedule ?? ps.name;
  const schedule: LrScheduleSettings = scheduleName === "none" ? { name: "none" } : {
    name: "warmup-cosine",
    warmupEpochs: request.warmupEpochs ?? (ps.name === "warmup-cosine" ? ps.warmupEpochs : 1),
    floor: request.floor ?? (ps.name === "warmup-cosine" ? ps.floor : 0.05),
  };
  if (schedule.name === "warmup-cosine" && !(schedule.floor >= 0 && schedule.floor <= 1)) {
    throw new RangeError(`the cosine's floor must be in [0, 1], got ${schedule.floor}`);
  }
  const dropout = request.dropout ?? t.dropout;
  if (!(dropout >= 0 && dropout < 1)) {
    throw new RangeError(`dropout must be in [0, 1), got ${dropout}`);
  }
  const inputSoftening = kind === "multi"
    ? 1
    : request.inputSoftening ?? t.inputSoftening[kind] ?? 1;
  if (!(Number.isFinite(inputSoftening) && inputSoftening > 0)) {
    throw new RangeError(`the input softening factor must be a number > 0, got ${inputSoftening}`);
  }
  if (kind === "multi" && request.inputSoftening !== undefined && request.inputSoftening !== 1) {
    throw new RangeError(
      "the input softening factor applies to single-channel networks; the multichannel one uses 1",
    );
  }
  return {
    profile,
    epochs: request.epochs ?? profileEpochs(settings, kind),
    batchSize: request.batchSize ?? t.batchSize,
    seed: request.seed ?? t.seed,
    learningRate,
    decay: request.decay ?? t.decay,
    schedule,
    earlyStopping: {
      patience: request.patience ?? t.earlyStopping.patience,
      minDelta: request.minDelta ?? t.earlyStopping.minDelta ?? 0,
    },
    augment: request.augment ?? t.augment,
    dropout,
    inputSoftening,
  };
}

/** The settings of an interpretation run, resolved. */
export interface InterpretRunSettings {
  profile: Profile;
  /** Gaussian-mask centre stride in pixels. */
  maskStride: number;
  /** Clusters per tracer shown in Figs 8-11. */
  clustersShown: number;
}

/** A profile's interpretation settings (named, else the dataset's) with the caller's stride. */
export function resolveInterpretSettings(
  request: { profile?: Profile | string; datasetProfile?: unknown; maskStride?: number } = {},
): InterpretRunSettings {
  const profile = profileForRun(request.profile, request.datasetProfile);
  const p = getProfile(profile).interpret;
  return {
    profile,
    maskStride: request.maskStride ?? p.maskStride,
    clustersShown: p.clustersShown,
  };
}
