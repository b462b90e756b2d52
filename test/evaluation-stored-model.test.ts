import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fitHourOfDayClimatology, type HourOfDayClimatology } from '../src/evaluation/climatology.js';
import { evaluateStoredModel } from '../src/evaluation/evaluate-stored-model.js';
import { evaluatePredictions } from '../src/evaluation/report.js';
import type { ForecastModel } from '../src/forecast/forecast-model.js';
import { predict } from '../src/model/predict.js';
import { tf, type LayersModel } from '../src/model/tf.js';
import { parseAirKoreaDataTime } from '../src/sources/values.js';
import { buildTrainingWindowSet } from '../src/windows/build-window-set.js';
import { outputCount, timeOfRow, type WindowSet } from '../src/windows/window-set.js';
import { importSeoulRealtime, seoulRealtimeAvailable } from './windows-support/seoul-realtime.js';
import { createTemporaryDatabase, type TemporaryDatabase } from './windows-support/temporary-database.js';

const HOUR = 3600;

describe.skipIf(!seoulRealtimeAvailable)('stored model evaluation', () => {
  let temporary: TemporaryDatabase;
  let set: WindowSet;
  let layers: LayersModel;
  let model: ForecastModel;
  let climatology: HourOfDayClimatology;

  beforeAll(async () => {
    await tf.setBackend('cpu');
    temporary = createTemporaryDatabase();
    importSeoulRealtime(temporary.database, { stationNames: ['용산구', '성동구'], fromDataTime: '2025-07-01 01:00', toDataTime: '2025-07-31 24:00' });
    set = buildTrainingWindowSet(temporary.database, {
      windowHours: 12,
      horizons: [1, 6],
      targets: ['pm25', 'pm10'],
      maxGapHours: 2,
      features: ['pm25', 'pm10', 'hour_sin', 'hour_cos', 'was_missing'],
      neighbourFeatures: 'off',
      validationFraction: 0.15,
      testFraction: 0.2,
    });
    // A real tfjs model with random weights; both reports below score the same outputs.
    layers = tf.sequential({
      layers: [
        tf.layers.flatten({ inputShape: [12, set.featureCount] }),
        tf.layers.dense({ units: outputCount(set.spec), kernelInitializer: 'glorotUniform', biasInitializer: 'zeros' }),
      ],
    });
    model = { version: 'test', spec: set.spec, featureScaler: set.featureScaler, targetScaler: set.targetScaler, predict: (windows, rows) => predict(layers, windows, rows) };
    climatology = fitHourOfDayClimatology(set, set.samples.train);
  });

  afterAll(() => {
    layers?.dispose();
    temporary?.remove();
  });

  it('matches the report on the training test split', () => {
    const expected = evaluatePredictions({ predictions: predict(layers, set, set.samples.test), windowSet: set, sampleRows: set.samples.test, climatology });
    const lastTest = timeOfRow(set, set.samples.test[set.samples.test.length - 1]);
    const report = evaluateStoredModel(temporary.database, model, climatology, { from: set.ranges.test.from, to: lastTest + 6 * HOUR });
    expect(report.sampleCount).toBe(expected.sampleCount);
    expect(report.period).toEqual(expected.period);
    for (let index = 0; index < report.rows.length; index += 1) {
      expect(report.rows[index].persistence.rmse).toBeCloseTo(expected.rows[index].persistence.rmse!, 6);
      expect(report.rows[index].climatology.rmse).toBeCloseTo(expected.rows[index].climatology.rmse!, 6);
      expect(report.rows[index].model.rmse).toBeCloseTo(expected.rows[index].model.rmse!, 4);
    }
  });

  it('keeps every target inside the period', () => {
    const from = parseAirKoreaDataTime('2025-07-20 01:00');
    const to = parseAirKoreaDataTime('2025-07-25 24:00');
    const report = evaluateStoredModel(temporary.database, model, climatology, { from, to });
    expect(report.sampleCount).toBeGreaterThan(50);
    expect(report.period.from).toBeGreaterThanOrEqual(from);
    expect(report.period.to + 6 * HOUR).toBeLessThanOrEqual(to);
  });

  it('rejects a period with no windows', () => {
    const from = parseAirKoreaDataTime('2025-07-20 01:00');
    expect(() => evaluateStoredModel(temporary.database, model, climatology, { from, to: from + 5 * HOUR })).toThrow(/no complete windows/);
  });
});
