import { parse } from 'csv-parse/sync';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DustcastDatabase } from '../../src/db/database.js';
import { ObservationWriter } from '../../src/db/observation-writer.js';
import { emptyAirRecord, type AirObservationRecord } from '../../src/sources/records.js';
import { parseAirKoreaDataTime, parseFlag, parseMeasurement } from '../../src/sources/values.js';

const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The AirKorea realtime file of the 25 Seoul urban stations, 2025-04-21 to 2026-01-16. */
export const seoulRealtimePath = resolve(
  repositoryRoot,
  '../shared/data/seoul-air/riverKangg_finedust/seoul_realtime_urban25_2025-04-21_2026-01-16.csv',
);

export const seoulRealtimeAvailable = existsSync(seoulRealtimePath);

export const seoulRealtimeMissingMessage = `real data not found at ${seoulRealtimePath}; these tests need the shared data folder beside the repository`;

let cachedRows: Record<string, string>[] | undefined;

function readRows(): Record<string, string>[] {
  cachedRows ??= parse(readFileSync(seoulRealtimePath), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
  return cachedRows;
}

/**
 * Writes the realtime rows of `stationNames` whose dataTime lies in [fromDataTime, toDataTime]
 * (compared as AirKorea text, "YYYY-MM-DD HH:MM") through the ObservationWriter, as source
 * airkorea-file. Returns the station ids by name.
 */
export function importSeoulRealtime(
  database: DustcastDatabase,
  options: { stationNames: string[]; fromDataTime: string; toDataTime: string; ingestedAt?: number },
): Map<string, number> {
  const writer = new ObservationWriter(database);
  const ids = new Map<string, number>();
  const records: AirObservationRecord[] = [];
  writer.transaction(() => {
    for (const name of options.stationNames) {
      ids.set(name, writer.ensureStation({ provider: 'airkorea', providerCode: name, name, kind: 'urban' }));
    }
    for (const row of readRows()) {
      const stationId = ids.get(row.stationName);
      if (stationId === undefined || row.dataTime < options.fromDataTime || row.dataTime > options.toDataTime) continue;
      const record = emptyAirRecord(stationId, parseAirKoreaDataTime(row.dataTime), 'airkorea-file');
      for (const pollutant of ['pm10', 'pm25', 'o3', 'no2', 'co', 'so2'] as const) {
        const flag = parseFlag(row[`${pollutant}Flag`]);
        record[`${pollutant}Flag`] = flag;
        record[pollutant] = flag === null ? parseMeasurement(row[`${pollutant}Value`]) : null;
      }
      records.push(record);
    }
    writer.writeAir(records, options.ingestedAt);
  });
  return ids;
}
