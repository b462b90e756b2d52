import { eq } from 'drizzle-orm';
import type { DustcastDatabase } from '../db/database.js';
import { ObservationWriter } from '../db/observation-writer.js';
import { ingestRuns } from '../db/schema.js';
import type { Logger } from '../logging/logger.js';
import { redactText } from '../logging/redact.js';
import { nowSeconds } from '../time/kst.js';
import { importAirKoreaFile, type AirKoreaFileOptions } from './airkorea-file.js';
import { importAirKoreaStationsFile } from './airkorea-stations-file.js';
import type { EncodingChoice } from './encoding.js';
import { ImportFileError, ImportRowError } from './errors.js';
import { DEFAULT_SOURCES, detectFormat, type DetectedFormat, type ImportFormat } from './formats.js';
import { ImportSession, emptyImportCounts, type ImportCounts } from './import-session.js';
import { loadInput, type LoadedInput } from './input-table.js';
import { importKmaAsosFile } from './kma-asos-file.js';
import { importKmaPm10File } from './kma-pm10-file.js';
import { importMappedFile } from './mapping-file.js';
import { loadAllMappings, loadMapping } from './mapping-definition.js';
import { importSeoulOpenApiFile } from './seoul-openapi-file.js';

export interface ImportOptions {
  /** A format name, or "auto" (the default) to detect it from the content. */
  format?: ImportFormat | 'auto';
  /** Mapping name (mappings/NAME.json) or path; implies the mapping format. */
  mapping?: string;
  encoding?: EncodingChoice;
  /** Source name stored with each row; each format has a default. */
  source?: string;
  /** Seoul Open API rows: treat PM10 or PM2.5 of 0 as missing (default true, as in old dumps). */
  zeroPmIsMissing?: boolean;
  onProgress?: (rowsRead: number, totalRows: number | undefined) => void;
  logger?: Logger;
  /** AirKorea CSV: parse on a worker thread while this one writes; "auto" does so for large files. */
  parseWorker?: AirKoreaFileOptions['parseWorker'];
}

/** Outcome of one file import, as recorded in its ingest_runs row. */
export interface ImportSummary {
  runId: number;
  file: string;
  /** "auto" only when the import failed before the format was known. */
  format: ImportFormat | 'auto';
  mapping: string | null;
  source: string;
  encoding: string;
  status: 'succeeded' | 'failed';
  counts: ImportCounts;
  /** First and last observed hour in the file, UTC epoch seconds; null when nothing was read. */
  rangeStart: number | null;
  rangeEnd: number | null;
  durationMs: number;
  error?: string;
}

/** A failed import; the file's writes were rolled back and its run is recorded as failed. */
export class ImportFailedError extends Error {
  constructor(
    readonly summary: ImportSummary,
    override readonly cause: Error,
  ) {
    super(cause.message);
    this.name = 'ImportFailedError';
  }
}

function resolveFormat(path: string, input: LoadedInput, options: ImportOptions): DetectedFormat {
  if (options.mapping !== undefined) {
    if (options.format !== undefined && options.format !== 'auto' && options.format !== 'mapping') {
      throw new ImportFileError(path, `--mapping applies to the mapping format, not "${options.format}"; drop one of them`);
    }
    return { format: 'mapping', mapping: loadMapping(options.mapping) };
  }
  if (options.format === 'mapping') {
    const detected = detectFormat(input, loadAllMappings);
    if (detected?.format !== 'mapping') throw new ImportFileError(path, 'no mapping in mappings/ matches the header; pass --mapping NAME_OR_PATH');
    return detected;
  }
  if (options.format !== undefined && options.format !== 'auto') return { format: options.format };
  const detected = detectFormat(input, loadAllMappings);
  if (detected === null) {
    const header = input.kind === 'table' ? input.table.header.slice(0, 8).join(',') : 'JSON items';
    throw new ImportFileError(path, `unknown format (header: ${header}); pass --format, or --mapping with a column mapping file`);
  }
  return detected;
}

function runFormat(detected: DetectedFormat, input: LoadedInput, session: ImportSession, database: DustcastDatabase, options: ImportOptions): void {
  switch (detected.format) {
    case 'airkorea':
      return importAirKoreaFile(input, session, { parseWorker: options.parseWorker });
    case 'airkorea-stations':
      return importAirKoreaStationsFile(input, session, database);
    case 'kma-asos':
      return importKmaAsosFile(input, session);
    case 'kma-pm10':
      return importKmaPm10File(input, session);
    case 'seoul-openapi':
      // NOTE: files cannot tell a real PM reading of 0 from the old dumps' 0.0 for missing, so both are dropped by default.
      return importSeoulOpenApiFile(input, session, { zeroPmIsMissing: options.zeroPmIsMissing ?? true });
    case 'mapping':
      return importMappedFile(input, session, detected.mapping!);
  }
}

