import type Database from 'better-sqlite3';
import type { DustcastDatabase } from '../db/database.js';
import { nowSeconds } from '../time/kst.js';

/** One forecast value row; pm25 or pm10 is null when the model has no such target. */
export interface ForecastRow {
  stationId: number;
  issuedAt: number;
  targetAt: number;
  horizonHours: number;
  pm25: number | null;
  pm10: number | null;
  modelVersion: string;
}

/**
 * Writes forecast rows in one transaction. Each (station, issued hour) present in `rows` first
 * loses all its stored rows, so a re-run for the same hour replaces the forecast, including
 * horizons the new model no longer predicts. On any error nothing is changed.
 */
export function writeForecasts(database: DustcastDatabase, rows: readonly ForecastRow[], createdAt = nowSeconds()): { deleted: number; inserted: number } {
  const sqlite: Database.Database = database.sqlite;
  const remove = sqlite.prepare('DELETE FROM forecasts WHERE station_id = ? AND issued_at = ?');
  const insert = sqlite.prepare(
    `INSERT INTO forecasts (station_id, issued_at, target_at, horizon_hours, pm25, pm10, model_version, created_at)
     VALUES (@stationId, @issuedAt, @targetAt, @horizonHours, @pm25, @pm10, @modelVersion, @createdAt)`,
  );
  return sqlite.transaction(() => {
    let deleted = 0;
    const cleared = new Set<string>();
    for (const row of rows) {
      const key = `${row.stationId}:${row.issuedAt}`;
      if (cleared.has(key)) continue;
      cleared.add(key);
      deleted += remove.run(row.stationId, row.issuedAt).changes;
    }
    for (const row of rows) insert.run({ ...row, createdAt });
    return { deleted, inserted: rows.length };
  })();
}
