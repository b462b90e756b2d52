/**
 * Imports a large AirKorea CSV with two threads: a worker parses the bytes into batches of
 * records (airkorea-parse-worker.ts) while this thread writes them inside the import's
 * transaction. The import stays synchronous: this thread blocks on a shared counter between
 * batches and takes each message with receiveMessageOnPort.
 */
import { MessageChannel, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { startModuleWorker } from '../../threads/worker-bootstrap.js';
import { readAirKoreaByteRows, sessionRowSink } from '../airkorea-byte-rows.js';
import { splitByteRows, type ByteRowRange } from '../csv-byte-rows.js';
import { ImportRowError } from '../errors.js';
import type { ImportSession } from '../import-session.js';
import { unpackAirKoreaBatch, type ParseWorkerInput, type ParseWorkerMessage } from './airkorea-batches.js';

/**
 * Bytes this thread parses itself while the worker starts. The start takes about 80 ms, and the
 * importer writes about a megabyte of AirKorea rows in that time.
 */
const HEAD_BYTES = 1 << 20;

/** Handled-message count that lets the worker run on without waiting, once the import has ended. */
const RELEASED = 2 ** 30;

/** Silence after which the worker is taken to have died, because a batch takes milliseconds to parse. */
const WORKER_SILENCE_MS = 60_000;

/** Posted from inside the worker when its module fails to load, so the blocked thread hears of it. */
const LOAD_FAILURE_SCRIPT = `
  const { workerData } = require('node:worker_threads');
  workerData.port.postMessage({ kind: 'failure', unexpected: { name: error.name, message: error.message, stack: error.stack } });
  const counters = new Int32Array(workerData.signal);
  Atomics.add(counters, 0, 1);
  Atomics.notify(counters, 0);`;

/**
 * Imports the rows of `range` through `session` in file order: this thread reads the first
 * `headBytes` itself while a worker starts on the rest, then writes the worker's batches.
 */
export function importAirKoreaInWorker(range: ByteRowRange, columns: [string, number][], session: ImportSession, headBytes = HEAD_BYTES): void {
  const [head, tail] = splitByteRows(range, range.start + headBytes);

  const shared = new SharedArrayBuffer(tail.end);
  // NOTE: the worker reads a copy of the file bytes, so the file takes twice its size in memory.
  new Uint8Array(shared).set(range.bytes.subarray(0, tail.end));
  const signal = new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT);
  const counters = new Int32Array(signal);
  const channel = new MessageChannel();
  const input: ParseWorkerInput = {
    path: range.path,
    bytes: shared,
    start: tail.start,
    end: tail.end,
    firstLine: tail.firstLine,
    width: range.width,
    columns,
    source: session.source,
    signal,
    port: channel.port2,
  };

  const worker = startModuleWorker(import.meta.url, 'airkorea-parse-worker', { workerData: input, transferList: [channel.port2] }, LOAD_FAILURE_SCRIPT);
  // The worker reports its failures as messages. An error event could only come after this
  // import stopped listening, and must not crash the process that ran the import.
  worker.on('error', () => {});
  try {
    const sink = sessionRowSink(session);
    readAirKoreaByteRows(head, columns, session.source, sink);

    const stationIds: number[] = [];
    for (let handled = 0; ; ) {
      const message = nextMessage(channel.port1, counters, range.path);
      handled += 1;
      Atomics.store(counters, 1, handled);
      Atomics.notify(counters, 1);
      if (message.kind === 'done') return;
      if (message.kind === 'failure') throw failureError(message, range.path);
      // A station already met in the head keeps the details of its first row.
      for (const { index, descriptor, name } of message.stations) stationIds[index] = sink.station(name, () => descriptor);
      session.rowRead(message.rowsRead);
      session.skipMissing(message.missing);
      unpackAirKoreaBatch(message, session.source, stationIds, (record) => session.writeAir(record));
    }
  } finally {
    // Releases a worker that waits for this thread to catch up, so that terminate() meets no wait.
    Atomics.store(counters, 1, RELEASED);
    Atomics.notify(counters, 1);
    channel.port1.close();
    void worker.terminate();
  }
}

/** Blocks until the worker's next message arrives. */
function nextMessage(port: MessagePort, counters: Int32Array, file: string): ParseWorkerMessage {
  for (;;) {
    const sent = Atomics.load(counters, 0);
    const received = receiveMessageOnPort(port);
    if (received !== undefined) return received.message as ParseWorkerMessage;
    if (Atomics.wait(counters, 0, sent, WORKER_SILENCE_MS) === 'timed-out') {
      throw new Error(`${file}: the parse worker sent nothing for ${WORKER_SILENCE_MS / 1000} s; import the file again, and report it if it repeats`);
    }
  }
}

function failureError(message: Extract<ParseWorkerMessage, { kind: 'failure' }>, file: string): Error {
  if (message.row) return new ImportRowError(file, message.row.line, message.row.field, message.row.value, message.row.reason);
  const failure = new Error(`${file}: the parse worker failed: ${message.unexpected?.message ?? 'unknown error'}`);
  failure.name = message.unexpected?.name ?? 'Error';
  if (message.unexpected?.stack) failure.stack = `${failure.name}: ${failure.message}\n    in the parse worker: ${message.unexpected.stack}`;
  return failure;
}
