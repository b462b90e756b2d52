import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ImportFailedError, importFile } from '../src/importers/import-file.js';
import { excelSerialToEpochSeconds } from '../src/importers/kma-asos-file.js';
import { fixturePath, sharedDataFolder } from './helpers/import-fixtures.js';
import { createTemporaryDatabase, type TemporaryDatabase } from './helpers/temporary-database.js';

const kst = (year: number, month: number, day: number, hour: number) => Date.UTC(year, month - 1, day, hour) / 1000 - 9 * 3600;

describe('kma-asos import', () => {
  let temporary: TemporaryDatabase;

  beforeEach(() => {
    temporary = createTemporaryDatabase();
  });

  afterEach(() => temporary.remove());

  const weatherAt = (code: string, observedAt: number) =>
    temporary.database.sqlite
      .prepare(
        `SELECT w.* FROM weather_observations w JOIN stations s ON s.id = w.station_id
         WHERE s.provider = 'kma' AND s.provider_code = ? AND w.observed_at = ?`,
      )
      .get(code, observedAt) as Record<string, number | null>;

  it('reads the CP949 layout with QC flags', () => {
    const summary = importFile(temporary.database, fixturePath('kma-obs-asos-tim-131-slice.csv'));
    expect(summary.format).toBe('kma-asos');
    expect(summary.encoding).toBe('cp949');
    expect(summary.source).toBe('kma-asos-file');
    expect(summary.counts).toEqual({ read: 24, inserted: 24, updated: 0, unchanged: 0, duplicate: 0, missing: 0, rejected: 0 });
    const station = temporary.database.sqlite.prepare("SELECT provider, provider_code, name, kind, latitude FROM stations").get();
    expect(station).toEqual({ provider: 'kma', provider_code: '131', name: '청주', kind: 'asos', latitude: null });
  });

  it('keeps QC 9 precipitation missing', () => {
    importFile(temporary.database, fixturePath('kma-obs-asos-tim-131-slice.csv'));
    // 01:00 has an empty 강수량 with QC flag 9; 03:00 has 강수량 "0" with no flag.
    const first = weatherAt('131', kst(2021, 1, 1, 1));
    expect(first.precipitation).toBeNull();
    expect(first.precipitation_qc).toBe(9);
    expect(first.temperature).toBe(-7.2);
    expect(first.wind_speed).toBe(0.4);
    expect(first.wind_direction).toBe(0);
    expect(first.humidity).toBe(85);
    expect(first.sunshine_qc).toBe(9);
    expect(first.ground_temperature).toBe(-0.9);
    const third = weatherAt('131', kst(2021, 1, 1, 3));
    expect(third.precipitation).toBe(0);
    expect(third.precipitation_qc).toBeNull();
  });

  it('stores empty precipitation as no rain', () => {
    const summary = importFile(temporary.database, fixturePath('kma-surface-asos-108-2018-slice.csv'));
    expect(summary.counts.inserted).toBe(24);
    const first = weatherAt('108', kst(2018, 1, 1, 0));
    expect(first.precipitation).toBe(0);
    expect(first.temperature).toBe(-3.2);
    expect(first.wind_speed).toBe(0.5);
    expect(first.sea_level_pressure).toBe(1026.4);
    const station = temporary.database.sqlite.prepare('SELECT name, latitude, longitude FROM stations').get();
    expect(station).toEqual({ name: '서울', latitude: 37.57142, longitude: 126.9658 });
  });

  it('reads the BOM re-save like the original', () => {
    const resaved = importFile(temporary.database, fixturePath('kma-surface-asos-108-2021-resaved-slice.csv'));
    expect(resaved.encoding).toBe('utf-8-bom');
    expect(resaved.counts.inserted).toBe(24);
    expect(weatherAt('108', kst(2021, 1, 1, 0)).temperature).toBe(-8.3);
    // The CP949 download of the same hours contains the same values, so nothing changes.
    const original = importFile(temporary.database, fixturePath('kma-surface-asos-108-2021-slice.csv'));
    expect(original.encoding).toBe('cp949');
    expect(original.counts).toEqual({ read: 24, inserted: 0, updated: 0, unchanged: 24, duplicate: 0, missing: 0, rejected: 0 });
  });

  it('rejects CP949 forced as UTF-8', () => {
    const path = fixturePath('kma-obs-asos-tim-131-slice.csv');
    let failure: unknown;
    try {
      importFile(temporary.database, path, { encoding: 'utf-8' });
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(ImportFailedError);
    expect((failure as Error).message).toContain('invalid UTF-8 on line 1');
    expect((failure as Error).message).toContain('--encoding cp949');
    expect(temporary.database.sqlite.prepare('SELECT COUNT(*) FROM stations').pluck().get()).toBe(0);
    const run = temporary.database.sqlite.prepare('SELECT status, error_class FROM ingest_runs').get();
    expect(run).toEqual({ status: 'failed', error_class: 'ImportFileError' });
  });

  it('rejects UTF-8 forced as CP949', () => {
    expect(() => importFile(temporary.database, fixturePath('kma-surface-asos-108-2021-resaved-slice.csv'), { encoding: 'cp949' })).toThrow(
      /byte order mark/,
    );
  });

  it('accepts CP949 when forced', () => {
    const summary = importFile(temporary.database, fixturePath('kma-obs-asos-tim-131-slice.csv'), { encoding: 'cp949' });
    expect(summary.counts.inserted).toBe(24);
  });

  it('reads gzip input transparently', () => {
    const path = join(temporary.folder, 'asos.csv.gz');
    writeFileSync(path, gzipSync(readFileSync(fixturePath('kma-obs-asos-tim-131-slice.csv'))));
    const summary = importFile(temporary.database, path);
    expect(summary.encoding).toBe('cp949+gzip');
    expect(summary.counts.inserted).toBe(24);
  });

  it('converts Excel serial date-times', () => {
    expect(excelSerialToEpochSeconds(42005.041666666664)).toBe(kst(2015, 1, 1, 1));
    expect(excelSerialToEpochSeconds(40544)).toBe(kst(2011, 1, 1, 0));
    expect(excelSerialToEpochSeconds(40544.958333333336)).toBe(kst(2011, 1, 1, 23));
  });

  const shared = sharedDataFolder();

  it.skipIf(shared === null)('reads the real XLSX workbook', () => {
    const path = join(shared!, 'kma-asos/choring0989_asos108_hourly_xlsx/SURFACE_ASOS_108_HR_2011_2011_2018.xlsx');
    const summary = importFile(temporary.database, path);
    expect(summary.encoding).toBe('xlsx');
    expect(summary.format).toBe('kma-asos');
    expect(summary.counts).toEqual({ read: 8760, inserted: 8760, updated: 0, unchanged: 0, duplicate: 0, missing: 0, rejected: 0 });
    expect(summary.rangeStart).toBe(kst(2011, 1, 1, 0));
    expect(summary.rangeEnd).toBe(kst(2011, 12, 31, 23));
    // The sheet stores -9.8000000000000007; the double it denotes is -9.8.
    expect(weatherAt('108', kst(2011, 1, 1, 0)).temperature).toBe(-9.8);
    expect(weatherAt('108', kst(2011, 10, 12, 18)).temperature).toBeNull();
    const offHour = temporary.database.sqlite.prepare('SELECT COUNT(*) FROM weather_observations WHERE observed_at % 3600 != 0').pluck().get();
    expect(offHour).toBe(0);
  });
});

describe('kma-pm10 import', () => {
  let temporary: TemporaryDatabase;

  beforeEach(() => {
    temporary = createTemporaryDatabase();
  });

  afterEach(() => temporary.remove());

  it('skips empty hours as missing', () => {
    const summary = importFile(temporary.database, fixturePath('kma-env-ydst-108-2021-slice.csv'));
    expect(summary.format).toBe('kma-pm10');
    expect(summary.source).toBe('kma-pm10');
    expect(summary.counts).toEqual({ read: 21, inserted: 12, updated: 0, unchanged: 0, duplicate: 0, missing: 9, rejected: 0 });
    const emptyHour = temporary.database.sqlite.prepare('SELECT COUNT(*) FROM air_observations WHERE observed_at = ?').pluck().get(kst(2021, 1, 6, 20));
    expect(emptyHour).toBe(0);
  });

  it('leaves absent hours absent', () => {
    importFile(temporary.database, fixturePath('kma-env-ydst-108-2021-slice.csv'));
    const hours = temporary.database.sqlite
      .prepare('SELECT observed_at FROM air_observations WHERE observed_at BETWEEN ? AND ? ORDER BY observed_at')
      .pluck()
      .all(kst(2021, 3, 31, 17), kst(2021, 4, 1, 0)) as number[];
    // 18:00 and 19:00 are present with empty values, 20:00 to 22:00 are absent from the file.
    expect(hours).toEqual([kst(2021, 3, 31, 17), kst(2021, 3, 31, 23), kst(2021, 4, 1, 0)]);
  });

  it('keeps dust storm peaks', () => {
    importFile(temporary.database, fixturePath('kma-env-ydst-108-2021-slice.csv'));
    const peak = temporary.database.sqlite.prepare('SELECT pm10, pm25 FROM air_observations WHERE observed_at = ?').get(kst(2021, 5, 8, 1));
    expect(peak).toEqual({ pm10: 775, pm25: null });
    const station = temporary.database.sqlite.prepare('SELECT provider, provider_code, kind FROM stations').get();
    expect(station).toEqual({ provider: 'kma', provider_code: '108', kind: 'asos' });
  });
});
