import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ObservationWriter } from '../src/db/observation-writer.js';
import { writeForecasts, type ForecastRow } from '../src/forecast/forecast-writer.js';
import { emptyAirRecord } from '../src/sources/records.js';
import { kstToEpochSeconds } from '../src/time/kst.js';
import { createTemporaryDatabase, type TemporaryDatabase } from './windows-support/temporary-database.js';

const HOUR = 3600;
const startAt = kstToEpochSeconds(2025, 3, 10, 0);
const at = (hour: number) => startAt + hour * HOUR;

describe('forecast views', () => {
  let temporary: TemporaryDatabase;
  let stationA: number;
  let stationB: number;

  beforeAll(() => {
    temporary = createTemporaryDatabase();
    const writer = new ObservationWriter(temporary.database);
    writer.transaction(() => {
      stationA = writer.ensureStation({ provider: 'airkorea', providerCode: '강남구', name: '강남구' });
      stationB = writer.ensureStation({ provider: 'airkorea', providerCode: '서초구', name: '서초구' });
      const file = [10, 20, 30, 40, 50].map((pm25, hour) => {
        const record = emptyAirRecord(stationA, at(hour), 'airkorea-file');
        record.pm25 = pm25;
        record.pm10 = pm25 * 2;
        return record;
      });
      writer.writeAir(file, 1_000);
      // A later API pull revises hour 2; the views must use it.
      const revision = emptyAirRecord(stationA, at(2), 'airkorea-api');
      revision.pm25 = 33;
      writer.writeAir([revision], 2_000);
      const other = emptyAirRecord(stationB, at(1), 'airkorea-file');
      other.pm25 = 5;
      writer.writeAir([other], 1_000);
    });
    temporary.database.sqlite
      .prepare(
        `INSERT INTO models (version, created_at, status, artifact_path, features, horizons, targets, station_ids,
           train_from, train_to, test_from, test_to, metrics, score, backend, weights_sha256)
         VALUES ('v1', 0, 'champion', '/nonexistent', '[]', '[1,2]', '["pm25","pm10"]', '[]', 0, 0, 0, 0, '{}', 0, 'cpu', ?)`,
      )
      .run('0'.repeat(64));
    const forecast = (stationId: number, issuedHour: number, horizon: number, pm25: number): ForecastRow => ({
      stationId,
      issuedAt: at(issuedHour),
      targetAt: at(issuedHour + horizon),
      horizonHours: horizon,
      pm25,
      pm10: pm25 * 2,
      modelVersion: 'v1',
    });
    writeForecasts(temporary.database, [
      forecast(stationA, 0, 1, 22),
      forecast(stationA, 0, 2, 30),
      forecast(stationA, 1, 1, 35),
      forecast(stationA, 1, 2, 41),
      forecast(stationA, 3, 1, 50),
      forecast(stationA, 3, 2, 60),
      forecast(stationB, 1, 1, 7),
    ]);
  });

  afterAll(() => temporary?.remove());

  it('pairs forecasts with the newest observation', () => {
    const rows = temporary.database.sqlite
      .prepare('SELECT * FROM forecast_vs_observed WHERE station_id = ? ORDER BY issued_at, horizon_hours')
      .all(stationA) as Record<string, number | string | null>[];
    expect(rows.length).toBe(6);
    expect(rows[1]).toMatchObject({ issued_at_kst: '2025-03-10 00:00', target_at_kst: '2025-03-10 02:00', predicted_pm25: 30, observed_pm25: 33, error_pm25: -3 });
    expect(rows[1].persistence_pm25).toBe(10);
    expect(rows[1].observed_pm10).toBe(60);
    expect(rows[1].station_name).toBe('강남구');
    expect(rows[5]).toMatchObject({ target_at_kst: '2025-03-10 05:00', observed_pm25: null, error_pm25: null });
  });

  it('scores each horizon against persistence', () => {
    const rows = temporary.database.sqlite
      .prepare('SELECT * FROM forecast_skill WHERE model_version = ? ORDER BY horizon_hours')
      .all('v1') as Record<string, number | string>[];
    expect(rows.length).toBe(2);
    const [first, second] = rows;
    // Horizon 1 has station A's three issues and station B's one, whose target hour has no observation.
    expect(first.scored_pm25).toBe(3);
    expect(first.rmse_pm25 as number).toBeCloseTo(Math.sqrt(8 / 3), 10);
    expect(first.mae_pm25 as number).toBeCloseTo(4 / 3, 10);
    expect(first.persistence_rmse_pm25 as number).toBeCloseTo(Math.sqrt((100 + 169 + 100) / 3), 10);
    expect(first.skill_vs_persistence_pm25 as number).toBeCloseTo(1 - Math.sqrt(8 / 3) / Math.sqrt(369 / 3), 10);
    expect(second.scored_pm25).toBe(2);
    expect(second.rmse_pm25 as number).toBeCloseTo(Math.sqrt(5), 10);
    expect(second.first_issued_at_kst).toBe('2025-03-10 00:00');
    expect(second.last_issued_at_kst).toBe('2025-03-10 01:00');
  });

  it('lists only the newest issue per station', () => {
    const rows = temporary.database.sqlite
      .prepare('SELECT station_id, issued_at_kst, horizon_hours, pm25 FROM latest_forecasts ORDER BY station_id, horizon_hours')
      .all() as Record<string, number | string>[];
    expect(rows).toEqual([
      { station_id: stationA, issued_at_kst: '2025-03-10 03:00', horizon_hours: 1, pm25: 50 },
      { station_id: stationA, issued_at_kst: '2025-03-10 03:00', horizon_hours: 2, pm25: 60 },
      { station_id: stationB, issued_at_kst: '2025-03-10 01:00', horizon_hours: 1, pm25: 7 },
    ]);
  });
});
