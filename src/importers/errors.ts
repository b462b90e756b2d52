/**
 * Errors raised while importing. Converters throw FieldError for one bad value, and the import
 * runner wraps it in ImportRowError with the file and line, so the message names all four.
 */

/** A value that cannot be read as the field it sits in. */
export class FieldError extends Error {
  constructor(
    readonly field: string,
    readonly value: unknown,
    readonly reason: string,
  ) {
    super(`field "${field}" has invalid value ${JSON.stringify(value ?? null)}: ${reason}`);
    this.name = 'FieldError';
  }
}

/** A row that failed to import, after which the whole file was rolled back. */
export class ImportRowError extends Error {
  constructor(
    readonly file: string,
    /** File line for CSV, worksheet row for XLSX, 1-based item number for JSON. */
    readonly line: number,
    readonly field: string,
    readonly value: unknown,
    readonly reason: string,
    readonly lineKind: 'line' | 'row' | 'item' = 'line',
  ) {
    super(
      `${file}, ${lineKind} ${line}: field "${field}" has invalid value ${JSON.stringify(value ?? null)}: ${reason}. ` +
        'Nothing from this file was stored; fix the row or the --format/--mapping choice and import the file again.',
    );
    this.name = 'ImportRowError';
  }
}

/** Turns a converter's FieldError into an ImportRowError naming the file and line; other errors pass through. */
export function toRowError(file: string, error: unknown, line: number, lineKind: 'line' | 'row' | 'item' = 'line'): Error {
  if (error instanceof FieldError) return new ImportRowError(file, line, error.field, error.value, error.reason, lineKind);
  return error instanceof Error ? error : new Error(String(error));
}

/** A file that cannot be read at all: unknown format, wrong encoding, missing columns. */
export class ImportFileError extends Error {
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super(`${file}: ${reason}`);
    this.name = 'ImportFileError';
  }
}
