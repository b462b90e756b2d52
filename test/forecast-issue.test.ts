import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { issueForecasts } from '../src/forecast/issue-forecasts.js';
import type { ForecastModel } from '../src/forecast/forecast-model.js';
import { predict } from '../src/model/predict.js';
import { tf, type LayersModel } from '../src/model/tf.js';
import { parseAirKoreaDataTime } from '../src/sources/values.js';
import { buildTrainingWindowSet } from '../src/windows/build-window-set.js';
import { outputCount, type WindowSet } from '../src/windows/window-set.js';
import { importSeoulRealtime, seoulRealtimeAvailable } from './windows-support/seoul-realtime.js';
import { createTemporaryDatabase, type TemporaryDatabase } from './windows-support/temporary-database.js';

const HOUR = 3600;

/** Builds a real tfjs model whose output is `bias` (in normalised units) whatever the input. */
function constantModel(set: WindowSet, bias: number): LayersModel {
  const outputs = outputCount(set.spec);
  const model = tf.sequential({
    layers: [
      tf.layers.flatten({ inputShape: [set.spec.windowHours, set.featureCount], name: 'flatten' }),
      tf.layers.dense({ units: outputs, kernelInitializer: 'zeros', biasInitializer: tf.initializers.constant({ value: bias }), name: 'output' }),
    ],
  });
  return model;
}

function asForecastModel(version: string, set: WindowSet, model: LayersModel): ForecastModel {
  return {
    version,
    spec: set.spec,
    featureScaler: set.featureScaler,
    targetScaler: set.targetScaler,
    predict: (windowSet, rows) => predict(model, windowSet, rows),
  };
}

function insertModelRow(temporary: TemporaryDatabase, version: string): void {
  temporary.database.sqlite
    .prepare(
      `INSERT INTO models (version, created_at, status, artifact_path, features, horizons, targets, station_ids,
         train_from, train_to, test_from, test_to, metrics, score, backend, weights_sha256)
       VALUES (?, 0, 'candidate', '/nonexistent', '[]', '[]', '[]', '[]', 0, 0, 0, 0, '{}', 0, 'cpu', ?)`,
    )
    .run(version, '0'.repeat(64));
}

