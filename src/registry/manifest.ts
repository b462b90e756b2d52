import { z } from 'zod';
import type { HourOfDayClimatology } from '../evaluation/climatology.js';
import type { EvaluationReport } from '../evaluation/report.js';
import type { GruOptions } from '../model/gru.js';
import type { Scaler, TimeRange, WindowSpec } from '../windows/window-set.js';

export const MANIFEST_FILE = 'manifest.json';
/** Manifest layout version, raised when the layout changes. Loaders reject versions they do not know. */
export const MANIFEST_FORMAT_VERSION = 1;

/** Everything needed to rebuild a model's inputs and judge it, stored beside its weights. */
export interface ModelManifest {
  formatVersion: number;
  version: string;
  /** UTC epoch seconds. */
  createdAt: number;
  spec: WindowSpec;
  featureScaler: Scaler;
  targetScaler: Scaler;
  stationIds: number[];
  /** Issue-time ranges (last input hour, UTC epoch seconds) of each split. */
  ranges: { train: TimeRange; validation: TimeRange; test: TimeRange };
  architecture: GruOptions;
  training: TrainingRecord;
  evaluation: EvaluationRecord;
  /** Hour-of-day climatology fitted on the training split, reused by `dustcast evaluate`. */
  climatology: HourOfDayClimatology;
  backend: { name: string; engineName: string };
  /** Library versions (tfjs packages, Node, dustcast) the model was trained with. */
  libraries: Record<string, string>;
  weights: { file: string; sha256: string; bytes: number };
}

export interface TrainingRecord {
  epochs: number;
  batchSize: number;
  patience: number;
  seed: number;
  epochsRun: number;
  bestEpoch: number;
  bestValidationLoss: number;
  stoppedEarly: boolean;
  history: Array<{ epoch: number; loss: number; validationLoss: number }>;
  durationMs: number;
  samplesPerSecond: number;
  /** Training engine (layers or fused) and its thread count; absent in manifests written before they were recorded. */
  engine?: string;
  threads?: number;
}

export interface EvaluationRecord {
  /** PM2.5 RMSE in µg/m³ per horizon on the test windows; null where no target was observed. */
  pm25RmseByHorizon: Array<number | null>;
  /** Mean of pm25RmseByHorizon, the score the promotion rule compares. */
  pm25MeanRmse: number;
  testSamples: number;
  /** Model, persistence and climatology scores per target and horizon on the test windows. */
  report: EvaluationReport;
}

const rangeSchema = z.object({ from: z.number(), to: z.number() });
const scalerSchema = z.object({ means: z.array(z.number()), stds: z.array(z.number()) });

const manifestSchema = z.object({
  formatVersion: z.literal(MANIFEST_FORMAT_VERSION),
  version: z.string().min(1),
  createdAt: z.number(),
  spec: z.object({
    windowHours: z.number().int().positive(),
    horizons: z.array(z.number().int().positive()).min(1),
    targets: z.array(z.enum(['pm25', 'pm10'])).min(1),
    featureNames: z.array(z.string()).min(1),
    maxGapHours: z.number().int().min(0),
  }),
  featureScaler: scalerSchema,
  targetScaler: scalerSchema,
  stationIds: z.array(z.number().int()),
  ranges: z.object({ train: rangeSchema, validation: rangeSchema, test: rangeSchema }),
  architecture: z.object({
    windowHours: z.number().int(),
    featureCount: z.number().int(),
    outputCount: z.number().int(),
    layers: z.number().int(),
    units: z.number().int(),
    dropout: z.number(),
    learningRate: z.number(),
    seed: z.number().int(),
    targetEncoding: z.enum(['absolute', 'change']).optional(),
  }),
  training: z.object({
    epochs: z.number().int(),
    batchSize: z.number().int(),
    patience: z.number().int(),
    seed: z.number().int(),
    epochsRun: z.number().int(),
    bestEpoch: z.number().int(),
    bestValidationLoss: z.number(),
    stoppedEarly: z.boolean(),
    history: z.array(z.object({ epoch: z.number().int(), loss: z.number(), validationLoss: z.number() })),
    durationMs: z.number(),
    samplesPerSecond: z.number(),
    engine: z.string().optional(),
    threads: z.number().int().positive().optional(),
  }),
  evaluation: z.object({
    pm25RmseByHorizon: z.array(z.number().nullable()),
    pm25MeanRmse: z.number(),
    testSamples: z.number().int(),
    report: z.object({ format: z.literal(1) }).passthrough(),
  }),
  climatology: z.object({ format: z.literal(1) }).passthrough(),
  backend: z.object({ name: z.string(), engineName: z.string() }),
  libraries: z.record(z.string(), z.string()),
  weights: z.object({ file: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/), bytes: z.number().int().min(0) }),
});

/** Serialises a manifest as JSON, with scalers as plain number arrays. */
export function manifestToJson(manifest: ModelManifest): string {
  const plain = {
    ...manifest,
    featureScaler: scalerToJson(manifest.featureScaler),
    targetScaler: scalerToJson(manifest.targetScaler),
  };
  return `${JSON.stringify(plain, null, 2)}\n`;
}

/** Parses and validates manifest JSON; the error names the file and each invalid field. */
export function manifestFromJson(text: string, path: string): ModelManifest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new Error(`model manifest ${path} is not valid JSON: ${(error as Error).message}`);
  }
  const result = manifestSchema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
    throw new Error(`model manifest ${path} is invalid (${problems}); retrain the model or restore the file`);
  }
  const data = result.data;
  // The report and climatology are stored as the evaluation code wrote them and read back as such.
  const manifest: ModelManifest = {
    ...data,
    evaluation: { ...data.evaluation, report: data.evaluation.report as unknown as EvaluationReport },
    climatology: data.climatology as unknown as HourOfDayClimatology,
    featureScaler: scalerFromJson(data.featureScaler),
    targetScaler: scalerFromJson(data.targetScaler),
  };
  checkConsistency(manifest, path);
  return manifest;
}

function checkConsistency(manifest: ModelManifest, path: string): void {
  const featureCount = manifest.spec.featureNames.length;
  const targetCount = manifest.spec.targets.length;
  const problems: string[] = [];
  if (manifest.featureScaler.means.length !== featureCount) problems.push(`featureScaler has ${manifest.featureScaler.means.length} columns for ${featureCount} features`);
  if (manifest.targetScaler.means.length !== targetCount) problems.push(`targetScaler has ${manifest.targetScaler.means.length} columns for ${targetCount} targets`);
  if (manifest.architecture.featureCount !== featureCount) problems.push(`architecture.featureCount ${manifest.architecture.featureCount} differs from ${featureCount} features`);
  if (manifest.architecture.outputCount !== manifest.spec.horizons.length * targetCount) {
    problems.push(`architecture.outputCount ${manifest.architecture.outputCount} differs from horizons x targets`);
  }
  if (problems.length > 0) throw new Error(`model manifest ${path} is inconsistent: ${problems.join('; ')}`);
}

function scalerToJson(scaler: Scaler): { means: number[]; stds: number[] } {
  return { means: Array.from(scaler.means), stds: Array.from(scaler.stds) };
}

function scalerFromJson(scaler: { means: number[]; stds: number[] }): Scaler {
  return { means: Float32Array.from(scaler.means), stds: Float32Array.from(scaler.stds) };
}
