import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJob, type JobContext } from '../jobs/definition.js';
import { evaluatePromoteJob } from '../jobs/evaluate-promote.js';
import { forecastJob } from '../jobs/forecast.js';
import { trainJob } from '../jobs/train.js';
import { parseSettings } from '../src/config/settings.js';
import { evaluateStoredModel } from '../src/evaluation/evaluate-stored-model.js';
import { forecastModelFromLoaded } from '../src/forecast/loaded-model.js';
import { createSilentLogger } from '../src/logging/logger.js';
import { disposeModel } from '../src/model/gru.js';
import { loadChampion } from '../src/registry/load.js';
import { parseAirKoreaDataTime } from '../src/sources/values.js';
import { importSeoulRealtime, seoulRealtimeAvailable } from './windows-support/seoul-realtime.js';
import { createTemporaryDatabase, type TemporaryDatabase } from './windows-support/temporary-database.js';

describe.skipIf(!seoulRealtimeAvailable)('forecast with the champion', () => {
  let temporary: TemporaryDatabase;
  let context: JobContext;
  let version: string;

  beforeAll(async () => {
    temporary = createTemporaryDatabase();
    importSeoulRealtime(temporary.database, { stationNames: ['강남구', '서초구', '송파구'], fromDataTime: '2025-06-01 01:00', toDataTime: '2025-06-21 24:00' });
    context = {
      database: temporary.database,
      settings: parseSettings({
        DUSTCAST_TF_BACKEND: 'cpu',
        DUSTCAST_MODEL_DIRECTORY: join(temporary.directory, 'models'),
        DUSTCAST_WINDOW_HOURS: '12',
        DUSTCAST_HORIZONS: '1,3,6',
        DUSTCAST_GRU_LAYERS: '1',
        DUSTCAST_GRU_UNITS: '4',
        DUSTCAST_EPOCHS: '1',
        DUSTCAST_BATCH_SIZE: '256',
      }),
      logger: createSilentLogger(),
      reportProgress: () => {},
      signal: new AbortController().signal,
    };
    const trained = await runJob(trainJob, {}, context);
    version = trained.version;
    await runJob(evaluatePromoteJob, { version }, context);
  });

  afterAll(() => temporary?.remove());

  it('writes rows for every station and horizon', async () => {
    const summary = await runJob(forecastJob, {}, context);
    expect(summary.modelVersion).toBe(version);
    expect(summary.stations).toBe(3);
    expect(summary.rowsWritten).toBe(9);
    const rows = temporary.database.sqlite.prepare('SELECT * FROM latest_forecasts ORDER BY station_id, horizon_hours').all() as Record<string, unknown>[];
    expect(rows.length).toBe(9);
    expect(rows.every((row) => row.model_version === version && typeof row.pm25 === 'number' && typeof row.pm10 === 'number')).toBe(true);
  });

  it('replaces the same issued hour on a re-run', async () => {
    await runJob(forecastJob, {}, context);
    const again = await runJob(forecastJob, {}, context);
    expect(again.rowsReplaced).toBe(9);
    expect(temporary.database.sqlite.prepare('SELECT COUNT(*) AS count FROM forecasts').get()).toEqual({ count: 9 });
  });

  it('fills the skill view from past issues', async () => {
    for (const asOf of ['2025-06-18 06:00', '2025-06-18 12:00', '2025-06-19 00:00']) {
      await runJob(forecastJob, { asOf }, context);
    }
    const skill = temporary.database.sqlite.prepare('SELECT * FROM forecast_skill ORDER BY horizon_hours').all() as Record<string, number>[];
    expect(skill.map((row) => row.horizon_hours)).toEqual([1, 3, 6]);
    expect(skill.every((row) => row.scored_pm25 > 0 && row.rmse_pm25 >= 0)).toBe(true);
  });

  it('forecasts only the training stations by default', async () => {
    const added = importSeoulRealtime(temporary.database, { stationNames: ['중구'], fromDataTime: '2025-06-01 01:00', toDataTime: '2025-06-21 24:00' });
    const summary = await runJob(forecastJob, {}, context);
    expect(summary.stations).toBe(3);
    expect(Object.keys(summary.issuedAt)).not.toContain(String(added.get('중구')));
    const all = await runJob(forecastJob, { stationIds: [...added.values(), ...Object.keys(summary.issuedAt).map(Number)] }, context);
    expect(all.stations).toBe(4);
    temporary.database.sqlite.prepare('DELETE FROM stations WHERE id = ?').run(added.get('중구'));
  });

  it('scores the champion on a stored period', async () => {
    const loaded = await loadChampion(temporary.database, context.settings);
    try {
      const report = evaluateStoredModel(temporary.database, forecastModelFromLoaded(loaded), loaded.manifest.climatology, {
        from: parseAirKoreaDataTime('2025-06-15 01:00'),
        to: parseAirKoreaDataTime('2025-06-21 24:00'),
      });
      expect(report.sampleCount).toBeGreaterThan(100);
      expect(report.rows.map((row) => row.horizonHours)).toEqual([1, 1, 3, 3, 6, 6]);
      expect(report.meanPm25Rmse).toBeGreaterThan(0);
    } finally {
      disposeModel(loaded.model);
    }
  });
});
