import { WEATHER_FIELDS, type WeatherField, type WeatherQcField } from '../sources/records.js';
import { isMissingText } from '../sources/values.js';
import { indexColumns } from './csv-table.js';
import { FieldError, ImportFileError } from './errors.js';
import type { ImportSession } from './import-session.js';
import type { InputTable, LoadedInput } from './input-table.js';
import { KMA_PORTAL_COLUMNS, KMA_PORTAL_KEY_COLUMNS, convertKmaAsosValues, parseKmaDateTime, type KmaAsosRawValues } from './kma-asos-values.js';
import { describeKmaStation } from './kma-stations.js';
import { kstToEpochSeconds } from '../time/kst.js';

/** Days from the Excel epoch (1899-12-30, which absorbs the 1900 leap-year bug) to 1970-01-01. */
const EXCEL_UNIX_EPOCH_DAYS = 25_569;

/**
 * Converts an Excel serial date-time written in KST to UTC epoch seconds, rounding to the
 * minute because stored serials carry float noise (42005.041666666664 is 2015-01-01 01:00).
 */
export function excelSerialToEpochSeconds(serial: number): number {
  const wallMinutes = Math.round(((serial - EXCEL_UNIX_EPOCH_DAYS) * 86_400) / 60);
  const wall = new Date(wallMinutes * 60_000);
  return kstToEpochSeconds(wall.getUTCFullYear(), wall.getUTCMonth() + 1, wall.getUTCDate(), wall.getUTCHours(), wall.getUTCMinutes());
}

type ValueColumns = [WeatherField | WeatherQcField, number][];

function resolveColumns(file: string, table: InputTable) {
  const index = indexColumns(table.header);
  const code = index.get(KMA_PORTAL_KEY_COLUMNS.stationCode);
  const time = index.get(KMA_PORTAL_KEY_COLUMNS.time);
  if (code === undefined || time === undefined) {
    throw new ImportFileError(file, `missing column "${code === undefined ? '지점' : '일시'}" for the kma-asos format`);
  }
  const values: ValueColumns = [];
  for (const [field, header] of Object.entries(KMA_PORTAL_COLUMNS)) {
    const column = index.get(header!);
    if (column !== undefined) values.push([field as WeatherField | WeatherQcField, column]);
  }
  if (!values.some(([field]) => field === 'temperature')) throw new ImportFileError(file, 'missing column "기온(°C)" for the kma-asos format');
  return { code, name: index.get(KMA_PORTAL_KEY_COLUMNS.stationName), time, values };
}

/** Reads 일시 as text ("2021-01-01 01:00" or "2021-01-01 1:00") or as an Excel serial number. */
function readTime(value: unknown): number {
  if (typeof value === 'number') return excelSerialToEpochSeconds(value);
  try {
    return parseKmaDateTime(String(value ?? ''));
  } catch (error) {
    throw new FieldError(KMA_PORTAL_KEY_COLUMNS.time, value, (error as Error).message);
  }
}

/**
 * Imports KMA ASOS hourly weather from the data.kma.go.kr CSV (OBS_ASOS_TIM_* with QC columns,
 * SURFACE_ASOS_*_HR_* without), its spreadsheet re-save or the XLSX workbook. Each station is
 * stored with provider "kma" and its ASOS number as provider code.
 */
export function importKmaAsosFile(input: LoadedInput, session: ImportSession): void {
  if (input.kind !== 'table') throw new ImportFileError(session.file, 'the kma-asos format reads CSV or XLSX, not JSON');
  const columns = resolveColumns(session.file, input.table);
  const lineKind = input.encoding === 'xlsx' ? 'row' : 'line';
  const stationIds = new Map<string, number>();
  input.table.forEachRow((row, line) => {
    session.rowRead();
    try {
      const raw: KmaAsosRawValues = {};
      for (const [field, column] of columns.values) raw[field] = row[column];
      if (WEATHER_FIELDS.every((field) => isMissingText(raw[field]))) {
        session.skipMissing();
        return;
      }
      const code = String(row[columns.code] ?? '').trim();
      if (!/^\d+$/.test(code)) throw new FieldError(KMA_PORTAL_KEY_COLUMNS.stationCode, row[columns.code], 'expected an ASOS station number such as 108');
      let stationId = stationIds.get(code);
      if (stationId === undefined) {
        const name = columns.name === undefined ? null : String(row[columns.name] ?? '');
        stationId = session.station(describeKmaStation(code, name));
        stationIds.set(code, stationId);
      }
      const observedAt = readTime(row[columns.time]);
      session.writeWeather(convertKmaAsosValues(raw, stationId, observedAt, session.source));
    } catch (error) {
      throw session.rowError(error, line, lineKind);
    }
  });
}
