import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ObservationWriter } from '../src/db/observation-writer.js';
import { emptyAirRecord, emptyWeatherRecord } from '../src/sources/records.js';
import { createTemporaryDatabase, type TemporaryDatabase } from './helpers/temporary-database.js';

describe('ObservationWriter', () => {
  let temporary: TemporaryDatabase;
  let writer: ObservationWriter;

  beforeEach(() => {
    temporary = createTemporaryDatabase();
    writer = new ObservationWriter(temporary.database);
  });

  afterEach(() => temporary.remove());

  const hour = Date.UTC(2025, 10, 1, 0) / 1000;

  function airRecord(stationId: number, pm25: number | null, flag: string | null = null) {
    const record = emptyAirRecord(stationId, hour, 'test-source');
    record.pm25 = pm25;
    record.pm25Flag = flag;
    record.pm10 = 40;
    return record;
  }

  it('inserts then reports unchanged', () => {
    const stationId = writer.ensureStation({ provider: 'airkorea', providerCode: '중구', name: '중구' });
    expect(writer.writeAir([airRecord(stationId, 12)], 100)).toEqual({ inserted: 1, updated: 0, unchanged: 0 });
    expect(writer.writeAir([airRecord(stationId, 12)], 200)).toEqual({ inserted: 0, updated: 0, unchanged: 1 });
    const row = temporary.database.sqlite.prepare('SELECT pm25, revision_count, first_ingested_at, last_ingested_at FROM air_observations').get();
    expect(row).toEqual({ pm25: 12, revision_count: 0, first_ingested_at: 100, last_ingested_at: 100 });
  });

  it('counts a changed value as revision', () => {
    const stationId = writer.ensureStation({ provider: 'airkorea', providerCode: '중구', name: '중구' });
    writer.writeAir([airRecord(stationId, 12)], 100);
    expect(writer.writeAir([airRecord(stationId, 13)], 200)).toEqual({ inserted: 0, updated: 1, unchanged: 0 });
    const row = temporary.database.sqlite.prepare('SELECT pm25, revision_count, first_ingested_at, last_ingested_at FROM air_observations').get();
    expect(row).toEqual({ pm25: 13, revision_count: 1, first_ingested_at: 100, last_ingested_at: 200 });
  });

  it('treats null to value as revision', () => {
    const stationId = writer.ensureStation({ provider: 'airkorea', providerCode: '중구', name: '중구' });
    writer.writeAir([airRecord(stationId, null, '통신장애')], 100);
    expect(writer.writeAir([airRecord(stationId, 9)], 200)).toEqual({ inserted: 0, updated: 1, unchanged: 0 });
    expect(writer.writeAir([airRecord(stationId, 9)], 300)).toEqual({ inserted: 0, updated: 0, unchanged: 1 });
    const row = temporary.database.sqlite.prepare('SELECT pm25, pm25_flag, revision_count FROM air_observations').get();
    expect(row).toEqual({ pm25: 9, pm25_flag: null, revision_count: 1 });
  });

  it('keeps sources apart for one hour', () => {
    const stationId = writer.ensureStation({ provider: 'airkorea', providerCode: '중구', name: '중구' });
    writer.writeAir([airRecord(stationId, 12)]);
    const other = { ...airRecord(stationId, 12), source: 'other-source' };
    expect(writer.writeAir([other])).toEqual({ inserted: 1, updated: 0, unchanged: 0 });
    const count = temporary.database.sqlite.prepare('SELECT COUNT(*) AS count FROM air_observations').get() as { count: number };
    expect(count.count).toBe(2);
  });

  it('writes every weather column', () => {
    const stationId = writer.ensureStation({ provider: 'kma', providerCode: '108', name: '서울', kind: 'asos' });
    const record = emptyWeatherRecord(stationId, hour, 'kma-asos-file');
    record.temperature = -3.2;
    record.precipitation = 0;
    record.windSpeed = 0.5;
    record.windDirection = 110;
    record.groundTemperature = -2.2;
    record.precipitationQc = 9;
    expect(writer.writeWeather([record])).toEqual({ inserted: 1, updated: 0, unchanged: 0 });
    const row = temporary.database.sqlite
      .prepare('SELECT temperature, precipitation, wind_speed, wind_direction, ground_temperature, precipitation_qc, humidity FROM weather_observations')
      .get();
    expect(row).toEqual({
      temperature: -3.2,
      precipitation: 0,
      wind_speed: 0.5,
      wind_direction: 110,
      ground_temperature: -2.2,
      precipitation_qc: 9,
      humidity: null,
    });
  });

  it('fills station details without erasing them', () => {
    const first = writer.ensureStation({ provider: 'airkorea', providerCode: '강남구', name: '강남구', latitude: 37.5175623, longitude: 127.0472893 });
    const second = writer.ensureStation({ provider: 'airkorea', providerCode: '강남구', name: '강남구' });
    expect(second).toBe(first);
    const row = temporary.database.sqlite.prepare('SELECT latitude, longitude FROM stations WHERE id = ?').get(first);
    expect(row).toEqual({ latitude: 37.5175623, longitude: 127.0472893 });
  });

  it('counts outcomes across batches', () => {
    const stationId = writer.ensureStation({ provider: 'airkorea', providerCode: '중구', name: '중구' });
    const records = Array.from({ length: 600 }, (_, index) => {
      const record = emptyAirRecord(stationId, hour + index * 3600, 'test-source');
      record.pm25 = index;
      return record;
    });
    expect(writer.transaction(() => writer.writeAir(records))).toEqual({ inserted: 600, updated: 0, unchanged: 0 });
    // Change one row in the 512-row chunk and two among the last 88, which go one by one.
    for (const index of [3, 300, 590]) records[index] = { ...records[index], pm25: -1 };
    expect(writer.transaction(() => writer.writeAir(records))).toEqual({ inserted: 0, updated: 3, unchanged: 597 });
    const revised = temporary.database.sqlite.prepare('SELECT COUNT(*) FROM air_observations WHERE revision_count = 1 AND pm25 = -1').pluck().get();
    expect(revised).toBe(3);
  });

  it('inserts a new chunk and skips an unchanged one', () => {
    const stationId = writer.ensureStation({ provider: 'airkorea', providerCode: '중구', name: '중구' });
    const records = Array.from({ length: 1024 }, (_, index) => {
      const record = emptyAirRecord(stationId, hour + index * 3600, 'test-source');
      record.pm10 = index % 7 === 0 ? null : index;
      record.pm25Flag = index % 11 === 0 ? '통신장애' : null;
      return record;
    });
    expect(writer.transaction(() => writer.writeAir(records, 100))).toEqual({ inserted: 1024, updated: 0, unchanged: 0 });
    expect(writer.transaction(() => writer.writeAir(records, 200))).toEqual({ inserted: 0, updated: 0, unchanged: 1024 });
    const summary = temporary.database.sqlite
      .prepare('SELECT COUNT(*) AS rows, MAX(revision_count) AS revisions, MIN(last_ingested_at) AS first, MAX(last_ingested_at) AS last FROM air_observations')
      .get();
    expect(summary).toEqual({ rows: 1024, revisions: 0, first: 100, last: 100 });
  });

  it('upserts a chunk that mixes new and stored rows', () => {
    const stationId = writer.ensureStation({ provider: 'airkorea', providerCode: '중구', name: '중구' });
    const records = Array.from({ length: 512 }, (_, index) => {
      const record = emptyAirRecord(stationId, hour + index * 3600, 'test-source');
      record.pm25 = index;
      return record;
    });
    writer.transaction(() => writer.writeAir(records.slice(0, 300), 100));
    // Every key stored but one value changed: the chunk is neither all new nor all unchanged.
    const revised = records.map((record, index) => (index === 7 ? { ...record, pm25: -1 } : record));
    expect(writer.transaction(() => writer.writeAir(revised, 200))).toEqual({ inserted: 212, updated: 1, unchanged: 299 });
    expect(writer.transaction(() => writer.writeAir(revised, 300))).toEqual({ inserted: 0, updated: 0, unchanged: 512 });
    const row = temporary.database.sqlite.prepare('SELECT pm25, revision_count, last_ingested_at FROM air_observations WHERE observed_at = ?').get(hour + 7 * 3600);
    expect(row).toEqual({ pm25: -1, revision_count: 1, last_ingested_at: 200 });
  });

  it('writes and compares weather chunks', () => {
    const stationId = writer.ensureStation({ provider: 'kma', providerCode: '108', name: '서울' });
    const records = Array.from({ length: 512 }, (_, index) => {
      const record = emptyWeatherRecord(stationId, hour + index * 3600, 'test-source');
      record.temperature = index / 10;
      return record;
    });
    expect(writer.transaction(() => writer.writeWeather(records, 100))).toEqual({ inserted: 512, updated: 0, unchanged: 0 });
    expect(writer.transaction(() => writer.writeWeather(records, 200))).toEqual({ inserted: 0, updated: 0, unchanged: 512 });
    records[511] = { ...records[511], temperature: 99 };
    expect(writer.transaction(() => writer.writeWeather(records, 300))).toEqual({ inserted: 0, updated: 1, unchanged: 511 });
  });

  it('splits repeated keys out of a chunk', () => {
    const stationId = writer.ensureStation({ provider: 'airkorea', providerCode: '중구', name: '중구' });
    const records = Array.from({ length: 100 }, (_, index) => {
      const record = emptyAirRecord(stationId, hour + (index % 80) * 3600, index < 90 ? 'test-source' : 'other-source');
      record.pm25 = index;
      return record;
    });
    // Rows 80..89 repeat hours 0..9 of test-source with new values; rows 90..99 are another source.
    expect(writer.transaction(() => writer.writeAir(records))).toEqual({ inserted: 90, updated: 10, unchanged: 0 });
    const first = temporary.database.sqlite.prepare("SELECT pm25, revision_count FROM air_observations WHERE source = 'test-source' AND observed_at = ?").get(hour);
    expect(first).toEqual({ pm25: 80, revision_count: 1 });
  });

  it('raises the page cache during transactions', () => {
    const sqlite = temporary.database.sqlite;
    const before = sqlite.pragma('cache_size', { simple: true });
    expect(writer.transaction(() => sqlite.pragma('cache_size', { simple: true }))).toBe(-65536);
    expect(sqlite.pragma('cache_size', { simple: true })).toBe(before);
    const failing = () =>
      writer.transaction(() => {
        throw new Error('bad row');
      });
    expect(failing).toThrow('bad row');
    expect(sqlite.pragma('cache_size', { simple: true })).toBe(before);
  });

  it('rolls back a failed transaction', () => {
    const stationId = writer.ensureStation({ provider: 'airkorea', providerCode: '중구', name: '중구' });
    expect(() =>
      writer.transaction(() => {
        writer.writeAir([airRecord(stationId, 12)]);
        throw new Error('bad row');
      }),
    ).toThrow('bad row');
    const count = temporary.database.sqlite.prepare('SELECT COUNT(*) AS count FROM air_observations').get() as { count: number };
    expect(count.count).toBe(0);
  });
});
