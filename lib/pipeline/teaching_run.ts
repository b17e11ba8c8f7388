/**
 * The settings the notebooks share: the `smoke` profile (60 clusters) with
 * 2 training epochs, written under `out/notebooks*` in the repository, with
 * the steps' progress lines printed in the notebook. Every notebook calls
 * `reproduce(teachingRun(...))`, so a step one notebook ran (the dataset,
 * the five trainings) is reused by the next.
 *
 * A variant (other noise, no line-of-sight structure, more clusters, more
 * epochs) gets its own output directory, so that runs to be compared sit
 * side by side instead of replacing each other.
 *
 * @module
 */
import { join } from "node:path";
import { repositoryRoot, type ReproduceOptions } from "./reproduce.ts";

/** Epochs of the notebooks' trainings: enough to see the loss fall, short enough for a laptop. */
export const TEACHING_EPOCHS = 2;

/** Options of {@linkcode teachingRun}: any of `reproduce()`'s. */
export type TeachingRunOptions = Partial<ReproduceOptions>;

/**
 * `reproduce()` options for a notebook: profile `smoke`, {@linkcode TEACHING_EPOCHS}
 * epochs, output to the notebook (`output: "log"`, printed with `console.log`),
 * into `out/notebooks` or, for a variant, `out/notebooks-<variant>` (e.g.
 * `out/notebooks-noise-planck-no-los`), unless `outDir` is given.
 *
 * @example
 * ```ts
 * import { teachingRun } from "./teaching_run.ts";
 * const run = teachingRun({ noise: "planck" });
 * if (!run.outDir!.endsWith("notebooks-noise-planck")) throw new Error(run.outDir);
 * ```
 */
export function teachingRun(options: TeachingRunOptions = {}): ReproduceOptions {
  const parts: string[] = [];
  if (options.noise !== undefined && options.noise !== "paper") {
    parts.push(`noise-${options.noise}`);
  }
  if (options.los === false) parts.push("no-los");
  if (options.clusters !== undefined) parts.push(`clusters-${options.clusters}`);
  if (options.epochs !== undefined && options.epochs !== TEACHING_EPOCHS) {
    parts.push(`epochs-${options.epochs}`);
  }
  if (options.seed !== undefined) parts.push(`seed-${options.seed}`);
  if (options.profile !== undefined && options.profile !== "smoke") parts.push(options.profile);
  const name = ["notebooks", ...parts].join("-");
  return {
    profile: "smoke",
    epochs: TEACHING_EPOCHS,
    output: "log",
    log: (line: string) => console.log(line),
    ...options,
    outDir: options.outDir ?? join(options.root ?? repositoryRoot(), "out", name),
  };
}
