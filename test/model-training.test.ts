import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../src/model/backend.js';
import { buildGruModel, disposeModel, maskedMeanSquaredError, type GruOptions } from '../src/model/gru.js';
import { predict } from '../src/model/predict.js';
import { tf, type Tensor } from '../src/model/tf.js';
import { targetEncodingOf } from '../src/model/target-encoding.js';
import { normalisedLossOf, trainModel } from '../src/model/train.js';
import { outputCount, type WindowSet } from '../src/windows/window-set.js';
import { capturingLogger } from './helpers/model-fixtures.js';
import { buildSeoulWindowSet, seoulDataMissingMessage, seoulUrbanCsvPath } from './helpers/seoul-window-set.js';

const dataAvailable = seoulUrbanCsvPath() !== undefined;
if (!dataAvailable) console.warn(`skipping model training tests: ${seoulDataMissingMessage}`);

function architectureFor(set: WindowSet, overrides: Partial<GruOptions> = {}): GruOptions {
  return {
    windowHours: set.spec.windowHours,
    featureCount: set.featureCount,
    outputCount: outputCount(set.spec),
    layers: 1,
    units: 8,
    dropout: 0.1,
    learningRate: 0.01,
    seed: 11,
    ...overrides,
  };
}

/** Mirrors every target at or after the validation start around its mean, so fitting the training split hurts validation. */
function withMirroredLaterTargets(set: WindowSet): WindowSet {
  const targetValues = Float32Array.from(set.targetValues);
  const firstValidationRow = Math.min(...set.samples.validation);
  const mean = set.targetScaler.means[0];
  for (let row = firstValidationRow; row < set.rowCount; row += 1) {
    const block = set.blocks.find((candidate) => row >= candidate.firstRow && row < candidate.firstRow + candidate.hours)!;
    if (block.stationId !== 1) continue;
    targetValues[row] = 2 * mean - targetValues[row];
  }
  return { ...set, targetValues };
}

