import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readPlainDecimal, scanByteRows, splitByteRows, type ByteRowRange } from '../src/importers/csv-byte-rows.js';
import { ImportFailedError, importFile, type ImportOptions, type ImportSummary } from '../src/importers/import-file.js';
import { fixturePath, repositoryRoot } from './helpers/import-fixtures.js';
import { createTemporaryDatabase, type TemporaryDatabase } from './helpers/temporary-database.js';

const bytesOf = (text: string) => Buffer.from(text, 'utf8');
const decimal = (text: string) => readPlainDecimal(bytesOf(text), 0, Buffer.byteLength(text));

describe('readPlainDecimal', () => {
  it('reads what Number reads for plain decimals', () => {
    for (const text of ['0', '19', '0.064', '0.009', '-3.5', '.4', '4.', '007', '-0', '123456789012345', '0.1', '-0.00000000000001']) {
      expect(Object.is(decimal(text), Number(text)), text).toBe(true);
    }
  });

  it('gives NaN for the cells it leaves to the text reader', () => {
    for (const text of ['', '-', '--', '.', '-.', '+1', ' 1', '1 ', '1e5', '1.2.3', 'NA', '1,234', '1234567890123456', '0.300000000000000', '0x1F']) {
      expect(decimal(text), text).toBeNaN();
    }
  });

  it('matches Number on random decimals', () => {
    let seed = 7;
    const next = () => (seed = (seed * 48271) % 2147483647);
    for (let trial = 0; trial < 20_000; trial += 1) {
      const digits = String(next()).slice(0, 1 + (next() % 9));
      const point = next() % (digits.length + 1);
      const text = `${next() % 4 === 0 ? '-' : ''}${digits.slice(0, point)}.${digits.slice(point)}`;
      expect(decimal(text), text).toBe(Number(text));
    }
  });
});

describe('scanByteRows and splitByteRows', () => {
  const text = 'a,b\r\n1,2\r\n\r\n3,4\n\n5,6';
  const bytes = bytesOf(text);
  const whole: ByteRowRange = { path: 'rows.csv', bytes, start: text.indexOf('1'), end: bytes.length, firstLine: 2, width: 2 };
  const collect = (range: ByteRowRange) => {
    const rows: [number, string, string][] = [];
    scanByteRows(range, (row, line) => rows.push([line, row.text(0), row.text(1)]));
    return rows;
  };

  it('drops carriage returns, skips blank lines and keeps file lines', () => {
    expect(collect(whole)).toEqual([
      [2, '1', '2'],
      [4, '3', '4'],
      [6, '5', '6'],
    ]);
  });

  it('gives the same rows however the range is cut', () => {
    for (let offset = whole.start; offset <= whole.end; offset += 1) {
      const [head, tail] = splitByteRows(whole, offset);
      expect(head.end).toBe(tail.start);
      expect([...collect(head), ...collect(tail)], `cut at ${offset}`).toEqual(collect(whole));
    }
  });

  it('names the line of a row with the wrong field count', () => {
    const ragged = bytesOf('a,b\n1,2\n3\n');
    expect(() => collect({ path: 'ragged.csv', bytes: ragged, start: 4, end: ragged.length, firstLine: 2, width: 2 })).toThrow(
      'ragged.csv, line 3: field "(row)" has invalid value "1 fields": expected 2 fields, as in the header',
    );
  });
});

