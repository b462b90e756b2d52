import type { Settings } from '../config/settings.js';
import { tf, type LayersModel } from './tf.js';
import type { Tensor } from './tf.js';
import { setTargetEncoding, type TargetEncoding } from './target-encoding.js';

/** Architecture and optimiser of the forecast model; every field is recorded in the artifact. */
export interface GruOptions {
  /** Input hours per sample. */
  windowHours: number;
  featureCount: number;
  /** horizons x targets, horizon-major. */
  outputCount: number;
  layers: number;
  units: number;
  /** Fraction of activations dropped after each GRU layer while training; 0 adds no dropout layer. */
  dropout: number;
  learningRate: number;
  /** Seeds every initialiser and dropout layer, so one backend repeats a run exactly. */
  seed: number;
  /** Meaning of the outputs, stored in the model's metadata; absolute when omitted. */
  targetEncoding?: TargetEncoding;
}

/** Reads the architecture settings for a given input and output size. */
export function gruOptionsFromSettings(
  settings: Pick<
    Settings,
    'DUSTCAST_GRU_LAYERS' | 'DUSTCAST_GRU_UNITS' | 'DUSTCAST_DROPOUT' | 'DUSTCAST_LEARNING_RATE' | 'DUSTCAST_SEED' | 'DUSTCAST_TARGET_ENCODING'
  >,
  shape: { windowHours: number; featureCount: number; outputCount: number },
): GruOptions {
  return {
    ...shape,
    layers: settings.DUSTCAST_GRU_LAYERS,
    units: settings.DUSTCAST_GRU_UNITS,
    dropout: settings.DUSTCAST_DROPOUT,
    learningRate: settings.DUSTCAST_LEARNING_RATE,
    seed: settings.DUSTCAST_SEED,
    targetEncoding: settings.DUSTCAST_TARGET_ENCODING,
  };
}

/** Name of the dense layer that emits all horizons and targets. */
export const OUTPUT_LAYER_NAME = 'forecast';

/**
 * Builds and compiles the stacked GRU: gru_1 .. gru_N (each followed by dropout_K when dropout
 * is set) and one dense output of `outputCount` values. Only standard layers are used, so the
 * saved topology loads with tf.loadLayersModel anywhere.
 */
export function buildGruModel(options: GruOptions): LayersModel {
  validateGruOptions(options);
  const model = tf.sequential({ name: 'dustcast_gru' });
  for (let layer = 1; layer <= options.layers; layer += 1) {
    // Each weight matrix gets its own seed, because equal seeds would give every layer the same start.
    const layerSeed = options.seed + layer * 10;
    model.add(
      tf.layers.gru({
        name: `gru_${layer}`,
        units: options.units,
        returnSequences: layer < options.layers,
        inputShape: layer === 1 ? [options.windowHours, options.featureCount] : undefined,
        kernelInitializer: tf.initializers.glorotUniform({ seed: layerSeed + 1 }),
        recurrentInitializer: tf.initializers.orthogonal({ seed: layerSeed + 2 }),
        biasInitializer: 'zeros',
      }),
    );
    if (options.dropout > 0) {
      model.add(tf.layers.dropout({ name: `dropout_${layer}`, rate: options.dropout, seed: layerSeed + 3 }));
    }
  }
  model.add(
    tf.layers.dense({
      name: OUTPUT_LAYER_NAME,
      units: options.outputCount,
      kernelInitializer: tf.initializers.glorotUniform({ seed: options.seed + 1 }),
      biasInitializer: 'zeros',
    }),
  );
  model.compile({ optimizer: tf.train.adam(options.learningRate), loss: maskedMeanSquaredError });
  setTargetEncoding(model, options.targetEncoding ?? 'absolute');
  return model;
}

/**
 * Computes the mean squared error over the observed targets only. Unobserved target hours
 * arrive as NaN and are replaced before the subtraction, because a NaN there would make the
 * gradient NaN even when masked afterwards.
 */
export function maskedMeanSquaredError(expected: Tensor, predicted: Tensor): Tensor {
  return tf.tidy(() => {
    const missing = tf.isNaN(expected);
    const mask = tf.logicalNot(missing).toFloat();
    const cleaned = tf.where(missing, tf.zerosLike(expected), expected);
    const squared = tf.square(tf.sub(predicted, cleaned)).mul(mask);
    return tf.div(tf.sum(squared), tf.maximum(tf.sum(mask), 1));
  });
}

function validateGruOptions(options: GruOptions): void {
  const positive: Array<keyof GruOptions> = ['windowHours', 'featureCount', 'outputCount', 'layers', 'units'];
  for (const name of positive) {
    const value = options[name] as number;
    if (!Number.isInteger(value) || value < 1) {
      throw new RangeError(`GRU option ${name} must be a positive integer, got ${value}`);
    }
  }
  if (!(options.dropout >= 0 && options.dropout < 1)) {
    throw new RangeError(`GRU option dropout must be in [0, 1), got ${options.dropout}; set DUSTCAST_DROPOUT`);
  }
}

/** Frees the model's weights and, when it was compiled for training, the optimizer's state. */
export function disposeModel(model: LayersModel): void {
  if (model.optimizer) model.optimizer.dispose();
  model.dispose();
}
