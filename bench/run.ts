/**
 * Runs Dustcast's benchmarks against their peers and writes bench/results/NAME.json plus a
 * Markdown table per benchmark on stdout (`npm run bench`, options in --help).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { cpus, loadavg, platform, release, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { markdownTable } from './report/statistics.js';
import { accuracySection, cycleSection, importSection, trainingSection, windowsSection } from './report/tables.js';
import { runCycleBench, runImportBench, runWindowsBench } from './system/system-benches.js';
import { ensureTorch, systemPython } from './training/runners.js';
import { runTrainingBench } from './training/training-bench.js';

const benchmarkNames = ['training', 'accuracy', 'windows', 'import', 'cycle'] as const;
type BenchmarkName = (typeof benchmarkNames)[number];

const usage = `Usage: npm run bench -- [options]
  --only LIST             comma-separated benchmarks to run: ${benchmarkNames.join(', ')} (default: all)
  --rounds N              interleaved rounds per measurement; tables show medians (default 3)
  --accuracy-epochs N     whole epochs each variant trains in the accuracy benchmark (default 3)
  --architectures LIST    training architectures by index (0 notebook, 1 default) or name prefix;
                          accuracy defaults to the default architecture only
  --variants LIST         training variants by name, such as "wasm fused,wasm layers"
  --data PATH             the shared real-data folder (default ../shared/data from the repository root)
  --tables                measure nothing: rewrite bench/results/NAME.md from the saved NAME.json
  --label NAME            suffix of the result files, bench/results/BENCHMARK-NAME.json and .md, so a
                          run does not replace the unlabelled results`;

const { values } = parseArgs({
  options: {
    only: { type: 'string', default: benchmarkNames.join(',') },
    rounds: { type: 'string', default: '3' },
    'accuracy-epochs': { type: 'string', default: '3' },
    architectures: { type: 'string', default: '' },
    variants: { type: 'string', default: '' },
    data: { type: 'string' },
    label: { type: 'string', default: '' },
    tables: { type: 'boolean', default: false },
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

if (!/^[a-z0-9-]*$/.test(values.label)) throw new Error(`--label must use lowercase letters, digits and hyphens, got ${JSON.stringify(values.label)}`);
const suffix = values.label ? `-${values.label}` : '';

function writeResult(name: string, body: Record<string, unknown>): void {
  mkdirSync(resultsFolder, { recursive: true });
  writeFileSync(join(resultsFolder, `${name}${suffix}.json`), `${JSON.stringify({ ...environment, ...body }, null, 2)}\n`);
}

/** Prints a benchmark's Markdown section and keeps it in bench/results/NAME.md for the docs. */
function writeSection(name: string, markdown: string, measured: typeof environment = environment): void {
  mkdirSync(resultsFolder, { recursive: true });
  const load = measured.loadAverageAtStart.map((value) => value.toFixed(1)).join(' ');
  const stamp = `Measured ${measured.date} on ${measured.cpu}, Node ${measured.node}, load average ${load} at the start.`;
  writeFileSync(join(resultsFolder, `${name}${suffix}.md`), `${markdown}\n\n${stamp}\n`);
  console.log(`\n${markdown}`);
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

const renderers: Record<BenchmarkName, (result: never) => string> = {
  training: trainingSection,
  accuracy: accuracySection,
  windows: windowsSection,
  import: importSection,
  cycle: cycleSection,
};

if (values.tables) {
  for (const name of only) {
    const path = join(resultsFolder, `${name}${suffix}.json`);
    if (!existsSync(path)) {
      log(`${path} not found; run npm run bench -- --only ${name} first`);
      continue;
    }
    const result = JSON.parse(readFileSync(path, 'utf8'));
    writeSection(name, renderers[name](result as never), result);
  }
  process.exit(0);
}

const workFolder = mkdtempSync(join(tmpdir(), 'dustcast-bench-'));
try {
  // Every peer but the cycle's runs on the system Python; python3-torch brings python3-numpy.
  if (only.some((name) => name !== 'cycle')) ensureTorch(log);
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
    writeSection('training', trainingSection({ torch, rows }));
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
    writeSection('accuracy', accuracySection({ torch, epochs, rows }));
  }
  if (only.includes('windows')) {
    const result = runWindowsBench({ workFolder, rounds, log });
    writeResult('windows', result);
    writeSection('windows', windowsSection(result));
  }
  if (only.includes('import')) {
    const file = join(dataFolder, 'seoul-air', 'riverKangg_finedust', 'seoul_realtime_urban25_2025-04-21_2026-01-16.csv');
    const result = runImportBench({ file, workFolder, rounds, log });
    writeResult('import', { file, ...result });
    writeSection('import', importSection(result));
  }
  if (only.includes('cycle')) {
    const result = runCycleBench({ rounds });
    writeResult('cycle', result);
    writeSection('cycle', cycleSection(result));
  }
} finally {
  rmSync(workFolder, { recursive: true, force: true });
}
