import { addCounts, emptyCounts, ObservationWriter, type UpsertCounts } from '../../db/observation-writer.js';
import type { AirObservationRecord, StationDescriptor, WeatherObservationRecord } from '../records.js';
import type { FetchedObservations } from '../source.js';

/** Upsert counts of a stored fetch, with the hours it contained. */
export interface StoreResult {
  counts: UpsertCounts;
  latestObservedAt: number | null;
  hours: Set<number>;
}

/**
 * Writes a fetch through the shared upsert path in one transaction, creating stations as needed.
 * Rows repeated within a response (AirKorea repeats stale hours) are written once per occurrence,
 * and the second write counts as unchanged.
 */
export function storeObservations(writer: ObservationWriter, fetched: FetchedObservations): StoreResult {
  return writer.transaction(() => {
    const counts = emptyCounts();
    const hours = new Set<number>();
    const stationIds = new Map<string, number>();
    const stationId = (station: StationDescriptor) => {
      const key = `${station.provider}\u0000${station.providerCode}`;
      let id = stationIds.get(key);
      if (id === undefined) {
        id = writer.ensureStation(station);
        stationIds.set(key, id);
      }
      return id;
    };
    const air: AirObservationRecord[] = fetched.air.map(({ station, record }) => ({ ...record, stationId: stationId(station) }));
    const weather = fetched.weather.map(({ station, record }) => ({ ...record, stationId: stationId(station) }) as WeatherObservationRecord);
    addCounts(counts, writer.writeAir(air));
    addCounts(counts, writer.writeWeather(weather));
    for (const record of [...air, ...weather]) hours.add(record.observedAt);
    const latestObservedAt = hours.size === 0 ? null : Math.max(...hours);
    return { counts, latestObservedAt, hours };
  });
}
