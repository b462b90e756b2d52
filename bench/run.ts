/**
 * Runs Dustcast's benchmarks against their peers and writes bench/results/NAME.json plus a
 * Markdown table per benchmark on stdout (`npm run bench`, options in --help).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { cpus, loadavg, platform, release, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { formatNumber, markdownTable, mean } from './report/statistics.js';
import { runCycleBench, runImportBench, runWindowsBench } from './system/system-benches.js';
import { ensureTorch, systemPython } from './training/runners.js';
import { runTrainingBench, type TrainingRow } from './training/training-bench.js';

const benchmarkNames = ['training', 'accuracy', 'windows', 'import', 'cycle'] as const;
type BenchmarkName = (typeof benchmarkNames)[number];

const usage = `Usage: npm run bench -- [options]
  --only LIST             comma-separated benchmarks to run: ${benchmarkNames.join(', ')} (default: all)
  --rounds N              interleaved rounds per measurement; tables show medians (default 3)
  --accuracy-epochs N     whole epochs each variant trains in the accuracy benchmark (default 3)
  --architectures LIST    training architectures by index (0 notebook, 1 default) or name prefix;
                          accuracy defaults to the default architecture only
  --variants LIST         training variants by name, such as "wasm fused,wasm layers"
  --data PATH             the shared real-data folder (default ../shared/data from the repository root)`;

const { values } = parseArgs({
  options: {
    only: { type: 'string', default: benchmarkNames.join(',') },
    rounds: { type: 'string', default: '3' },
    'accuracy-epochs': { type: 'string', default: '3' },
    architectures: { type: 'string', default: '' },
    variants: { type: 'string', default: '' },
    data: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log(usage);
  process.exit(0);
}

const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dataFolder = resolve(values.data ?? join(repositoryRoot, '..', 'shared', 'data'));
const resultsFolder = join(repositoryRoot, 'bench', 'results');
const only = values.only.split(',').map((name) => name.trim()) as BenchmarkName[];
for (const name of only) {
  if (!benchmarkNames.includes(name)) throw new Error(`unknown benchmark ${JSON.stringify(name)} in --only; expected ${benchmarkNames.join(', ')}`);
}
const rounds = Number(values.rounds);
if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds must be a positive integer, got ${values.rounds}`);
const list = (text: string) => text.split(',').map((part) => part.trim()).filter((part) => part.length > 0);
const log = (line: string) => console.error(line);

/** Machine, versions and date that every result file records. */
const environment = {
  date: new Date().toISOString(),
  node: process.version,
  cpu: `${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}`,
  loadAverageAtStart: loadavg(),
};

function writeResult(name: string, body: Record<string, unknown>): void {
  mkdirSync(resultsFolder, { recursive: true });
  writeFileSync(join(resultsFolder, `${name}.json`), `${JSON.stringify({ ...environment, ...body }, null, 2)}\n`);
}

/** Prints a benchmark's Markdown section and keeps it in bench/results/NAME.md for the docs. */
function writeSection(name: string, markdown: string): void {
  mkdirSync(resultsFolder, { recursive: true });
  const stamp = `Measured ${environment.date} on ${environment.cpu}, Node ${environment.node}, load average ${environment.loadAverageAtStart.map((value) => value.toFixed(1)).join(' ')} at the start.`;
  writeFileSync(join(resultsFolder, `${name}.md`), `${markdown}\n\n${stamp}\n`);
  console.log(`\n${markdown}`);
}

function trainingTable(rows: TrainingRow[]): string {
  return markdownTable(
    ['Architecture', 'Variant', 'Batch', 'Samples/s (median)', 'x PyTorch', 'Samples per CPU-s (best)', 'Test RMSE PM2.5 µg/m³ (mean over horizons)'],
    rows.map((row) => [
      row.architecture,
      row.variant,
      String(row.batchSize),
      formatNumber(row.medianSamplesPerSecond),
      row.variant === 'PyTorch peer' ? '1.00' : formatNumber(row.ratioToPeer, 2),
      formatNumber(row.samplesPerCpuSecond.length > 0 ? Math.max(...row.samplesPerCpuSecond) : null),
      formatNumber(row.testRmse ? mean(row.testRmse.filter((_, index) => index % row.targets === 0)) : null, 2),
    ]),
  );
}

