import { describeKmaStation } from '../../importers/kma-stations.js';
import { emptyWeatherRecord, type StationDescriptor, type WeatherField, type WeatherObservationRecord } from '../records.js';
import type { JsonObject } from '../responses/body-shapes.js';
import { parseKstCompactDateTime } from '../kst-calendar.js';
import { parseMeasurement } from '../values.js';

/**
 * getUltraSrtNcst category stored for each weather field. UUU and VVV (wind components) and PTY
 * (precipitation type) have no column; wind is kept as speed (WSD) and direction (VEC).
 */
const NOWCAST_CATEGORIES: Record<string, WeatherField> = {
  T1H: 'temperature',
  RN1: 'precipitation',
  REH: 'humidity',
  WSD: 'windSpeed',
  VEC: 'windDirection',
};

/** KMA writes missing observations as values of +900 or more, or -900 or less. */
const MISSING_MAGNITUDE = 900;

/**
 * Groups nowcast items (one per category) into one weather record per observation hour for the
 * KMA station the grid cell was derived from. Throws naming the field for an unreadable value.
 */
export function convertNowcastItems(
  items: JsonObject[],
  stationCode: string,
  source: string,
): { station: StationDescriptor; record: Omit<WeatherObservationRecord, 'stationId'> }[] {
  const station = describeKmaStation(stationCode);
  const byHour = new Map<number, Omit<WeatherObservationRecord, 'stationId'>>();
  for (const item of items) {
    const field = NOWCAST_CATEGORIES[String(item.category ?? '')];
    if (field === undefined) continue;
    const dateText = `${String(item.baseDate ?? '')}${String(item.baseTime ?? '').padStart(4, '0')}`;
    let observedAt: number;
    try {
      observedAt = parseKstCompactDateTime(dateText);
    } catch (error) {
      throw new Error(`field "baseDate"/"baseTime" has invalid value "${dateText}": ${(error as Error).message}`);
    }
    let record = byHour.get(observedAt);
    if (record === undefined) {
      const { stationId: _unused, ...empty } = emptyWeatherRecord(0, observedAt, source);
      record = empty;
      byHour.set(observedAt, record);
    }
    record[field] = readObservation(item.category as string, item.obsrValue);
  }
  return [...byHour.values()].map((record) => ({ station, record }));
}

function readObservation(category: string, value: unknown): number | null {
  // RN1 is text such as "강수없음" (no rain) or "1.5mm" in some responses, and a plain number in others.
  let text = typeof value === 'string' ? value.trim() : value;
  if (category === 'RN1' && typeof text === 'string') {
    if (text === '강수없음') return 0;
    text = text.replace(/mm$/, '');
  }
  let number: number | null;
  try {
    number = parseMeasurement(text);
  } catch (error) {
    throw new Error(`field "obsrValue" of ${category} has invalid value ${JSON.stringify(value)}: ${(error as Error).message}`);
  }
  if (number === null || Math.abs(number) >= MISSING_MAGNITUDE) return null;
  return number;
}
