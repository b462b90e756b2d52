import type { DustcastDatabase } from '../db/database.js';

/** An air-quality station with air observations, and the KMA station whose weather it uses. */
export interface SelectedStation {
  id: number;
  provider: string;
  providerCode: string;
  name: string;
  /** stations.id of the KMA station, or null when none is mapped or near. */
  weatherStationId: number | null;
}

interface StationRow {
  id: number;
  provider: string;
  providerCode: string;
  name: string;
  latitude: number | null;
  longitude: number | null;
  weatherStationCode: string | null;
}

const EARTH_RADIUS_KM = 6371;

/** Great-circle distance in km. */
export function haversineKm(latitudeA: number, longitudeA: number, latitudeB: number, longitudeB: number): number {
  const radians = Math.PI / 180;
  const deltaLatitude = (latitudeB - latitudeA) * radians;
  const deltaLongitude = (longitudeB - longitudeA) * radians;
  const a =
    Math.sin(deltaLatitude / 2) ** 2 +
    Math.cos(latitudeA * radians) * Math.cos(latitudeB * radians) * Math.sin(deltaLongitude / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
}

/**
 * Picks the KMA station for an air station: the one named by weather_station_code, otherwise
 * the nearest `kma` station with coordinates. Returns null when the code matches no KMA
 * station, or when either side lacks coordinates.
 */
export function resolveWeatherStationId(station: StationRow, kmaStations: StationRow[]): number | null {
  if (station.weatherStationCode !== null) {
    const mapped = kmaStations.find((candidate) => candidate.providerCode === station.weatherStationCode);
    return mapped ? mapped.id : null;
  }
  if (station.latitude === null || station.longitude === null) return null;
  let nearest: StationRow | null = null;
  let nearestKm = Infinity;
  for (const candidate of kmaStations) {
    if (candidate.latitude === null || candidate.longitude === null || candidate.id === station.id) continue;
    const distance = haversineKm(station.latitude, station.longitude, candidate.latitude, candidate.longitude);
    if (distance < nearestKm) {
      nearest = candidate;
      nearestKm = distance;
    }
  }
  return nearest ? nearest.id : null;
}

/**
 * Lists stations that have air observations, sorted by id, optionally only those in
 * `stationIds`, each with its resolved KMA weather station. Throws on requested ids that do
 * not exist.
 */
export function selectStations(database: DustcastDatabase, stationIds?: readonly number[]): SelectedStation[] {
  const columns = `id, provider, provider_code AS providerCode, name, latitude, longitude,
                   weather_station_code AS weatherStationCode`;
  const withAir = database.sqlite
    .prepare(
      `SELECT ${columns} FROM stations s
       WHERE EXISTS (SELECT 1 FROM air_observations a WHERE a.station_id = s.id) ORDER BY id`,
    )
    .all() as StationRow[];
  const kmaStations = database.sqlite.prepare(`SELECT ${columns} FROM stations WHERE provider = 'kma' ORDER BY id`).all() as StationRow[];
  let chosen = withAir;
  if (stationIds !== undefined) {
    const known = new Set(withAir.map((station) => station.id));
    const unknown = stationIds.filter((id) => !known.has(id));
    if (unknown.length > 0) {
      throw new Error(`station id(s) ${unknown.join(', ')} not found or have no air observations; list stations with their ids in the stations table`);
    }
    const requested = new Set(stationIds);
    chosen = withAir.filter((station) => requested.has(station.id));
  }
  return chosen.map((station) => ({
    id: station.id,
    provider: station.provider,
    providerCode: station.providerCode,
    name: station.name,
    weatherStationId: resolveWeatherStationId(station, kmaStations),
  }));
}
