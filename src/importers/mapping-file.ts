import { emptyAirRecord, emptyWeatherRecord, type AirObservationRecord, type WeatherObservationRecord } from '../sources/records.js';
import { parseMeasurement } from '../sources/values.js';
import { indexColumns } from './csv-table.js';
import { FieldError, ImportFileError } from './errors.js';
import type { ImportSession } from './import-session.js';
import type { LoadedInput } from './input-table.js';
import { parseTimeZoneOffset, type ColumnMapping } from './mapping-definition.js';
import { roundFloatNoise } from './kma-asos-values.js';

const TOKEN_PATTERNS: Record<string, string> = {
  YYYY: '(?<year>\\d{4})',
  MM: '(?<month>\\d{1,2})',
  M: '(?<month>\\d{1,2})',
  DD: '(?<day>\\d{1,2})',
  D: '(?<day>\\d{1,2})',
  HH: '(?<hour>\\d{1,2})',
  H: '(?<hour>\\d{1,2})',
  mm: '(?<minute>\\d{2})',
};

/**
 * Builds a parser for a time format such as "YYYY-MM-DD HH:mm" or "DD/MM/YYYY". It returns
 * the wall-clock fields; hour 24 is accepted and means midnight of the next day.
 */
export function compileTimeFormat(format: string): (text: string) => { year: number; month: number; day: number; hour: number; minute: number } {
  const source = format.replace(/YYYY|MM|DD|HH|mm|M|D|H|[.*+?^${}()|[\]\\]/g, (token) => TOKEN_PATTERNS[token] ?? `\\${token}`);
  const pattern = new RegExp(`^\\s*${source}\\s*$`);
  return (text) => {
    const groups = pattern.exec(text)?.groups;
    if (!groups) throw new Error(`expected the format "${format}"`);
    const parts = {
      year: Number(groups.year),
      month: Number(groups.month),
      day: Number(groups.day),
      hour: Number(groups.hour ?? 0),
      minute: Number(groups.minute ?? 0),
    };
    if (parts.month < 1 || parts.month > 12 || parts.day < 1 || parts.hour > 24 || parts.minute > 59 || (parts.hour === 24 && parts.minute > 0)) {
      throw new Error('month, day, hour or minute out of range');
    }
    const calendarDay = new Date(Date.UTC(parts.year, parts.month - 1, parts.day));
    if (calendarDay.getUTCDate() !== parts.day) throw new Error(`${parts.year}-${parts.month}-${parts.day} is not a calendar day`);
    return parts;
  };
}

/** Builds the function that turns one row's time cells into UTC epoch seconds. */
function buildTimeReader(mapping: ColumnMapping, columns: Map<string, number>): (row: unknown[]) => number | null {
  const offsetSeconds = parseTimeZoneOffset(mapping.time.timeZone)! * 60;
  const toEpoch = (parts: { year: number; month: number; day: number; hour: number; minute: number }) =>
    Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute) / 1000 - offsetSeconds;
  if ('column' in mapping.time) {
    const column = columns.get(mapping.time.column)!;
    const field = mapping.time.column;
    const parse = compileTimeFormat(mapping.time.format);
    return (row) => {
      const text = String(row[column] ?? '').trim();
      if (text === '') return null;
      try {
        return toEpoch(parse(text));
      } catch (error) {
        throw new FieldError(field, row[column], (error as Error).message);
      }
    };
  }
  const dateColumn = columns.get(mapping.time.dateColumn)!;
  const hourColumn = columns.get(mapping.time.hourColumn)!;
  const { dateColumn: dateField, hourColumn: hourField } = mapping.time;
  const parseDate = compileTimeFormat(mapping.time.dateFormat);
  return (row) => {
    const dateText = String(row[dateColumn] ?? '').trim();
    const hourText = String(row[hourColumn] ?? '').trim();
    if (dateText === '' && hourText === '') return null;
    let parts;
    try {
      parts = parseDate(dateText);
    } catch (error) {
      throw new FieldError(dateField, row[dateColumn], (error as Error).message);
    }
    if (!/^\d{1,2}$/.test(hourText) || Number(hourText) > 24) throw new FieldError(hourField, row[hourColumn], 'expected a whole hour 0..24');
    return toEpoch({ ...parts, hour: Number(hourText), minute: 0 });
  };
}

