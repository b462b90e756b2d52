import type { DustcastDatabase } from '../db/database.js';
import type { AirObservationRecord, StationDescriptor, WeatherObservationRecord } from './records.js';

/** The API sources `dustcast ingest` and `dustcast backfill` accept, by name. */
export const SOURCE_NAMES = ['airkorea', 'seoul', 'kma-asos', 'kma-nowcast'] as const;
export type SourceName = (typeof SOURCE_NAMES)[number];

/** Hours from `from` to `to`, both included, as UTC epoch seconds of each hour's start. */
export interface HourRange {
  from: number;
  to: number;
}

/** A record whose station is still a description; the store turns it into a row id. */
export type PendingRecord<R> = { station: StationDescriptor; record: Omit<R, 'stationId'> };

/** Records and counts one fetch received, before they are written. */
export interface FetchedObservations {
  air: PendingRecord<AirObservationRecord>[];
  weather: PendingRecord<WeatherObservationRecord>[];
  /** Items the provider returned, including skipped ones. */
  rowsRead: number;
  /** Items with no time and no values (AirKorea sends them for dead stations), skipped. */
  rowsMissing: number;
  /** Items that could not be read (a bad number or time); the rest of the response is still stored. */
  rowsRejected: number;
  /** The first few rejection messages, naming the field and value. */
  rejections: string[];
  httpStatus: number | null;
  providerCode: string | null;
  requests: number;
}

/** hourly: the scheduled pull of the newest hours; backfill: a requested history range. */
export type FetchPurpose = 'hourly' | 'backfill';

export interface FetchRequest {
  /** Sido, station name or KMA station id, depending on the source. */
  target: string;
  range: HourRange;
  purpose: FetchPurpose;
  /** The instant the pull runs at, UTC epoch seconds; AirKorea picks its data term from it. */
  now: number;
}

/**
 * One public API behind the interface every pull and backfill uses. Implementations turn provider
 * items into the same records the file importers produce; the caller writes them.
 */
export interface ObservationSource {
  readonly name: SourceName;
  /** Value of the observations' `source` column, such as "airkorea-api". */
  readonly recordSource: string;
  /**
   * False when a request cannot choose its hours: AirKorea's sido realtime call always returns the
   * newest hour, so hours deferred for it stay deferred until a backfill fetches them.
   */
  readonly coversRequestedRange: boolean;
  /** Hours one backfill request may cover. */
  readonly backfillChunkHours: number;
  /** Targets of the hourly pull, from settings. */
  hourlyTargets(): string[];
  /** Targets of a backfill given no --station. */
  backfillTargets(database: DustcastDatabase): string[];
  /** Hours the provider can serve at `now` for this purpose. */
  servableHours(now: number, purpose: FetchPurpose): HourRange;
  fetch(request: FetchRequest, signal?: AbortSignal): Promise<FetchedObservations>;
}

export function emptyFetch(): FetchedObservations {
  return { air: [], weather: [], rowsRead: 0, rowsMissing: 0, rowsRejected: 0, rejections: [], httpStatus: null, providerCode: null, requests: 0 };
}

/** Keeps at most this many rejection messages per fetch, so one broken response cannot flood the log. */
const MAX_REJECTIONS_KEPT = 5;

/** Counts a rejected item and keeps its message while fewer than five are kept. */
export function rejectItem(fetched: FetchedObservations, message: string): void {
  fetched.rowsRejected += 1;
  if (fetched.rejections.length < MAX_REJECTIONS_KEPT) fetched.rejections.push(message);
}