describe.skipIf(!dataAvailable)('trainModel', () => {
  let set: WindowSet;

  beforeAll(async () => {
    await selectBackend('cpu', { logger: capturingLogger().logger, probe: { windowHours: 4, featureCount: 2, outputCount: 1, layers: 1, units: 2, dropout: 0, learningRate: 0.01, seed: 1 } });
    set = buildSeoulWindowSet({ stations: ['강남구'], windowHours: 12, horizons: [1, 3], maxHours: 900 });
  });

  it('keeps the best epoch on early stop', async () => {
    const mirrored = withMirroredLaterTargets(set);
    const model = buildGruModel(architectureFor(mirrored));
    const patience = 2;
    const result = await trainModel(model, mirrored, { epochs: 12, batchSize: 64, patience, seed: 5 });
    const losses = result.history.map((entry) => entry.validationLoss);
    const restoredLoss = await normalisedLossOf(model, mirrored, mirrored.samples.validation, 64);
    disposeModel(model);
    expect(result.stoppedEarly).toBe(true);
    expect(result.epochsRun).toBe(result.bestEpoch + patience);
    expect(result.bestValidationLoss).toBe(Math.min(...losses));
    expect(losses[result.epochsRun - 1]).toBeGreaterThan(result.bestValidationLoss);
    expect(restoredLoss).toBeCloseTo(result.bestValidationLoss, 5);
  });

  it('reports every epoch through the callback', async () => {
    const model = buildGruModel(architectureFor(set));
    const epochs: number[] = [];
    const result = await trainModel(model, set, { epochs: 2, batchSize: 64, patience: 5, seed: 5, onEpoch: (progress) => epochs.push(progress.epoch) });
    disposeModel(model);
    expect(epochs).toEqual([1, 2]);
    expect(result.history).toHaveLength(2);
    expect(Number.isFinite(result.history[1].loss)).toBe(true);
    expect(result.samplesPerSecond).toBeGreaterThan(0);
  });

  it('repeats a run exactly for one seed', async () => {
    const losses: number[][] = [];
    const predictions: Float32Array[] = [];
    for (let run = 0; run < 2; run += 1) {
      const model = buildGruModel(architectureFor(set));
      const result = await trainModel(model, set, { epochs: 2, batchSize: 64, patience: 5, seed: 5 });
      losses.push(result.history.map((entry) => entry.loss));
      predictions.push(predict(model, set, set.samples.test));
      disposeModel(model);
    }
    expect(losses[1]).toEqual(losses[0]);
    expect(Array.from(predictions[1])).toEqual(Array.from(predictions[0]));
  });

  it('changes with another seed', async () => {
    const first = buildGruModel(architectureFor(set, { seed: 1 }));
    const second = buildGruModel(architectureFor(set, { seed: 2 }));
    const firstPredictions = predict(first, set, set.samples.test);
    const secondPredictions = predict(second, set, set.samples.test);
    disposeModel(first);
    disposeModel(second);
    expect(Array.from(secondPredictions)).not.toEqual(Array.from(firstPredictions));
  });

  it('stops between batches when aborted', async () => {
    const model = buildGruModel(architectureFor(set));
    const controller = new AbortController();
    controller.abort(new Error('shutting down'));
    await expect(trainModel(model, set, { epochs: 2, batchSize: 64, patience: 5, seed: 5, signal: controller.signal })).rejects.toThrow('shutting down');
    disposeModel(model);
  });

  it('predicts persistence from zero change', () => {
    const model = buildGruModel(architectureFor(set, { targetEncoding: 'change' }));
    const output = model.getLayer('forecast');
    const zeros = output.getWeights().map((weight) => tf.zerosLike(weight));
    output.setWeights(zeros);
    tf.dispose(zeros);
    const predictions = predict(model, set, set.samples.test);
    disposeModel(model);
    expect(targetEncodingOf(model)).toBe('change');
    const targetCount = set.spec.targets.length;
    const outputs = outputCount(set.spec);
    let compared = 0;
    set.samples.test.forEach((row, sample) => {
      const lastObserved = set.targetValues[row * targetCount];
      if (Number.isNaN(lastObserved)) return;
      for (let horizonIndex = 0; horizonIndex < set.spec.horizons.length; horizonIndex += 1) {
        expect(predictions[sample * outputs + horizonIndex * targetCount]).toBeCloseTo(lastObserved, 3);
      }
      compared += 1;
    });
    expect(compared).toBeGreaterThan(0);
  });

  it('rejects change without the target feature', () => {
    const withoutPm25 = { ...set, spec: { ...set.spec, featureNames: set.spec.featureNames.map((name) => (name === 'pm25' ? 'pm25_renamed' : name)) } };
    const model = buildGruModel(architectureFor(set, { targetEncoding: 'change' }));
    expect(() => predict(model, withoutPm25, withoutPm25.samples.test)).toThrow(/DUSTCAST_TARGET_ENCODING=absolute/);
    disposeModel(model);
  });

  it('predicts non-negative µg/m³', () => {
    const model = buildGruModel(architectureFor(set));
    const predictions = predict(model, set, set.samples.test);
    disposeModel(model);
    expect(predictions).toHaveLength(set.samples.test.length * outputCount(set.spec));
    expect(Math.min(...predictions)).toBeGreaterThanOrEqual(0);
    expect(predictions.every((value) => Number.isFinite(value))).toBe(true);
  });
});

describe('maskedMeanSquaredError', () => {
  it('ignores NaN targets in value and gradient', () => {
    const expected = tf.tensor2d([[1, Number.NaN], [3, 4]]);
    const predicted = tf.tensor2d([[2, 100], [3, 2]]);
    const loss = maskedMeanSquaredError(expected, predicted);
    const gradient = tf.grad((input: Tensor) => maskedMeanSquaredError(expected, input))(predicted);
    const lossValue = loss.dataSync()[0];
    const gradientValues = Array.from(gradient.dataSync());
    tf.dispose([expected, predicted, loss, gradient]);
    expect(lossValue).toBeCloseTo((1 + 0 + 4) / 3, 6);
    expect(gradientValues.every((value) => Number.isFinite(value))).toBe(true);
    expect(gradientValues[1]).toBe(0);
  });
});
