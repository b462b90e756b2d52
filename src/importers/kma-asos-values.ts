/**
 * Conversion of KMA ASOS hourly weather values (종관기상관측 시간자료) into observation records,
 * shared by the portal CSV and XLSX importers and usable for API items once their fields are
 * renamed to WeatherField names.
 *
 * Exports:
 * - `KmaAsosRawValues`: raw strings or numbers keyed by WeatherField and WeatherQcField names.
 * - `convertKmaAsosValues(raw, stationId, observedAt, source)`: the record for one hour.
 * - `parseKmaDateTime(text)`: portal 일시 "YYYY-MM-DD HH:MM" (hours 0..23, unpadded allowed) in KST.
 * - `KMA_PORTAL_COLUMNS`: portal header text for each field, in both export layouts.
 */
import {
  WEATHER_FIELDS,
  WEATHER_QC_FIELDS,
  emptyWeatherRecord,
  type WeatherField,
  type WeatherObservationRecord,
  type WeatherQcField,
} from '../sources/records.js';
import { isMissingText, parseMeasurement } from '../sources/values.js';
import { kstToEpochSeconds } from '../time/kst.js';
import { FieldError } from './errors.js';

export type KmaAsosRawValues = Partial<Record<WeatherField | WeatherQcField, unknown>>;

/** KMA QC flag meaning "value missing or not observed". */
export const QC_MISSING = 9;

/**
 * Portal CSV headers (data.kma.go.kr, both OBS_ASOS_TIM_* and SURFACE_ASOS_*_HR_* exports) for
 * each stored field. Columns not listed here (cloud, visibility, soil temperatures) are not stored.
 */
export const KMA_PORTAL_COLUMNS: Partial<Record<WeatherField | WeatherQcField, string>> = {
  temperature: '기온(°C)',
  temperatureQc: '기온 QC플래그',
  precipitation: '강수량(mm)',
  precipitationQc: '강수량 QC플래그',
  windSpeed: '풍속(m/s)',
  windSpeedQc: '풍속 QC플래그',
  windDirection: '풍향(16방위)',
  windDirectionQc: '풍향 QC플래그',
  humidity: '습도(%)',
  humidityQc: '습도 QC플래그',
  vaporPressure: '증기압(hPa)',
  dewPoint: '이슬점온도(°C)',
  stationPressure: '현지기압(hPa)',
  stationPressureQc: '현지기압 QC플래그',
  seaLevelPressure: '해면기압(hPa)',
  seaLevelPressureQc: '해면기압 QC플래그',
  sunshine: '일조(hr)',
  sunshineQc: '일조 QC플래그',
  solarRadiation: '일사(MJ/m2)',
  snowDepth: '적설(cm)',
  groundTemperature: '지면온도(°C)',
  groundTemperatureQc: '지면온도 QC플래그',
};

/** Portal headers for the station number, station name and observation time. */
export const KMA_PORTAL_KEY_COLUMNS = { stationCode: '지점', stationName: '지점명', time: '일시' } as const;

/**
 * Parses the portal's 일시 as KST. Accepts "2021-01-01 01:00" and the spreadsheet re-save's
 * "2021-01-01 1:00"; seconds (":00") are allowed and must be zero.
 */
export function parseKmaDateTime(text: string): number {
  const match = /^\s*(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?\s*$/.exec(text);
  if (!match) throw new Error('expected "YYYY-MM-DD HH:MM" with hours 00..23');
  const [year, month, day, hour, minute] = match.slice(1, 6).map(Number);
  const second = Number(match[6] ?? 0);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second !== 0) {
    throw new Error('month, day, hour or minute out of range');
  }
  const observedAt = kstToEpochSeconds(year, month, day, hour, minute);
  if (new Date((observedAt + 9 * 3600) * 1000).getUTCDate() !== day) throw new Error(`${year}-${month}-${day} is not a calendar day`);
  return observedAt;
}

/**
 * Converts one hour of ASOS values. An empty precipitation means no rain and is stored as 0,
 * unless its QC flag is 9 (missing), which stores null. Other empty values are null. Throws
 * FieldError naming the field for a value that is not a number.
 */
export function convertKmaAsosValues(
  raw: KmaAsosRawValues,
  stationId: number,
  observedAt: number,
  source: string,
): WeatherObservationRecord {
  const record = emptyWeatherRecord(stationId, observedAt, source);
  for (const field of WEATHER_QC_FIELDS) record[field] = readQcFlag(field, raw[field]);
  for (const field of WEATHER_FIELDS) record[field] = readNumber(field, raw[field]);
  if (record.precipitation === null && isMissingText(raw.precipitation) && record.precipitationQc !== QC_MISSING) {
    record.precipitation = 0;
  }
  return record;
}

/** Rounds away binary float noise from spreadsheets (1.1000000000000001 becomes 1.1). */
export function roundFloatNoise(value: number): number {
  return Number.isInteger(value) ? value : Number(value.toPrecision(12));
}

function readNumber(field: string, value: unknown): number | null {
  try {
    const parsed = parseMeasurement(value);
    return parsed === null ? null : roundFloatNoise(parsed);
  } catch (error) {
    throw new FieldError(field, value, (error as Error).message);
  }
}

function readQcFlag(field: string, value: unknown): number | null {
  if (isMissingText(value)) return null;
  const text = String(value).trim();
  if (!/^\d+$/.test(text)) throw new FieldError(field, value, 'a QC flag is a whole number such as 0, 1 or 9');
  return Number(text);
}
