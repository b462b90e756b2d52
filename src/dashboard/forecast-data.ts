import type { DustcastDatabase } from '../db/database.js';

/** A station the forecast page can show, with its newest PM2.5 reading. */
export interface StationSummary {
  id: number;
  name: string;
  provider: string;
  latestObservedAt: number | null;
  latestPm25: number | null;
}

/** One point of a chart line: UTC epoch seconds and µg/m³. */
export interface SeriesPoint {
  at: number;
  pm25: number;
}

export interface StationSeries {
  station: StationSummary;
  championVersion: string | null;
  observed: SeriesPoint[];
  /** The champion's newest forecast run for the station, by target hour. */
  latestForecast: { issuedAt: number; points: (SeriesPoint & { horizonHours: number })[] } | null;
  /** Earlier forecasts of the shortest horizon over the same days, to compare with what was observed. */
  shortestHorizonForecasts: { horizonHours: number; points: SeriesPoint[] } | null;
}

/** Lists the stations that have PM2.5 observations, busiest first. */
export function listStations(database: DustcastDatabase): StationSummary[] {
  return database.sqlite
    .prepare(
      `SELECT s.id, s.name, s.provider,
              latest.observed_at AS latestObservedAt,
              (SELECT a.pm25 FROM air_observations a
                WHERE a.station_id = s.id AND a.observed_at = latest.observed_at AND a.pm25 IS NOT NULL
                ORDER BY a.last_ingested_at DESC LIMIT 1) AS latestPm25
         FROM stations s
         JOIN (SELECT station_id, MAX(observed_at) AS observed_at, COUNT(*) AS hours
                 FROM air_observations WHERE pm25 IS NOT NULL GROUP BY station_id) latest
           ON latest.station_id = s.id
        ORDER BY latest.hours DESC, s.name`,
    )
    .all() as StationSummary[];
}

/**
 * Reads `days` of observed PM2.5 up to the station's newest observation, and the champion's
 * forecasts for those days and after. When several sources cover one hour, the most recently
 * ingested value is shown.
 */
export function readStationSeries(database: DustcastDatabase, stationId: number, days: number): StationSeries | null {
  const station = listStations(database).find((candidate) => candidate.id === stationId);
  if (!station || station.latestObservedAt === null) return null;
  const from = station.latestObservedAt - days * 86_400;

  const observed = database.sqlite
    .prepare(
      `SELECT observed_at AS at, pm25, MAX(last_ingested_at) AS newest
         FROM air_observations
        WHERE station_id = ? AND observed_at >= ? AND pm25 IS NOT NULL
        GROUP BY observed_at ORDER BY observed_at`,
    )
    .all(stationId, from)
    .map((row) => ({ at: (row as SeriesPoint).at, pm25: (row as SeriesPoint).pm25 }));

  const champion = database.sqlite.prepare(`SELECT version FROM models WHERE status = 'champion'`).get() as { version: string } | undefined;
  const series: StationSeries = { station, championVersion: champion?.version ?? null, observed, latestForecast: null, shortestHorizonForecasts: null };
  if (!champion) return series;

  const latestIssue = database.sqlite
    .prepare(`SELECT MAX(issued_at) AS issuedAt FROM forecasts WHERE station_id = ? AND model_version = ?`)
    .get(stationId, champion.version) as { issuedAt: number | null };
  if (latestIssue.issuedAt !== null) {
    const points = database.sqlite
      .prepare(
        `SELECT target_at AS at, pm25, horizon_hours AS horizonHours FROM forecasts
          WHERE station_id = ? AND model_version = ? AND issued_at = ? AND pm25 IS NOT NULL
          ORDER BY target_at`,
      )
      .all(stationId, champion.version, latestIssue.issuedAt) as (SeriesPoint & { horizonHours: number })[];
    series.latestForecast = { issuedAt: latestIssue.issuedAt, points };
  }

  const shortest = database.sqlite
    .prepare(`SELECT MIN(horizon_hours) AS horizonHours FROM forecasts WHERE station_id = ? AND model_version = ?`)
    .get(stationId, champion.version) as { horizonHours: number | null };
  if (shortest.horizonHours !== null) {
    const points = database.sqlite
      .prepare(
        `SELECT target_at AS at, pm25 FROM forecasts
          WHERE station_id = ? AND model_version = ? AND horizon_hours = ? AND target_at >= ? AND pm25 IS NOT NULL
          ORDER BY target_at`,
      )
      .all(stationId, champion.version, shortest.horizonHours, from) as SeriesPoint[];
    series.shortestHorizonForecasts = { horizonHours: shortest.horizonHours, points };
  }
  return series;
}
