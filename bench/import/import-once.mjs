/**
 * Imports one file into a new SQLite database twice with the project's importer and prints one
 * JSON line: rows read, the counts and seconds of each pass. bench/run.ts runs it per round.
 *
 * It is plain JavaScript on the compiled build under dist/, run by node without tsx, because
 * that is how the CLI runs: under tsx the parse worker would load tsx as well, which adds a
 * start-up cost users never pay. Run `npm run build` first.
 *
 *   node bench/import/import-once.mjs FILE [auto|never]
 *
 * The second argument is the importer's parseWorker option (default auto).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const [file, parseWorker = 'auto'] = process.argv.slice(2);
if (!file) throw new Error('give the file to import: node bench/import/import-once.mjs FILE [auto|never]');
if (parseWorker !== 'auto' && parseWorker !== 'never') throw new Error(`parse worker choice "${parseWorker}" is not auto or never`);
const built = resolve(dirname(fileURLToPath(import.meta.url)), '../../dist/src');
if (!existsSync(join(built, 'importers/import-file.js'))) throw new Error(`${built} has no compiled importer; run npm run build first`);
const { openDatabase } = await import(pathToFileURL(join(built, 'db/database.js')).href);
const { importFile } = await import(pathToFileURL(join(built, 'importers/import-file.js')).href);

const folder = mkdtempSync(join(tmpdir(), 'dustcast-import-once-'));
try {
  const database = openDatabase(join(folder, 'bench.sqlite'));
  const passes = {};
  for (const pass of ['first', 'again']) {
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const summary = importFile(database, file, { parseWorker });
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
