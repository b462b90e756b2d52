import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { EncodingError, decodeText } from '../src/importers/encoding.js';
import { importFile } from '../src/importers/import-file.js';
import { fixturePath } from './helpers/import-fixtures.js';
import { createTemporaryDatabase } from './helpers/temporary-database.js';

const cp949Bytes = readFileSync(fixturePath('kma-obs-asos-tim-131-slice.csv'));
const bomBytes = readFileSync(fixturePath('kma-surface-asos-108-2021-resaved-slice.csv'));

describe('decodeText', () => {
  it('detects CP949', () => {
    const decoded = decodeText(cp949Bytes, 'auto');
    expect(decoded.encoding).toBe('cp949');
    expect(decoded.text.startsWith('지점,지점명,일시,기온(°C)')).toBe(true);
  });

  it('drops a UTF-8 BOM', () => {
    const decoded = decodeText(bomBytes, 'auto');
    expect(decoded.encoding).toBe('utf-8-bom');
    expect(decoded.text.startsWith('지점,일시')).toBe(true);
  });

  it('reads plain UTF-8', () => {
    const decoded = decodeText(readFileSync(fixturePath('airkorea-urban25-slice.csv')), 'auto');
    expect(decoded.encoding).toBe('utf-8');
    expect(decoded.text).toContain('강남구');
  });

  it('rejects CP949 forced as UTF-8', () => {
    expect(() => decodeText(cp949Bytes, 'utf-8')).toThrow(EncodingError);
    expect(() => decodeText(cp949Bytes, 'utf-8')).toThrow(/invalid UTF-8 on line 1/);
  });

  it('names the line of bad UTF-8', () => {
    const bytes = Buffer.concat([Buffer.from('a,b\n1,2\n'), Buffer.from([0xc1, 0x0a])]);
    expect(() => decodeText(bytes, 'utf-8')).toThrow(/line 3/);
  });

  it('rejects bytes that are neither', () => {
    const bytes = Buffer.from([0x61, 0x2c, 0xff, 0xff, 0x0a]);
    expect(() => decodeText(bytes, 'auto')).toThrow(/neither UTF-8 nor CP949/);
  });
});

describe('importFile input errors', () => {
  it('names a missing file', () => {
    const temporary = createTemporaryDatabase();
    try {
      const path = join(temporary.folder, 'absent.csv');
      expect(() => importFile(temporary.database, path)).toThrow(`${path}: file not found; check the path`);
      const run = temporary.database.sqlite.prepare('SELECT status, error_class FROM ingest_runs').get();
      expect(run).toEqual({ status: 'failed', error_class: 'ImportFileError' });
    } finally {
      temporary.remove();
    }
  });

  it('names a truncated gzip file', () => {
    const temporary = createTemporaryDatabase();
    try {
      const path = join(temporary.folder, 'cut.csv.gz');
      writeFileSync(path, gzipSync(cp949Bytes).subarray(0, 40));
      expect(() => importFile(temporary.database, path)).toThrow(/cut\.csv\.gz: failed to decompress gzip data/);
    } finally {
      temporary.remove();
    }
  });
});
