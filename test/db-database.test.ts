import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/database.js';
import { createTemporaryDatabase, type TemporaryDatabase } from './helpers/temporary-database.js';

describe('openDatabase', () => {
  let temporary: TemporaryDatabase | undefined;

  afterEach(() => temporary?.remove());

  it('enables WAL, foreign keys and timeout', () => {
    temporary = createTemporaryDatabase();
    const sqlite = temporary.database.sqlite;
    expect(sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(sqlite.pragma('busy_timeout', { simple: true })).toBe(5000);
  });

  it('sets 16 KiB pages on new files only', () => {
    temporary = createTemporaryDatabase();
    expect(temporary.database.sqlite.pragma('page_size', { simple: true })).toBe(16384);
    // A database made before this setting, with SQLite's default 4 KiB pages and one row in it.
    const olderPath = join(temporary.folder, 'older.sqlite');
    const older = new Database(olderPath);
    older.exec('CREATE TABLE kept (value TEXT); INSERT INTO kept VALUES (\'row\')');
    expect(older.pragma('page_size', { simple: true })).toBe(4096);
    older.close();
    const reopened = openDatabase(olderPath);
    try {
      expect(reopened.sqlite.pragma('page_size', { simple: true })).toBe(4096);
      expect(reopened.sqlite.prepare('SELECT value FROM kept').pluck().all()).toEqual(['row']);
    } finally {
      reopened.close();
    }
  });

  it('applies every migration once', () => {
    temporary = createTemporaryDatabase();
    const tables = temporary.database.sqlite
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .pluck()
      .all() as string[];
    for (const table of ['stations', 'air_observations', 'weather_observations', 'ingest_runs', 'models', 'forecasts']) {
      expect(tables).toContain(table);
    }
    const path = temporary.database.path;
    temporary.database.close();
    // Reopening applies nothing new and keeps the schema usable.
    const reopened = openDatabase(path);
    const applied = reopened.sqlite.prepare('SELECT COUNT(*) FROM __drizzle_migrations').pluck().get() as number;
    expect(applied).toBeGreaterThan(0);
    reopened.close();
    temporary.database = openDatabase(path);
  });

  it('rejects observations for unknown stations', () => {
    temporary = createTemporaryDatabase();
    const insert = temporary.database.sqlite.prepare(
      "INSERT INTO air_observations (station_id, observed_at, source, first_ingested_at, last_ingested_at) VALUES (999, 0, 's', 0, 0)",
    );
    expect(() => insert.run()).toThrow(/FOREIGN KEY/);
  });
});
