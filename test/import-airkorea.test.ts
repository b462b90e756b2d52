import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ImportRowError } from '../src/importers/errors.js';
import { ImportFailedError, importFile } from '../src/importers/import-file.js';
import { fixturePath } from './helpers/import-fixtures.js';
import { createTemporaryDatabase, type TemporaryDatabase } from './helpers/temporary-database.js';

const urbanSlice = fixturePath('airkorea-urban25-slice.csv');

describe('airkorea CSV import', () => {
  let temporary: TemporaryDatabase;

  beforeEach(() => {
    temporary = createTemporaryDatabase();
  });

  afterEach(() => temporary.remove());

  const count = (sql: string, ...parameters: unknown[]) => temporary.database.sqlite.prepare(sql).pluck().get(...parameters) as number;

  it('counts rows, duplicates and inserts', () => {
    const summary = importFile(temporary.database, urbanSlice);
    expect(summary.format).toBe('airkorea');
    expect(summary.source).toBe('airkorea-file');
    expect(summary.encoding).toBe('utf-8');
    expect(summary.counts).toEqual({ read: 75, inserted: 50, updated: 0, unchanged: 0, duplicate: 25, missing: 0, rejected: 0 });
    expect(count('SELECT COUNT(*) FROM air_observations')).toBe(50);
    expect(count("SELECT COUNT(*) FROM stations WHERE provider = 'airkorea'")).toBe(25);
  });

  it('stores flagged values as null', () => {
    importFile(temporary.database, urbanSlice);
    // Line 7: 강북구 at 2025-04-21 15:00 has pm25Value "-" with the flag 통신장애.
    const row = temporary.database.sqlite
      .prepare(
        `SELECT a.pm25, a.pm25_flag, a.pm10, a.pm10_flag, a.o3, a.observed_at FROM air_observations a
         JOIN stations s ON s.id = a.station_id WHERE s.provider_code = '강북구' AND a.observed_at = ?`,
      )
      .get(Date.UTC(2025, 3, 21, 6) / 1000);
    expect(row).toEqual({ pm25: null, pm25_flag: '통신장애', pm10: 27, pm10_flag: null, o3: 0.07, observed_at: Date.UTC(2025, 3, 21, 6) / 1000 });
  });

  it('re-import changes nothing', () => {
    importFile(temporary.database, urbanSlice);
    const before = temporary.database.sqlite.prepare('SELECT * FROM air_observations ORDER BY station_id, observed_at').all();
    const second = importFile(temporary.database, urbanSlice);
    expect(second.counts).toEqual({ read: 75, inserted: 0, updated: 0, unchanged: 50, duplicate: 25, missing: 0, rejected: 0 });
    const after = temporary.database.sqlite.prepare('SELECT * FROM air_observations ORDER BY station_id, observed_at').all();
    expect(after).toEqual(before);
  });

  it('revised value counts a revision', () => {
    importFile(temporary.database, urbanSlice);
    // Line 2 of the slice is 강남구 at 2025-04-21 15:00 with pm25Value 9, and the revision sets 11.
    const lines = readFileSync(urbanSlice, 'utf8').split('\n');
    const revised = [lines[0], lines[1].replace(',2,9,서울,', ',2,11,서울,')].join('\n') + '\n';
    expect(revised).not.toBe([lines[0], lines[1]].join('\n') + '\n');
    const path = join(temporary.folder, 'revised.csv');
    writeFileSync(path, revised);
    const summary = importFile(temporary.database, path);
    expect(summary.counts.updated).toBe(1);
    expect(summary.counts.inserted).toBe(0);
    const row = temporary.database.sqlite
      .prepare(`SELECT a.pm25, a.revision_count FROM air_observations a JOIN stations s ON s.id = a.station_id WHERE s.provider_code = '강남구' AND a.observed_at = ?`)
      .get(Date.UTC(2025, 3, 21, 6) / 1000);
    expect(row).toEqual({ pm25: 11, revision_count: 1 });
  });

  it('bad row rolls back file', () => {
    const lines = readFileSync(urbanSlice, 'utf8').split('\n');
    // Line 40 gets an unreadable o3Value; the 38 rows before it must not stay stored.
    const header = lines[0].split(',');
    const cells = lines[39].split(',');
    cells[header.indexOf('o3Value')] = '0.0x4';
    lines[39] = cells.join(',');
    const path = join(temporary.folder, 'bad-row.csv');
    writeFileSync(path, lines.join('\n'));

    let failure: unknown;
    try {
      importFile(temporary.database, path);
    } catch (error) {
      failure = error;
    }

    expect(failure).toBeInstanceOf(ImportFailedError);
    const cause = (failure as ImportFailedError).cause;
    expect(cause).toBeInstanceOf(ImportRowError);
    expect((cause as ImportRowError).file).toBe(path);
    expect((cause as ImportRowError).line).toBe(40);
    expect((cause as ImportRowError).field).toBe('o3Value');
    expect((cause as ImportRowError).value).toBe('0.0x4');
    expect((failure as Error).message).toContain('bad-row.csv, line 40: field "o3Value" has invalid value "0.0x4"');

    expect(count('SELECT COUNT(*) FROM air_observations')).toBe(0);
    expect(count('SELECT COUNT(*) FROM stations')).toBe(0);

    const run = temporary.database.sqlite.prepare('SELECT status, rows_read, rows_rejected, rows_inserted, error_class, error_message FROM ingest_runs').get() as Record<
      string,
      unknown
    >;
    expect(run.status).toBe('failed');
    expect(run.rows_read).toBe(39);
    expect(run.rows_rejected).toBe(1);
    expect(run.rows_inserted).toBe(0);
    expect(run.error_class).toBe('ImportRowError');
    expect(run.error_message).toContain('line 40');
  });

  it('bad row keeps earlier imports', () => {
    importFile(temporary.database, urbanSlice);
    const lines = readFileSync(urbanSlice, 'utf8').split('\n');
    lines[1] = lines[1].replace('2025-04-21 15:00', '2025-04-21 25:00');
    const path = join(temporary.folder, 'bad-time.csv');
    writeFileSync(path, lines.join('\n'));
    expect(() => importFile(temporary.database, path)).toThrow(/line 2: field "dataTime" has invalid value "2025-04-21 25:00"/);
    expect(count('SELECT COUNT(*) FROM air_observations')).toBe(50);
    expect(count('SELECT MAX(revision_count) FROM air_observations')).toBe(0);
  });

  it('skips an empty row as missing', () => {
    const lines = readFileSync(urbanSlice, 'utf8').split('\n');
    const empty = new Array(lines[0].split(',').length).fill('').join(',');
    const path = join(temporary.folder, 'empty-row.csv');
    writeFileSync(path, [lines[0], lines[1], empty, ''].join('\n'));
    const summary = importFile(temporary.database, path);
    expect(summary.counts).toEqual({ read: 2, inserted: 1, updated: 0, unchanged: 0, duplicate: 0, missing: 1, rejected: 0 });
  });

  it('rejects a row cut short', () => {
    const lines = readFileSync(urbanSlice, 'utf8').split('\n');
    lines[9] = lines[9].split(',').slice(0, 20).join(',');
    const path = join(temporary.folder, 'cut-row.csv');
    writeFileSync(path, lines.join('\n'));
    expect(() => importFile(temporary.database, path)).toThrow(/cut-row\.csv, line 10: field "\(row\)" has invalid value "20 fields": expected 24 fields/);
    expect(count('SELECT COUNT(*) FROM air_observations')).toBe(0);
  });

  it('moves hour 24 across year and leap day', () => {
    // Synthetic rows in the real layout: a real line with its dataTime replaced.
    const lines = readFileSync(urbanSlice, 'utf8').split('\n');
    const header = lines[0].split(',');
    const timeColumn = header.indexOf('dataTime');
    const withTime = (time: string) => {
      const cells = lines[1].split(',');
      cells[timeColumn] = time;
      return cells.join(',');
    };
    const path = join(temporary.folder, 'hour-24.csv');
    writeFileSync(path, [lines[0], withTime('2023-12-31 24:00'), withTime('2024-02-28 24:00'), withTime('2024-02-29 24:00')].join('\n') + '\n');
    const summary = importFile(temporary.database, path);
    expect(summary.counts.inserted).toBe(3);
    const instants = temporary.database.sqlite.prepare('SELECT observed_at FROM air_observations ORDER BY observed_at').pluck().all() as number[];
    expect(instants.map((seconds) => new Date(seconds * 1000).toISOString())).toEqual([
      '2023-12-31T15:00:00.000Z',
      '2024-02-28T15:00:00.000Z',
      '2024-02-29T15:00:00.000Z',
    ]);
  });

  it('records a succeeded run', () => {
    const summary = importFile(temporary.database, urbanSlice);
    const run = temporary.database.sqlite.prepare('SELECT * FROM ingest_runs WHERE id = ?').get(summary.runId) as Record<string, unknown>;
    expect(run.kind).toBe('file');
    expect(run.status).toBe('succeeded');
    expect(run.source).toBe('airkorea-file');
    expect(run.target).toBe(urbanSlice);
    expect(run.rows_read).toBe(75);
    expect(run.rows_inserted).toBe(50);
    expect(run.rows_duplicate).toBe(25);
    expect(run.range_start).toBe(Date.UTC(2025, 3, 21, 6) / 1000);
    expect(run.range_end).toBe(Date.UTC(2025, 5, 28, 6) / 1000);
  });

  it('reports progress with totals', () => {
    const updates: [number, number | undefined][] = [];
    importFile(temporary.database, urbanSlice, { onProgress: (current, total) => updates.push([current, total]) });
    expect(updates.at(-1)).toEqual([75, 75]);
  });
});

