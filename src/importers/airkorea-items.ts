/**
 * Conversion of AirKorea realtime items (getCtprvnRltmMesureDnsty and getMsrstnAcctoRltmMesureDnsty,
 * as JSON items or CSV rows with the API's field names) into observation records.
 *
 * Exports:
 * - `AirKoreaItem`: the item's string fields as the API returns them.
 * - `convertAirKoreaItem(item, stationId, source)`: the record for one item, or null for an item
 *   with no dataTime and no values (the API sends these for dead stations).
 * - `describeAirKoreaStation(item)`: the StationDescriptor for the item's station.
 * - `isEmptyAirRecord(record)`: true for a record with no value and no flag.
 * - `AIRKOREA_ITEM_FIELDS`: the value and flag field of each pollutant.
 * - `readAirKoreaDataTime(text)` and `readAirKoreaNumber(field, value)`: one field, throwing
 *   FieldError as the conversion does.
 */
import { POLLUTANTS, emptyAirRecord, type AirObservationRecord, type Pollutant, type StationDescriptor } from '../sources/records.js';
import { isMissingText, parseAirKoreaDataTime, parseFlag, parseMeasurement } from '../sources/values.js';
import { FieldError } from './errors.js';

/** Fields of one realtime item; every value is a string, "-" or null, as the API sends it. */
export interface AirKoreaItem {
  stationName?: string | null;
  dataTime?: string | null;
  mangName?: string | null;
  pm10Value?: string | null;
  pm25Value?: string | null;
  o3Value?: string | null;
  no2Value?: string | null;
  coValue?: string | null;
  so2Value?: string | null;
  pm10Flag?: string | null;
  pm25Flag?: string | null;
  o3Flag?: string | null;
  no2Flag?: string | null;
  coFlag?: string | null;
  so2Flag?: string | null;
  [field: string]: unknown;
}

export const AIRKOREA_ITEM_FIELDS: Record<Pollutant, { value: string; flag: string }> = {
  pm10: { value: 'pm10Value', flag: 'pm10Flag' },
  pm25: { value: 'pm25Value', flag: 'pm25Flag' },
  o3: { value: 'o3Value', flag: 'o3Flag' },
  no2: { value: 'no2Value', flag: 'no2Flag' },
  co: { value: 'coValue', flag: 'coFlag' },
  so2: { value: 'so2Value', flag: 'so2Flag' },
};

/** AirKorea network names (mangName) and the station kinds stored for them. */
const STATION_KINDS: Record<string, string> = {
  도시대기: 'urban',
  도로변대기: 'roadside',
  교외대기: 'suburban',
  국가배경농도: 'background',
  항만: 'port',
};

/**
 * Converts one item. A non-null flag (통신장애, 점검및교정, ...) means the value is not a
 * measurement, so the value is stored as null beside the flag. "0" is a real zero.
 * Throws FieldError for an unreadable number or dataTime, and for values without a dataTime.
 */
export function convertAirKoreaItem(item: AirKoreaItem, stationId: number, source: string): AirObservationRecord | null {
  const hasValues = POLLUTANTS.some((pollutant) => {
    const fields = AIRKOREA_ITEM_FIELDS[pollutant];
    return !isMissingText(item[fields.value]) || parseFlag(item[fields.flag]) !== null;
  });
  if (isMissingText(item.dataTime)) {
    if (!hasValues) return null;
    throw new FieldError('dataTime', item.dataTime, 'missing on an item that has values, so its hour is unknown');
  }
  const observedAt = readAirKoreaDataTime(String(item.dataTime));
  const record = emptyAirRecord(stationId, observedAt, source);
  for (const pollutant of POLLUTANTS) {
    const fields = AIRKOREA_ITEM_FIELDS[pollutant];
    const flag = parseFlag(item[fields.flag]);
    record[`${pollutant}Flag`] = flag;
    record[pollutant] = flag === null ? readAirKoreaNumber(fields.value, item[fields.value]) : null;
  }
  return record;
}

/** True when a record has no value and no flag, which stores nothing useful. */
export function isEmptyAirRecord(record: AirObservationRecord): boolean {
  return POLLUTANTS.every((pollutant) => record[pollutant] === null && record[`${pollutant}Flag`] === null);
}

/** Station identity of an item: AirKorea station names are unique across the country. */
export function describeAirKoreaStation(item: AirKoreaItem): StationDescriptor {
  const name = typeof item.stationName === 'string' ? item.stationName.trim() : '';
  if (name === '') throw new FieldError('stationName', item.stationName, 'every item needs a station name');
  const network = typeof item.mangName === 'string' ? item.mangName.trim() : '';
  return {
    provider: 'airkorea',
    providerCode: name,
    name,
    kind: network === '' ? null : stationKindForNetwork(network),
  };
}

/**
 * Maps a network name (mangName) to the stored station kind. A suffix such as
 * "국가배경농도(도서)" keeps the base kind, and unknown names are kept as they are.
 */
export function stationKindForNetwork(network: string): string {
  const name = network.trim();
  const known = Object.keys(STATION_KINDS).find((prefix) => name.startsWith(prefix));
  return known === undefined ? name : STATION_KINDS[known];
}

// Rows come in blocks that share one dataTime (one per station), so the last parse is reused.
let lastDataTimeText = '';
let lastDataTime = 0;

/** Parses a dataTime, throwing FieldError naming the field and the text. */
export function readAirKoreaDataTime(text: string): number {
  if (text === lastDataTimeText) return lastDataTime;
  try {
    lastDataTime = parseAirKoreaDataTime(text);
  } catch (error) {
    throw new FieldError('dataTime', text, (error as Error).message);
  }
  lastDataTimeText = text;
  return lastDataTime;
}

/** Parses a measurement, throwing FieldError naming the field and the value. */
export function readAirKoreaNumber(field: string, value: unknown): number | null {
  try {
    return parseMeasurement(value);
  } catch (error) {
    throw new FieldError(field, value, (error as Error).message);
  }
}
