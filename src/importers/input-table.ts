import * as XLSX from 'xlsx';
import { arrayTable, createCsvTable, type InputTable } from './csv-table.js';
import { decodeText, detectEncoding, textOffset, type DetectedEncoding, type EncodingChoice } from './encoding.js';
import { ImportFileError } from './errors.js';
import { isZipContent, readFileBytes } from './file-input.js';

export type { InputTable } from './csv-table.js';

/** A file's content, ready for a format importer. */
export type LoadedInput =
  | { kind: 'table'; table: InputTable; encoding: DetectedEncoding | 'xlsx'; compressed: boolean }
  | { kind: 'json'; items: unknown[]; encoding: DetectedEncoding; compressed: boolean };

/**
 * Reads the first worksheet with SheetJS. Cells keep their stored types, so an Excel date-time
 * is its serial number, which the format importer converts.
 */
function readWorkbook(path: string, bytes: Buffer): InputTable {
  let workbook: XLSX.WorkBook;
  try {
    workbook = XLSX.read(bytes, { type: 'buffer', dense: true });
  } catch (error) {
    throw new ImportFileError(path, `failed to read the XLSX workbook: ${(error as Error).message}`);
  }
  const sheetName = workbook.SheetNames[0];
  if (sheetName === undefined) throw new ImportFileError(path, 'the workbook has no worksheet');
  const sheet = workbook.Sheets[sheetName];
  const firstRow = XLSX.utils.decode_range(sheet['!ref'] ?? 'A1').s.r + 1;
  const cells = XLSX.utils.sheet_to_json<unknown[]>(sheet, { header: 1, raw: true, defval: null, blankrows: true });
  const header = (cells[0] ?? []).map((cell) => (cell === null || cell === undefined ? '' : String(cell)));
  const rows: unknown[][] = [];
  const lines: number[] = [];
  for (let index = 1; index < cells.length; index += 1) {
    const row = cells[index];
    if (row.every((cell) => cell === null || cell === '')) continue;
    rows.push(row);
    lines.push(firstRow + index);
  }
  return arrayTable(header, rows, lines);
}

/** Finds the item array in a JSON document: a bare array, or the API envelopes around it. */
function findJsonItems(path: string, document: unknown): unknown[] {
  if (Array.isArray(document)) return document;
  const candidates = [
    ['response', 'body', 'items', 'item'],
    ['response', 'body', 'items'],
    ['items', 'item'],
    ['items'],
  ];
  for (const candidate of candidates) {
    let node: unknown = document;
    for (const key of candidate) node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined;
    if (Array.isArray(node)) return node;
  }
  // Seoul Open API responses nest rows under the service name: {"TimeAverageAirQuality": {"row": [...]}}.
  if (document !== null && typeof document === 'object') {
    for (const value of Object.values(document)) {
      const rows = value !== null && typeof value === 'object' ? (value as Record<string, unknown>).row : undefined;
      if (Array.isArray(rows)) return rows;
    }
  }
  throw new ImportFileError(path, 'the JSON contains no item array; expected [...], response.body.items or {"SERVICE": {"row": [...]}}');
}

/**
 * Loads a file as a table or a JSON item list: gzip is decompressed, XLSX is read as a
 * workbook, and text is decoded with `encoding` and parsed as JSON or CSV by its first character.
 */
export function loadInput(path: string, encoding: EncodingChoice): LoadedInput {
  const { bytes, compressed } = readFileBytes(path);
  if (isZipContent(bytes)) return { kind: 'table', table: readWorkbook(path, bytes), encoding: 'xlsx', compressed };
  let detected: DetectedEncoding;
  try {
    detected = detectEncoding(bytes, encoding);
  } catch (error) {
    throw new ImportFileError(path, (error as Error).message);
  }
  if (startsWithJson(bytes, textOffset(detected))) {
    let document: unknown;
    try {
      document = JSON.parse(decodeText(bytes, encoding).text);
    } catch (error) {
      throw new ImportFileError(path, `${error instanceof SyntaxError ? 'invalid JSON' : 'failed to decode'}: ${(error as Error).message}`);
    }
    return { kind: 'json', items: findJsonItems(path, document), encoding: detected, compressed };
  }
  return { kind: 'table', table: createCsvTable(path, bytes, detected), encoding: detected, compressed };
}

/** True when the first non-blank byte after `offset` opens a JSON array or object. */
function startsWithJson(bytes: Uint8Array, offset: number): boolean {
  for (let index = offset; index < bytes.length; index += 1) {
    const byte = bytes[index];
    if (byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d) continue;
    return byte === 0x5b || byte === 0x7b;
  }
  return false;
}
