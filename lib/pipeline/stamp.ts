/**
 * Stamps: what a finished step ran with (settings, code, input files), so a
 * later run can tell whether the step's outputs are still up to date. The
 * decision is pure: {@linkcode checkStamp} compares a recorded stamp with
 * what is on disk now, and asks for content hashes only where a file's size
 * matches but its modification time does not (a file rewritten with the same
 * bytes does not invalidate the steps after it).
 *
 * @module
 */
import { createHash } from "node:crypto";

/** Version of the stamp format; a stamp of another version is stale. */
export const STAMP_VERSION = 1;

/** An input file as recorded in a stamp. */
export interface FileFingerprint {
  /** Path relative to the output directory. */
  path: string;
  /** Size in bytes. */
  size: number;
  /** Modification time in ms since the epoch. */
  mtimeMs: number;
  /** SHA-256 of the content, hex. */
  sha256: string;
}

/** The record a step leaves after it succeeded. */
export interface Stamp {
  version: number;
  step: string;
  /** {@linkcode hashSettings} of the step's settings. */
  settingsHash: string;
  /** Hash of the source code the step's task runs (see `codeHash`). */
  codeHash: string;
  /** The step's inputs as they were when it started. */
  inputs: FileFingerprint[];
  /** ISO time it finished. */
  finishedAt: string;
  /** Wall time of the run in seconds. */
  seconds: number;
}

/** An input file as seen now. `sha256` is filled in only when asked for. */
export interface FileObservation {
  path: string;
  /** `null` when the file does not exist. */
  size: number | null;
  mtimeMs: number | null;
  sha256?: string;
}

/** What is on disk now for one step. */
export interface StepObservation {
  settingsHash: string;
  codeHash: string;
  inputs: FileObservation[];
  /** Declared outputs that do not exist. */
  missingOutputs: string[];
}

/** The verdict of {@linkcode checkStamp}. */
export type StampVerdict =
  | { status: "fresh" }
  | { status: "stale"; reason: string }
  | { status: "needs-hash"; paths: string[] };

/** JSON with object keys sorted at every level: the same value gives the same text. */
export function canonicalJson(value: unknown): string {
  if (value === undefined) return "null";
  if (value === null || typeof value !== "object") {
    if (typeof value === "number" && !Number.isFinite(value)) {
      throw new TypeError(`Cannot hash settings: ${value} is not a finite number`);
    }
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

/** SHA-256 (hex) of a step's settings in canonical JSON: key order does not matter. */
export function hashSettings(settings: Record<string, unknown>): string {
  return createHash("sha256").update(canonicalJson(settings)).digest("hex");
}

/**
 * Whether a step whose last successful run left `recorded` (or nothing) is up
 * to date given `now`. Returns `needs-hash` with the paths whose content must
 * be hashed (size equal, time different) before a verdict can be given; call
 * again with those `sha256` filled in.
 */
export function checkStamp(recorded: Stamp | null, now: StepObservation): StampVerdict {
  if (recorded === null) return { status: "stale", reason: "never ran" };
  if (recorded.version !== STAMP_VERSION) {
    return { status: "stale", reason: `stamp format ${recorded.version} != ${STAMP_VERSION}` };
  }
  if (now.missingOutputs.length > 0) {
    const [first] = now.missingOutputs;
    const more = now.missingOutputs.length > 1 ? ` (+${now.missingOutputs.length - 1} more)` : "";
    return { status: "stale", reason: `output missing: ${first}${more}` };
  }
  if (recorded.settingsHash !== now.settingsHash) {
    return { status: "stale", reason: "settings changed" };
  }
  if (recorded.codeHash !== now.codeHash) return { status: "stale", reason: "code changed" };
  const before = new Map(recorded.inputs.map((f) => [f.path, f]));
  const seen = new Set(now.inputs.map((f) => f.path));
  for (const f of recorded.inputs) {
    if (!seen.has(f.path)) return { status: "stale", reason: `input list changed: ${f.path}` };
  }
  const toHash: string[] = [];
  for (const f of now.inputs) {
    const old = before.get(f.path);
    if (!old) return { status: "stale", reason: `input list changed: ${f.path}` };
    if (f.size === null) return { status: "stale", reason: `input missing: ${f.path}` };
    if (f.size !== old.size) return { status: "stale", reason: `input changed: ${f.path}` };
    if (f.mtimeMs === old.mtimeMs) continue;
    if (f.sha256 === undefined) toHash.push(f.path);
    else if (f.sha256 !== old.sha256) {
      return { status: "stale", reason: `input changed: ${f.path}` };
    }
  }
  if (toHash.length > 0) return { status: "needs-hash", paths: toHash };
  return { status: "fresh" };
}
