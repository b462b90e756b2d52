import { CALENDAR_FEATURES, GAS_FEATURES, MISSING_MASK_FEATURE, NEIGHBOUR_FEATURE, WEATHER_FEATURES } from './feature-catalog.js';
import type { AirSeries, WeatherSeries } from './observation-reader.js';

/** Share of a station's PM2.5 hours a column must cover to be a default feature. */
export const DEFAULT_FEATURE_COVERAGE = 0.8;

/** Minimum number of stations for which `auto` turns the neighbour feature on. */
export const NEIGHBOUR_MINIMUM_STATIONS = 3;

export type NeighbourMode = 'auto' | 'on' | 'off';

function countValues(column: Float32Array): number {
  let count = 0;
  for (let index = 0; index < column.length; index += 1) if (!Number.isNaN(column[index])) count += 1;
  return count;
}

/** Share of the station's PM2.5 hours at which `column` (on `columnStartAt`'s grid) has a value. */
function coverageOfPm25Hours(air: AirSeries, column: Float32Array, columnStartAt: number): number {
  const pm25 = air.columns.pm25;
  const offset = (air.startAt - columnStartAt) / 3600;
  let pm25Hours = 0;
  let covered = 0;
  for (let index = 0; index < air.hours; index += 1) {
    if (Number.isNaN(pm25[index])) continue;
    pm25Hours += 1;
    const source = index + offset;
    if (source >= 0 && source < column.length && !Number.isNaN(column[source])) covered += 1;
  }
  return pm25Hours === 0 ? 0 : covered / pm25Hours;
}

/**
 * Chooses the default feature list. It always has PM2.5, PM10 and the KST calendar encodings.
 * A gas joins when every station reports it for at least 80 % of its PM2.5 hours, and the
 * weather features join when every station's KMA station has that coverage. The neighbour mean
 * follows `neighbourMode`, and the was-missing mask joins when gaps are filled. Requiring every
 * station keeps one feature list valid for all of them.
 */
export function chooseDefaultFeatures(options: {
  airByStation: AirSeries[];
  weatherByStation: (WeatherSeries | null)[];
  neighbourMode: NeighbourMode;
  maxGapHours: number;
}): string[] {
  const { airByStation, weatherByStation } = options;
  const features: string[] = ['pm25', 'pm10'];
  for (const gas of GAS_FEATURES) {
    const everywhere = airByStation.every((air) => coverageOfPm25Hours(air, air.columns[gas], air.startAt) >= DEFAULT_FEATURE_COVERAGE);
    if (everywhere && airByStation.some((air) => countValues(air.columns[gas]) > 0)) features.push(gas);
  }
  features.push(...CALENDAR_FEATURES);
  const weatherEverywhere = airByStation.every((air, index) => {
    const weather = weatherByStation[index];
    if (!weather) return false;
    return (
      coverageOfPm25Hours(air, weather.columns.temperature, weather.startAt) >= DEFAULT_FEATURE_COVERAGE &&
      coverageOfPm25Hours(air, weather.columns.windSpeed, weather.startAt) >= DEFAULT_FEATURE_COVERAGE
    );
  });
  if (weatherEverywhere) features.push(...WEATHER_FEATURES);
  if (useNeighbourFeature(options.neighbourMode, airByStation.length)) features.push(NEIGHBOUR_FEATURE);
  if (options.maxGapHours > 0) features.push(MISSING_MASK_FEATURE);
  return features;
}

/** Decides whether the neighbour feature is used; throws for `on` with fewer than two stations. */
export function useNeighbourFeature(mode: NeighbourMode, stationCount: number): boolean {
  if (mode === 'off') return false;
  if (mode === 'on') {
    if (stationCount < 2) {
      throw new Error(`DUSTCAST_NEIGHBOUR_FEATURES=on needs at least two stations but ${stationCount} has air observations; import more stations or set it to auto`);
    }
    return true;
  }
  return stationCount >= NEIGHBOUR_MINIMUM_STATIONS;
}
