/**
 * Saving a trained network in the TensorFlow.js LayersModel format
 * (`model.json` + `weights.bin`) and loading it back with its input scaling,
 * as a function from raw images to predicted M200 that gradients flow through.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { join } from "node:path";
import { writeFileAtomic, writeJsonAtomic } from "../io/mod.ts";
import { type MODEL_OUTPUT, outputToMassMsun } from "../model/mod.ts";
import { type NetworkKind, NETWORKS } from "../types/mod.ts";
import { applyInputScaling, type InputScaling } from "./scaling.ts";

/** What `model.json`'s `userDefinedMetadata` holds. */
export interface SavedModelMetadata {
  kind: NetworkKind;
  inputScaling: InputScaling;
  modelOutput: typeof MODEL_OUTPUT;
  epoch: number;
  valLoss: number;
}

/**
 * Write `model` (with its current weights) to `dir/model.json` and
 * `dir/weights.bin`, each atomically (weights first).
 */
export async function saveModel(
  model: tf.LayersModel,
  options: { dir: string; metadata: SavedModelMetadata },
): Promise<void> {
  await model.save(tf.io.withSaveHandler(async (art) => {
    const data = art.weightData === undefined
      ? new ArrayBuffer(0)
      : tf.io.CompositeArrayBuffer.join(art.weightData);
    await writeFileAtomic(join(options.dir, "weights.bin"), new Uint8Array(data));
    await writeJsonAtomic(join(options.dir, "model.json"), {
      format: "layers-model",
      generatedBy: `TensorFlow.js tfjs-layers v${tf.version_layers}`,
      convertedBy: null,
      modelTopology: art.modelTopology,
      weightsManifest: [{ paths: ["weights.bin"], weights: art.weightSpecs }],
      userDefinedMetadata: options.metadata,
    });
    return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(art) };
  }));
}

/** A trained network loaded from a run directory. */
export interface TrainedModel {
  /** The network; its output is log10(M200/Msun) - 14 (see lib/model MODEL_OUTPUT). */
  model: tf.LayersModel;
  /** Which network: a tracer or "multi". */
  kind: NetworkKind;
  /** The input scaling applied by {@linkcode TrainedModel.predictMassMsun}. */
  scaling: InputScaling;
  /** The run's training.json, parsed. */
  training: Record<string, unknown>;
  /**
   * Predicted M200 in Msun of raw images `[n, 120, 120, C]` in the dataset's
   * units, C = 1 or 4 (star, fxs, fxb, ypar order): input scaling, network
   * (inference mode) and output conversion, all differentiable tf ops, so
   * `tf.grad` of it with respect to the raw images works. Returns `[n]`.
   */
  predictMassMsun(rawImages: tf.Tensor4D): tf.Tensor1D;
}

/** Load `runDir/model.json`, `weights.bin` and `training.json` written by `deno task train`. */
export async function loadTrainedModel(runDir: string): Promise<TrainedModel> {
  const read = async (name: string) => {
    try {
      return await Deno.readFile(join(runDir, name));
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) {
        throw new Error(
          `Cannot load trained model: ${join(runDir, name)} is missing. ` +
            `Train first: \`deno task train --data DIR --tracer T --out ${runDir}\`.`,
        );
      }
      throw e;
    }
  };
  const json = async (name: string) => {
    const bytes = await read(name);
    try {
      return JSON.parse(new TextDecoder().decode(bytes));
    } catch (e) {
      throw new TypeError(
        `Cannot load trained model: ${join(runDir, name)} is not valid JSON (${
          (e as Error).message
        }); it is damaged: train again with --out ${runDir} --fresh`,
      );
    }
  };
  const modelJson = await json("model.json");
  const training = await json("training.json");
  const weights = await read("weights.bin");
  const specs = (modelJson.weightsManifest?.[0]?.weights ?? []) as {
    shape: number[];
    dtype?: string;
  }[];
  const need = specs.reduce((a, w) => a + 4 * w.shape.reduce((x, y) => x * y, 1), 0);
  if (weights.byteLength !== need) {
    throw new RangeError(
      `Cannot load trained model: ${join(runDir, "weights.bin")} has ${weights.byteLength} ` +
        `bytes but model.json's weights need ${need} (${
          weights.byteLength < need ? "truncated" : "from another model"
        }); train again with --out ${runDir} --fresh, or restore the file`,
    );
  }
  const meta = modelJson.userDefinedMetadata as SavedModelMetadata | undefined;
  const kind = (meta?.kind ?? training.network) as NetworkKind;
  if (!(NETWORKS as readonly string[]).includes(kind)) {
    throw new TypeError(`Cannot load trained model from ${runDir}: unknown network "${kind}"`);
  }
  const scaling = (meta?.inputScaling ?? training.inputScaling) as InputScaling;
  const model = await tf.loadLayersModel(tf.io.fromMemory({
    modelTopology: modelJson.modelTopology,
    weightSpecs: modelJson.weightsManifest[0].weights,
    weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
  }));
  const nIn = kind === "multi" ? 4 : 1;
  return {
    model,
    kind,
    scaling,
    training,
    predictMassMsun(rawImages: tf.Tensor4D): tf.Tensor1D {
      if (rawImages.rank !== 4 || rawImages.shape[3] !== nIn) {
        throw new RangeError(
          `Cannot predict with the ${kind} network: images must be [n, 120, 120, ${nIn}], ` +
            `got [${rawImages.shape}]`,
        );
      }
      return tf.tidy(() => {
        const x = applyInputScaling(rawImages, scaling);
        const inputs = nIn === 1 ? x : tf.split(x, 4, 3);
        const t = model.apply(inputs, { training: false }) as tf.Tensor;
        return tf.reshape(outputToMassMsun(t), [rawImages.shape[0]]) as tf.Tensor1D;
      });
    },
  };
}
