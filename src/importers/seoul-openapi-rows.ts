/**
 * Conversion of Seoul Open API TimeAverageAirQuality rows (서울시 시간 평균 대기오염도) into
 * observation records.
 *
 * Exports:
 * - `SeoulOpenApiRow`: the row's fields (MSRDT, MSRSTE_NM, PM10, PM25, O3, NO2, CO, SO2).
 * - `convertSeoulOpenApiRow(row, stationId, source, options)`: the record for one row.
 * - `parseSeoulMeasuredAt(text)`: MSRDT "YYYYMMDDHHMM" (hours 0000..2300, KST) as UTC epoch seconds.
 * - `describeSeoulStation(row)`: the StationDescriptor for the row's station.
 */
import { emptyAirRecord, type AirObservationRecord, type StationDescriptor } from '../sources/records.js';
import { parseMeasurement } from '../sources/values.js';
import { kstToEpochSeconds } from '../time/kst.js';
import { FieldError } from './errors.js';

/** One row as the API or a CSV dump of it gives it; numbers may be strings or numbers. */
export interface SeoulOpenApiRow {
  MSRDT?: string | number | null;
  MSRSTE_NM?: string | null;
  PM10?: string | number | null;
  PM25?: string | number | null;
  O3?: string | number | null;
  NO2?: string | number | null;
  CO?: string | number | null;
  SO2?: string | number | null;
  [field: string]: unknown;
}

export interface SeoulConversionOptions {
  /**
   * Treat a PM10 or PM2.5 of exactly 0 as missing. Older dumps of this API wrote 0.0 for a
   * missing PM value; gases are never affected.
   */
  zeroPmIsMissing: boolean;
}

/** Parses MSRDT "YYYYMMDDHHMM" in KST; hours run 00..23 in this API. */
export function parseSeoulMeasuredAt(text: string): number {
  const match = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(text.trim());
  if (!match) throw new Error('expected YYYYMMDDHHMM');
  const [year, month, day, hour, minute] = match.slice(1).map(Number);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59) throw new Error('month, day, hour or minute out of range');
  const observedAt = kstToEpochSeconds(year, month, day, hour, minute);
  if (new Date((observedAt + 9 * 3600) * 1000).getUTCDate() !== day) throw new Error(`${year}-${month}-${day} is not a calendar day`);
  return observedAt;
}

/**
 * Converts one row. Throws FieldError naming the field for an unreadable MSRDT or number.
 * Flags do not exist in this API, so every flag is null.
 */
export function convertSeoulOpenApiRow(
  row: SeoulOpenApiRow,
  stationId: number,
  source: string,
  options: SeoulConversionOptions,
): AirObservationRecord {
  let observedAt: number;
  try {
    observedAt = parseSeoulMeasuredAt(String(row.MSRDT ?? ''));
  } catch (error) {
    throw new FieldError('MSRDT', row.MSRDT, (error as Error).message);
  }
  const record = emptyAirRecord(stationId, observedAt, source);
  record.pm10 = readPm(row, 'PM10', options);
  record.pm25 = readPm(row, 'PM25', options);
  record.o3 = readNumber(row, 'O3');
  record.no2 = readNumber(row, 'NO2');
  record.co = readNumber(row, 'CO');
  record.so2 = readNumber(row, 'SO2');
  return record;
}

/** Station identity of a row: MSRSTE_NM is the district or station name (강남구, 송파구2, ...). */
export function describeSeoulStation(row: SeoulOpenApiRow): StationDescriptor {
  const name = typeof row.MSRSTE_NM === 'string' ? row.MSRSTE_NM.trim() : '';
  if (name === '') throw new FieldError('MSRSTE_NM', row.MSRSTE_NM, 'every row needs a station name');
  return { provider: 'seoul', providerCode: name, name };
}

function readPm(row: SeoulOpenApiRow, field: 'PM10' | 'PM25', options: SeoulConversionOptions): number | null {
  const value = readNumber(row, field);
  return options.zeroPmIsMissing && value === 0 ? null : value;
}

function readNumber(row: SeoulOpenApiRow, field: string): number | null {
  try {
    return parseMeasurement(row[field]);
  } catch (error) {
    throw new FieldError(field, row[field], (error as Error).message);
  }
}
