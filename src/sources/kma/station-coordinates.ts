import { KMA_ASOS_STATIONS } from '../../importers/kma-stations.js';
import type { DustcastDatabase } from '../../db/database.js';

/** Latitude and longitude in degrees. */
export interface Coordinates {
  latitude: number;
  longitude: number;
}

/**
 * Parses DUSTCAST_KMA_STATION_COORDINATES ("108:37.5714:126.9658,112:..."). Throws naming the
 * entry that is not "id:latitude:longitude".
 */
export function parseStationCoordinates(text: string): Map<string, Coordinates> {
  const result = new Map<string, Coordinates>();
  for (const entry of text.split(',').map((part) => part.trim()).filter((part) => part !== '')) {
    const [code, latitudeText, longitudeText, extra] = entry.split(':').map((part) => part.trim());
    const latitude = Number(latitudeText);
    const longitude = Number(longitudeText);
    if (!code || extra !== undefined || !Number.isFinite(latitude) || !Number.isFinite(longitude) || latitudeText === '' || longitudeText === '') {
      throw new Error(`invalid DUSTCAST_KMA_STATION_COORDINATES entry "${entry}": expected id:latitude:longitude such as 108:37.5714:126.9658`);
    }
    result.set(code, { latitude, longitude });
  }
  return result;
}

/**
 * Coordinates of a KMA station: from settings, else the stations table, else the importer's
 * reference list; undefined when none has them.
 */
export function findStationCoordinates(code: string, configured: Map<string, Coordinates>, database?: DustcastDatabase): Coordinates | undefined {
  const fromSettings = configured.get(code);
  if (fromSettings) return fromSettings;
  const row = database?.sqlite
    .prepare("SELECT latitude, longitude FROM stations WHERE provider = 'kma' AND provider_code = ? AND latitude IS NOT NULL AND longitude IS NOT NULL")
    .get(code) as Coordinates | undefined;
  if (row) return row;
  const reference = KMA_ASOS_STATIONS.find((station) => station.code === code);
  return reference ? { latitude: reference.latitude, longitude: reference.longitude } : undefined;
}
