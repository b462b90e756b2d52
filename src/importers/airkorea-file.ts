import { ImportFileError } from './errors.js';
import { AIRKOREA_ITEM_FIELDS, convertAirKoreaItem, describeAirKoreaStation, isEmptyAirRecord, type AirKoreaItem } from './airkorea-items.js';
import { readAirKoreaByteRows, sessionRowSink } from './airkorea-byte-rows.js';
import type { ImportSession } from './import-session.js';
import type { InputTable, LoadedInput } from './input-table.js';
import { indexColumns } from './csv-table.js';
import { importAirKoreaInWorker } from './worker/parse-in-worker.js';

/** Item fields read from a CSV row; the other API fields (grades, khai, sidoName) are not stored. */
const ITEM_FIELDS = ['stationName', 'dataTime', 'mangName', ...Object.values(AIRKOREA_ITEM_FIELDS).flatMap((fields) => [fields.value, fields.flag])];

/**
 * Rows from which a byte-readable CSV is parsed on a worker thread while this thread writes.
 * Below it, starting the worker costs more than it saves.
 */
export const WORKER_MIN_ROWS = 20_000;

export interface AirKoreaFileOptions {
  /**
   * Thread that parses a byte-readable CSV. "auto" (the default) uses a worker thread from
   * WORKER_MIN_ROWS rows and reads the first rows here while the worker starts. "always" leaves
   * every row to the worker, and "never" parses in this thread.
   */
  parseWorker?: 'auto' | 'always' | 'never';
}

/** Imports AirKorea realtime items from a JSON item array or a CSV with the API's field names. */
export function importAirKoreaFile(input: LoadedInput, session: ImportSession, options: AirKoreaFileOptions = {}): void {
  if (input.kind === 'json') {
    importItems(session, (visit) => input.items.forEach((item, index) => visit((item ?? {}) as AirKoreaItem, index + 1)), 'item');
    return;
  }
  const { table } = input;
  const columns = requireColumns(session.file, table);
  if (table.byteRows !== undefined) {
    const choice = options.parseWorker ?? 'auto';
    if (choice === 'always') return importAirKoreaInWorker(table.byteRows, columns, session, 0);
    if (choice === 'auto' && table.rowCount >= WORKER_MIN_ROWS) return importAirKoreaInWorker(table.byteRows, columns, session);
    readAirKoreaByteRows(table.byteRows, columns, session.source, sessionRowSink(session));
    return;
  }
  // One item object is refilled for every row, since the conversion keeps no reference to it.
  const item: AirKoreaItem = {};
  importItems(
    session,
    (visit) =>
      table.forEachRow((row, line) => {
        for (const [field, column] of columns) {
          const cell = row[column];
          // The CSV writes the API's null as an empty field.
          item[field] = cell === '' || cell === undefined ? null : (cell as string);
        }
        visit(item, line);
      }),
    'line',
  );
}

/** Converts and stores items one by one (JSON, quoted CSV, CP949 CSV). */
function importItems(session: ImportSession, forEachItem: (visit: (item: AirKoreaItem, line: number) => void) => void, lineKind: 'line' | 'item'): void {
  const sink = sessionRowSink(session);
  forEachItem((item, line) => {
    sink.rowRead();
    try {
      // Converting first lets an empty item be skipped even when its station name is empty too.
      const record = convertAirKoreaItem(item, 0, session.source);
      if (record === null || isEmptyAirRecord(record)) {
        sink.skipMissing();
        return;
      }
      const name = typeof item.stationName === 'string' ? item.stationName : '';
      sink.write(record, sink.station(name, () => describeAirKoreaStation(item)));
    } catch (error) {
      throw session.rowError(error, line, lineKind);
    }
  });
}

function requireColumns(file: string, table: InputTable): [string, number][] {
  const index = indexColumns(table.header);
  for (const required of ['stationName', 'dataTime']) {
    if (!index.has(required)) throw new ImportFileError(file, `missing column "${required}" for the airkorea format`);
  }
  return ITEM_FIELDS.filter((field) => index.has(field)).map((field) => [field, index.get(field)!]);
}
