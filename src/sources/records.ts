/**
 * Observation records produced by every file importer and API client, and written through one
 * upsert path. Missing values are null; a flagged value is null with its flag kept.
 */

export const POLLUTANTS = ['pm10', 'pm25', 'o3', 'no2', 'co', 'so2'] as const;
export type Pollutant = (typeof POLLUTANTS)[number];

export interface AirObservationRecord {
  stationId: number;
  /** Start of the labelled hour, UTC epoch seconds. */
  observedAt: number;
  source: string;
  pm10: number | null;
  pm25: number | null;
  o3: number | null;
  no2: number | null;
  co: number | null;
  so2: number | null;
  pm10Flag: string | null;
  pm25Flag: string | null;
  o3Flag: string | null;
  no2Flag: string | null;
  coFlag: string | null;
  so2Flag: string | null;
}

export const WEATHER_FIELDS = [
  'temperature',
  'precipitation',
  'windSpeed',
  'windDirection',
  'humidity',
  'vaporPressure',
  'dewPoint',
  'stationPressure',
  'seaLevelPressure',
  'sunshine',
  'solarRadiation',
  'snowDepth',
  'groundTemperature',
] as const;
export type WeatherField = (typeof WEATHER_FIELDS)[number];

export const WEATHER_QC_FIELDS = [
  'temperatureQc',
  'precipitationQc',
  'windSpeedQc',
  'windDirectionQc',
  'humidityQc',
  'stationPressureQc',
  'seaLevelPressureQc',
  'sunshineQc',
  'groundTemperatureQc',
] as const;
export type WeatherQcField = (typeof WEATHER_QC_FIELDS)[number];

export type WeatherObservationRecord = {
  stationId: number;
  observedAt: number;
  source: string;
} & Record<WeatherField, number | null> &
  Record<WeatherQcField, number | null>;

/** Station identity as a provider describes it; ensureStation turns it into a row id. */
export interface StationDescriptor {
  provider: string;
  providerCode: string;
  name: string;
  kind?: string | null;
  latitude?: number | null;
  longitude?: number | null;
  address?: string | null;
  weatherStationCode?: string | null;
}

export function emptyAirRecord(stationId: number, observedAt: number, source: string): AirObservationRecord {
  return {
    stationId,
    observedAt,
    source,
    pm10: null,
    pm25: null,
    o3: null,
    no2: null,
    co: null,
    so2: null,
    pm10Flag: null,
    pm25Flag: null,
    o3Flag: null,
    no2Flag: null,
    coFlag: null,
    so2Flag: null,
  };
}

export function emptyWeatherRecord(stationId: number, observedAt: number, source: string): WeatherObservationRecord {
  const record = { stationId, observedAt, source } as WeatherObservationRecord;
  for (const field of WEATHER_FIELDS) record[field] = null;
  for (const field of WEATHER_QC_FIELDS) record[field] = null;
  return record;
}
