/**
 * The messages between the AirKorea parse worker and the importing thread: what the worker is
 * given, and the batches of converted rows it sends back as typed arrays, which move between
 * threads without copying.
 *
 * Exports:
 * - `ParseWorkerInput`: the worker's workerData.
 * - `ParseWorkerMessage`: a batch, the end of the file, or the row error that stopped it.
 * - `AirKoreaBatchBuilder`: packs records on the worker side.
 * - `unpackAirKoreaBatch(batch, source, stationIds, visit)`: rebuilds the records on the importing side.
 */
import type { MessagePort } from 'node:worker_threads';
import { POLLUTANTS, emptyAirRecord, type AirObservationRecord, type StationDescriptor } from '../../sources/records.js';

/** The worker's input, passed as its workerData. */
export interface ParseWorkerInput {
  path: string;
  /** The file's bytes, UTF-8 and unquoted, shared rather than copied per message. */
  bytes: SharedArrayBuffer;
  /** The lines to parse: bytes[start, end), the first being file line `firstLine`. */
  start: number;
  end: number;
  firstLine: number;
  /** Fields per row, from the header. */
  width: number;
  /** AirKorea item field name and column index, as airkorea-file reads them. */
  columns: [string, number][];
  source: string;
  /** Two Int32 counters: messages sent (the worker's) and messages handled (the importing thread's). */
  signal: SharedArrayBuffer;
  port: MessagePort;
}

/** Converted rows of one stretch of the file, in file order. */
export interface AirKoreaBatch {
  kind: 'batch';
  /** Rows read in this stretch, records and skipped rows together. */
  rowsRead: number;
  /** Rows with no time or no value, which store nothing. */
  missing: number;
  /** Stations first seen in this batch, by the index the records use, with the name as written. */
  stations: { index: number; descriptor: StationDescriptor; name: string }[];
  count: number;
  stationIndex: Int32Array;
  observedAt: Float64Array;
  /** count x 6 pollutant values in POLLUTANTS order; NaN stands for null. */
  values: Float64Array;
  /** Flags that are set, as [record, pollutant index, flag]. */
  flags: [number, number, string][];
}

/** A row the worker could not read; the importing thread raises it as it would its own. */
export interface ParseWorkerFailure {
  kind: 'failure';
  /** Set for a bad row: its line and the field error, or the row error of a ragged line. */
  row?: { line: number; field: string; value: unknown; reason: string };
  /** Set for anything else, such as a bug in the worker. */
  unexpected?: { name: string; message: string; stack?: string };
}

export type ParseWorkerMessage = AirKoreaBatch | ParseWorkerFailure | { kind: 'done' };

const POLLUTANT_COUNT = POLLUTANTS.length;

/** Records per batch: large enough that messages cost little, small enough to start writing early. */
export const BATCH_RECORDS = 4096;

/** Batches the worker may run ahead of the writer, which bounds the memory they hold. */
export const BATCHES_AHEAD = 8;

/** Collects records into one batch at a time; `take` hands over the batch and starts the next. */
export class AirKoreaBatchBuilder {
  private stationIndex: Int32Array;
  private observedAt: Float64Array;
  private values: Float64Array;
  private flags: [number, number, string][] = [];
  private stations: AirKoreaBatch['stations'] = [];
  private count = 0;
  private rowsRead = 0;
  private missing = 0;

  constructor(readonly capacity: number) {
    this.stationIndex = new Int32Array(capacity);
    this.observedAt = new Float64Array(capacity);
    this.values = new Float64Array(capacity * POLLUTANT_COUNT);
  }

  get full(): boolean {
    return this.count === this.capacity;
  }

  rowRead(): void {
    this.rowsRead += 1;
  }

  skipMissing(): void {
    this.missing += 1;
  }

  addStation(index: number, descriptor: StationDescriptor, name: string): void {
    this.stations.push({ index, descriptor, name });
  }

  add(record: AirObservationRecord, stationIndex: number): void {
    const row = this.count;
    this.stationIndex[row] = stationIndex;
    this.observedAt[row] = record.observedAt;
    for (let pollutant = 0; pollutant < POLLUTANT_COUNT; pollutant += 1) {
      const name = POLLUTANTS[pollutant];
      const value = record[name];
      this.values[row * POLLUTANT_COUNT + pollutant] = value === null ? Number.NaN : value;
      const flag = record[`${name}Flag`];
      if (flag !== null) this.flags.push([row, pollutant, flag]);
    }
    this.count += 1;
  }

  /** Returns the batch built so far and its buffers to transfer, and starts an empty one. */
  take(): { batch: AirKoreaBatch; transfer: ArrayBuffer[] } {
    const batch: AirKoreaBatch = {
      kind: 'batch',
      rowsRead: this.rowsRead,
      missing: this.missing,
      stations: this.stations,
      count: this.count,
      stationIndex: this.stationIndex.subarray(0, this.count),
      observedAt: this.observedAt.subarray(0, this.count),
      values: this.values.subarray(0, this.count * POLLUTANT_COUNT),
      flags: this.flags,
    };
    const transfer = [this.stationIndex.buffer, this.observedAt.buffer, this.values.buffer] as ArrayBuffer[];
    this.stationIndex = new Int32Array(this.capacity);
    this.observedAt = new Float64Array(this.capacity);
    this.values = new Float64Array(this.capacity * POLLUTANT_COUNT);
    this.flags = [];
    this.stations = [];
    this.count = 0;
    this.rowsRead = 0;
    this.missing = 0;
    return { batch, transfer };
  }
}

/** Rebuilds the records of a batch; `stationIds` maps the worker's station index to a row id. */
export function unpackAirKoreaBatch(
  batch: AirKoreaBatch,
  source: string,
  stationIds: ArrayLike<number>,
  visit: (record: AirObservationRecord) => void,
): void {
  const records: AirObservationRecord[] = new Array(batch.count);
  for (let row = 0; row < batch.count; row += 1) {
    const record = emptyAirRecord(stationIds[batch.stationIndex[row]], batch.observedAt[row], source);
    for (let pollutant = 0; pollutant < POLLUTANT_COUNT; pollutant += 1) {
      const value = batch.values[row * POLLUTANT_COUNT + pollutant];
      if (!Number.isNaN(value)) record[POLLUTANTS[pollutant]] = value;
    }
    records[row] = record;
  }
  for (const [row, pollutant, flag] of batch.flags) records[row][`${POLLUTANTS[pollutant]}Flag`] = flag;
  for (const record of records) visit(record);
}
