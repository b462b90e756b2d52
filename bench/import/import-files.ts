/**
 * Measures file import speed: each file is imported into a fresh SQLite database, then imported
 * again (every row unchanged). Prints rows per second of wall time and of process CPU time,
 * because wall time on a shared machine mostly measures the other processes.
 *
 *   npx tsx bench/import/import-files.ts [--tile N] [file ...]
 *
 * With no file, it imports the real Seoul urban realtime CSV (125,125 rows) from the shared data.
 * --tile N first writes that CSV N times into one file, moving each copy's dataTime back by
 * 0..N-1 years, to measure a file N times larger with the same content.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../../src/db/database.js';
import { importFile } from '../../src/importers/import-file.js';
import { writeTiledCopy } from './tiled-copy.js';

const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const defaultFile = resolve(repositoryRoot, '../shared/data/seoul-air/riverKangg_finedust/seoul_realtime_urban25_2025-04-21_2026-01-16.csv');

const argumentsList = process.argv.slice(2);
const tileIndex = argumentsList.indexOf('--tile');
const tiles = tileIndex >= 0 ? Number(argumentsList.splice(tileIndex, 2)[1]) : 1;
if (!Number.isInteger(tiles) || tiles < 1) throw new Error('--tile needs a whole number of copies such as 8');
const files = argumentsList.length > 0 ? argumentsList : [defaultFile];
for (const file of files) {
  if (!existsSync(file)) throw new Error(`file not found: ${file}`);
}

console.log(`node ${process.version}, ${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}, load average ${loadavg()[0].toFixed(1)}`);
console.log('file | pass | rows read | inserted | unchanged | wall ms | CPU ms | rows/s wall | rows/s CPU');
const folder = mkdtempSync(join(tmpdir(), 'dustcast-import-bench-'));
try {
  if (tiles > 1) {
    files[0] = join(folder, `tiled-${tiles}-${basename(files[0])}`);
    writeTiledCopy(argumentsList[0] ?? defaultFile, tiles, files[0]);
  }
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
  console.log(`peak RSS of this process: ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
} finally {
  rmSync(folder, { recursive: true, force: true });
}
