/**
 * Run profiles (architecture.md): the one place where the `smoke`, `quick`
 * and `paper` settings live (`profiles.ts`), and where a run's settings are
 * resolved from a profile and the caller's overrides (`resolve.ts`). Every
 * task, the pipeline and the notebooks take their settings from here.
 *
 * @example
 * ```ts
 * import { getProfile, resolveSimulateSettings } from "./mod.ts";
 * const p = getProfile("paper");
 * if (p.train.epochs !== 1000) throw new Error("paper trains for 1000 epochs");
 * if (resolveSimulateSettings({ profile: "smoke" }).clusters !== 60) throw new Error("60 clusters");
 * ```
 * @module
 */
export * from "./profiles.ts";
export * from "./resolve.ts";
