import * as XLSX from 'xlsx';
import { parseCsvTable } from './csv-table.js';
import { decodeText, type DetectedEncoding, type EncodingChoice } from './encoding.js';
import { ImportFileError, ImportRowError } from './errors.js';
import { isZipContent, readFileBytes } from './file-input.js';

/** Rows of a CSV file or worksheet with their header; cells are strings (CSV) or numbers and strings (XLSX). */
export interface InputTable {
  header: string[];
  rows: unknown[][];
  /** lines[i] is the file line (CSV) or worksheet row (XLSX) of rows[i], counted from 1. */
  lines: number[];
}

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
  return { header, rows, lines };
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

/** Rejects a CSV row whose field count differs from the header's, which means a cut or shifted row. */
function requireHeaderWidth(path: string, table: InputTable): void {
  const width = table.header.length;
  for (let index = 0; index < table.rows.length; index += 1) {
    const fields = table.rows[index].length;
    if (fields !== width) {
      throw new ImportRowError(path, table.lines[index], '(row)', `${fields} fields`, `expected ${width} fields, as in the header`);
    }
  }
}

/**
 * Loads a file as a table or a JSON item list: gzip is decompressed, XLSX is read as a
 * workbook, and text is decoded with `encoding` and parsed as JSON or CSV by its first character.
 */
export function loadInput(path: string, encoding: EncodingChoice): LoadedInput {
  const { bytes, compressed } = readFileBytes(path);
  if (isZipContent(bytes)) return { kind: 'table', table: readWorkbook(path, bytes), encoding: 'xlsx', compressed };
  let decoded;
  try {
    decoded = decodeText(bytes, encoding);
  } catch (error) {
    throw new ImportFileError(path, (error as Error).message);
  }
  const start = decoded.text.trimStart();
  if (start.startsWith('[') || start.startsWith('{')) {
    let document: unknown;
    try {
      document = JSON.parse(decoded.text);
    } catch (error) {
      throw new ImportFileError(path, `invalid JSON: ${(error as Error).message}`);
    }
    return { kind: 'json', items: findJsonItems(path, document), encoding: decoded.encoding, compressed };
  }
  const table = parseCsvTable(decoded.text);
  requireHeaderWidth(path, table);
  return { kind: 'table', table, encoding: decoded.encoding, compressed };
}
