import type { Settings } from '../config/settings.js';
import { fillBatch, outputCount, type WindowSet } from '../windows/window-set.js';
import { createRandom, shuffleInPlace } from './random.js';
import { anchorColumns, fillAnchors, shiftByAnchors, targetEncodingOf } from './target-encoding.js';
import { tf, type LayersModel } from './tf.js';
import { startFusedEngine, type TrainingEngineName } from './fast/training-engine.js';

/** Loop settings. The architecture itself is fixed when the model is built. */
export interface TrainingOptions {
  epochs: number;
  batchSize: number;
  /** Epochs without a lower validation loss before training stops. */
  patience: number;
  /** Seeds the per-epoch shuffle of the training samples and the dropout masks. */
  seed: number;
  signal?: AbortSignal;
  onEpoch?: (progress: EpochProgress) => void;
  /** layers (the default when absent) calls trainOnBatch; fused trains the same weights with the fused GRU. */
  engine?: TrainingEngineName;
  /** Data-parallel threads of the fused engine; 1 (the default) trains on this thread. */
  threads?: number;
}

/** One finished epoch. Losses are mean squared errors in the target scaler's normalised space. */
export interface EpochProgress {
  /** 1-based. */
  epoch: number;
  epochs: number;
  loss: number;
  validationLoss: number;
  /** Milliseconds since training started. */
  elapsedMs: number;
  bestEpoch: number;
}

export interface TrainingResult {
  epochsRun: number;
  /** Epoch whose weights the model has after training. */
  bestEpoch: number;
  bestValidationLoss: number;
  stoppedEarly: boolean;
  history: Array<{ epoch: number; loss: number; validationLoss: number }>;
  durationMs: number;
  /** Training samples per second over all epochs, validation passes included in the time. */
  samplesPerSecond: number;
}

/** Reads the loop settings. */
export function trainingOptionsFromSettings(
  settings: Pick<
    Settings,
    'DUSTCAST_EPOCHS' | 'DUSTCAST_BATCH_SIZE' | 'DUSTCAST_EARLY_STOPPING_PATIENCE' | 'DUSTCAST_SEED' | 'DUSTCAST_TRAINING_ENGINE' | 'DUSTCAST_TRAINING_THREADS'
  >,
): TrainingOptions {
  return {
    epochs: settings.DUSTCAST_EPOCHS,
    batchSize: settings.DUSTCAST_BATCH_SIZE,
    patience: settings.DUSTCAST_EARLY_STOPPING_PATIENCE,
    seed: settings.DUSTCAST_SEED,
    engine: settings.DUSTCAST_TRAINING_ENGINE,
    threads: settings.DUSTCAST_TRAINING_THREADS,
  };
}

/**
 * Trains `model` (built by buildGruModel) on the training split, streaming shuffled batches
 * out of the window set, and stops early when the validation loss has not improved for
 * `patience` epochs. The best epoch's weights are restored before returning. Throws the
 * signal's reason when aborted between batches; the model then keeps its last weights.
 */
export async function trainModel(model: LayersModel, windowSet: WindowSet, options: TrainingOptions): Promise<TrainingResult> {
  const trainRows = Int32Array.from(windowSet.samples.train);
  const validationRows = windowSet.samples.validation;
  if (trainRows.length === 0) throw new Error('the window set has no training samples; import more hours or lower DUSTCAST_WINDOW_HOURS');
  if (validationRows.length === 0) {
    throw new Error('the window set has no validation samples, so early stopping cannot run; import more hours or raise DUSTCAST_VALIDATION_FRACTION');
  }

  const batch = new BatchBuffers(windowSet, options.batchSize, targetEncodingOf(model) === 'change');
  const dropoutSeeds = new DropoutSeeds(model);
  const started = performance.now();
  const history: TrainingResult['history'] = [];
  let best: { epoch: number; loss: number; weights: Float32Array[] } | undefined;
  let stoppedEarly = false;
  let step = 0;
  // The fused engine keeps its own copy of the weights and writes it back before each validation,
  // so an abort in the middle of an epoch leaves the model at the last finished epoch's weights.
  const fused = await startFusedEngine(model, { engine: options.engine ?? 'layers', threads: options.threads ?? 1, seed: options.seed });
  try {
    for (let epoch = 1; epoch <= options.epochs; epoch += 1) {
      shuffleInPlace(trainRows, createRandom(options.seed + epoch));
      let lossSum = 0;
      for (let start = 0; start < trainRows.length; start += options.batchSize) {
        options.signal?.throwIfAborted();
        const count = Math.min(options.batchSize, trainRows.length - start);
        dropoutSeeds.advance(step);
        step += 1;
        if (fused) {
          const { inputs, targets } = batch.tensors(trainRows, start, count);
          lossSum += (await fused.trainBatch(inputs, targets)) * count;
        } else {
          lossSum += (await batch.train(model, trainRows, start, count)) * count;
        }
      }
      await fused?.copyWeightsTo(model);

      const loss = lossSum / trainRows.length;
      const validationLoss = await validationLossOf(model, windowSet, validationRows, batch);
      history.push({ epoch, loss, validationLoss });
      if (!best || validationLoss < best.loss) best = { epoch, loss: validationLoss, weights: copyWeights(model) };
      options.onEpoch?.({ epoch, epochs: options.epochs, loss, validationLoss, elapsedMs: performance.now() - started, bestEpoch: best.epoch });
      if (epoch - best.epoch >= options.patience && epoch < options.epochs) {
        stoppedEarly = true;
        break;
      }
    }
  } finally {
    dropoutSeeds.restore();
    await fused?.dispose();
  }

  if (!best) throw new Error('training ran no epoch; DUSTCAST_EPOCHS must be at least 1');
  restoreWeights(model, best.weights);
  const durationMs = performance.now() - started;
  return {
    epochsRun: history.length,
    bestEpoch: best.epoch,
    bestValidationLoss: best.loss,
    stoppedEarly,
    history,
    durationMs,
    samplesPerSecond: (trainRows.length * history.length) / (durationMs / 1000),
  };
}

