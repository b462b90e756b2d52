/**
 * Names of the input features a window set can contain. A model stores the exact list it was
 * trained on, and evaluation and forecasting rebuild windows from that list.
 */

/** Air-quality columns read from air_observations, in µg/m³ (PM) or ppm (gases). */
export const AIR_FEATURES = ['pm25', 'pm10', 'o3', 'no2', 'co', 'so2'] as const;
export type AirFeature = (typeof AIR_FEATURES)[number];

/** Gases included by default only when every selected station reports them. */
export const GAS_FEATURES = ['o3', 'no2', 'co', 'so2'] as const;

/** Sine and cosine of the KST hour of day and of the KST day of year. */
export const CALENDAR_FEATURES = ['hour_sin', 'hour_cos', 'day_of_year_sin', 'day_of_year_cos'] as const;
export type CalendarFeature = (typeof CALENDAR_FEATURES)[number];

/**
 * Weather columns from the station's KMA station: °C, %, sea-level hPa, mm in the hour, and the
 * wind as eastward (u) and northward (v) components in m/s.
 */
export const WEATHER_FEATURES = ['temperature', 'humidity', 'pressure', 'precipitation', 'wind_u', 'wind_v'] as const;
export type WeatherFeature = (typeof WEATHER_FEATURES)[number];

/** Mean PM2.5 of the other stations at the same hour. */
export const NEIGHBOUR_FEATURE = 'neighbour_pm25';

/** 1 when any other feature of the hour was filled by interpolation, else 0. */
export const MISSING_MASK_FEATURE = 'was_missing';

export const KNOWN_FEATURES: readonly string[] = [
  ...AIR_FEATURES,
  ...CALENDAR_FEATURES,
  ...WEATHER_FEATURES,
  NEIGHBOUR_FEATURE,
  MISSING_MASK_FEATURE,
];

export function isAirFeature(name: string): name is AirFeature {
  return (AIR_FEATURES as readonly string[]).includes(name);
}

export function isWeatherFeature(name: string): name is WeatherFeature {
  return (WEATHER_FEATURES as readonly string[]).includes(name);
}

export function isCalendarFeature(name: string): name is CalendarFeature {
  return (CALENDAR_FEATURES as readonly string[]).includes(name);
}

/** Throws naming every unknown feature and listing the valid names. */
export function validateFeatureNames(names: readonly string[]): void {
  const unknown = names.filter((name) => !KNOWN_FEATURES.includes(name));
  if (unknown.length > 0) {
    throw new Error(
      `unknown feature name(s) ${unknown.map((name) => `"${name}"`).join(', ')}: ` +
        `use a comma-separated subset of ${KNOWN_FEATURES.join(', ')} in DUSTCAST_FEATURES, or leave it empty for the defaults`,
    );
  }
  const duplicates = names.filter((name, index) => names.indexOf(name) !== index);
  if (duplicates.length > 0) {
    throw new Error(`feature name(s) ${[...new Set(duplicates)].join(', ')} appear more than once in the feature list; list each feature once`);
  }
}
