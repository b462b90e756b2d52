import { describe, expect, it } from 'vitest';
import { climatologyValue, fitHourOfDayClimatology, type HourOfDayClimatology } from '../src/evaluation/climatology.js';
import { pm25GradeIndex } from '../src/evaluation/grade.js';
import { evaluatePredictions } from '../src/evaluation/report.js';
import { formatEvaluationTable } from '../src/evaluation/table.js';
import { kstToEpochSeconds } from '../src/time/kst.js';
import type { WindowSet } from '../src/windows/window-set.js';

const startAt = kstToEpochSeconds(2025, 1, 1, 0);
const HOUR = 3600;

/** Builds one station's rows 0..7 at KST hours 0..7; row 2 was interpolated, so its target is NaN. */
function handWindowSet(): WindowSet {
  const observed = [10, 14, Number.NaN, 20, 16, 36, 35, 80];
  return {
    spec: { windowHours: 2, horizons: [1, 2], targets: ['pm25'], featureNames: ['pm25'], maxGapHours: 2 },
    featureCount: 1,
    rowCount: observed.length,
    features: new Float32Array(observed.length),
    targetValues: Float32Array.from(observed),
    blocks: [{ stationId: 1, startAt, hours: observed.length, firstRow: 0 }],
    samples: { train: Int32Array.from([1]), validation: new Int32Array(0), test: Int32Array.from([2, 3, 4, 5]) },
    ranges: { train: { from: startAt + HOUR, to: startAt + HOUR }, validation: { from: 0, to: -1 }, test: { from: startAt + 2 * HOUR, to: startAt + 5 * HOUR } },
    featureScaler: { means: new Float32Array(1), stds: new Float32Array([1]) },
    targetScaler: { means: new Float32Array(1), stds: new Float32Array([1]) },
    stationIds: [1],
  };
}

function handClimatology(): HourOfDayClimatology {
  const station: (number | null)[] = new Array(24).fill(null);
  station[3] = 18;
  station[4] = 15;
  station[6] = 40;
  station[7] = 70;
  const overall: (number | null)[] = new Array(24).fill(25);
  overall[5] = 30;
  return { format: 1, targets: ['pm25'], stations: { '1': [station] }, overall: [overall] };
}

// Samples issued at rows 2, 3, 4, 5; outputs are [h1, h2] per sample.
const predictions = Float32Array.from([21, 15.4, 15.5, 35.6, 35.4, 36, 30, 76]);

