/**
 * One Dustcast training measurement in its own process, so every backend starts fresh:
 * trains the windows in a folder with one engine and backend, then prints one JSON line.
 * Run by bench/training/training-bench.ts; see --help.
 */
import { parseArgs } from 'node:util';
import { createSilentLogger } from '../../src/logging/logger.js';
import { selectBackend, type BackendName } from '../../src/model/backend.js';
import { buildGruModel, type GruOptions } from '../../src/model/gru.js';
import { createRandom, shuffleInPlace } from '../../src/model/random.js';
import { tf, type LayersModel } from '../../src/model/tf.js';
import { createBatchTrainer, type BatchTrainer, type TrainingEngineName } from './batch-trainers.js';
import { readWindowMeta, readWindowSplit, type WindowFilesMeta } from './window-files.js';
import type { WindowSplit } from './notebook-windows.js';

const { values } = parseArgs({
  options: {
    windows: { type: 'string' },
    backend: { type: 'string', default: 'wasm' },
    engine: { type: 'string', default: 'layers' },
    layers: { type: 'string' },
    units: { type: 'string' },
    'batch-size': { type: 'string' },
    'learning-rate': { type: 'string', default: '0.001' },
    dropout: { type: 'string', default: '0' },
    'warmup-batches': { type: 'string', default: '5' },
    'timed-batches': { type: 'string' },
    epochs: { type: 'string', default: '0' },
    seed: { type: 'string', default: '42' },
    threads: { type: 'string', default: '2' },
  },
});

function requiredNumber(name: keyof typeof values): number {
  const text = values[name];
  const value = Number(text);
  if (text === undefined || !Number.isFinite(value)) throw new Error(`--${name} is missing or not a number (got ${JSON.stringify(text)})`);
  return value;
}

if (!values.windows) throw new Error('--windows is missing: give the folder written by writeWindowFiles');
const meta = readWindowMeta(values.windows);
const train = readWindowSplit(values.windows, 'train', meta);
const batchSize = requiredNumber('batch-size');
const architecture: GruOptions = {
  windowHours: meta.windowHours,
  featureCount: meta.featureCount,
  outputCount: meta.outputCount,
  layers: requiredNumber('layers'),
  units: requiredNumber('units'),
  dropout: requiredNumber('dropout'),
  learningRate: requiredNumber('learning-rate'),
  seed: requiredNumber('seed'),
};
const engine = values.engine as TrainingEngineName;
const parallelOptions = { backend: values.backend as BackendName, threads: requiredNumber('threads') };
const backend = await selectBackend(values.backend as BackendName, { logger: createSilentLogger(), probe: architecture });

/** Trains `batches` consecutive batches from batch index `first`, wrapping around the split. */
async function trainBatches(trainer: BatchTrainer, split: WindowSplit, first: number, batches: number): Promise<number> {
  const sampleSize = meta.windowHours * meta.featureCount;
  let loss = 0;
  for (let batch = first; batch < first + batches; batch += 1) {
    const start = (batch * batchSize) % (split.count - batchSize + 1);
    const inputs = tf.tensor3d(split.inputs.subarray(start * sampleSize, (start + batchSize) * sampleSize), [batchSize, meta.windowHours, meta.featureCount]);
    const targets = tf.tensor2d(split.targets.subarray(start * meta.outputCount, (start + batchSize) * meta.outputCount), [batchSize, meta.outputCount]);
    loss = await trainer.trainBatch(inputs, targets);
    inputs.dispose();
    targets.dispose();
  }
  return loss;
}

const model = buildGruModel(architecture);
const trainer = await createBatchTrainer(engine, model, architecture, parallelOptions);
const warmupBatches = requiredNumber('warmup-batches');
const timedBatches = requiredNumber('timed-batches');
await trainBatches(trainer, train, 0, warmupBatches);
const started = performance.now();
const cpuStarted = process.cpuUsage();
const lastLoss = await trainBatches(trainer, train, warmupBatches, timedBatches);
const timedSeconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuStarted);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
await trainer.dispose();
model.dispose();

const result: Record<string, unknown> = {
  backend: backend.name,
  engine,
  versions: backend.versions,
  timedSeconds,
  samplesPerSecond: (timedBatches * batchSize) / timedSeconds,
  // CPU seconds of this process over the timed batches; worker threads are included.
  cpuSeconds,
  samplesPerCpuSecond: (timedBatches * batchSize) / cpuSeconds,
  lastLoss,
};

const epochs = requiredNumber('epochs');
if (epochs > 0) result.testRmse = await trainAndTest(epochs);
console.log(JSON.stringify(result));

/** Trains whole shuffled epochs from a fresh model and returns the test RMSE per output in µg/m³. */
async function trainAndTest(epochCount: number): Promise<number[]> {
  const freshModel = buildGruModel(architecture);
  const freshTrainer = await createBatchTrainer(engine, freshModel, architecture, parallelOptions);
  const order = Int32Array.from({ length: train.count }, (_, index) => index);
  const shuffled = shuffledCopy(train);
  for (let epoch = 1; epoch <= epochCount; epoch += 1) {
    shuffleInPlace(order, createRandom(architecture.seed + epoch));
    shuffled.fill(order);
    await trainBatches(freshTrainer, shuffled.split, 0, Math.floor(train.count / batchSize));
  }
  // The fused engines train copies of the weights; the layers model gets them back here.
  await freshTrainer.finish();
  const rmse = testRmse(freshModel, readWindowSplit(values.windows as string, 'test', meta), meta);
  await freshTrainer.dispose();
  freshModel.dispose();
  return rmse;
}

/** Creates a reusable copy of a split whose samples can be put in a new order each epoch. */
function shuffledCopy(split: WindowSplit) {
  const sampleSize = meta.windowHours * meta.featureCount;
  const copy: WindowSplit = { count: split.count, inputs: new Float32Array(split.inputs.length), targets: new Float32Array(split.targets.length) };
  const fill = (order: Int32Array) => {
    order.forEach((source, target) => {
      copy.inputs.set(split.inputs.subarray(source * sampleSize, (source + 1) * sampleSize), target * sampleSize);
      copy.targets.set(split.targets.subarray(source * meta.outputCount, (source + 1) * meta.outputCount), target * meta.outputCount);
    });
  };
  return { split: copy, fill };
}

function testRmse(trained: LayersModel, test: WindowSplit, windowsMeta: WindowFilesMeta): number[] {
  const predicted = tf.tidy(() => {
    const inputs = tf.tensor3d(test.inputs, [test.count, windowsMeta.windowHours, windowsMeta.featureCount]);
    return (trained.predict(inputs, { batchSize: 1024 }) as tf.Tensor).dataSync();
  });
  const targetCount = windowsMeta.targetStds.length;
  const squared = new Float64Array(windowsMeta.outputCount);
  for (let sample = 0; sample < test.count; sample += 1) {
    for (let output = 0; output < windowsMeta.outputCount; output += 1) {
      const index = sample * windowsMeta.outputCount + output;
      const error = (predicted[index] - test.targets[index]) * windowsMeta.targetStds[output % targetCount];
      squared[output] += error * error;
    }
  }
  return Array.from(squared, (sum) => Math.sqrt(sum / test.count));
}
