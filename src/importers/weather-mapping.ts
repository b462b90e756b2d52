import type { DustcastDatabase } from '../db/database.js';
import { nowSeconds } from '../time/kst.js';
import { resolveWeatherStationId } from '../windows/station-selection.js';

/** A stations row as the station commands show it. */
export interface StationRecord {
  id: number;
  provider: string;
  providerCode: string;
  name: string;
  kind: string | null;
  latitude: number | null;
  longitude: number | null;
  address: string | null;
  weatherStationCode: string | null;
}

const STATION_COLUMNS = `id, provider, provider_code AS providerCode, name, kind, latitude, longitude, address,
  weather_station_code AS weatherStationCode`;

/** Lists stations ordered by provider and code, optionally of one provider. */
export function listStations(database: DustcastDatabase, provider?: string): StationRecord[] {
  if (provider !== undefined) {
    return database.sqlite.prepare(`SELECT ${STATION_COLUMNS} FROM stations WHERE provider = ? ORDER BY provider_code`).all(provider) as StationRecord[];
  }
  return database.sqlite.prepare(`SELECT ${STATION_COLUMNS} FROM stations ORDER BY provider, provider_code`).all() as StationRecord[];
}

/**
 * Finds one station by row id, "provider:code", or provider code alone when exactly one
 * provider uses it. Throws naming the reference and the matches when it is unknown or ambiguous.
 */
export function findStation(database: DustcastDatabase, reference: string): StationRecord {
  const text = reference.trim();
  if (/^\d+$/.test(text)) {
    const byId = database.sqlite.prepare(`SELECT ${STATION_COLUMNS} FROM stations WHERE id = ?`).get(Number(text)) as StationRecord | undefined;
    if (byId) return byId;
  }
  const separator = text.indexOf(':');
  const matches =
    separator > 0
      ? (database.sqlite
          .prepare(`SELECT ${STATION_COLUMNS} FROM stations WHERE provider = ? AND provider_code = ?`)
          .all(text.slice(0, separator), text.slice(separator + 1)) as StationRecord[])
      : (database.sqlite.prepare(`SELECT ${STATION_COLUMNS} FROM stations WHERE provider_code = ? OR name = ?`).all(text, text) as StationRecord[]);
  if (matches.length === 1) return matches[0];
  if (matches.length === 0) throw new Error(`station "${reference}" not found; run "dustcast stations list" to see ids and codes`);
  const choices = matches.map((station) => `${station.id} (${station.provider}:${station.providerCode})`).join(', ');
  throw new Error(`station "${reference}" is ambiguous: ${choices}; pass the id or provider:code`);
}

/**
 * Returns the stations.id of the KMA station whose weather `stationId` uses: the ASOS station
 * set in weather_station_code, otherwise the nearest KMA station with coordinates. Returns null
 * when the configured code is not in the database, or when no distance can be computed.
 */
export function resolveWeatherStation(database: DustcastDatabase, stationId: number): number | null {
  const columns = `id, provider, provider_code AS providerCode, name, latitude, longitude, weather_station_code AS weatherStationCode`;
  const station = database.sqlite.prepare(`SELECT ${columns} FROM stations WHERE id = ?`).get(stationId) as
    | Parameters<typeof resolveWeatherStationId>[0]
    | undefined;
  if (station === undefined) throw new Error(`station id ${stationId} not found; run "dustcast stations list" to see ids`);
  const kmaStations = database.sqlite.prepare(`SELECT ${columns} FROM stations WHERE provider = 'kma' ORDER BY id`).all() as Parameters<
    typeof resolveWeatherStationId
  >[1];
  return resolveWeatherStationId(station, kmaStations);
}

/** Stores the ASOS station number a station's weather comes from; null restores the nearest-station default. */
export function setWeatherStationCode(database: DustcastDatabase, stationId: number, code: string | null): void {
  if (code !== null && !/^\d+$/.test(code)) throw new Error(`invalid KMA ASOS station number "${code}": use digits such as 108, or "nearest"`);
  const result = database.sqlite
    .prepare('UPDATE stations SET weather_station_code = ?, updated_at = ? WHERE id = ?')
    .run(code, nowSeconds(), stationId);
  if (result.changes === 0) throw new Error(`station id ${stationId} not found; run "dustcast stations list" to see ids`);
}