describe('evaluation report', () => {
  const set = handWindowSet();
  const report = evaluatePredictions({ predictions, windowSet: set, sampleRows: set.samples.test, climatology: handClimatology() });
  const [first, second] = report.rows;

  it('scores the model per horizon', () => {
    expect(first.horizonHours).toBe(1);
    expect(first.sampleCount).toBe(4);
    expect(first.model.rmse).toBeCloseTo(Math.sqrt((1 + 0.25 + 0.36 + 25) / 4), 5);
    expect(first.model.mae).toBeCloseTo((1 + 0.5 + 0.6 + 5) / 4, 5);
    expect(second.model.rmse).toBeCloseTo(Math.sqrt((0.36 + 0.16 + 1 + 16) / 4), 5);
  });

  it('carries the last observed value for persistence', () => {
    // Row 2 was interpolated, so its sample carries row 1's 14 forward.
    expect(first.persistence.rmse).toBeCloseTo(Math.sqrt((36 + 16 + 400 + 1) / 4), 5);
    expect(first.persistence.mae).toBeCloseTo(31 / 4, 5);
    expect(second.persistence.rmse).toBeCloseTo(Math.sqrt((4 + 256 + 361 + 1936) / 4), 5);
  });

  it('falls back to the all-station hour mean', () => {
    // KST hours 3, 4, 5, 6: the station has no hour-5 mean, so the overall 30 is used.
    expect(first.climatology.rmse).toBeCloseTo(Math.sqrt((4 + 1 + 36 + 25) / 4), 5);
    expect(first.climatology.mae).toBeCloseTo(14 / 4, 5);
  });

  it('computes skill against both baselines', () => {
    expect(first.skillVsPersistence).toBeCloseTo(1 - first.model.rmse! / first.persistence.rmse!, 10);
    expect(first.skillVsClimatology).toBeCloseTo(1 - first.model.rmse! / first.climatology.rmse!, 10);
    expect(first.skillVsPersistence!).toBeGreaterThan(0.7);
  });

  it('grades on rounded values', () => {
    // h1: 15.5 rounds to 16 (보통, hit) and 35.4 to 35 (보통 against 36 나쁨, miss).
    expect(first.gradeAccuracy!.model).toBeCloseTo(3 / 4, 10);
    // h2: 15.4 rounds to 15 (좋음 against 16 보통, miss) and 36 against 35 misses too.
    expect(second.gradeAccuracy!.model).toBeCloseTo(2 / 4, 10);
    // Persistence carries 14, 20, 16, 36 against 20, 16, 36, 35: only 20 against 16 shares a grade.
    expect(first.gradeAccuracy!.persistence).toBeCloseTo(1 / 4, 10);
  });

  it('reports the mean PM2.5 RMSE', () => {
    expect(report.meanPm25Rmse).toBeCloseTo((first.model.rmse! + second.model.rmse!) / 2, 10);
    expect(report.period).toEqual({ from: startAt + 2 * HOUR, to: startAt + 5 * HOUR });
  });

  it('survives a JSON round trip', () => {
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  it('formats a table row per horizon', () => {
    const table = formatEvaluationTable(report);
    const lines = table.split('\n');
    expect(lines.length).toBe(8);
    expect(lines[3]).toMatch(/^pm25\s+1\s+4\s+2\.58\s+1\.77\s+10\.64/);
    expect(lines[5]).toContain('mean PM2.5 RMSE over horizons: 2.34');
    expect(lines[6]).toContain('pers = persistence');
    expect(table).not.toContain('warning:');
  });

  it('warns where a baseline is better', () => {
    const worse = structuredClone(report);
    worse.rows[1].model.rmse = (worse.rows[1].persistence.rmse ?? 0) + 1;
    const lines = formatEvaluationTable(worse).split('\n');
    expect(lines.at(-1)).toBe(`warning: pm25 forecasts are no better than the better baseline at ${worse.rows[1].horizonHours} h`);
  });

  it('rejects predictions of the wrong shape', () => {
    expect(() => evaluatePredictions({ predictions: new Float32Array(3), windowSet: set, sampleRows: set.samples.test, climatology: handClimatology() })).toThrow(
      /predictions have 3 values but 4 samples x 2 outputs need 8/,
    );
  });
});

describe('PM2.5 grade', () => {
  const cases: [number, number][] = [
    [-3, 0], [0, 0], [15, 0], [15.4, 0], [15.5, 1], [16, 1], [35, 1], [35.49, 1],
    [35.5, 2], [36, 2], [75, 2], [75.5, 3], [76, 3], [700, 3],
  ];
  for (const [value, grade] of cases) {
    it(`grades ${value} as ${grade}`, () => expect(pm25GradeIndex(value)).toBe(grade));
  }
});

describe('hour-of-day climatology fit', () => {
  it('averages training targets per station and hour', () => {
    const set = handWindowSet();
    set.blocks = [
      { stationId: 1, startAt, hours: 4, firstRow: 0 },
      { stationId: 2, startAt: startAt + 24 * HOUR, hours: 4, firstRow: 4 },
    ];
    // Training samples at rows 0 and 4: targets rows 1, 2 (station 1) and 5, 6 (station 2).
    const climatology = fitHourOfDayClimatology(set, Int32Array.from([0, 4]));
    expect(climatology.stations['1'][0][1]).toBe(14);
    expect(climatology.stations['1'][0][2]).toBeNull();
    expect(climatology.stations['2'][0][1]).toBe(36);
    expect(climatology.stations['2'][0][2]).toBe(35);
    expect(climatology.overall[0][1]).toBe(25);
    expect(climatology.overall[0][2]).toBe(35);
    expect(climatology.overall[0][0]).toBeNull();
    expect(climatologyValue(climatology, 1, 'pm25', startAt + 2 * HOUR)).toBe(35);
    expect(climatologyValue(climatology, 9, 'pm25', startAt + HOUR)).toBe(25);
  });
});