describe('AirKorea CSV read from bytes and on the parse worker', () => {
  let temporary: TemporaryDatabase;

  beforeEach(() => {
    temporary = createTemporaryDatabase();
  });

  afterEach(() => temporary.remove());

  /** Imports into a new database and returns the summary and every stored row with its station name. */
  function importInto(path: string, options: ImportOptions) {
    const target = createTemporaryDatabase();
    try {
      const summary = importFile(target.database, path, options);
      const rows = target.database.sqlite
        .prepare(
          `SELECT s.provider_code, s.kind, a.observed_at, a.pm10, a.pm25, a.o3, a.no2, a.co, a.so2,
             a.pm10_flag, a.pm25_flag, a.o3_flag, a.no2_flag, a.co_flag, a.so2_flag, a.revision_count
           FROM air_observations a JOIN stations s ON s.id = a.station_id ORDER BY s.provider_code, a.observed_at`,
        )
        .all();
      return { counts: summary.counts, range: [summary.rangeStart, summary.rangeEnd], rows };
    } finally {
      target.remove();
    }
  }

  /** Writes the urban slice with cells the fast reader leaves to the text reader, in CRLF lines. */
  function writeUnusualSlice(): string {
    const lines = readFileSync(fixturePath('airkorea-urban25-slice.csv'), 'utf8').trimEnd().split('\n');
    const header = lines[0].split(',');
    const column = (name: string) => header.indexOf(name);
    const edit = (line: number, name: string, value: string) => {
      const cells = lines[line].split(',');
      cells[column(name)] = value;
      lines[line] = cells.join(',');
    };
    edit(3, 'pm10Value', ' 31');
    edit(4, 'pm25Value', '1.5e1');
    edit(5, 'o3Value', '-');
    edit(6, 'coFlag', '  ');
    for (const name of ['pm10Value', 'pm25Value', 'o3Value', 'no2Value', 'coValue', 'so2Value']) edit(8, name, '');
    edit(9, 'dataTime', '2025-04-21 24:00');
    const path = join(temporary.folder, 'unusual.csv');
    writeFileSync(path, `${lines.slice(0, 10).join('\r\n')}\r\n\r\n${lines.slice(10).join('\r\n')}\r\n`);
    return path;
  }

  /** Writes the file with every cell quoted, which goes through csv-parse and the item reader. */
  function quotedCopy(path: string): string {
    const lines = readFileSync(path, 'utf8').split('\r\n');
    const quoted = lines.map((line) => (line === '' ? '' : line.split(',').map((cell) => `"${cell}"`).join(','))).join('\r\n');
    const target = join(temporary.folder, 'quoted.csv');
    writeFileSync(target, quoted);
    return target;
  }

  it('stores what the item reader stores, in this thread and on the worker', () => {
    const path = writeUnusualSlice();
    const byItems = importInto(quotedCopy(path), {});
    expect(byItems.counts).toEqual({ read: 75, inserted: 49, updated: 0, unchanged: 0, duplicate: 25, missing: 1, rejected: 0 });
    expect(byItems.rows.find((row) => (row as { pm10: number }).pm10 === 31)).toBeDefined();
    expect(importInto(path, { parseWorker: 'never' })).toEqual(byItems);
    expect(importInto(path, { parseWorker: 'always' })).toEqual(byItems);
  });

  it('stores the bundled sample alike with and without the worker', () => {
    const sample = join(repositoryRoot, 'data/sample/seoul_realtime_urban25_2025-04-21_2026-01-16.csv.gz');
    const inThread = importInto(sample, { parseWorker: 'never' });
    expect(inThread.counts.read).toBe(125_125);
    expect(inThread.counts.inserted).toBe(124_650);
    // "auto" reads the first megabyte here and the rest on the worker.
    expect(importInto(sample, { parseWorker: 'auto' })).toEqual(inThread);
  });

  it('reports a bad row from the worker as a bad row read here', () => {
    const lines = readFileSync(fixturePath('airkorea-urban25-slice.csv'), 'utf8').split('\n');
    lines[60] = lines[60].replace(/,\d{4}-\d\d-\d\d \d\d:00,/, ',2025-06-28 25:00,');
    const path = join(temporary.folder, 'bad-hour.csv');
    writeFileSync(path, lines.join('\n'));
    const failures = (['never', 'always'] as const).map((parseWorker) => {
      try {
        importFile(temporary.database, path, { parseWorker });
      } catch (error) {
        expect(error).toBeInstanceOf(ImportFailedError);
        return { message: (error as Error).message, counts: (error as ImportFailedError).summary.counts };
      }
      throw new Error(`the import with parseWorker ${parseWorker} did not fail`);
    });
    expect(failures[0].message).toContain('bad-hour.csv, line 61: field "dataTime" has invalid value "2025-06-28 25:00"');
    expect(failures[1]).toEqual(failures[0]);
    expect(failures[0].counts).toMatchObject({ read: 60, inserted: 0, rejected: 1 });
    expect(temporary.database.sqlite.prepare('SELECT COUNT(*) FROM air_observations').pluck().get()).toBe(0);
  });

  it('stops a large import at a bad row', () => {
    const sample = join(repositoryRoot, 'data/sample/seoul_realtime_urban25_2025-04-21_2026-01-16.csv.gz');
    const lines = gunzipSync(readFileSync(sample)).toString('utf8').split('\n');
    // Line 1,000 lies in the first megabyte, which this thread reads; line 100,000 is the worker's.
    for (const line of [1_000, 100_000]) {
      const edited = [...lines];
      edited[line - 1] = edited[line - 1].replace(/,(\d+),서울,/, ',1.2.3,서울,');
      expect(edited[line - 1]).not.toBe(lines[line - 1]);
      const path = join(temporary.folder, `bad-line-${line}.csv`);
      writeFileSync(path, edited.join('\n'));
      expect(() => importFile(temporary.database, path, { parseWorker: 'auto' })).toThrow(
        `bad-line-${line}.csv, line ${line}: field "pm25Value" has invalid value "1.2.3"`,
      );
      expect(temporary.database.sqlite.prepare('SELECT COUNT(*) FROM air_observations').pluck().get()).toBe(0);
    }
  });

  it('keeps the kind from the first row of a station', () => {
    const sample = join(repositoryRoot, 'data/sample/seoul_realtime_urban25_2025-04-21_2026-01-16.csv.gz');
    const [header, ...rows] = gunzipSync(readFileSync(sample)).toString('utf8').trimEnd().split('\n');
    const station = header.split(',').indexOf('stationName');
    // 강남구 turns roadside from line 5,000 on: late in the first megabyte, and in all of the worker's part.
    const lines = rows.map((row, index) => `${row},${index > 5_000 && row.split(',')[station] === '강남구' ? '도로변대기' : '도시대기'}`);
    const path = join(temporary.folder, 'network-changes.csv');
    writeFileSync(path, `${header},mangName\n${lines.join('\n')}\n`);
    const kinds = (['never', 'auto'] as const).map((parseWorker) => {
      const target = createTemporaryDatabase();
      try {
        importFile(target.database, path, { parseWorker });
        return target.database.sqlite.prepare("SELECT kind FROM stations WHERE provider_code = '강남구'").pluck().get();
      } finally {
        target.remove();
      }
    });
    expect(kinds).toEqual(['urban', 'urban']);
  });

  it('skips a carriage-return line in quoted CSV too', () => {
    const lines = readFileSync(fixturePath('airkorea-urban25-slice.csv'), 'utf8').split('\n').slice(0, 11);
    const text = [...lines.slice(0, 4), '\r', ...lines.slice(4)].join('\n') + '\n';
    const plain = join(temporary.folder, 'lone-cr.csv');
    writeFileSync(plain, text);
    const quoted = join(temporary.folder, 'lone-cr-quoted.csv');
    writeFileSync(quoted, text.split('\n').map((line) => (line === '' || line === '\r' ? line : line.split(',').map((cell) => `"${cell}"`).join(','))).join('\n'));
    const byBytes = importInto(plain, { parseWorker: 'never' });
    expect(byBytes.counts.read).toBe(10);
    expect(importInto(quoted, {})).toEqual(byBytes);
  });

  it('reports a ragged line from the worker with its line', () => {
    const lines = readFileSync(fixturePath('airkorea-urban25-slice.csv'), 'utf8').split('\n');
    lines[40] = lines[40].split(',').slice(0, 5).join(',');
    const path = join(temporary.folder, 'ragged.csv');
    writeFileSync(path, lines.join('\n'));
    expect(() => importFile(temporary.database, path, { parseWorker: 'always' })).toThrow(/ragged\.csv, line 41: field "\(row\)" has invalid value "5 fields"/);
    const runs = temporary.database.sqlite.prepare("SELECT status, rows_rejected FROM ingest_runs WHERE kind = 'file'").all();
    expect(runs).toEqual([{ status: 'failed', rows_rejected: 1 }]);
  });

  it('reports progress in whole steps up to the last row', () => {
    const sample = join(repositoryRoot, 'data/sample/seoul_realtime_urban25_2025-04-21_2026-01-16.csv.gz');
    const reports: number[] = [];
    const summary: ImportSummary = importFile(temporary.database, sample, { parseWorker: 'auto', onProgress: (rows) => reports.push(rows) });
    expect(reports.at(-1)).toBe(summary.counts.read);
    expect(reports.length).toBeGreaterThan(10);
    for (let index = 1; index < reports.length; index += 1) expect(reports[index]).toBeGreaterThan(reports[index - 1]);
  });
});
