import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../src/model/backend.js';
import { buildGruModel, disposeModel, type GruOptions } from '../src/model/gru.js';
import { predict } from '../src/model/predict.js';
import { tf } from '../src/model/tf.js';
import { trainModel, type TrainingOptions } from '../src/model/train.js';
import { outputCount, type WindowSet } from '../src/windows/window-set.js';
import { capturingLogger } from './helpers/model-fixtures.js';
import { buildSeoulWindowSet, seoulDataMissingMessage, seoulUrbanCsvPath } from './helpers/seoul-window-set.js';

const dataAvailable = seoulUrbanCsvPath() !== undefined;
if (!dataAvailable) console.warn(`skipping fused training tests: ${seoulDataMissingMessage}`);

function architectureFor(set: WindowSet): GruOptions {
  return {
    windowHours: set.spec.windowHours,
    featureCount: set.featureCount,
    outputCount: outputCount(set.spec),
    layers: 2,
    units: 6,
    // Without dropout both engines take exactly the same steps, so their results must agree.
    dropout: 0,
    learningRate: 0.01,
    seed: 3,
  };
}

async function train(set: WindowSet, options: Partial<TrainingOptions>) {
  const model = buildGruModel(architectureFor(set));
  const result = await trainModel(model, set, { epochs: 3, batchSize: 32, patience: 5, seed: 9, ...options });
  const predictions = predict(model, set, set.samples.test);
  disposeModel(model);
  return { result, predictions };
}

function maxDifference(left: Float32Array, right: Float32Array): number {
  let max = 0;
  for (let index = 0; index < left.length; index += 1) max = Math.max(max, Math.abs(left[index] - right[index]));
  return max;
}

describe.skipIf(!dataAvailable)('trainModel with the fused engine', () => {
  let set: WindowSet;

  beforeAll(async () => {
    await selectBackend('cpu', { logger: capturingLogger().logger, probe: { windowHours: 4, featureCount: 2, outputCount: 1, layers: 1, units: 2, dropout: 0, learningRate: 0.01, seed: 1 } });
    set = buildSeoulWindowSet({ stations: ['강남구'], windowHours: 12, horizons: [1, 3], maxHours: 700 });
  });

  it('matches the layers engine', async () => {
    const layers = await train(set, { engine: 'layers' });
    const fused = await train(set, { engine: 'fused' });
    expect(fused.result.epochsRun).toBe(layers.result.epochsRun);
    expect(fused.result.bestEpoch).toBe(layers.result.bestEpoch);
    layers.result.history.forEach((entry, index) => {
      expect(Math.abs(fused.result.history[index].loss - entry.loss)).toBeLessThan(1e-4);
      expect(Math.abs(fused.result.history[index].validationLoss - entry.validationLoss)).toBeLessThan(1e-4);
    });
    // µg/m³ after three epochs of accumulated float rounding.
    expect(maxDifference(fused.predictions, layers.predictions)).toBeLessThan(0.01);
  });

  it('matches with two threads', async () => {
    const single = await train(set, { engine: 'fused' });
    const parallel = await train(set, { engine: 'fused', threads: 2 });
    single.result.history.forEach((entry, index) => {
      expect(Math.abs(parallel.result.history[index].validationLoss - entry.validationLoss)).toBeLessThan(1e-4);
    });
    expect(maxDifference(parallel.predictions, single.predictions)).toBeLessThan(0.01);
  });

  it('leaks no tensors', async () => {
    await train(set, { engine: 'fused', epochs: 1 });
    const before = tf.memory().numTensors;
    await train(set, { engine: 'fused', epochs: 1 });
    await train(set, { engine: 'fused', epochs: 1, threads: 2 });
    expect(tf.memory().numTensors).toBe(before);
  });
});
