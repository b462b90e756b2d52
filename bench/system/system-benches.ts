import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from '../report/statistics.js';
import { writeTiledCopy } from '../import/tiled-copy.js';
import { systemPython } from '../training/runners.js';

const benchFolder = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const tsx = join(benchFolder, '..', 'node_modules', 'tsx', 'dist', 'cli.mjs');

/** Runs a command and returns every line of its stdout that parses as a JSON object. */
function jsonLines(command: string, args: string[], what: string): Array<Record<string, unknown>> {
  const child = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (child.status !== 0) {
    throw new Error(`${what} failed with exit code ${child.status}: ${(child.stderr || child.stdout).trim().split('\n').slice(-5).join('\n')}`);
  }
  const objects = child.stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  if (objects.length === 0) throw new Error(`${what} printed no JSON result`);
  return objects;
}

export interface RoundsResult {
  rounds: Array<Record<string, unknown>>;
  loadAverages: number[];
}

function collect(rounds: number, run: () => Record<string, unknown>): RoundsResult {
  const result: RoundsResult = { rounds: [], loadAverages: [] };
  for (let round = 0; round < rounds; round += 1) {
    result.loadAverages.push(loadavg()[0]);
    result.rounds.push(run());
  }
  return result;
}

/**
 * Window building on 2.2 M tiled station-hours (bench/windows/build-windows.ts prepares the
 * database once, then each round builds in a fresh process), interleaved with the numpy peer
 * on the same database.
 */
export function runWindowsBench(options: { workFolder: string; rounds: number; log: (line: string) => void }) {
  const database = join(options.workFolder, 'windows.sqlite');
  const script = join(benchFolder, 'windows', 'build-windows.ts');
  const prepared = jsonLines(process.execPath, [tsx, script, database], 'window bench preparation');
  options.log(`windows: prepared ${JSON.stringify(prepared[0])}`);
  const dustcast: RoundsResult = { rounds: [], loadAverages: [] };
  const peer: RoundsResult = { rounds: [], loadAverages: [] };
  for (let round = 1; round <= options.rounds; round += 1) {
    dustcast.loadAverages.push(loadavg()[0]);
    dustcast.rounds.push(jsonLines(process.execPath, [tsx, script, '--measure', database], 'window build')[0]);
    peer.loadAverages.push(loadavg()[0]);
    peer.rounds.push(jsonLines(systemPython, [join(benchFolder, 'peer', 'windows_peer.py'), database], 'numpy window peer')[0]);
    options.log(`  round ${round} windows: Dustcast ${String(dustcast.rounds[round - 1].buildSeconds)} s, peer ${Number(peer.rounds[round - 1].seconds).toFixed(2)} s`);
  }
  return {
    preparation: prepared[0],
    dustcast: { ...dustcast, medianSeconds: median(dustcast.rounds.map((round) => Number(round.buildSeconds))), medianPeakRssMb: median(dustcast.rounds.map((round) => Number(round.peakRssMb))) },
    peer: { ...peer, medianSeconds: median(peer.rounds.map((round) => Number(round.seconds))), medianPeakRssMb: median(peer.rounds.map((round) => Number(round.peakRssMb))) },
  };
}

/** Copies of the real file in the larger import file, which shows how the parse worker scales. */
export const IMPORT_TILES = 4;

/**
 * Import and re-import of the real AirKorea urban file, and of a file with IMPORT_TILES copies of
 * it (years moved back per copy). Each round runs Dustcast with the parse worker ("auto"), Dustcast
 * in one thread ("never") and the Python sqlite3 peer, each in a fresh process, on each file.
 * The compiled build is rebuilt first, because import-once.mjs runs it.
 */
export function runImportBench(options: { file: string; workFolder: string; rounds: number; log: (line: string) => void }) {
  if (!existsSync(options.file)) throw new Error(`import bench file not found: ${options.file}; pass --data with the shared data folder`);
  const build = spawnSync('npm', ['run', 'build'], { cwd: join(benchFolder, '..'), encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`npm run build failed before the import bench (exit ${build.status}): ${build.stdout}${build.stderr}`);
  const tiled = join(options.workFolder, `tiled-${IMPORT_TILES}-${basename(options.file)}`);
  writeTiledCopy(options.file, IMPORT_TILES, tiled);
  const files = [
    { label: 'real file', path: options.file },
    { label: `${IMPORT_TILES} copies`, path: tiled },
  ];
  const results = files.map((file) => ({
    ...file,
    worker: { rounds: [], loadAverages: [] } as RoundsResult,
    inThread: { rounds: [], loadAverages: [] } as RoundsResult,
    peer: { rounds: [], loadAverages: [] } as RoundsResult,
  }));
  const once = join(benchFolder, 'import', 'import-once.mjs');
  for (let round = 1; round <= options.rounds; round += 1) {
    for (const result of results) {
      result.worker.loadAverages.push(loadavg()[0]);
      result.worker.rounds.push(jsonLines(process.execPath, [once, result.path, 'auto'], 'import')[0]);
      result.inThread.loadAverages.push(loadavg()[0]);
      result.inThread.rounds.push(jsonLines(process.execPath, [once, result.path, 'never'], 'import in one thread')[0]);
      result.peer.loadAverages.push(loadavg()[0]);
      result.peer.rounds.push(jsonLines(systemPython, [join(benchFolder, 'peer', 'upsert_peer.py'), result.path], 'sqlite3 upsert peer')[0]);
    }
    options.log(`  round ${round} import done`);
  }
  return { files: results.map(({ path, ...rest }) => ({ ...rest, file: basename(path) })) };
}

/** Runs the nationwide hourly cycle (bench/cycle/hourly-cycle.ts), all rounds in one process. */
export function runCycleBench(options: { rounds: number }) {
  return collect(1, () => jsonLines(process.execPath, [tsx, join(benchFolder, 'cycle', 'hourly-cycle.ts'), String(options.rounds)], 'hourly cycle')[0]).rounds[0];
}