function inputRowCount(input: LoadedInput): number {
  return input.kind === 'json' ? input.items.length : input.table.rowCount;
}

/** Inserts the ingest_runs row for a file, committed before the import transaction starts. */
function startRun(database: DustcastDatabase, path: string, options: ImportOptions): ImportSummary {
  const run = database.orm
    .insert(ingestRuns)
    .values({ kind: 'file', source: options.source ?? options.format ?? 'auto', target: path, startedAt: nowSeconds(), status: 'running' })
    .returning({ id: ingestRuns.id })
    .get();
  return {
    runId: run.id,
    file: path,
    format: options.mapping !== undefined ? 'mapping' : (options.format ?? 'auto'),
    mapping: null,
    source: options.source ?? '',
    encoding: options.encoding ?? 'auto',
    status: 'failed',
    counts: emptyImportCounts(),
    rangeStart: null,
    rangeEnd: null,
    durationMs: 0,
  };
}

/** Loads, detects and imports the file inside one transaction, filling `summary` as it goes. */
function runImport(database: DustcastDatabase, path: string, options: ImportOptions, summary: ImportSummary): ImportSession {
  const input = loadInput(path, options.encoding ?? 'auto');
  const detected = resolveFormat(path, input, options);
  summary.format = detected.format;
  summary.mapping = detected.mapping?.name ?? null;
  summary.encoding = input.encoding + (input.compressed ? '+gzip' : '');
  summary.source =
    options.source ??
    (detected.mapping ? (detected.mapping.source ?? detected.mapping.name) : DEFAULT_SOURCES[detected.format as keyof typeof DEFAULT_SOURCES]);
  const writer = new ObservationWriter(database);
  const session = new ImportSession(path, summary.source, writer, nowSeconds(), options.onProgress, inputRowCount(input));
  try {
    writer.transaction(() => {
      runFormat(detected, input, session, database, options);
      session.flush();
    });
  } catch (error) {
    // The rolled-back rows are reported as neither inserted, updated nor unchanged.
    summary.counts = { ...session.counts, inserted: 0, updated: 0, unchanged: 0 };
    throw error;
  }
  session.finish();
  return session;
}

/**
 * Imports one file in one transaction and records the run in ingest_runs. The run row is
 * written before the transaction, so a failed import stays recorded (with its error) while
 * every observation it wrote is rolled back. Throws ImportFailedError on failure.
 */
export function importFile(database: DustcastDatabase, path: string, options: ImportOptions = {}): ImportSummary {
  const startedAt = Date.now();
  const logger = options.logger;
  const summary = startRun(database, path, options);
  logger?.info({ runId: summary.runId, file: path, format: summary.format }, 'import started');

  let session: ImportSession;
  try {
    session = runImport(database, path, options, summary);
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error));
    summary.error = redactText(failure.message);
    if (failure instanceof ImportRowError) summary.counts.rejected += 1;
    finishRun(database, summary, startedAt, failure);
    // Bad input is the user's to fix, so its message is enough; anything else keeps its stack.
    const expected = failure instanceof ImportRowError || failure instanceof ImportFileError;
    const detail = expected ? { error: summary.error } : { err: failure };
    logger?.error({ runId: summary.runId, file: path, ...detail }, 'import failed; the file was rolled back');
    throw new ImportFailedError(summary, failure);
  }

  summary.status = 'succeeded';
  summary.counts = { ...session.counts };
  summary.rangeStart = session.rangeStart;
  summary.rangeEnd = session.rangeEnd;
  finishRun(database, summary, startedAt);
  logger?.info(
    { runId: summary.runId, file: path, format: summary.format, source: summary.source, ...summary.counts, durationMs: summary.durationMs },
    'import finished',
  );
  return summary;
}

function finishRun(database: DustcastDatabase, summary: ImportSummary, startedAt: number, failure?: Error): void {
  summary.durationMs = Date.now() - startedAt;
  database.orm
    .update(ingestRuns)
    .set({
      source: summary.source || summary.format,
      finishedAt: nowSeconds(),
      status: summary.status,
      rangeStart: summary.rangeStart,
      rangeEnd: summary.rangeEnd,
      rowsRead: summary.counts.read,
      rowsInserted: summary.counts.inserted,
      rowsUpdated: summary.counts.updated,
      rowsUnchanged: summary.counts.unchanged,
      rowsDuplicate: summary.counts.duplicate,
      rowsMissing: summary.counts.missing,
      rowsRejected: summary.counts.rejected,
      durationMs: summary.durationMs,
      errorClass: failure ? failure.name : null,
      errorMessage: summary.error ?? null,
    })
    .where(eq(ingestRuns.id, summary.runId))
    .run();
}
