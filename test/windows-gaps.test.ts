import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ObservationWriter } from '../src/db/observation-writer.js';
import { emptyAirRecord } from '../src/sources/records.js';
import { kstToEpochSeconds } from '../src/time/kst.js';
import { buildModelWindowSet, buildTrainingWindowSet, latestWindowRows } from '../src/windows/build-window-set.js';
import { blockOfRow, timeOfRow, type WindowSet } from '../src/windows/window-set.js';
import { createTemporaryDatabase, type TemporaryDatabase } from './windows-support/temporary-database.js';

const HOUR = 3600;
const startAt = kstToEpochSeconds(2025, 5, 1, 0);
const missingHours = new Set([10, 20, 21, 30, 31, 32]);
const pm25At = (hour: number) => 10 + (hour % 7) * 3;
const pm10At = (hour: number) => 30 + (hour % 5) * 4;
const identity = (columns: number) => ({ means: new Float32Array(columns), stds: new Float32Array(columns).fill(1) });

describe('gap-aware windows', () => {
  let temporary: TemporaryDatabase;
  let set: WindowSet;

  beforeEach(() => {
    temporary = createTemporaryDatabase();
    const writer = new ObservationWriter(temporary.database);
    writer.transaction(() => {
      const stationId = writer.ensureStation({ provider: 'airkorea', providerCode: '중구', name: '중구' });
      const records = [];
      for (let hour = 0; hour < 60; hour += 1) {
        if (missingHours.has(hour)) continue;
        const record = emptyAirRecord(stationId, startAt + hour * HOUR, 'airkorea-file');
        record.pm25 = pm25At(hour);
        record.pm10 = pm10At(hour);
        records.push(record);
      }
      writer.writeAir(records);
    });
    set = buildModelWindowSet(temporary.database, {
      spec: { windowHours: 4, horizons: [1, 2], targets: ['pm25', 'pm10'], featureNames: ['pm25', 'pm10', 'was_missing'], maxGapHours: 2 },
      featureScaler: identity(3),
      targetScaler: identity(2),
      from: startAt,
      to: startAt + 59 * HOUR,
    });
  });

  afterEach(() => temporary.remove());

  it('splits the series at a 3 h gap', () => {
    expect(set.blocks.length).toBe(2);
    expect(set.blocks[0].startAt).toBe(startAt);
    expect(set.blocks[0].hours).toBe(30);
    expect(set.blocks[1].startAt).toBe(startAt + 33 * HOUR);
    expect(set.blocks[1].hours).toBe(27);
    expect(set.rowCount).toBe(57);
  });

  it('fills 1 h and 2 h gaps with mask 1', () => {
    const feature = (row: number, column: number) => set.features[row * 3 + column];
    expect(feature(10, 2)).toBe(1);
    expect(feature(20, 2)).toBe(1);
    expect(feature(21, 2)).toBe(1);
    expect(feature(9, 2)).toBe(0);
    expect(feature(22, 2)).toBe(0);
    expect(feature(10, 0)).toBeCloseTo((pm25At(9) + pm25At(11)) / 2, 5);
    expect(feature(20, 0)).toBeCloseTo(pm25At(19) + (pm25At(22) - pm25At(19)) / 3, 5);
    expect(feature(21, 1)).toBeCloseTo(pm10At(19) + ((pm10At(22) - pm10At(19)) * 2) / 3, 5);
  });

  it('keeps interpolated targets out of scoring', () => {
    expect(Number.isNaN(set.targetValues[10 * 2])).toBe(true);
    expect(Number.isNaN(set.targetValues[20 * 2 + 1])).toBe(true);
    expect(set.targetValues[11 * 2]).toBe(pm25At(11));
    const samples = Array.from(set.samples.test);
    expect(samples).not.toContain(8);
    expect(samples).not.toContain(9);
    expect(samples).toContain(11);
  });

  it('never lets a window span the long gap', () => {
    expect(set.samples.test.length).toBeGreaterThan(0);
    for (const row of set.samples.test) {
      const first = blockOfRow(set, row - 3);
      const last = blockOfRow(set, row + 2);
      expect(first).toBe(last);
      expect(timeOfRow(set, row + 2) - timeOfRow(set, row - 3)).toBe(5 * HOUR);
    }
  });

  it('issues forecasts from the last complete window', () => {
    expect(Array.from(latestWindowRows(set))).toEqual([set.rowCount - 1]);
    expect(timeOfRow(set, set.rowCount - 1)).toBe(startAt + 59 * HOUR);
  });
});

describe('window build input errors', () => {
  let temporary: TemporaryDatabase;

  beforeEach(() => {
    temporary = createTemporaryDatabase();
  });

  afterEach(() => temporary.remove());

  it('rejects an empty database', () => {
    expect(() =>
      buildTrainingWindowSet(temporary.database, {
        windowHours: 4,
        horizons: [1],
        targets: ['pm25'],
        maxGapHours: 2,
        features: [],
        neighbourFeatures: 'auto',
        validationFraction: 0.15,
        testFraction: 0.15,
      }),
    ).toThrow('no station has pm25 observations in the database; import air-quality data for that period first');
  });

  it('names the period in KST', () => {
    expect(() =>
      buildModelWindowSet(temporary.database, {
        spec: { windowHours: 4, horizons: [1], targets: ['pm25'], featureNames: ['pm25'], maxGapHours: 0 },
        featureScaler: identity(1),
        targetScaler: identity(1),
        from: startAt + 4 * HOUR,
        to: startAt + 10 * HOUR,
      }),
    ).toThrow(/no station has pm25 observations from 2025-05-01 01:00 KST to 2025-05-01 10:00 KST/);
  });

  it('rejects descending horizons', () => {
    expect(() =>
      buildModelWindowSet(temporary.database, {
        spec: { windowHours: 4, horizons: [3, 1], targets: ['pm25'], featureNames: ['pm25'], maxGapHours: 0 },
        featureScaler: identity(1),
        targetScaler: identity(1),
        from: startAt,
        to: startAt + 10 * HOUR,
      }),
    ).toThrow(/horizons 3,1 must be distinct and ascending/);
  });
});