describe.skipIf(!seoulRealtimeAvailable)('forecast issuing', () => {
  let temporary: TemporaryDatabase;
  let set: WindowSet;
  let ids: Map<string, number>;
  const models: LayersModel[] = [];

  beforeAll(async () => {
    await tf.setBackend('cpu');
    temporary = createTemporaryDatabase();
    ids = importSeoulRealtime(temporary.database, { stationNames: ['강남구', '서초구', '종로구'], fromDataTime: '2025-06-01 01:00', toDataTime: '2025-06-15 24:00' });
    set = buildTrainingWindowSet(temporary.database, {
      windowHours: 12,
      horizons: [1, 6, 24],
      targets: ['pm25', 'pm10'],
      maxGapHours: 2,
      features: [],
      neighbourFeatures: 'auto',
      validationFraction: 0.2,
      testFraction: 0.2,
    });
    insertModelRow(temporary, 'v1');
    insertModelRow(temporary, 'v2');
  });

  beforeEach(() => {
    temporary.database.sqlite.prepare('DELETE FROM forecasts').run();
  });

  afterAll(() => {
    for (const model of models) model.dispose();
    temporary?.remove();
  });

  function model(version: string, bias: number): ForecastModel {
    const layers = constantModel(set, bias);
    models.push(layers);
    return asForecastModel(version, set, layers);
  }

  it('writes one row per station and horizon', () => {
    const summary = issueForecasts(temporary.database, model('v1', 0));
    expect(summary.stations).toBe(3);
    expect(summary.rowsWritten).toBe(9);
    const rows = temporary.database.sqlite.prepare('SELECT * FROM forecasts ORDER BY station_id, horizon_hours').all() as Record<string, number>[];
    expect(rows.length).toBe(9);
    for (const row of rows) expect(row.target_at - row.issued_at).toBe(row.horizon_hours * HOUR);
    // A zero output in normalised units is the training mean in µg/m³.
    expect(rows[0].pm25).toBeCloseTo(set.targetScaler.means[0], 3);
    expect(rows[0].pm10).toBeCloseTo(set.targetScaler.means[1], 3);
  });

  it('issues at the newest complete hour', () => {
    // Interpolation cannot fill the last hour, so the newest hour with every feature is the last input hour.
    const summary = issueForecasts(temporary.database, model('v1', 0));
    const lastHour = parseAirKoreaDataTime('2025-06-15 24:00');
    const newest = temporary.database.sqlite
      .prepare(
        `SELECT station_id AS stationId, MAX(observed_at) AS latest FROM air_observations
         WHERE pm25 IS NOT NULL AND pm10 IS NOT NULL AND o3 IS NOT NULL AND no2 IS NOT NULL AND co IS NOT NULL AND so2 IS NOT NULL
         GROUP BY station_id`,
      )
      .all() as { stationId: number; latest: number }[];
    expect(newest.length).toBe(3);
    for (const { stationId, latest } of newest) expect(summary.issuedAt[String(stationId)]).toBe(latest);
    expect(summary.asOf).toBe(lastHour);
    expect(summary.issuedAt[String(ids.get('강남구'))]).toBeLessThanOrEqual(lastHour);
  });

  it('replaces rows on a re-run', () => {
    issueForecasts(temporary.database, model('v1', 0));
    const second = issueForecasts(temporary.database, model('v2', 1));
    expect(second.rowsReplaced).toBe(9);
    const rows = temporary.database.sqlite.prepare('SELECT model_version AS version, pm25 FROM forecasts').all() as { version: string; pm25: number }[];
    expect(rows.length).toBe(9);
    expect(new Set(rows.map((row) => row.version))).toEqual(new Set(['v2']));
    expect(rows[0].pm25).toBeCloseTo(set.targetScaler.means[0] + set.targetScaler.stds[0], 3);
  });

  it('keeps stored rows when the write fails', () => {
    issueForecasts(temporary.database, model('v1', 0));
    // 'v9' has no models row, so the foreign key fails the insert after the deletes ran.
    expect(() => issueForecasts(temporary.database, model('v9', 1))).toThrow(/FOREIGN KEY/);
    const versions = temporary.database.sqlite.prepare('SELECT DISTINCT model_version AS version FROM forecasts').all();
    expect(versions).toEqual([{ version: 'v1' }]);
    expect(temporary.database.sqlite.prepare('SELECT COUNT(*) AS count FROM forecasts').get()).toEqual({ count: 9 });
  });

  it('forecasts as of an earlier hour', () => {
    const asOf = parseAirKoreaDataTime('2025-06-10 12:00');
    const summary = issueForecasts(temporary.database, model('v1', 0), { asOf });
    for (const issued of Object.values(summary.issuedAt)) expect(issued).toBeLessThanOrEqual(asOf);
    expect(summary.stations).toBe(3);
  });

  it('leaves PM10 null for a PM2.5-only model', () => {
    const pm25Only = buildTrainingWindowSet(temporary.database, {
      windowHours: 12,
      horizons: [1, 6],
      targets: ['pm25'],
      maxGapHours: 2,
      features: [],
      neighbourFeatures: 'auto',
      validationFraction: 0.2,
      testFraction: 0.2,
    });
    const layers = constantModel(pm25Only, 0);
    models.push(layers);
    const summary = issueForecasts(temporary.database, asForecastModel('v1', pm25Only, layers));
    expect(summary.rowsWritten).toBe(6);
    const rows = temporary.database.sqlite.prepare('SELECT pm25, pm10 FROM forecasts').all() as { pm25: number; pm10: number | null }[];
    expect(rows.every((row) => row.pm10 === null)).toBe(true);
    expect(rows[0].pm25).toBeCloseTo(pm25Only.targetScaler.means[0], 3);
  });

  it('rejects a period without complete windows', () => {
    const asOf = parseAirKoreaDataTime('2025-01-01 12:00');
    expect(() => issueForecasts(temporary.database, model('v1', 0), { asOf })).toThrow(/no station has pm25 and pm10 observations/);
  });
});
