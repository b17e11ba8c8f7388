/**
 * One benchmark figure, as every part of `deno task bench` reports it.
 *
 * @module
 */

/** A measured value with its label and unit (e.g. "images/s", "s", "ratio"). */
export interface BenchResult {
  label: string;
  value: number;
  unit: string;
  /** More about the value (e.g. the time before an optimisation), printed after it. */
  detail?: string;
}
