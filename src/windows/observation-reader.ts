import type Database from 'better-sqlite3';
import type { DustcastDatabase } from '../db/database.js';
import { AIR_FEATURES, type AirFeature } from './feature-catalog.js';

const HOUR = 3600;

/** One station's values on an hourly grid; NaN marks an hour with no value. */
export interface HourlySeries<Column extends string> {
  /** UTC epoch seconds of index 0. */
  startAt: number;
  hours: number;
  columns: Record<Column, Float32Array>;
}

export type AirSeries = HourlySeries<AirFeature>;

/** Raw weather columns as stored; wind stays speed and direction until features are made. */
export const WEATHER_COLUMNS = ['temperature', 'humidity', 'pressure', 'precipitation', 'windSpeed', 'windDirection'] as const;
export type WeatherColumn = (typeof WEATHER_COLUMNS)[number];
export type WeatherSeries = HourlySeries<WeatherColumn>;

function emptyColumns<Column extends string>(names: readonly Column[], hours: number): Record<Column, Float32Array> {
  const columns = {} as Record<Column, Float32Array>;
  for (const name of names) columns[name] = new Float32Array(hours).fill(Number.NaN);
  return columns;
}

/**
 * Reads hourly rows through prepared statements in primary-key order, so SQLite walks the
 * index and never sorts. Statements are prepared once per reader.
 */
export class ObservationReader {
  private readonly airBounds: Database.Statement;
  private readonly airRows: Database.Statement;
  private readonly weatherBounds: Database.Statement;
  private readonly weatherRows: Database.Statement;

  constructor(database: DustcastDatabase) {
    const sqlite = database.sqlite;
    this.airBounds = sqlite.prepare(
      'SELECT MIN(observed_at), MAX(observed_at) FROM air_observations WHERE station_id = ? AND observed_at BETWEEN ? AND ?',
    );
    this.airRows = sqlite
      .prepare(
        `SELECT observed_at, last_ingested_at, ${AIR_FEATURES.join(', ')}
         FROM air_observations WHERE station_id = ? AND observed_at BETWEEN ? AND ?
         ORDER BY observed_at, source`,
      )
      .raw();
    this.weatherBounds = sqlite.prepare(
      'SELECT MIN(observed_at), MAX(observed_at) FROM weather_observations WHERE station_id = ? AND observed_at BETWEEN ? AND ?',
    );
    this.weatherRows = sqlite
      .prepare(
        `SELECT observed_at, last_ingested_at, source, temperature, humidity,
                sea_level_pressure, precipitation, wind_speed, wind_direction
         FROM weather_observations WHERE station_id = ? AND observed_at BETWEEN ? AND ?
         ORDER BY observed_at, source`,
      )
      .raw();
  }

  /**
   * Reads a station's air values for hours in [from, to], or null when it has none there.
   * Several sources may contain the same hour, such as a file import and an API pull. For each
   * pollutant the value of the most recently ingested row that has one wins. Equal ingestion
   * times go to the source that sorts first by name.
   */
  readAir(stationId: number, from: number, to: number): AirSeries | null {
    const bounds = this.airBounds.raw().get(stationId, from, to) as [number | null, number | null];
    if (bounds[0] === null || bounds[1] === null) return null;
    const startAt = Math.floor(bounds[0] / HOUR) * HOUR;
    const hours = Math.floor((bounds[1] - startAt) / HOUR) + 1;
    const columns = emptyColumns(AIR_FEATURES, hours);
    const chosenAt = new Float64Array(hours * AIR_FEATURES.length).fill(-Infinity);
    const columnList = AIR_FEATURES.map((name) => columns[name]);
    for (const row of this.airRows.iterate(stationId, from, to) as Iterable<unknown[]>) {
      const index = Math.floor(((row[0] as number) - startAt) / HOUR);
      const ingestedAt = row[1] as number;
      for (let column = 0; column < columnList.length; column += 1) {
        const value = row[2 + column] as number | null;
        if (value === null) continue;
        const slot = index * columnList.length + column;
        if (ingestedAt > chosenAt[slot]) {
          chosenAt[slot] = ingestedAt;
          columnList[column][index] = value;
        }
      }
    }
    return { startAt, hours, columns };
  }

  /**
   * Reads a KMA station's weather for hours in [from, to], or null when it has none there.
   * Per field, a kma-asos* source beats any other and the kma-nowcast feed comes last, because
   * ASOS values are quality-controlled observations. Within a tier the most recent ingestion wins.
   */
  readWeather(stationId: number, from: number, to: number): WeatherSeries | null {
    const bounds = this.weatherBounds.raw().get(stationId, from, to) as [number | null, number | null];
    if (bounds[0] === null || bounds[1] === null) return null;
    const startAt = Math.floor(bounds[0] / HOUR) * HOUR;
    const hours = Math.floor((bounds[1] - startAt) / HOUR) + 1;
    const columns = emptyColumns(WEATHER_COLUMNS, hours);
    const columnList = WEATHER_COLUMNS.map((name) => columns[name]);
    const chosenTier = new Int8Array(hours * columnList.length).fill(127);
    const chosenAt = new Float64Array(hours * columnList.length).fill(-Infinity);
    for (const row of this.weatherRows.iterate(stationId, from, to) as Iterable<unknown[]>) {
      const index = Math.floor(((row[0] as number) - startAt) / HOUR);
      const ingestedAt = row[1] as number;
      const tier = weatherSourceTier(row[2] as string);
      for (let column = 0; column < columnList.length; column += 1) {
        const value = row[3 + column] as number | null;
        if (value === null) continue;
        const slot = index * columnList.length + column;
        const better = tier < chosenTier[slot] || (tier === chosenTier[slot] && ingestedAt > chosenAt[slot]);
        if (better) {
          chosenTier[slot] = tier;
          chosenAt[slot] = ingestedAt;
          columnList[column][index] = value;
        }
      }
    }
    return { startAt, hours, columns };
  }
}

/** Lower is preferred: 0 for kma-asos*, 2 for kma-nowcast, 1 for any other source. */
export function weatherSourceTier(source: string): number {
  if (source.startsWith('kma-asos')) return 0;
  if (source === 'kma-nowcast') return 2;
  return 1;
}
