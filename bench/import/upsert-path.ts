/**
 * Measures the upsert path alone: the real Seoul urban realtime CSV (125,125 rows) is parsed into
 * observation records first, untimed, then ObservationWriter.writeAir stores them in one
 * transaction into a new database, and again with every row unchanged. The peer does the same
 * with Python's sqlite3 executemany on rows parsed beforehand (bench/peer/upsert_rows_peer.py).
 * Rounds alternate Dustcast and the peer; the table gives medians and the ratio per round.
 *
 *   npx tsx bench/import/upsert-path.ts [--rounds N] [file]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../../src/db/database.js';
import { ObservationWriter } from '../../src/db/observation-writer.js';
import { convertAirKoreaItem, type AirKoreaItem } from '../../src/importers/airkorea-items.js';
import type { AirObservationRecord } from '../../src/sources/records.js';
import { systemPython } from '../training/runners.js';

const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const argumentsList = process.argv.slice(2);
const roundsIndex = argumentsList.indexOf('--rounds');
const rounds = roundsIndex >= 0 ? Number(argumentsList.splice(roundsIndex, 2)[1]) : 5;
if (!Number.isInteger(rounds) || rounds < 1) throw new Error('--rounds needs a whole number such as 5');
const file =
  argumentsList[0] ?? resolve(repositoryRoot, '../shared/data/seoul-air/riverKangg_finedust/seoul_realtime_urban25_2025-04-21_2026-01-16.csv');

interface PassResult {
  rows: number;
  rowsPerSecond: number;
}

/** Parses the CSV (no quoted fields in this file) into items keyed by the header. */
function readItems(path: string): AirKoreaItem[] {
  const [header, ...lines] = readFileSync(path, 'utf8').split('\n').filter((line) => line.trim() !== '');
  const names = header.replace(/\r$/, '').split(',');
  return lines.map((line) => {
    const cells = line.replace(/\r$/, '').split(',');
    const item: Record<string, string | null> = {};
    names.forEach((name, index) => (item[name] = cells[index] === '' ? null : cells[index]));
    return item as unknown as AirKoreaItem;
  });
}

function runDustcast(items: AirKoreaItem[]): { first: PassResult; again: PassResult } {
  const folder = mkdtempSync(join(tmpdir(), 'dustcast-upsert-bench-'));
  const database = openDatabase(join(folder, 'bench.sqlite'));
  try {
    const writer = new ObservationWriter(database);
    const records: AirObservationRecord[] = [];
    const seen = new Set<string>();
    for (const item of items) {
      const stationName = String(item.stationName);
      const stationId = writer.ensureStation({ provider: 'airkorea', providerCode: stationName, name: stationName });
      const record = convertAirKoreaItem(item, stationId, 'airkorea-file');
      // Repeated station-hours are dropped, as the importer counts them as duplicates.
      if (!record || seen.has(`${stationId}:${record.observedAt}`)) continue;
      seen.add(`${stationId}:${record.observedAt}`);
      records.push(record);
    }
    const pass = (): PassResult => {
      const started = performance.now();
      writer.transaction(() => writer.writeAir(records));
      return { rows: records.length, rowsPerSecond: records.length / ((performance.now() - started) / 1000) };
    };
    return { first: pass(), again: pass() };
  } finally {
    database.close();
    rmSync(folder, { recursive: true, force: true });
  }
}

function runPeer(path: string): { first: PassResult; again: PassResult } {
  const result = spawnSync(systemPython, [resolve(repositoryRoot, 'bench/peer/upsert_rows_peer.py'), path], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`upsert peer failed (exit ${result.status}): ${result.stderr}`);
  return JSON.parse(result.stdout) as { first: PassResult; again: PassResult };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((left, right) => left - right);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

const items = readItems(file);
const samples = { dustcastFirst: [] as number[], dustcastAgain: [] as number[], peerFirst: [] as number[], peerAgain: [] as number[] };
const ratios = { first: [] as number[], again: [] as number[] };
let rowCount = 0;
for (let round = 0; round < rounds; round += 1) {
  const dustcast = runDustcast(items);
  const peer = runPeer(file);
  rowCount = dustcast.first.rows;
  samples.dustcastFirst.push(dustcast.first.rowsPerSecond);
  samples.dustcastAgain.push(dustcast.again.rowsPerSecond);
  samples.peerFirst.push(peer.first.rowsPerSecond);
  samples.peerAgain.push(peer.again.rowsPerSecond);
  ratios.first.push(dustcast.first.rowsPerSecond / peer.first.rowsPerSecond);
  ratios.again.push(dustcast.again.rowsPerSecond / peer.again.rowsPerSecond);
}
const format = (value: number) => Math.round(value).toLocaleString('en-US');
console.log(`${rowCount} rows, ${rounds} rounds, node ${process.version}, ${cpus().length} x ${cpus()[0]?.model ?? 'CPU'}, load average ${loadavg()[0].toFixed(1)} at the end`);
console.log('| Upsert path | First write rows/s | x peer | Unchanged rewrite rows/s | x peer |');
console.log('| --- | --- | --- | --- | --- |');
console.log(`| Dustcast ObservationWriter.writeAir | ${format(median(samples.dustcastFirst))} | ${median(ratios.first).toFixed(2)} | ${format(median(samples.dustcastAgain))} | ${median(ratios.again).toFixed(2)} |`);
console.log(`| Python sqlite3 executemany upsert | ${format(median(samples.peerFirst))} | 1.00 | ${format(median(samples.peerAgain))} | 1.00 |`);
