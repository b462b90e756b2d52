/**
 * Training throughput against the PyTorch peer, on the notebook's architecture and on
 * Dustcast's default, with the same real windows for every run. Each measurement runs in its
 * own process, and rounds interleave the peer and every Dustcast variant. The table reports
 * medians of the rounds, as samples per second and as a ratio to the peer of the same round.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { modelSettings } from '../../src/config/model.js';
import { buildNotebookWindows, type WorkloadShape } from './notebook-windows.js';
import { runDustcast, runPeer, type TrainingMeasurement } from './runners.js';
import { writeWindowFiles } from './window-files.js';
import { median } from '../report/statistics.js';

/** One architecture of the comparison, with the workload it trains on. */
export interface Architecture {
  name: string;
  shape: WorkloadShape;
  layers: number;
  units: number;
  batchSize: number;
  learningRate: number;
  dropout: number;
}

/** One Dustcast configuration measured against the peer. */
export interface Variant {
  name: string;
  backend: 'wasm' | 'cpu';
  engine: 'layers' | 'fused' | 'fused-autodiff' | 'fused-parallel';
  threads?: number;
  /** Multiplies the architecture's batch size and learning rate. */
  batchMultiplier?: number;
  learningRateMultiplier?: number;
  /** Timed batches for this variant when it is too slow for the architecture's count. */
  timedBatches?: number;
  /** Rounds to measure; the slow cpu backend runs once. */
  rounds?: number;
  /** Indexes into `architectures` this variant runs on; all when absent. */
  architectures?: number[];
}

export interface TrainingBenchOptions {
  dataFolder: string;
  workFolder: string;
  rounds: number;
  /** Whole epochs trained for the test RMSE column; 0 skips it. */
  accuracyEpochs: number;
  architectures: string[];
  variants: string[];
  log: (line: string) => void;
}

function defaultOf(setting: keyof typeof modelSettings): number {
  return modelSettings[setting].parse(undefined) as number;
}

/** The notebook's GRU and Dustcast's default, the latter read from the settings defaults. */
export const architectures: Architecture[] = [
  {
    name: 'notebook (3 x 256, window 20, batch 32)',
    shape: { windowHours: 20, horizons: [1], withPm10: false, withHistory: false },
    layers: 3,
    units: 256,
    batchSize: 32,
    learningRate: 0.001,
    dropout: 0,
  },
  {
    name: `default (${defaultOf('DUSTCAST_GRU_LAYERS')} x ${defaultOf('DUSTCAST_GRU_UNITS')}, window ${defaultOf('DUSTCAST_WINDOW_HOURS')}, batch ${defaultOf('DUSTCAST_BATCH_SIZE')})`,
    shape: { windowHours: defaultOf('DUSTCAST_WINDOW_HOURS'), horizons: [1, 3, 6, 12, 24], withPm10: true, withHistory: true },
    layers: defaultOf('DUSTCAST_GRU_LAYERS'),
    units: defaultOf('DUSTCAST_GRU_UNITS'),
    batchSize: defaultOf('DUSTCAST_BATCH_SIZE'),
    learningRate: defaultOf('DUSTCAST_LEARNING_RATE'),
    dropout: defaultOf('DUSTCAST_DROPOUT'),
  },
];

export const variants: Variant[] = [
  { name: 'wasm layers', backend: 'wasm', engine: 'layers' },
  { name: 'wasm fused autodiff', backend: 'wasm', engine: 'fused-autodiff' },
  { name: 'wasm fused', backend: 'wasm', engine: 'fused' },
  { name: 'wasm fused 2 threads', backend: 'wasm', engine: 'fused-parallel', threads: 2 },
  { name: 'wasm fused 2 threads 4x batch', backend: 'wasm', engine: 'fused-parallel', threads: 2, batchMultiplier: 4, learningRateMultiplier: 2 },
  // One batch of the notebook architecture takes minutes on the cpu backend, so it runs the default only.
  { name: 'cpu layers', backend: 'cpu', engine: 'layers', timedBatches: 2, rounds: 1, architectures: [1] },
  { name: 'cpu fused', backend: 'cpu', engine: 'fused', timedBatches: 2, rounds: 1, architectures: [1] },
];

/** Timed batches per run, the same for the peer and every variant that sets no count of its own. */
const timedBatchesByArchitecture = [12, 60];

export interface TrainingRow {
  architecture: string;
  variant: string;
  batchSize: number;
  learningRate: number;
  timedBatches: number;
  samplesPerSecond: number[];
  medianSamplesPerSecond: number;
  /** Median of per-round ratios to the peer's figure in the same round. */
  ratioToPeer: number | null;
  /** The same against the one-thread peer, when it was measured. */
  ratioToSingleThreadPeer?: number | null;
  samplesPerCpuSecond: number[];
  /** Test RMSE per output in µg/m³, horizon-major over `targets` targets (PM2.5 first). */
  testRmse?: number[];
  targets: number;
  loadAverages: number[];
}

