import type { StationDescriptor } from '../sources/records.js';

/** A KMA ASOS station with its published coordinates. */
export interface KmaStationReference {
  code: string;
  name: string;
  latitude: number;
  longitude: number;
}

// NOTE: only station 108 (Seoul) is listed, because it is the only ASOS station whose
// coordinates were checked. Other stations are stored without coordinates, so they never win
// the nearest-station default until their coordinates are set.
export const KMA_ASOS_STATIONS: readonly KmaStationReference[] = [{ code: '108', name: '서울', latitude: 37.57142, longitude: 126.9658 }];

/** Builds the station row description of a KMA ASOS station, adding reference coordinates when known. */
export function describeKmaStation(code: string, name?: string | null): StationDescriptor {
  const reference = KMA_ASOS_STATIONS.find((station) => station.code === code);
  const givenName = name?.trim();
  return {
    provider: 'kma',
    providerCode: code,
    name: givenName || reference?.name || `ASOS ${code}`,
    kind: 'asos',
    latitude: reference?.latitude ?? null,
    longitude: reference?.longitude ?? null,
  };
}
