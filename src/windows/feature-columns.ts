import { CalendarEncoder, type CalendarEncoding } from './calendar.js';
import { isAirFeature, MISSING_MASK_FEATURE, NEIGHBOUR_FEATURE, type WeatherFeature } from './feature-catalog.js';
import { fillShortGaps } from './gap-fill.js';
import type { AirSeries, WeatherSeries } from './observation-reader.js';
import { windComponents } from './wind.js';

const HOUR = 3600;

/** Hourly PM2.5 sums and counts over all stations on one grid, for the neighbour feature. */
export interface NeighbourTotals {
  startAt: number;
  sums: Float64Array;
  counts: Int32Array;
}

/** One station's feature columns on its own hourly grid, after short gaps were filled. */
export interface StationColumns {
  startAt: number;
  hours: number;
  /** In the order of the feature list; NaN where a value is missing after filling. */
  features: Float32Array[];
  /** Observed (never interpolated) target values; NaN where not observed. */
  targets: Float32Array[];
  /** 1 where every feature and target has a value, so the hour can be part of a block. */
  usable: Uint8Array;
  filledHours: number;
}

function weatherColumn(name: WeatherFeature, weather: WeatherSeries, offset: number, hours: number): Float32Array {
  const column = new Float32Array(hours).fill(Number.NaN);
  for (let index = 0; index < hours; index += 1) {
    const source = index + offset;
    if (source < 0 || source >= weather.hours) continue;
    if (name === 'wind_u' || name === 'wind_v') {
      const speed = weather.columns.windSpeed[source];
      const direction = weather.columns.windDirection[source];
      const wind = windComponents(Number.isNaN(speed) ? null : speed, Number.isNaN(direction) ? null : direction);
      column[index] = name === 'wind_u' ? wind.u : wind.v;
    } else {
      column[index] = weather.columns[name][source];
    }
  }
  return column;
}

// NOTE: the mean covers the stations of the current build. Evaluation and forecasts default to
// the training stations, but an explicit subset, or a station without recent data, changes it.
function neighbourColumn(totals: NeighbourTotals, ownPm25: Float32Array, startAt: number, hours: number): Float32Array {
  const column = new Float32Array(hours).fill(Number.NaN);
  const offset = (startAt - totals.startAt) / HOUR;
  for (let index = 0; index < hours; index += 1) {
    const slot = index + offset;
    const own = ownPm25[index];
    const sum = totals.sums[slot] - (Number.isNaN(own) ? 0 : own);
    const count = totals.counts[slot] - (Number.isNaN(own) ? 0 : 1);
    if (count > 0) column[index] = sum / count;
  }
  return column;
}

/**
 * Builds every feature column of one station, fills gaps of at most `maxGapHours` in each
 * measured column, and marks the hours where all columns have a value. `filledPm25` is the
 * station's PM2.5 after filling, as summed into the neighbour totals, so the station's own value
 * can be taken out of the mean.
 */
export function buildStationColumns(options: {
  air: AirSeries;
  filledPm25: Float32Array;
  weather: WeatherSeries | null;
  neighbours: NeighbourTotals | null;
  featureNames: readonly string[];
  targets: readonly ('pm25' | 'pm10')[];
  maxGapHours: number;
}): StationColumns {
  const { air, weather, featureNames, maxGapHours } = options;
  const { startAt, hours } = air;
  const filled = new Uint8Array(hours);
  let filledHours = 0;
  const measured = new Map<string, Float32Array>();
  const fillMeasured = (name: string, column: Float32Array) => {
    filledHours += fillShortGaps(column, maxGapHours, filled);
    measured.set(name, column);
  };
  for (const name of featureNames) {
    if (isAirFeature(name)) {
      fillMeasured(name, air.columns[name].slice());
    } else if (name === NEIGHBOUR_FEATURE) {
      if (!options.neighbours) throw new Error('neighbour_pm25 needs neighbour totals; build them from at least two stations');
      fillMeasured(name, neighbourColumn(options.neighbours, options.filledPm25, startAt, hours));
    } else if (name !== MISSING_MASK_FEATURE && !name.startsWith('hour_') && !name.startsWith('day_of_year_')) {
      const offset = weather ? (startAt - weather.startAt) / HOUR : 0;
      const column = weather ? weatherColumn(name as WeatherFeature, weather, offset, hours) : new Float32Array(hours).fill(Number.NaN);
      fillMeasured(name, column);
    }
  }
  // Targets must have a value (observed or filled) at every hour of a block.
  const targetFilled = options.targets.map((target) => {
    const column = air.columns[target].slice();
    filledHours += fillShortGaps(column, maxGapHours, filled);
    return column;
  });

  const calendar = new Map<string, Float32Array>();
  const needsCalendar = featureNames.some((name) => name.startsWith('hour_') || name.startsWith('day_of_year_'));
  if (needsCalendar) {
    const encoder = new CalendarEncoder();
    const encoding: CalendarEncoding = { hourSin: 0, hourCos: 0, dayOfYearSin: 0, dayOfYearCos: 0 };
    const columns = {
      hour_sin: new Float32Array(hours),
      hour_cos: new Float32Array(hours),
      day_of_year_sin: new Float32Array(hours),
      day_of_year_cos: new Float32Array(hours),
    };
    for (let index = 0; index < hours; index += 1) {
      encoder.encode(startAt + index * HOUR, encoding);
      columns.hour_sin[index] = encoding.hourSin;
      columns.hour_cos[index] = encoding.hourCos;
      columns.day_of_year_sin[index] = encoding.dayOfYearSin;
      columns.day_of_year_cos[index] = encoding.dayOfYearCos;
    }
    for (const [name, column] of Object.entries(columns)) calendar.set(name, column);
  }

  const features = featureNames.map((name) => {
    if (name === MISSING_MASK_FEATURE) return Float32Array.from(filled);
    return measured.get(name) ?? (calendar.get(name) as Float32Array);
  });
  const usable = new Uint8Array(hours).fill(1);
  for (const column of [...measured.values(), ...targetFilled]) {
    for (let index = 0; index < hours; index += 1) if (Number.isNaN(column[index])) usable[index] = 0;
  }
  const targets = options.targets.map((target) => air.columns[target]);
  return { startAt, hours, features, targets, usable, filledHours };
}
