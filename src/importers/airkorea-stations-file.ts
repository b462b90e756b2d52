import type { DustcastDatabase } from '../db/database.js';
import { parseMeasurement } from '../sources/values.js';
import { stationKindForNetwork } from './airkorea-items.js';
import { FieldError, ImportFileError } from './errors.js';
import type { ImportSession } from './import-session.js';
import type { LoadedInput } from './input-table.js';

/** One getMsrstnList item: dmX is the latitude and dmY the longitude, despite the names. */
interface StationListItem {
  stationName?: string | null;
  dmX?: string | null;
  dmY?: string | null;
  addr?: string | null;
  mangName?: string | null;
}

interface StoredStation {
  name: string;
  kind: string | null;
  latitude: number | null;
  longitude: number | null;
  address: string | null;
}

/**
 * Imports the AirKorea station list (MsrstnInfoInqireSvc/getMsrstnList items) into stations,
 * filling coordinates, address and kind. Counts inserted, updated and unchanged stations.
 */
export function importAirKoreaStationsFile(input: LoadedInput, session: ImportSession, database: DustcastDatabase): void {
  if (input.kind !== 'json') throw new ImportFileError(session.file, 'the airkorea-stations format reads the JSON item list of getMsrstnList');
  const select = database.sqlite.prepare(
    "SELECT name, kind, latitude, longitude, address FROM stations WHERE provider = 'airkorea' AND provider_code = ?",
  );
  input.items.forEach((raw, index) => {
    session.rowRead();
    const item = (raw ?? {}) as StationListItem;
    try {
      const name = typeof item.stationName === 'string' ? item.stationName.trim() : '';
      if (name === '') throw new FieldError('stationName', item.stationName, 'every station needs a name');
      const latitude = readCoordinate('dmX', item.dmX, -90, 90);
      const longitude = readCoordinate('dmY', item.dmY, -180, 180);
      const descriptor = {
        provider: 'airkorea',
        providerCode: name,
        name,
        kind: typeof item.mangName === 'string' && item.mangName.trim() !== '' ? stationKindForNetwork(item.mangName) : null,
        latitude,
        longitude,
        address: typeof item.addr === 'string' && item.addr.trim() !== '' ? item.addr.trim() : null,
      };
      const before = select.get(name) as StoredStation | undefined;
      session.station(descriptor);
      if (before === undefined) session.counts.inserted += 1;
      else if (changes(before, descriptor)) session.counts.updated += 1;
      else session.counts.unchanged += 1;
    } catch (error) {
      throw session.rowError(error, index + 1, 'item');
    }
  });
}

function changes(before: StoredStation, after: StoredStation): boolean {
  return (
    before.name !== after.name ||
    (after.kind !== null && before.kind !== after.kind) ||
    (after.latitude !== null && before.latitude !== after.latitude) ||
    (after.longitude !== null && before.longitude !== after.longitude) ||
    (after.address !== null && before.address !== after.address)
  );
}

function readCoordinate(field: string, value: unknown, minimum: number, maximum: number): number | null {
  let parsed: number | null;
  try {
    parsed = parseMeasurement(value);
  } catch (error) {
    throw new FieldError(field, value, (error as Error).message);
  }
  if (parsed !== null && (parsed < minimum || parsed > maximum)) {
    throw new FieldError(field, value, `out of range ${minimum}..${maximum}`);
  }
  return parsed;
}
