/**
 * Worker-thread entry that parses an AirKorea CSV (unquoted UTF-8) into batches of records for
 * the importing thread, which writes them meanwhile. parse-in-worker.ts starts it.
 */
import { workerData } from 'node:worker_threads';
import { readAirKoreaByteRows } from '../airkorea-byte-rows.js';
import { ImportRowError, toRowError } from '../errors.js';
import { AirKoreaBatchBuilder, BATCH_RECORDS, BATCHES_AHEAD, type ParseWorkerInput, type ParseWorkerMessage } from './airkorea-batches.js';

const input = workerData as ParseWorkerInput;
const bytes = Buffer.from(input.bytes);
const counters = new Int32Array(input.signal);
const builder = new AirKoreaBatchBuilder(BATCH_RECORDS);
let sent = 0;
/** Index of each station name met, which the batches use in place of row ids. */
const stationIndexes = new Map<string, number>();

/** Posts a message and wakes the importing thread, first waiting while it is BATCHES_AHEAD behind. */
function send(message: ParseWorkerMessage, transfer: ArrayBuffer[] = []): void {
  for (let consumed = Atomics.load(counters, 1); sent - consumed >= BATCHES_AHEAD; consumed = Atomics.load(counters, 1)) {
    Atomics.wait(counters, 1, consumed);
  }
  input.port.postMessage(message, transfer);
  sent += 1;
  Atomics.store(counters, 0, sent);
  Atomics.notify(counters, 0);
}

function sendBatch(): void {
  const { batch, transfer } = builder.take();
  send(batch, transfer);
}

try {
  const rows = { path: input.path, bytes, start: input.start, end: input.end, firstLine: input.firstLine, width: input.width };
  readAirKoreaByteRows(rows, input.columns, input.source, {
    rowRead: () => builder.rowRead(),
    skipMissing: () => builder.skipMissing(),
    station: (name, describe) => {
      let index = stationIndexes.get(name);
      if (index === undefined) {
        index = stationIndexes.size;
        stationIndexes.set(name, index);
        builder.addStation(index, describe(), name);
      }
      return index;
    },
    write: (record, station) => {
      builder.add(record, station);
      if (builder.full) sendBatch();
    },
    rowError: (error, line) => toRowError(input.path, error, line),
  });
  sendBatch();
  send({ kind: 'done' });
} catch (error) {
  // The rows read so far, the failing one included, go first, so the counts match a parse in one thread.
  sendBatch();
  if (error instanceof ImportRowError) {
    send({ kind: 'failure', row: { line: error.line, field: error.field, value: error.value, reason: error.reason } });
  } else {
    const failure = error instanceof Error ? error : new Error(String(error));
    send({ kind: 'failure', unexpected: { name: failure.name, message: failure.message, stack: failure.stack } });
  }
}
