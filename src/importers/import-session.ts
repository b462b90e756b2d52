import type { ObservationWriter } from '../db/observation-writer.js';
import type { AirObservationRecord, StationDescriptor, WeatherObservationRecord } from '../sources/records.js';
import { toRowError } from './errors.js';

/** Row counts of one file import; read = inserted + updated + unchanged + duplicate + missing + rejected. */
export interface ImportCounts {
  read: number;
  inserted: number;
  /** Stored rows whose values changed, each counting a revision. */
  updated: number;
  /** Rows identical to what was already stored. */
  unchanged: number;
  /** Repeats of a station and hour seen earlier in the same file, with the same values. */
  duplicate: number;
  /** Rows with no time and no values, or with no value at all, which are skipped. */
  missing: number;
  rejected: number;
}

export function emptyImportCounts(): ImportCounts {
  return { read: 0, inserted: 0, updated: 0, unchanged: 0, duplicate: 0, missing: 0, rejected: 0 };
}

/** Number of rows between two progress reports. */
const PROGRESS_INTERVAL = 10_000;

/** Packs (station id, hour) into one number; hours before 2106 fit below 2^32 seconds. */
const KEY_STRIDE = 2 ** 32;

/** Records buffered before they go to the writer, which upserts them in multi-row chunks. */
const WRITE_BUFFER = 1024;

/**
 * State of one file import inside its transaction: counts, the station-hours already seen in
 * the file and the observed time range. Format importers call `writeAir`/`writeWeather` per row.
 */
export class ImportSession {
  readonly counts = emptyImportCounts();
  rangeStart: number | null = null;
  rangeEnd: number | null = null;
  private readonly seenAir = new Set<number>();
  private readonly seenWeather = new Set<number>();
  private readonly pendingAir: AirObservationRecord[] = [];
  private readonly pendingWeather: WeatherObservationRecord[] = [];
  private nextProgress = PROGRESS_INTERVAL;

  constructor(
    readonly file: string,
    readonly source: string,
    readonly writer: ObservationWriter,
    readonly ingestedAt: number,
    private readonly onProgress: (rowsRead: number, totalRows: number | undefined) => void = () => {},
    private readonly totalRows?: number,
  ) {}

  /** Counts input rows (one by default) and reports progress every PROGRESS_INTERVAL rows. */
  rowRead(rows = 1): void {
    this.counts.read += rows;
    if (this.counts.read >= this.nextProgress) {
      this.nextProgress = (Math.floor(this.counts.read / PROGRESS_INTERVAL) + 1) * PROGRESS_INTERVAL;
      this.onProgress(this.counts.read, this.totalRows);
    }
  }

  /** Counts rows (one by default) that carry no time and no values, or no value at all, and are skipped. */
  skipMissing(rows = 1): void {
    this.counts.missing += rows;
  }

  station(descriptor: StationDescriptor): number {
    return this.writer.ensureStation(descriptor);
  }

  /**
   * Queues an air record for writing. A repeat of a station-hour seen earlier in the file is
   * written alone after the queue, so its own outcome decides whether it is a duplicate.
   */
  writeAir(record: AirObservationRecord): void {
    const key = record.stationId * KEY_STRIDE + record.observedAt;
    this.track(record.observedAt);
    if (this.seenAir.has(key)) {
      this.flushAir();
      this.count(this.writer.writeAir([record], this.ingestedAt), true);
      return;
    }
    this.seenAir.add(key);
    this.pendingAir.push(record);
    if (this.pendingAir.length >= WRITE_BUFFER) this.flushAir();
  }

  /** Queues a weather record for writing, like writeAir. */
  writeWeather(record: WeatherObservationRecord): void {
    const key = record.stationId * KEY_STRIDE + record.observedAt;
    this.track(record.observedAt);
    if (this.seenWeather.has(key)) {
      this.flushWeather();
      this.count(this.writer.writeWeather([record], this.ingestedAt), true);
      return;
    }
    this.seenWeather.add(key);
    this.pendingWeather.push(record);
    if (this.pendingWeather.length >= WRITE_BUFFER) this.flushWeather();
  }

  /** Writes every queued record; the import runner calls it before committing the transaction. */
  flush(): void {
    this.flushAir();
    this.flushWeather();
  }

  /** Turns a converter's FieldError into an ImportRowError with this file and the line. */
  rowError(error: unknown, line: number, lineKind: 'line' | 'row' | 'item' = 'line'): Error {
    return toRowError(this.file, error, line, lineKind);
  }

  /** Sends the final progress report. */
  finish(): void {
    this.onProgress(this.counts.read, this.totalRows ?? this.counts.read);
  }

  private flushAir(): void {
    if (this.pendingAir.length === 0) return;
    this.count(this.writer.writeAir(this.pendingAir, this.ingestedAt), false);
    this.pendingAir.length = 0;
  }

  private flushWeather(): void {
    if (this.pendingWeather.length === 0) return;
    this.count(this.writer.writeWeather(this.pendingWeather, this.ingestedAt), false);
    this.pendingWeather.length = 0;
  }

  private track(observedAt: number): void {
    if (this.rangeStart === null || observedAt < this.rangeStart) this.rangeStart = observedAt;
    if (this.rangeEnd === null || observedAt > this.rangeEnd) this.rangeEnd = observedAt;
  }

  /**
   * Adds one write's outcome to the counts. A repeated station-hour with the same values counts
   * as a duplicate, and a repeat with different values replaces the earlier row as a revision.
   */
  private count(result: { inserted: number; updated: number; unchanged: number }, repeated: boolean): void {
    if (repeated && result.updated === 0) {
      this.counts.duplicate += 1;
      return;
    }
    this.counts.inserted += result.inserted;
    this.counts.updated += result.updated;
    this.counts.unchanged += result.unchanged;
  }
}
