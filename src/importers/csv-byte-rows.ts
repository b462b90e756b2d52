/**
 * Rows of an unquoted UTF-8 CSV as byte ranges into the file, so an importer can read numbers
 * straight from the bytes and decode only the cells it needs as text.
 *
 * Exports:
 * - `ByteRow`: one row's field ranges, with `text(field)` to decode a field.
 * - `ByteRowRange`: a stretch of whole lines of the file.
 * - `scanByteRows(range, visit)`: visits each non-blank row of a range.
 * - `splitByteRows(range, offset)`: the range cut in two at the first line starting at or after `offset`.
 * - `readPlainDecimal(bytes, start, end)`: a plain decimal cell as a number, or NaN for anything else.
 */
import { ImportRowError } from './errors.js';

/** One CSV row: field `index` spans bytes[starts[index], ends[index]). */
export interface ByteRow {
  readonly bytes: Buffer;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  /** Decodes one field as UTF-8, untrimmed. */
  text(field: number): string;
  /** True when the field is empty (zero bytes). */
  isEmpty(field: number): boolean;
}

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const COMMA = 0x2c;
const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;

/** Whole lines bytes[start, end) of a CSV file, the first of them being file line `firstLine`. */
export interface ByteRowRange {
  path: string;
  bytes: Buffer;
  start: number;
  end: number;
  firstLine: number;
  /** Fields per row, from the header. */
  width: number;
}

/**
 * Visits each non-blank line of the range with its 1-based file line. A trailing carriage
 * return is dropped, blank lines are skipped but counted, and a line whose field count differs
 * from the width throws ImportRowError, as the string reader does. The bytes must be UTF-8
 * without quoted fields; the caller checks both.
 */
export function scanByteRows(range: ByteRowRange, visit: (row: ByteRow, line: number) => void): void {
  const { path, bytes, end, width } = range;
  const starts = new Int32Array(width);
  const ends = new Int32Array(width);
  const row: ByteRow = {
    bytes,
    starts,
    ends,
    text: (field) => bytes.toString('utf8', starts[field], ends[field]),
    isEmpty: (field) => starts[field] === ends[field],
  };
  let line = range.firstLine - 1;
  let position = range.start;
  while (position < end) {
    line += 1;
    let lineEnd = bytes.indexOf(NEWLINE, position);
    if (lineEnd < 0 || lineEnd > end) lineEnd = end;
    const contentEnd = lineEnd > position && bytes[lineEnd - 1] === CARRIAGE_RETURN ? lineEnd - 1 : lineEnd;
    if (contentEnd > position) {
      let fields = 0;
      let fieldStart = position;
      for (let index = position; index < contentEnd; index += 1) {
        if (bytes[index] !== COMMA) continue;
        if (fields < width) {
          starts[fields] = fieldStart;
          ends[fields] = index;
        }
        fields += 1;
        fieldStart = index + 1;
      }
      if (fields < width) {
        starts[fields] = fieldStart;
        ends[fields] = contentEnd;
      }
      fields += 1;
      if (fields !== width) throw new ImportRowError(path, line, '(row)', `${fields} fields`, `expected ${width} fields, as in the header`);
      visit(row, line);
    }
    position = lineEnd + 1;
  }
}

/** Cuts a range at the first line that starts at or after `offset`; either part may be empty. */
export function splitByteRows(range: ByteRowRange, offset: number): [ByteRowRange, ByteRowRange] {
  let cut = range.end;
  let lines = 0;
  if (offset <= range.start) cut = range.start;
  else if (offset < range.end) {
    const newline = range.bytes.indexOf(NEWLINE, offset - 1);
    cut = newline < 0 || newline >= range.end ? range.end : newline + 1;
  }
  for (let index = range.bytes.indexOf(NEWLINE, range.start); index >= 0 && index < cut; index = range.bytes.indexOf(NEWLINE, index + 1)) lines += 1;
  return [
    { ...range, end: cut },
    { ...range, start: cut, firstLine: range.firstLine + lines },
  ];
}

/** Powers of ten that doubles hold exactly. */
const EXACT_POWERS_OF_TEN = Array.from({ length: 23 }, (_, exponent) => 10 ** exponent);

/** Digits whose integer value stays below 2^53, so it is exact as a double. */
const MAX_EXACT_DIGITS = 15;

/**
 * Reads a cell of the form 123, 0.064, -3.5, .4 or 4. and returns the same double as Number()
 * would: with at most 15 digits, both the digits as an integer and the power of ten are exact,
 * so one division rounds correctly. Returns NaN for anything else (empty, signs other than a
 * leading minus, spaces, exponents, markers such as "-"), which the caller reads as text.
 */
export function readPlainDecimal(bytes: Uint8Array, start: number, end: number): number {
  let index = start;
  const negative = index < end && bytes[index] === MINUS;
  if (negative) index += 1;
  let digits = 0;
  let dotAt = -1;
  let mantissa = 0;
  for (; index < end; index += 1) {
    const byte = bytes[index];
    if (byte >= ZERO && byte <= NINE) {
      mantissa = mantissa * 10 + (byte - ZERO);
      digits += 1;
    } else if (byte === DOT && dotAt < 0) {
      dotAt = digits;
    } else {
      return Number.NaN;
    }
  }
  if (digits === 0 || digits > MAX_EXACT_DIGITS) return Number.NaN;
  const value = dotAt < 0 ? mantissa : mantissa / EXACT_POWERS_OF_TEN[digits - dotAt];
  return negative ? -value : value;
}