/** Runs the training benchmark and returns one row per architecture and variant, peer first. */
export async function runTrainingBench(options: TrainingBenchOptions): Promise<TrainingRow[]> {
  const rows: TrainingRow[] = [];
  const chosen = architectures.filter((architecture, index) => options.architectures.length === 0 || options.architectures.includes(String(index)) || options.architectures.some((name) => architecture.name.startsWith(name)));
  for (const architecture of chosen) {
    const index = architectures.indexOf(architecture);
    const folder = join(options.workFolder, `windows-${index}`);
    mkdirSync(folder, { recursive: true });
    const windows = buildNotebookWindows(options.dataFolder, architecture.shape);
    writeWindowFiles(windows, folder);
    options.log(`${architecture.name}: ${windows.train.count} training windows of ${windows.featureCount} inputs, ${windows.outputCount} outputs`);
    const timedBatches = timedBatchesByArchitecture[index];
    const chosenVariants = variants.filter(
      (variant) =>
        (options.variants.length === 0 || options.variants.includes(variant.name)) && (variant.architectures ?? [index]).includes(index),
    );

    const peer: TrainingMeasurement[] = [];
    // PyTorch's two threads spin-wait when another process holds a core, so one thread is shown too.
    const singleThreadPeer: TrainingMeasurement[] = [];
    const measured = new Map<Variant, TrainingMeasurement[]>(chosenVariants.map((variant) => [variant, []]));
    for (let round = 1; round <= options.rounds; round += 1) {
      peer.push(await runPeer({ folder, architecture, timedBatches, epochs: 0 }));
      options.log(`  round ${round} peer: ${peer[peer.length - 1].samplesPerSecond.toFixed(1)} samples/s`);
      if (options.accuracyEpochs === 0) {
        singleThreadPeer.push(await runPeer({ folder, architecture, timedBatches, epochs: 0, threads: 1 }));
        options.log(`  round ${round} peer, 1 thread: ${singleThreadPeer[singleThreadPeer.length - 1].samplesPerSecond.toFixed(1)} samples/s`);
      }
      for (const variant of chosenVariants) {
        if (round > (variant.rounds ?? options.rounds)) continue;
        const result = await runDustcast({ folder, architecture, variant, timedBatches: variant.timedBatches ?? timedBatches, epochs: 0 });
        measured.get(variant)?.push(result);
        options.log(`  round ${round} ${variant.name}: ${result.samplesPerSecond.toFixed(1)} samples/s`);
      }
    }

    const peerAccuracy = options.accuracyEpochs > 0 ? await runPeer({ folder, architecture, timedBatches: 1, epochs: options.accuracyEpochs }) : undefined;
    const targets = architecture.shape.withPm10 ? 2 : 1;
    rows.push(rowOf(architecture.name, 'PyTorch peer', architecture.batchSize, architecture.learningRate, timedBatches, peer, peer, peerAccuracy, targets));
    if (singleThreadPeer.length > 0) {
      rows.push(rowOf(architecture.name, 'PyTorch peer, 1 thread', architecture.batchSize, architecture.learningRate, timedBatches, singleThreadPeer, peer, undefined, targets));
    }
    for (const variant of chosenVariants) {
      const results = measured.get(variant) ?? [];
      const batchSize = architecture.batchSize * (variant.batchMultiplier ?? 1);
      const learningRate = architecture.learningRate * (variant.learningRateMultiplier ?? 1);
      // The slow cpu backend is not worth training whole epochs for an accuracy figure.
      const accuracy =
        options.accuracyEpochs > 0 && variant.backend === 'wasm'
          ? await runDustcast({ folder, architecture, variant, timedBatches: 1, epochs: options.accuracyEpochs })
          : undefined;
      const row = rowOf(architecture.name, variant.name, batchSize, learningRate, variant.timedBatches ?? timedBatches, results, peer, accuracy, targets);
      if (singleThreadPeer.length > 0) {
        row.ratioToSingleThreadPeer = median(results.map((result, round) => result.samplesPerSecond / singleThreadPeer[round].samplesPerSecond));
      }
      rows.push(row);
    }
  }
  return rows;
}

function rowOf(
  architecture: string,
  variant: string,
  batchSize: number,
  learningRate: number,
  timedBatches: number,
  results: TrainingMeasurement[],
  peer: TrainingMeasurement[],
  accuracy: TrainingMeasurement | undefined,
  targets: number,
): TrainingRow {
  const ratios = results.map((result, round) => result.samplesPerSecond / peer[round].samplesPerSecond);
  return {
    architecture,
    variant,
    batchSize,
    learningRate,
    timedBatches,
    samplesPerSecond: results.map((result) => result.samplesPerSecond),
    medianSamplesPerSecond: median(results.map((result) => result.samplesPerSecond)),
    ratioToPeer: ratios.length > 0 ? median(ratios) : null,
    samplesPerCpuSecond: results.map((result) => result.samplesPerCpuSecond),
    testRmse: accuracy?.testRmse,
    targets,
    loadAverages: results.map((result) => result.loadAverage),
  };
}
