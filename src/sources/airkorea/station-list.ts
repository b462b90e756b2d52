import { stationKindForNetwork } from '../../importers/airkorea-items.js';
import type { JsonObject } from '../responses/body-shapes.js';
import type { StationDescriptor } from '../records.js';
import { parseMeasurement } from '../values.js';

/**
 * Describes one getMsrstnList item. AirKorea names the coordinates the other way round from what
 * one expects: `dmX` is the latitude (about 37.5 in Seoul) and `dmY` the longitude (about 127.0).
 * Throws naming the field when the station name is missing or a coordinate is not a number.
 */
export function describeListedStation(item: JsonObject): StationDescriptor {
  const name = typeof item.stationName === 'string' ? item.stationName.trim() : '';
  if (name === '') throw new Error(`getMsrstnList item without stationName: ${JSON.stringify(item).slice(0, 120)}`);
  const latitude = readCoordinate(item.dmX, 'dmX', name);
  const longitude = readCoordinate(item.dmY, 'dmY', name);
  const network = typeof item.mangName === 'string' ? item.mangName.trim() : '';
  const address = typeof item.addr === 'string' && item.addr.trim() !== '' ? item.addr.trim() : null;
  return {
    provider: 'airkorea',
    providerCode: name,
    name,
    kind: network === '' ? null : stationKindForNetwork(network),
    latitude,
    longitude,
    address,
  };
}

function readCoordinate(value: unknown, field: string, station: string): number | null {
  try {
    return parseMeasurement(value);
  } catch {
    throw new Error(`getMsrstnList item for ${station}: field "${field}" has invalid value ${JSON.stringify(value)}: expected degrees`);
  }
}
