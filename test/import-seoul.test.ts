import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importFile } from '../src/importers/import-file.js';
import { compileTimeFormat } from '../src/importers/mapping-file.js';
import { MappingError, loadMapping, readMappingFile } from '../src/importers/mapping-definition.js';
import { fixturePath } from './helpers/import-fixtures.js';
import { createTemporaryDatabase, type TemporaryDatabase } from './helpers/temporary-database.js';

const kst = (year: number, month: number, day: number, hour: number) => Date.UTC(year, month - 1, day, hour) / 1000 - 9 * 3600;

describe('seoul-openapi import', () => {
  let temporary: TemporaryDatabase;

  beforeEach(() => {
    temporary = createTemporaryDatabase();
  });

  afterEach(() => temporary.remove());

  const gangbukAt = (hour: number) =>
    temporary.database.sqlite
      .prepare(`SELECT a.pm10, a.pm25, a.o3 FROM air_observations a JOIN stations s ON s.id = a.station_id WHERE s.provider_code = '강북구' AND a.observed_at = ?`)
      .get(kst(2009, 1, 1, hour));

  it('treats 0.0 PM as missing', () => {
    const summary = importFile(temporary.database, fixturePath('seoul-openapi-gangbuk-slice.csv'));
    expect(summary.format).toBe('seoul-openapi');
    expect(summary.source).toBe('seoul-api');
    expect(summary.counts).toEqual({ read: 24, inserted: 24, updated: 0, unchanged: 0, duplicate: 0, missing: 0, rejected: 0 });
    expect(gangbukAt(18)).toEqual({ pm10: null, pm25: 25, o3: 0.023 });
    expect(gangbukAt(17)).toEqual({ pm10: 34, pm25: 30, o3: 0.024 });
  });

  it('keeps 0.0 PM on request', () => {
    importFile(temporary.database, fixturePath('seoul-openapi-gangbuk-slice.csv'), { zeroPmIsMissing: false });
    expect(gangbukAt(18)).toEqual({ pm10: 0, pm25: 25, o3: 0.023 });
  });

  it('reads hour 0000 as midnight', () => {
    const summary = importFile(temporary.database, fixturePath('seoul-openapi-gangbuk-slice.csv'));
    expect(summary.rangeStart).toBe(kst(2009, 1, 1, 0));
    expect(summary.rangeEnd).toBe(kst(2009, 1, 1, 23));
  });

  it('skips rows without time or values', () => {
    const path = join(temporary.folder, 'empty-row.csv');
    const lines = readFileSync(fixturePath('seoul-openapi-gangbuk-slice.csv'), 'utf8').split('\n');
    writeFileSync(path, [lines[0], lines[1], ',,강북구,,,,,', ''].join('\n'));
    const summary = importFile(temporary.database, path);
    expect(summary.counts).toEqual({ read: 2, inserted: 1, updated: 0, unchanged: 0, duplicate: 0, missing: 1, rejected: 0 });
  });

  it('reads a JSON response envelope', () => {
    const path = join(temporary.folder, 'response.json');
    const row = { MSRDT: '200901011800', MSRSTE_NM: '강북구', PM10: 0.0, PM25: 25.0, O3: 0.023, NO2: 0.027, CO: 0.5, SO2: 0.006 };
    writeFileSync(path, JSON.stringify({ TimeAverageAirQuality: { list_total_count: 1, row: [row] } }));
    const summary = importFile(temporary.database, path);
    expect(summary.format).toBe('seoul-openapi');
    expect(summary.counts.inserted).toBe(1);
    expect(gangbukAt(18)).toEqual({ pm10: null, pm25: 25, o3: 0.023 });
  });
});

