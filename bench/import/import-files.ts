/**
 * Measures file import speed: each file is imported into a fresh SQLite database, then imported
 * again (every row unchanged). Prints rows per second of wall time and of process CPU time,
 * because wall time on a shared machine mostly measures the other processes.
 *
 *   npx tsx bench/import/import-files.ts [file ...]
 *
 * With no file, it imports the real Seoul urban realtime CSV (125,125 rows) from the shared data.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../../src/db/database.js';
import { importFile } from '../../src/importers/import-file.js';

const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const defaultFile = resolve(repositoryRoot, '../shared/data/seoul-air/riverKangg_finedust/seoul_realtime_urban25_2025-04-21_2026-01-16.csv');

const files = process.argv.slice(2).length > 0 ? process.argv.slice(2) : [defaultFile];
for (const file of files) {
  if (!existsSync(file)) throw new Error(`file not found: ${file}`);
}

console.log(`node ${process.version}, ${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}, load average ${loadavg()[0].toFixed(1)}`);
console.log('file | pass | rows read | inserted | unchanged | wall ms | CPU ms | rows/s wall | rows/s CPU');
const folder = mkdtempSync(join(tmpdir(), 'dustcast-import-bench-'));
try {
  for (const file of files) {
    const database = openDatabase(join(folder, `${basename(file)}.sqlite`));
    for (const pass of ['first', 'again']) {
      const cpuBefore = process.cpuUsage();
      const started = performance.now();
      const summary = importFile(database, file);
      const wallMs = performance.now() - started;
      const cpu = process.cpuUsage(cpuBefore);
      const cpuMs = (cpu.user + cpu.system) / 1000;
      const rate = (milliseconds: number) => Math.round(summary.counts.read / (milliseconds / 1000));
      console.log(
        [basename(file), pass, summary.counts.read, summary.counts.inserted, summary.counts.unchanged, Math.round(wallMs), Math.round(cpuMs), rate(wallMs), rate(cpuMs)].join(
          ' | ',
        ),
      );
    }
    database.close();
  }
} finally {
  rmSync(folder, { recursive: true, force: true });
}
