/**
 * Seeded training-run fixtures in the exact on-disk contract of
 * `deno task train` (`history.csv`, `predictions.csv`), for tests and demos
 * of the figures that must not wait for real training. The predictions follow
 * the paper's qualitative behaviour (scatter of ~0.07 dex, a pull towards the
 * mean mass at the ends of the range) but are made up: not results.
 *
 * @module
 */
import { join } from "node:path";
import { formatCsv, type Row } from "../io/mod.ts";
import { writePredictions } from "../evaluate/predictions.ts";
import { Rng } from "../random/mod.ts";
import { type NetworkKind, NETWORKS } from "../types/mod.ts";

/** Options of {@linkcode writeSyntheticRuns}. */
export interface SyntheticRunsOptions {
  /** Seed. Default 1. */
  seed?: number;
  /** Networks to write. Default all five. */
  networks?: readonly NetworkKind[];
  /** Epochs in `history.csv`. Default 40. */
  epochs?: number;
  /**
   * Test images as `{ image, cluster, m200Msun }`, e.g. the test split of a
   * dataset's catalogue. Default: 300 images with log10 M uniform in [13, 15].
   */
  testImages?: readonly { image: number; cluster: number; m200Msun: number }[];
  /** Log-normal scatter of the predictions, dex. Default 0.07. */
  scatterDex?: number;
}

/**
 * Write `RUNS/<network>/history.csv` and `RUNS/<network>/predictions.csv` for
 * each network (folders created). Returns the folders written.
 */
export async function writeSyntheticRuns(
  runsDir: string,
  options: SyntheticRunsOptions = {},
): Promise<string[]> {
  const rng = new Rng(options.seed ?? 1);
  const epochs = options.epochs ?? 40;
  const scatter = options.scatterDex ?? 0.07;
  if (!Number.isInteger(epochs) || epochs < 1) {
    throw new RangeError(
      `Cannot write synthetic runs: epochs must be a positive integer, got ${epochs}`,
    );
  }
  const test = options.testImages ??
    Array.from(
      { length: 300 },
      (_, i) => ({ image: i, cluster: i, m200Msun: 10 ** rng.uniform(13, 15) }),
    );
  const meanLog = test.reduce((s, t) => s + Math.log10(t.m200Msun), 0) / Math.max(1, test.length);
  const dirs: string[] = [];
  for (const [k, network] of (options.networks ?? NETWORKS).entries()) {
    const r = rng.fork(NETWORKS.indexOf(network) + 1);
    const dir = join(runsDir, network);
    await Deno.mkdir(dir, { recursive: true });
    const history: Row[] = [];
    const floor = (scatter * Math.LN10) ** 2;
    for (let e = 1; e <= epochs; e++) {
      const loss = floor * (1 + 40 * Math.exp(-e / (4 + k))) * r.logNormalDex(0.03);
      history.push({
        epoch: e,
        loss: loss * 0.9,
        val_loss: loss,
        lr: 0.01 / (1 + 1e-4 * e * 10),
        seconds: 1 + r.random(),
        images_per_s: 100 + 10 * r.random(),
      });
    }
    await Deno.writeTextFile(
      join(dir, "history.csv"),
      formatCsv(history, ["epoch", "loss", "val_loss", "lr", "seconds", "images_per_s"]),
    );
    await writePredictions(join(dir, "predictions.csv"), {
      image: test.map((t) => t.image),
      cluster: test.map((t) => t.cluster),
      mTrueMsun: test.map((t) => t.m200Msun),
      mPredMsun: test.map((t) => {
        const lt = Math.log10(t.m200Msun);
        const pull = 0.12 * (meanLog - lt); // towards-the-mean bias (paper §3)
        return 10 ** (lt + pull + r.normal(0, scatter));
      }),
    });
    dirs.push(dir);
  }
  return dirs;
}
