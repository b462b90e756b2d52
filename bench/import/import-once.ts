/**
 * Imports one file into a new SQLite database twice with the project's importer and prints one
 * JSON line: rows read, the counts and seconds of each pass. bench/run.ts runs it per round.
 *
 *   npx tsx bench/import/import-once.ts FILE
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/db/database.js';
import { importFile } from '../../src/importers/import-file.js';

const file = process.argv[2];
if (!file) throw new Error('give the file to import: npx tsx bench/import/import-once.ts FILE');
const folder = mkdtempSync(join(tmpdir(), 'dustcast-import-once-'));
try {
  const database = openDatabase(join(folder, 'bench.sqlite'));
  const passes: Record<string, unknown> = {};
  for (const pass of ['first', 'again']) {
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const summary = importFile(database, file);
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    passes[pass] = {
      counts: summary.counts,
      seconds,
      rowsPerSecond: summary.counts.read / seconds,
      rowsPerCpuSecond: summary.counts.read / cpuSeconds,
    };
  }
  database.close();
  console.log(JSON.stringify(passes));
} finally {
  rmSync(folder, { recursive: true, force: true });
}
