import { execFileSync, spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Architecture, Variant } from './training-bench.js';

const benchFolder = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** Debian's python3-torch installs into the system Python; a pyenv shim may shadow `python3`. */
export const systemPython = '/usr/bin/python3';

/** One timed run, as printed by the peer script or bench/training/dustcast-trainer.ts. */
export interface TrainingMeasurement {
  samplesPerSecond: number;
  samplesPerCpuSecond: number;
  timedSeconds: number;
  testRmse?: number[];
  /** One-minute load average of the machine just before the run. */
  loadAverage: number;
  [key: string]: unknown;
}

/** Installs Debian's python3-torch with apt-get when the system Python cannot import torch. */
export function ensureTorch(log: (line: string) => void): string {
  const probe = spawnSync(systemPython, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
  if (probe.status === 0) return probe.stdout.trim();
  log(`torch is missing from ${systemPython} (${probe.stderr.trim().split('\n').pop()}); installing python3-torch with apt-get`);
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-qq', 'python3-torch'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  return execFileSync(systemPython, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' }).trim();
}

function runJson(command: string, args: string[], what: string): Record<string, unknown> {
  const loadAverage = loadavg()[0];
  const child = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (child.status !== 0) {
    throw new Error(`${what} failed with exit code ${child.status}: ${(child.stderr || child.stdout).trim().split('\n').slice(-5).join('\n')}`);
  }
  const line = child.stdout.trim().split('\n').pop() ?? '';
  try {
    return { ...(JSON.parse(line) as Record<string, unknown>), loadAverage };
  } catch {
    throw new Error(`${what} printed no JSON result; its last output line was ${JSON.stringify(line)}`);
  }
}

export interface RunRequest {
  folder: string;
  architecture: Architecture;
  timedBatches: number;
  epochs: number;
  /** Torch threads; the machine's core count when absent. */
  threads?: number;
}

/** Runs bench/peer/gru_peer.py once, with torch threads set to the machine's core count unless given. */
export function runPeer(request: RunRequest): Promise<TrainingMeasurement> {
  const { architecture } = request;
  const args = [
    join(benchFolder, 'peer', 'gru_peer.py'),
    '--windows', request.folder,
    '--layers', String(architecture.layers),
    '--units', String(architecture.units),
    '--batch-size', String(architecture.batchSize),
    '--learning-rate', String(architecture.learningRate),
    '--dropout', String(architecture.dropout),
    '--timed-batches', String(request.timedBatches),
    '--epochs', String(request.epochs),
    // Accuracy runs are not timed, and one thread spares them the spin-waits of a busy machine.
    ...(request.epochs > 0 ? ['--threads', '1'] : request.threads ? ['--threads', String(request.threads)] : []),
  ];
  return Promise.resolve(runJson(systemPython, args, 'the PyTorch peer') as TrainingMeasurement);
}

/** Runs bench/training/dustcast-trainer.ts once in a fresh Node process (through tsx). */
export function runDustcast(request: RunRequest & { variant: Variant }): Promise<TrainingMeasurement> {
  const { architecture, variant } = request;
  const tsx = join(benchFolder, '..', 'node_modules', 'tsx', 'dist', 'cli.mjs');
  const args = [
    tsx,
    join(benchFolder, 'training', 'dustcast-trainer.ts'),
    '--windows', request.folder,
    '--backend', variant.backend,
    '--engine', variant.engine,
    '--threads', String(variant.threads ?? 1),
    '--layers', String(architecture.layers),
    '--units', String(architecture.units),
    '--batch-size', String(architecture.batchSize * (variant.batchMultiplier ?? 1)),
    '--learning-rate', String(architecture.learningRate * (variant.learningRateMultiplier ?? 1)),
    '--dropout', String(architecture.dropout),
    '--warmup-batches', variant.backend === 'cpu' ? '1' : '5',
    '--timed-batches', String(request.timedBatches),
    '--epochs', String(request.epochs),
  ];
  return Promise.resolve(runJson(process.execPath, args, `Dustcast ${variant.name}`) as TrainingMeasurement);
}