/**
 * Input and target buffers of one batch, reused for every batch of the run. With the change
 * encoding, the targets become the change from each sample's last input hour.
 */
class BatchBuffers {
  readonly inputs: Float32Array;
  readonly targets: Float32Array;
  private readonly windowHours: number;
  private readonly featureCount: number;
  private readonly outputs: number;
  private readonly anchors: { columns: number[]; values: Float32Array } | undefined;

  constructor(
    private readonly windowSet: WindowSet,
    readonly size: number,
    encodeChange: boolean,
  ) {
    this.windowHours = windowSet.spec.windowHours;
    this.featureCount = windowSet.featureCount;
    this.outputs = outputCount(windowSet.spec);
    this.inputs = new Float32Array(size * this.windowHours * this.featureCount);
    this.targets = new Float32Array(size * this.outputs);
    if (encodeChange) {
      this.anchors = { columns: anchorColumns(windowSet), values: new Float32Array(size * windowSet.spec.targets.length) };
    }
  }

  /** Fills the buffers and returns the input and target tensors. The caller disposes them. */
  tensors(rows: Int32Array, start: number, count: number): { inputs: ReturnType<typeof tf.tensor3d>; targets: ReturnType<typeof tf.tensor2d> } {
    fillBatch(this.windowSet, rows, start, count, this.inputs, this.targets);
    if (this.anchors) {
      const { horizons, targets } = this.windowSet.spec;
      fillAnchors(this.windowSet, rows, start, count, this.anchors.columns, this.anchors.values);
      shiftByAnchors(this.targets, this.anchors.values, count, horizons.length, targets.length, -1);
    }
    const sampleSize = this.windowHours * this.featureCount;
    return {
      inputs: tf.tensor3d(this.inputs.subarray(0, count * sampleSize), [count, this.windowHours, this.featureCount]),
      targets: tf.tensor2d(this.targets.subarray(0, count * this.outputs), [count, this.outputs]),
    };
  }

  async train(model: LayersModel, rows: Int32Array, start: number, count: number): Promise<number> {
    const { inputs, targets } = this.tensors(rows, start, count);
    try {
      const loss = await model.trainOnBatch(inputs, targets);
      return Array.isArray(loss) ? loss[0] : loss;
    } finally {
      inputs.dispose();
      targets.dispose();
    }
  }
}

/**
 * Returns the mean squared error over the observed targets of `rows`, in the target scaler's
 * normalised space: the validation loss the loop uses for early stopping.
 */
export async function normalisedLossOf(model: LayersModel, windowSet: WindowSet, rows: Int32Array, batchSize = 256): Promise<number> {
  const buffers = new BatchBuffers(windowSet, Math.min(batchSize, Math.max(rows.length, 1)), targetEncodingOf(model) === 'change');
  return validationLossOf(model, windowSet, rows, buffers);
}

async function validationLossOf(model: LayersModel, windowSet: WindowSet, rows: Int32Array, batch: BatchBuffers): Promise<number> {
  let squaredSum = 0;
  let observed = 0;
  for (let start = 0; start < rows.length; start += batch.size) {
    const count = Math.min(batch.size, rows.length - start);
    const { inputs, targets } = batch.tensors(rows, start, count);
    const predictedTensor = tf.tidy(() => model.predict(inputs) as ReturnType<typeof tf.tensor2d>);
    const predicted = await predictedTensor.data();
    predictedTensor.dispose();
    inputs.dispose();
    targets.dispose();
    for (let index = 0; index < predicted.length; index += 1) {
      const expected = batch.targets[index];
      if (Number.isNaN(expected)) continue;
      const error = predicted[index] - expected;
      squaredSum += error * error;
      observed += 1;
    }
  }
  if (observed === 0) throw new Error('no validation sample has an observed target hour; import more hours or raise DUSTCAST_VALIDATION_FRACTION');
  return squaredSum / observed;
}

function copyWeights(model: LayersModel): Float32Array[] {
  return model.getWeights().map((weight) => weight.dataSync().slice() as Float32Array);
}

function restoreWeights(model: LayersModel, weights: Float32Array[]): void {
  const current = model.getWeights();
  const tensors = weights.map((values, index) => tf.tensor(values, current[index].shape));
  model.setWeights(tensors);
  for (const tensor of tensors) tensor.dispose();
}

/**
 * tfjs's Dropout layer draws the same mask on every call when it has a seed, which would drop
 * the same units for the whole run. The loop therefore gives each step its own seed derived
 * from the layer's, and puts the configured seed back so the saved topology keeps it.
 */
// NOTE: this writes the Dropout layer's undocumented `seed` field (tfjs-layers 4.22). If a tfjs
// upgrade renames it, training still runs but every step reuses one dropout mask.
class DropoutSeeds {
  private readonly layers: Array<{ layer: { seed?: number }; seed: number }>;

  constructor(model: LayersModel) {
    this.layers = model.layers
      .filter((layer) => layer.getClassName() === 'Dropout')
      .map((layer) => {
        const seeded = layer as unknown as { seed?: number };
        return { layer: seeded, seed: seeded.seed ?? 0 };
      });
  }

  advance(step: number): void {
    for (const entry of this.layers) entry.layer.seed = entry.seed + (step + 1) * 7919;
  }

  restore(): void {
    for (const entry of this.layers) entry.layer.seed = entry.seed;
  }
}
