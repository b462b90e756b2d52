import { ImportFileError } from './errors.js';
import { parse } from 'csv-parse/sync';
import type { ByteRowRange } from './csv-byte-rows.js';
import { createChunkDecoder, textOffset, type DetectedEncoding } from './encoding.js';
import { ImportRowError } from './errors.js';

/**
 * Rows of a CSV file or worksheet with their header. Cells are strings (CSV) or numbers and
 * strings (XLSX). Rows are produced on demand, so a large CSV is never held as one array.
 */
export interface InputTable {
  header: string[];
  /** Data rows expected, counted from line breaks, for progress reports. */
  rowCount: number;
  /**
   * Calls `visit` for each non-blank data row with its file line (CSV) or worksheet row (XLSX),
   * counted from 1. A CSV row whose field count differs from the header's throws ImportRowError.
   */
  forEachRow(visit: (row: unknown[], line: number) => void): void;
  /**
   * Present for unquoted UTF-8 CSV only: the same rows as `forEachRow`, as byte ranges into the
   * file, for importers that read cells without making a string of each.
   */
  byteRows?: ByteRowRange;
}

/** Bytes decoded per step while streaming a CSV. */
const CHUNK_BYTES = 1 << 20;

const NEWLINE = 0x0a;
const QUOTE = 0x22;

function stripCarriageReturn(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

function requireWidth(path: string, fields: number, width: number, line: number): void {
  if (fields !== width) throw new ImportRowError(path, line, '(row)', `${fields} fields`, `expected ${width} fields, as in the header`);
}

/** Counts line breaks after `start`; byte 0x0A never occurs inside a UTF-8 or CP949 character. */
function countLines(bytes: Uint8Array, start: number): number {
  let count = 0;
  for (let index = bytes.indexOf(NEWLINE, start); index >= 0; index = bytes.indexOf(NEWLINE, index + 1)) count += 1;
  return count;
}

/** Wraps rows already in memory (XLSX sheets and quoted CSV) as an InputTable. */
export function arrayTable(header: string[], rows: unknown[][], lines: number[], requireHeaderWidth?: string): InputTable {
  return {
    header,
    rowCount: rows.length,
    forEachRow(visit) {
      for (let index = 0; index < rows.length; index += 1) {
        if (requireHeaderWidth !== undefined) requireWidth(requireHeaderWidth, rows[index].length, header.length, lines[index]);
        visit(rows[index], lines[index]);
      }
    },
  };
}

/** A CSV parsed whole: the header cells and each data row with its 1-based line number. */
export interface CsvTable {
  header: string[];
  rows: string[][];
  /** lines[i] is the file line of rows[i] (its last line when a quoted field spans lines). */
  lines: number[];
}

/**
 * Parses CSV text held in memory (a BOM must already be removed). Quote-free text is split
 * directly, and anything else goes through csv-parse. Blank lines are skipped but counted.
 */
export function parseCsvTable(text: string): CsvTable {
  if (text.includes('"')) {
    const records = parse(text, { info: true, skip_empty_lines: true, relax_column_count: true }) as unknown as {
      record: string[];
      info: { lines: number };
    }[];
    // A line holding only "\r" in an LF file is blank to the unquoted reader, which drops one trailing "\r".
    const parsed = records.filter((entry) => !(entry.record.length === 1 && entry.record[0] === '\r'));
    if (parsed.length === 0) return { header: [], rows: [], lines: [] };
    return {
      header: parsed[0].record,
      rows: parsed.slice(1).map((entry) => entry.record),
      lines: parsed.slice(1).map((entry) => entry.info.lines),
    };
  }
  const physicalLines = text.split('\n');
  const rows: string[][] = [];
  const lines: number[] = [];
  for (let index = 1; index < physicalLines.length; index += 1) {
    const line = stripCarriageReturn(physicalLines[index]);
    if (line === '') continue;
    rows.push(line.split(','));
    lines.push(index + 1);
  }
  return { header: stripCarriageReturn(physicalLines[0]).split(','), rows, lines };
}

/** Parses CSV text that may contain quoted fields, keeping each record's line. */
function parseQuotedCsv(path: string, text: string): InputTable {
  let table: CsvTable;
  try {
    table = parseCsvTable(text);
  } catch (error) {
    // csv-parse reports quoting errors without the file; a non-CSV file (Markdown, HTML) lands here.
    const reason = error instanceof Error ? error.message : String(error);
    throw new ImportFileError(path, `not a readable CSV file (${reason}); check that it is a data file, or name its layout with --format or --mapping`);
  }
  return arrayTable(table.header, table.rows, table.lines, path);
}

/**
 * Reads CSV bytes in the detected encoding. Without any double quote there are no quoted fields,
 * so lines are decoded a megabyte at a time and split directly, several times faster than
 * csv-parse and without holding the file as strings. Quoted CSV goes through csv-parse on the
 * whole text.
 */
export function createCsvTable(path: string, bytes: Buffer, encoding: DetectedEncoding): InputTable {
  const start = textOffset(encoding);
  if (bytes.indexOf(QUOTE, start) >= 0) {
    const decoder = createChunkDecoder(encoding);
    // NOTE: quoted CSV is decoded and parsed whole, so its memory use grows with the file size.
    return parseQuotedCsv(path, decoder.write(bytes.subarray(start)) + decoder.end());
  }
  const headerEnd = bytes.indexOf(NEWLINE, start);
  const bodyStart = headerEnd < 0 ? bytes.length : headerEnd + 1;
  const headerDecoder = createChunkDecoder(encoding);
  const headerText = headerDecoder.write(bytes.subarray(start, headerEnd < 0 ? bytes.length : headerEnd)) + headerDecoder.end();
  const header = stripCarriageReturn(headerText).split(',');

  return {
    header,
    rowCount: countLines(bytes, bodyStart),
    // detectEncoding validated the whole file as UTF-8, so cells decoded one by one are valid too.
    byteRows: encoding === 'cp949' ? undefined : { path, bytes, start: bodyStart, end: bytes.length, firstLine: 2, width: header.length },
    forEachRow(visit) {
      const decoder = createChunkDecoder(encoding);
      let line = 1;
      let carry = '';
      const visitLine = (text: string) => {
        line += 1;
        const content = stripCarriageReturn(text);
        if (content === '') return;
        const fields = content.split(',');
        requireWidth(path, fields.length, header.length, line);
        visit(fields, line);
      };
      for (let offset = bodyStart; offset < bytes.length; offset += CHUNK_BYTES) {
        const text = carry + decoder.write(bytes.subarray(offset, Math.min(offset + CHUNK_BYTES, bytes.length)));
        let begin = 0;
        for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', begin)) {
          visitLine(text.slice(begin, end));
          begin = end + 1;
        }
        carry = text.slice(begin);
      }
      const rest = carry + decoder.end();
      if (rest !== '') visitLine(rest);
    },
  };
}

/** Returns each header's column index, keyed by the trimmed header text. */
export function indexColumns(header: string[]): Map<string, number> {
  const columns = new Map<string, number>();
  header.forEach((name, index) => {
    const key = name.trim();
    if (!columns.has(key)) columns.set(key, index);
  });
  return columns;
}