describe('mapped city-wide air import', () => {
  let temporary: TemporaryDatabase;

  beforeEach(() => {
    temporary = createTemporaryDatabase();
  });

  afterEach(() => temporary.remove());

  it('detects the mapping from the header', () => {
    const summary = importFile(temporary.database, fixturePath('seoul-citywide-slice.csv'));
    expect(summary.format).toBe('mapping');
    expect(summary.mapping).toBe('seoul-citywide-air');
    expect(summary.source).toBe('seoul-citywide-file');
    // 2019-12-01 01:00..24:00 appears twice, each hour beside its copy.
    expect(summary.counts).toEqual({ read: 58, inserted: 34, updated: 0, unchanged: 0, duplicate: 24, missing: 0, rejected: 0 });
  });

  it('stores the mislabelled column as NO2', () => {
    importFile(temporary.database, fixturePath('seoul-citywide-slice.csv'));
    const first = temporary.database.sqlite.prepare('SELECT pm25, pm10, o3, no2, co, so2 FROM air_observations WHERE observed_at = ?').get(kst(2018, 1, 1, 1));
    expect(first).toEqual({ pm25: 17, pm10: 31, o3: 0.018, no2: 0.021, co: 0.4, so2: 0.005 });
    const station = temporary.database.sqlite.prepare('SELECT provider, provider_code, kind, weather_station_code FROM stations').get();
    expect(station).toEqual({ provider: 'seoul-citywide', provider_code: 'seoul', kind: 'city-average', weather_station_code: '108' });
  });

  it('moves 24:00 to the next day', () => {
    importFile(temporary.database, fixturePath('seoul-citywide-slice.csv'));
    // 2019-11-30 24:00 is 2019-12-01 00:00 KST; 2019-12-06 24:00 is 2019-12-07 00:00.
    const midnight = temporary.database.sqlite.prepare('SELECT pm25 FROM air_observations WHERE observed_at = ?').pluck();
    expect(midnight.get(kst(2019, 12, 1, 0))).toBe(31);
    expect(midnight.get(kst(2019, 12, 7, 0))).not.toBeUndefined();
    expect(midnight.get(kst(2019, 12, 7, 1))).toBeUndefined();
  });

  it('loads a mapping by path', () => {
    const path = join(temporary.folder, 'custom.json');
    writeFileSync(
      path,
      JSON.stringify({
        name: 'custom-citywide',
        kind: 'air',
        station: { provider: 'custom', code: 'c1', name: 'Custom' },
        time: { column: '일시', format: 'YYYY-MM-DD HH:mm', timeZone: '+09:00' },
        fields: { pm25: { column: '초미세먼지' }, o3: { column: '오존', scale: 1000 } },
      }),
    );
    const summary = importFile(temporary.database, fixturePath('seoul-citywide-slice.csv'), { mapping: path });
    expect(summary.source).toBe('custom-citywide');
    const first = temporary.database.sqlite.prepare('SELECT pm25, o3, pm10 FROM air_observations WHERE observed_at = ?').get(kst(2018, 1, 1, 1));
    expect(first).toEqual({ pm25: 17, o3: 18, pm10: null });
  });
});

describe('mapped bike weather import', () => {
  let temporary: TemporaryDatabase;

  beforeEach(() => {
    temporary = createTemporaryDatabase();
  });

  afterEach(() => temporary.remove());

  it('reads day-first dates and hour column', () => {
    const summary = importFile(temporary.database, fixturePath('seoul-bike-weather-slice.csv'));
    expect(summary.mapping).toBe('seoul-bike-weather');
    expect(summary.counts).toEqual({ read: 24, inserted: 24, updated: 0, unchanged: 0, duplicate: 0, missing: 0, rejected: 0 });
    expect(summary.rangeStart).toBe(kst(2017, 12, 1, 0));
    expect(summary.rangeEnd).toBe(kst(2017, 12, 1, 23));
    const first = temporary.database.sqlite
      .prepare('SELECT temperature, humidity, wind_speed, dew_point, solar_radiation, precipitation, wind_direction FROM weather_observations WHERE observed_at = ?')
      .get(kst(2017, 12, 1, 0));
    expect(first).toEqual({ temperature: -5.2, humidity: 37, wind_speed: 2.2, dew_point: -17.6, solar_radiation: 0, precipitation: 0, wind_direction: null });
  });
});

describe('mapping definitions', () => {
  it('rejects unknown fields', () => {
    const folder = createTemporaryDatabase();
    try {
      const path = join(folder.folder, 'bad.json');
      writeFileSync(
        path,
        JSON.stringify({
          name: 'bad',
          kind: 'air',
          station: { provider: 'p', code: 'c', name: 'n' },
          time: { column: 't', format: 'YYYY-MM-DD HH:mm', timeZone: 'Europe/Paris' },
          fields: { temperature: { column: 'x' } },
        }),
      );
      expect(() => readMappingFile(path)).toThrow(MappingError);
      expect(() => readMappingFile(path)).toThrow(/fields\.temperature: unknown air field/);
      expect(() => readMappingFile(path)).toThrow(/time\.timeZone|time:/);
    } finally {
      folder.remove();
    }
  });

  it('names known mappings when missing', () => {
    expect(() => loadMapping('no-such-mapping')).toThrow(/known mappings: seoul-bike-weather, seoul-citywide-air/);
  });

  it('parses format tokens', () => {
    const parse = compileTimeFormat('DD/MM/YYYY');
    expect(parse('01/12/2017')).toEqual({ year: 2017, month: 12, day: 1, hour: 0, minute: 0 });
    expect(() => parse('2017-12-01')).toThrow(/DD\/MM\/YYYY/);
    expect(() => compileTimeFormat('YYYY-MM-DD HH:mm')('2019-02-29 01:00')).toThrow(/not a calendar day/);
    expect(compileTimeFormat('YYYY-MM-DD HH:mm')('2024-02-28 24:00').hour).toBe(24);
  });
});