/** Writes the machine and library versions that every table on the docs page was measured with. */
async function writeMachineSection(): Promise<void> {
  const { tf } = await import('../src/model/tf.js');
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  const { default: Database } = await import('better-sqlite3');
  const sqlite = new Database(':memory:');
  const sqliteVersion = (sqlite.prepare('SELECT sqlite_version() AS version').get() as { version: string }).version;
  sqlite.close();
  const python = spawnSync(systemPython, ['-c', 'import sys, numpy, torch; print(sys.version.split()[0], numpy.__version__, torch.__version__)'], { encoding: 'utf8' });
  const [pythonVersion, numpyVersion, torchVersion] = python.status === 0 ? python.stdout.trim().split(' ') : ['not found', 'not found', 'not found'];
  const rows = [
    ['Date', environment.date],
    ['CPU', environment.cpu],
    ['Memory', `${Math.round(totalmem() / 1024 ** 3)} GiB`],
    ['OS', `${platform()} ${release()}`],
    ['Node', environment.node],
    ['TensorFlow.js', `tfjs ${tf.version.tfjs}, tfjs-backend-wasm ${wasm.version_wasm}`],
    ['SQLite (better-sqlite3)', sqliteVersion],
    ['Python, numpy, PyTorch', `${pythonVersion}, ${numpyVersion}, ${torchVersion} (Debian python3-torch)`],
    ['Load average at start (1, 5, 15 min)', environment.loadAverageAtStart.map((value) => value.toFixed(1)).join(', ')],
  ];
  writeSection('machine', `## Machine and versions\n\n${markdownTable(['Item', 'Value'], rows)}`);
}

const workFolder = mkdtempSync(join(tmpdir(), 'dustcast-bench-'));
try {
  await writeMachineSection();
  if (only.includes('training')) {
    const torch = ensureTorch(log);
    const rows = await runTrainingBench({
      dataFolder,
      workFolder,
      rounds,
      accuracyEpochs: 0,
      architectures: list(values.architectures),
      variants: list(values.variants),
      log,
    });
    writeResult('training', { torch, rounds, rows });
    writeSection('training', `## Training throughput (torch ${torch})\n\n${trainingTable(rows)}`);
  }
  if (only.includes('accuracy')) {
    const torch = ensureTorch(log);
    const epochs = Number(values['accuracy-epochs']);
    const architectures = list(values.architectures);
    const rows = await runTrainingBench({
      dataFolder,
      workFolder,
      rounds: 1,
      accuracyEpochs: epochs,
      architectures: architectures.length > 0 ? architectures : ['1'],
      variants: list(values.variants).length > 0 ? list(values.variants) : ['wasm layers', 'wasm fused', 'wasm fused 2 threads', 'wasm fused 2 threads 4x batch'],
      log,
    });
    writeResult('accuracy', { torch, epochs, rows });
    writeSection('accuracy', `## Test RMSE after ${epochs} epochs (torch ${torch})\n\n${trainingTable(rows)}`);
  }
  if (only.includes('windows')) {
    const result = runWindowsBench({ workFolder, rounds, log });
    writeResult('windows', result);
    const row = (name: string, part: { medianSeconds: number; medianPeakRssMb: number }) => [name, formatNumber(part.medianSeconds, 2), formatNumber(part.medianPeakRssMb, 0)];
    writeSection(
      'windows',
      `## Window building, 2.2 M station-hours\n\n${markdownTable(['Builder', 'Seconds (median)', 'Peak RSS MB (median)'], [
        row('Dustcast buildTrainingWindowSet', result.dustcast),
        row('numpy peer, all windows in one array', result.peer),
      ])}`,
    );
  }
  if (only.includes('import')) {
    const file = join(dataFolder, 'seoul-air', 'riverKangg_finedust', 'seoul_realtime_urban25_2025-04-21_2026-01-16.csv');
    const result = runImportBench({ file, rounds, log });
    writeResult('import', { file, ...result });
    const row = (name: string, part: { medianFirstRowsPerSecond: number; medianAgainRowsPerSecond: number }) => [
      name,
      formatNumber(part.medianFirstRowsPerSecond, 0),
      formatNumber(part.medianAgainRowsPerSecond, 0),
    ];
    writeSection(
      'import',
      `## Import and upsert, AirKorea urban file (125,125 rows)\n\n${markdownTable(['Importer', 'First import rows/s', 'Re-import rows/s'], [
        row('Dustcast importFile', result.dustcast),
        row('Python csv + sqlite3 executemany upsert', result.peer),
      ])}`,
    );
  }
  if (only.includes('cycle')) {
    const result = runCycleBench({ rounds });
    writeResult('cycle', result);
    const seconds = (name: string) => formatNumber(Number(result[name]), 2);
    writeSection(
      'cycle',
      `## Hourly cycle, nationwide\n\n${markdownTable(['Ingest s', 'Forecast s', 'Total s (median)'], [
        [seconds('medianIngestSeconds'), seconds('medianForecastSeconds'), seconds('medianTotalSeconds')],
      ])}`,
    );
  }
} finally {
  rmSync(workFolder, { recursive: true, force: true });
}
