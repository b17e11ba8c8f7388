/**
 * The reproduction pipeline: the step graph (simulate -> train x5 ->
 * evaluate -> interpret -> figures), stamps that tell whether a step's
 * outputs are up to date for its inputs, settings and code, and
 * `reproduce()`, which runs the steps that are not as `deno task`
 * subprocesses; or, with the SLURM executor (slurm.ts), batch scripts that
 * submit the same steps with `sbatch` (a job or array task per step).
 *
 * @example
 * ```ts
 * import { checkStamp, hashSettings, planSteps } from "./mod.ts";
 * const [simulate] = planSteps({ profile: "smoke", outDir: "/tmp/out" });
 * const settingsHash = hashSettings(simulate.settings);
 * const verdict = checkStamp(null, { settingsHash, codeHash: "c", inputs: [], missingOutputs: [] });
 * if (verdict.status !== "stale") throw new Error("a step that never ran must run");
 * ```
 * @module
 */
export * from "./invocations.ts";
export * from "./steps.ts";
export * from "./stamp.ts";
export * from "./files.ts";
export * from "./reproduce.ts";
export * from "./summary.ts";
export * from "./teaching_run.ts";
export * from "./slurm.ts";