describe('airkorea JSON import', () => {
  let temporary: TemporaryDatabase;

  beforeEach(() => {
    temporary = createTemporaryDatabase();
  });

  afterEach(() => temporary.remove());

  it('skips dead items as missing', () => {
    const summary = importFile(temporary.database, fixturePath('airkorea-items-slice.json'));
    expect(summary.format).toBe('airkorea');
    expect(summary.counts).toEqual({ read: 5, inserted: 4, updated: 0, unchanged: 0, duplicate: 0, missing: 1, rejected: 0 });
    const flagged = temporary.database.sqlite
      .prepare(`SELECT a.pm10, a.pm10_flag, a.so2 FROM air_observations a JOIN stations s ON s.id = a.station_id WHERE s.provider_code = '남양동1'`)
      .get();
    expect(flagged).toEqual({ pm10: null, pm10_flag: '통신장애', so2: 0.002 });
  });

  it('keeps a stale dataTime', () => {
    importFile(temporary.database, fixturePath('airkorea-items-slice.json'));
    const stale = temporary.database.sqlite
      .prepare(`SELECT a.observed_at FROM air_observations a JOIN stations s ON s.id = a.station_id WHERE s.provider_code = '격렬비열도'`)
      .pluck()
      .get();
    expect(stale).toBe(Date.UTC(2026, 2, 15, 22) / 1000);
  });

  it('names the item of a bad value', () => {
    const items = JSON.parse(readFileSync(fixturePath('airkorea-items-slice.json'), 'utf8')) as Record<string, unknown>[];
    items[2].coValue = 'n/a';
    const path = join(temporary.folder, 'bad-item.json');
    writeFileSync(path, JSON.stringify(items));
    expect(() => importFile(temporary.database, path)).toThrow(/bad-item\.json, item 3: field "coValue" has invalid value "n\/a"/);
    expect(temporary.database.sqlite.prepare('SELECT COUNT(*) FROM air_observations').pluck().get()).toBe(0);
  });
});
