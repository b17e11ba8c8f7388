/**
 * The paper's figures as Vega-Lite: one pure builder per figure (Figs 1-7 and
 * Table 2; Figs 8-11 live beside them), each returning a typed spec with
 * `$schema` from plain inputs; readers that turn the toolkit's files into those
 * inputs; headless rendering to SVG and PNG ({@linkcode renderSpec}); and the
 * gallery page's files.
 *
 * @example
 * ```ts
 * import { fig06BiasVsMass, renderSpec } from "./mod.ts";
 * const spec = fig06BiasVsMass({
 *   ypar: [{ log10MLo: 13.5, log10MHi: 13.75, log10MCentre: 13.625, n: 40,
 *            meanFractionalBias: 0.03, sdFractionalBias: 0.15 }],
 * });
 * const { svg } = await renderSpec(spec);
 * if (!svg.includes("Fig. 6")) throw new Error("the title is drawn");
 * ```
 * @module
 */
export * from "./render.ts";
export * from "./png.ts";
export * from "./fig01_mass_distribution.ts";
export * from "./fig02_images.ts";
export * from "./fig03_architecture.ts";
export * from "./fig04_learning_curves.ts";
export * from "./fig05_pred_vs_true.ts";
export * from "./fig06_bias_vs_mass.ts";
export * from "./fig06b_rms_vs_mass.ts";
export * from "./fig07_bias_distribution.ts";
export * from "./table2.ts";
export * from "./fig08_11_interpret.ts";
export * from "./calibration_curve.ts";
export * from "./realism_relations.ts";
export * from "./load.ts";
export * from "./gallery.ts";
export * from "./run_figures.ts";
export {
  CENTRAL_RANGE_LOG10,
  NETWORK_COLORS,
  NETWORK_LABELS,
  VEGA_LITE_SCHEMA,
} from "./_common.ts";
export * from "./testing.ts";
