/**
 * The predictions file of a trained network, `predictions.csv` (test split)
 * and `predictions_val.csv` (validation split): one row per image,
 * `image,cluster,m_true_msun,m_pred_msun`. This module is its one reader and
 * writer; training, calibration and the figures' test fixtures all write
 * through {@linkcode writePredictions}.
 *
 * @module
 */
import { formatCsv, readCsv, writeFileAtomic } from "../io/mod.ts";

/** Predictions of one network on one split. */
export interface Predictions {
  image: number[];
  cluster: number[];
  mTrueMsun: number[];
  mPredMsun: number[];
}

/** The file's columns, in order. */
export const PREDICTION_COLUMNS = ["image", "cluster", "m_true_msun", "m_pred_msun"] as const;

/** Predictions to write: the same four columns, as arrays or typed arrays. */
export type PredictionColumns = { [K in keyof Predictions]: ArrayLike<number> };

/** The CSV text of predictions: a header and one row per image. */
export function formatPredictions(p: PredictionColumns): string {
  const n = p.image.length;
  for (const name of ["cluster", "mTrueMsun", "mPredMsun"] as const) {
    if (p[name].length !== n) {
      throw new RangeError(
        `Cannot write predictions: ${name} has ${p[name].length} rows, image has ${n}`,
      );
    }
  }
  return formatCsv(
    Array.from({ length: n }, (_, k) => ({
      image: p.image[k],
      cluster: p.cluster[k],
      m_true_msun: p.mTrueMsun[k],
      m_pred_msun: p.mPredMsun[k],
    })),
    [...PREDICTION_COLUMNS],
  );
}

/** Write predictions to `path` atomically (a killed run leaves the old file or the new one). */
export async function writePredictions(
  path: string,
  p: PredictionColumns,
): Promise<void> {
  await writeFileAtomic(path, formatPredictions(p));
}

/** Read a run's `predictions.csv` (header `image,cluster,m_true_msun,m_pred_msun`). */
export async function readPredictions(path: string): Promise<Predictions> {
  const rows = await readCsv(path);
  const out: Predictions = { image: [], cluster: [], mTrueMsun: [], mPredMsun: [] };
  rows.forEach((r, i) => {
    for (const c of PREDICTION_COLUMNS) {
      // parseCsv keeps non-finite numbers as text; a diverged network writes "Infinity".
      if (r[c] === "Infinity" || r[c] === "-Infinity" || r[c] === "NaN") r[c] = Number(r[c]);
      if (typeof r[c] !== "number") {
        throw new TypeError(`Cannot read ${path}: row ${i + 2} has no numeric ${c}`);
      }
    }
    out.image.push(r.image as number);
    out.cluster.push(r.cluster as number);
    out.mTrueMsun.push(r.m_true_msun as number);
    out.mPredMsun.push(r.m_pred_msun as number);
  });
  return out;
}