interface MappedField {
  field: string;
  column: number;
  header: string;
  scale: number;
}

/** Reads the mapped values of one row, scaled to stored units; `present` counts the non-missing ones. */
function readMappedValues(row: unknown[], fields: MappedField[]): { values: Record<string, number | null>; present: number } {
  const values: Record<string, number | null> = {};
  let present = 0;
  for (const { field, column, header, scale } of fields) {
    let value: number | null;
    try {
      value = parseMeasurement(row[column]);
    } catch (error) {
      throw new FieldError(header, row[column], (error as Error).message);
    }
    if (value !== null) {
      value = scale === 1 ? value : roundFloatNoise(value * scale);
      present += 1;
    }
    values[field] = value;
  }
  return { values, present };
}

/** Creates or finds the mapping's station and returns its row id. */
function ensureMappedStation(session: ImportSession, mapping: ColumnMapping): number {
  // The mapping's weather station seeds a new station only, so a later "stations set-weather" survives re-imports.
  const known = session.writer.findStation(mapping.station.provider, mapping.station.code) !== undefined;
  return session.station({
    provider: mapping.station.provider,
    providerCode: mapping.station.code,
    name: mapping.station.name,
    kind: mapping.station.kind ?? null,
    latitude: mapping.station.latitude ?? null,
    longitude: mapping.station.longitude ?? null,
    address: mapping.station.address ?? null,
    weatherStationCode: known ? null : (mapping.station.weatherStationCode ?? null),
  });
}

/** Imports a CSV (or worksheet) through a column mapping into air or weather observations. */
export function importMappedFile(input: LoadedInput, session: ImportSession, mapping: ColumnMapping): void {
  if (input.kind !== 'table') throw new ImportFileError(session.file, `mapping "${mapping.name}" reads CSV or XLSX, not JSON`);
  const columns = indexColumns(input.table.header);
  const timeColumns = 'column' in mapping.time ? [mapping.time.column] : [mapping.time.dateColumn, mapping.time.hourColumn];
  for (const column of [...timeColumns, ...Object.values(mapping.fields).map((field) => field.column)]) {
    if (!columns.has(column)) throw new ImportFileError(session.file, `missing column "${column}" that mapping "${mapping.name}" reads`);
  }
  const readTime = buildTimeReader(mapping, columns);
  const fields: MappedField[] = Object.entries(mapping.fields).map(([field, spec]) => ({
    field,
    column: columns.get(spec.column)!,
    header: spec.column,
    scale: spec.scale,
  }));
  const stationId = ensureMappedStation(session, mapping);
  const lineKind = input.encoding === 'xlsx' ? 'row' : 'line';

  input.table.forEachRow((row, line) => {
    session.rowRead();
    try {
      const { values, present } = readMappedValues(row, fields);
      const observedAt = readTime(row);
      if (observedAt === null && present > 0) {
        throw new FieldError(timeColumns.join('+'), '', 'missing on a row that has values, so its hour is unknown');
      }
      if (observedAt === null || present === 0) {
        session.skipMissing();
        return;
      }
      if (mapping.kind === 'air') {
        const record: AirObservationRecord = Object.assign(emptyAirRecord(stationId, observedAt, session.source), values);
        session.writeAir(record);
      } else {
        const record: WeatherObservationRecord = Object.assign(emptyWeatherRecord(stationId, observedAt, session.source), values);
        session.writeWeather(record);
      }
    } catch (error) {
      throw session.rowError(error, line, lineKind);
    }
  });
}
