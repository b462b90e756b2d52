import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTrainingWindowSet, type TrainingWindowRequest } from '../src/windows/build-window-set.js';
import { timeOfRow, type WindowSet } from '../src/windows/window-set.js';
import { importSeoulRealtime, seoulRealtimeAvailable, seoulRealtimeMissingMessage } from './windows-support/seoul-realtime.js';
import { createTemporaryDatabase, type TemporaryDatabase } from './windows-support/temporary-database.js';

const HOUR = 3600;
const request: TrainingWindowRequest = {
  windowHours: 24,
  horizons: [1, 3, 6, 12, 24],
  targets: ['pm25', 'pm10'],
  maxGapHours: 2,
  features: [],
  neighbourFeatures: 'auto',
  validationFraction: 0.15,
  testFraction: 0.15,
};

function times(set: WindowSet, rows: Int32Array): number[] {
  return Array.from(rows, (row) => timeOfRow(set, row));
}

describe.skipIf(!seoulRealtimeAvailable)('time-ordered split on Seoul realtime data', () => {
  let temporary: TemporaryDatabase;
  let set: WindowSet;

  beforeAll(() => {
    if (!seoulRealtimeAvailable) console.warn(seoulRealtimeMissingMessage);
    temporary = createTemporaryDatabase();
    importSeoulRealtime(temporary.database, {
      stationNames: ['강남구', '서초구', '종로구'],
      fromDataTime: '2025-05-01 01:00',
      toDataTime: '2025-06-30 24:00',
    });
    set = buildTrainingWindowSet(temporary.database, request);
  });

  afterAll(() => temporary?.remove());

  it('fills every split', () => {
    expect(set.samples.train.length).toBeGreaterThan(500);
    expect(set.samples.validation.length).toBeGreaterThan(50);
    expect(set.samples.test.length).toBeGreaterThan(50);
    expect(set.stationIds.length).toBe(3);
  });

  it('orders samples by time within each split', () => {
    for (const split of ['train', 'validation', 'test'] as const) {
      const issued = times(set, set.samples[split]);
      for (let index = 1; index < issued.length; index += 1) expect(issued[index]).toBeGreaterThanOrEqual(issued[index - 1]);
    }
  });

  it('keeps training targets before validation issues', () => {
    const lastTrainTarget = Math.max(...times(set, set.samples.train)) + 24 * HOUR;
    const firstValidation = Math.min(...times(set, set.samples.validation));
    expect(lastTrainTarget).toBeLessThan(firstValidation);
  });

  it('keeps validation targets before test issues', () => {
    const lastValidationTarget = Math.max(...times(set, set.samples.validation)) + 24 * HOUR;
    const firstTest = Math.min(...times(set, set.samples.test));
    expect(lastValidationTarget).toBeLessThan(firstTest);
    expect(set.ranges.test.from).toBe(firstTest);
  });

  it('cuts every station at the same instant', () => {
    for (const stationId of set.stationIds) {
      const stationTest = Array.from(set.samples.test).filter((row) => set.blocks.find((block) => row >= block.firstRow && row < block.firstRow + block.hours)?.stationId === stationId);
      const stationTrain = Array.from(set.samples.train).filter((row) => set.blocks.find((block) => row >= block.firstRow && row < block.firstRow + block.hours)?.stationId === stationId);
      expect(Math.min(...times(set, Int32Array.from(stationTest)))).toBeGreaterThanOrEqual(set.ranges.test.from);
      expect(Math.max(...times(set, Int32Array.from(stationTrain)))).toBeLessThanOrEqual(set.ranges.train.to);
    }
  });

  it('picks the gases and neighbour mean as default features', () => {
    expect(set.spec.featureNames).toEqual([
      'pm25', 'pm10', 'o3', 'no2', 'co', 'so2',
      'hour_sin', 'hour_cos', 'day_of_year_sin', 'day_of_year_cos',
      'neighbour_pm25', 'was_missing',
    ]);
  });

  it('fits the scalers on training hours only', () => {
    const validationFrom = set.ranges.validation.from;
    // Move every PM2.5 value at or after the validation cut; the scalers must not move.
    temporary.database.sqlite.prepare('UPDATE air_observations SET pm25 = pm25 * 10 + 500 WHERE observed_at >= ?').run(validationFrom);
    const changed = buildTrainingWindowSet(temporary.database, request);
    expect(Array.from(changed.featureScaler.means)).toEqual(Array.from(set.featureScaler.means));
    expect(Array.from(changed.featureScaler.stds)).toEqual(Array.from(set.featureScaler.stds));
    expect(Array.from(changed.targetScaler.means)).toEqual(Array.from(set.targetScaler.means));
    const testRow = changed.samples.test[0];
    expect(changed.features[testRow * changed.featureCount]).not.toBeCloseTo(set.features[testRow * set.featureCount], 3);
  });

  it('moves the scalers when training values change', () => {
    temporary.database.sqlite.prepare('UPDATE air_observations SET pm25 = pm25 + 7 WHERE observed_at < ?').run(set.ranges.train.from + 240 * HOUR);
    const changed = buildTrainingWindowSet(temporary.database, request);
    expect(changed.targetScaler.means[0]).not.toBeCloseTo(set.targetScaler.means[0], 2);
  });
});
