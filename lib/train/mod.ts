/**
 * Training the paper's CNNs (Yan et al. 2020, §2.4): input scaling, Keras-2
 * RMSprop with decay, the epoch loop with validation, best-weight selection,
 * atomic per-epoch checkpoints and resume, data-parallel training over Deno
 * workers with single-threaded WASM backends, and loading a trained network as
 * a differentiable function from raw images to M200.
 *
 * Learning-rate schedule and early stopping (schedule.ts): update t uses
 * lr_t = lr * f(t) / (1 + decay * t). The paper (`paper` profile) has f = 1,
 * lr 0.01, decay 1e-4 and no early stopping. `warmup-cosine` (the `quick` and
 * `smoke` profiles: peak lr 5e-4, decay 0) ramps f linearly over the first
 * W = warmupEpochs * stepsPerEpoch updates, f(t) = (t + 1) / W, then follows
 * f(t) = floor + (1 - floor) (1 + cos(pi (t - W) / (T - W))) / 2 down to
 * `floor` at the run's last update T. Early stopping (Keras 2 semantics) ends
 * training after `patience` epochs whose val_loss is not below the best by
 * more than `minDelta`. The schedule's W and T live in the checkpoint, so a
 * resumed run follows the same curve; `history.csv` has the `lr` after every
 * epoch and `epochs_without_improvement`, and `training.json` the settings
 * and the epoch at which training stopped. The `train` task's flags:
 * `--lr`, `--decay`, `--schedule none|warmup-cosine`, `--warmup-epochs`,
 * `--lr-floor`, `--patience`, `--min-delta`, `--augment on|off`, `--dropout`.
 * The short profiles train the multichannel network at a quarter of the
 * single-channel peak lr (lib/profiles).
 *
 * Augmentation (`augment`; the short profiles, not the paper): each training
 * image is turned at every step by a random one of the 8 symmetries of the
 * square about the cluster centre, drawn per image from the step's seed.
 *
 * Workers: the batch is cut into `gradientShards` (default 8) fixed pieces
 * whose gradients are added in a fixed tree, and dropout masks are drawn per
 * image, so on WASM any number of workers gives the same weights to the bit.
 *
 * @example
 * ```ts
 * import { KerasRmsprop } from "./mod.ts";
 * const opt = new KerasRmsprop(1, { learningRate: 0.01, decay: 1e-4 });
 * const p = new Float32Array([1]);
 * opt.step(p, new Float32Array([2]));
 * // First step: a = 0.1 g^2, p -= lr g / sqrt(a) = 0.01 / sqrt(0.1).
 * if (Math.abs(p[0] - (1 - 0.01 / Math.sqrt(0.1))) > 1e-6) throw new Error("RMSprop step");
 * ```
 *
 * @example
 * ```ts
 * import { learningRateAt } from "./mod.ts";
 * // Warm-up over 100 updates, cosine to 5 per cent at update 800.
 * const schedule = { name: "warmup-cosine", warmupSteps: 100, totalSteps: 800, floor: 0.05 } as const;
 * const lr = (t: number) => learningRateAt(t, { learningRate: 5e-4, schedule });
 * if (Math.abs(lr(0) - 5e-6) > 1e-15) throw new Error("first warm-up update: lr / 100");
 * if (Math.abs(lr(450) - 5e-4 * 0.525) > 1e-15) throw new Error("half way down: (1 + 0.05) / 2");
 * ```
 * @module
 */
export * from "./scaling.ts";
export * from "./rmsprop.ts";
export * from "./train_network.ts";
export * from "./trained_model.ts";
export * from "./schedule.ts";
