/**
 * Conversion of AirKorea CSV rows read as bytes (csv-byte-rows.ts) into observation records.
 * It gives the records and errors that filling an AirKoreaItem and calling convertAirKoreaItem
 * gives, reading plain numbers from the bytes and decoding text only for flags, unusual cells,
 * station names and a dataTime that differs from the row before.
 *
 * Exports:
 * - `AirKoreaRowSink`: where the rows go (the import session, or a batch in the parse worker).
 * - `sessionRowSink(session)`: the sink that writes through an import session.
 * - `readAirKoreaByteRows(rows, columns, source, sink)`: reads every row of a range into the sink.
 * - `AirKoreaByteRowReader`: the conversion of one row.
 */
import { POLLUTANTS, emptyAirRecord, type AirObservationRecord, type StationDescriptor } from '../sources/records.js';
import { isMissingText, parseFlag } from '../sources/values.js';
import {
  AIRKOREA_ITEM_FIELDS,
  convertAirKoreaItem,
  describeAirKoreaStation,
  isEmptyAirRecord,
  readAirKoreaDataTime,
  readAirKoreaNumber,
  type AirKoreaItem,
} from './airkorea-items.js';
import type { ImportSession } from './import-session.js';
import { readPlainDecimal, scanByteRows, type ByteRow, type ByteRowRange } from './csv-byte-rows.js';

/**
 * Sends rows straight to an import session. It describes each station name once, so when a
 * file is read in two parts (this thread and the parse worker), the part read second does not
 * overwrite the station details taken from the station's first row.
 */
export function sessionRowSink(session: ImportSession): AirKoreaRowSink {
  const stationIds = new Map<string, number>();
  return {
    rowRead: () => session.rowRead(),
    skipMissing: () => session.skipMissing(),
    station: (name, describe) => {
      let stationId = stationIds.get(name);
      if (stationId === undefined) {
        stationId = session.station(describe());
        stationIds.set(name, stationId);
      }
      return stationId;
    },
    write: (record, stationId) => {
      record.stationId = stationId;
      session.writeAir(record);
    },
    rowError: (error, line) => session.rowError(error, line, 'line'),
  };
}

/** Receives the rows of a file in order. */
export interface AirKoreaRowSink {
  rowRead(): void;
  skipMissing(): void;
  /**
   * Returns the number that `write` gets for a station name (the stationName cell as written).
   * `describe` gives the station from the current row, and the sink calls it only for a name it
   * has not met, so the details come from the station's first row.
   */
  station(name: string, describe: () => StationDescriptor): number;
  write(record: AirObservationRecord, station: number): void;
  /** Wraps a conversion error with the row's line. */
  rowError(error: unknown, line: number): Error;
}

/**
 * Reads every row of an unquoted UTF-8 CSV range into `sink`, with the counts, skips and errors
 * of the item path in airkorea-file.ts. An item is built only for a station's first row and for
 * rare cells.
 */
export function readAirKoreaByteRows(
  rows: ByteRowRange,
  columns: [string, number][],
  source: string,
  sink: AirKoreaRowSink,
): void {
  const toItem = (row: ByteRow): AirKoreaItem => {
    const item: AirKoreaItem = {};
    // The CSV writes the API's null as an empty field.
    for (const [field, column] of columns) item[field] = row.isEmpty(column) ? null : row.text(column);
    return item;
  };
  const reader = new AirKoreaByteRowReader(new Map(columns), source, toItem);
  const stationColumn = columns.find(([field]) => field === 'stationName')![1];
  scanByteRows(rows, (row, line) => {
    sink.rowRead();
    try {
      // Converting first lets an empty row be skipped even when its station name is empty too.
      const record = reader.convert(row);
      if (record === null || isEmptyAirRecord(record)) {
        sink.skipMissing();
        return;
      }
      const name = row.isEmpty(stationColumn) ? '' : row.text(stationColumn);
      const station = sink.station(name, () => describeAirKoreaStation(toItem(row)));
      sink.write(record, station);
    } catch (error) {
      throw sink.rowError(error, line);
    }
  });
}

/** Reads AirKorea rows of one CSV whose header gave `columns` (field name to column index). */
export class AirKoreaByteRowReader {
  private readonly valueColumns: number[];
  private readonly flagColumns: number[];
  private readonly dataTimeColumn: number;
  // Rows come in blocks that share one dataTime, so the bytes of the last one are kept to compare.
  private lastTimeStart = -1;
  private lastTimeEnd = -1;
  private lastTime = 0;

  constructor(
    columns: ReadonlyMap<string, number>,
    private readonly source: string,
    /** Builds the item of a row for the rows this reader hands to convertAirKoreaItem. */
    private readonly toItem: (row: ByteRow) => AirKoreaItem,
  ) {
    this.valueColumns = POLLUTANTS.map((pollutant) => columns.get(AIRKOREA_ITEM_FIELDS[pollutant].value) ?? -1);
    this.flagColumns = POLLUTANTS.map((pollutant) => columns.get(AIRKOREA_ITEM_FIELDS[pollutant].flag) ?? -1);
    this.dataTimeColumn = columns.get('dataTime')!;
  }

  /** Converts a row into its record, or null for a row with no dataTime and no values; throws FieldError. */
  convert(row: ByteRow): AirObservationRecord | null {
    const observedAt = this.readTime(row);
    // A missing dataTime is rare, and the item conversion decides whether it is an error.
    if (observedAt === undefined) return convertAirKoreaItem(this.toItem(row), 0, this.source);
    const record = emptyAirRecord(0, observedAt, this.source);
    for (let index = 0; index < POLLUTANTS.length; index += 1) {
      const pollutant = POLLUTANTS[index];
      const flagColumn = this.flagColumns[index];
      const flag = flagColumn < 0 || row.isEmpty(flagColumn) ? null : parseFlag(row.text(flagColumn));
      record[`${pollutant}Flag`] = flag;
      const valueColumn = this.valueColumns[index];
      if (flag !== null || valueColumn < 0 || row.isEmpty(valueColumn)) continue;
      const value = readPlainDecimal(row.bytes, row.starts[valueColumn], row.ends[valueColumn]);
      record[pollutant] = Number.isNaN(value) ? readAirKoreaNumber(AIRKOREA_ITEM_FIELDS[pollutant].value, row.text(valueColumn)) : value;
    }
    return record;
  }

  /** Reads the row's hour, or undefined when its dataTime is missing. */
  private readTime(row: ByteRow): number | undefined {
    const start = row.starts[this.dataTimeColumn];
    const end = row.ends[this.dataTimeColumn];
    if (this.sameAsLastTime(row.bytes, start, end)) return this.lastTime;
    const text = row.text(this.dataTimeColumn);
    if (isMissingText(text)) return undefined;
    this.lastTime = readAirKoreaDataTime(text);
    this.lastTimeStart = start;
    this.lastTimeEnd = end;
    return this.lastTime;
  }

  private sameAsLastTime(bytes: Uint8Array, start: number, end: number): boolean {
    const length = end - start;
    if (this.lastTimeStart < 0 || length !== this.lastTimeEnd - this.lastTimeStart) return false;
    for (let offset = 0; offset < length; offset += 1) {
      if (bytes[start + offset] !== bytes[this.lastTimeStart + offset]) return false;
    }
    return true;
  }
}
