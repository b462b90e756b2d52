import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DustcastDatabase } from '../src/db/database.js';
import { selectBackend } from '../src/model/backend.js';
import { disposeModel } from '../src/model/gru.js';
import { predict } from '../src/model/predict.js';
import { targetEncodingOf } from '../src/model/target-encoding.js';
import { tf } from '../src/model/tf.js';
import { runTraining, type TrainingRun } from '../src/model/training-run.js';
import { MODEL_FILE, WEIGHTS_FILE, WeightsIntegrityError } from '../src/registry/file-handler.js';
import { loadArtifact, loadModel } from '../src/registry/load.js';
import { MANIFEST_FILE, manifestToJson } from '../src/registry/manifest.js';
import { findModel, listModels } from '../src/registry/model-rows.js';
import { newVersionName, saveCandidate } from '../src/registry/save-candidate.js';
import { saveWindowSet } from '../src/windows/window-set-file.js';
import type { WindowSet } from '../src/windows/window-set.js';
import { capturingLogger, temporaryFolder, tinyModelSettings } from './helpers/model-fixtures.js';
import { buildSeoulWindowSet, seoulDataMissingMessage, seoulUrbanCsvPath } from './helpers/seoul-window-set.js';

const dataAvailable = seoulUrbanCsvPath() !== undefined;
if (!dataAvailable) console.warn(`skipping registry artifact tests: ${seoulDataMissingMessage}`);

const repositoryRoot = join(import.meta.dirname, '..');

function runChild(script: string, args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', join(repositoryRoot, 'test/registry-support', script), ...args], {
    cwd: repositoryRoot,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
}

describe.skipIf(!dataAvailable)('model artifacts', () => {
  const folder = temporaryFolder('dustcast-artifacts-');
  const modelDirectory = join(folder.path, 'models');
  const settings = tinyModelSettings({ DUSTCAST_EPOCHS: 2, DUSTCAST_MODEL_DIRECTORY: modelDirectory });
  let database: DustcastDatabase;
  let windowSet: WindowSet;
  let run: TrainingRun;

  beforeAll(async () => {
    database = openDatabase(join(folder.path, 'dustcast.sqlite'));
    windowSet = buildSeoulWindowSet({ stations: ['강남구'], windowHours: 12, horizons: [1, 3], maxHours: 700 });
    run = await runTraining({ windowSet, settings, logger: capturingLogger().logger, version: 'trained' });
  });

  afterAll(() => {
    if (run) disposeModel(run.model);
    database?.close();
    folder.remove();
  });

  it('stores a complete version with its row', async () => {
    const saved = await saveCandidate({ database, modelDirectory, model: run.model, manifest: { ...run.manifest, version: 'complete' } });
    expect(readdirSync(saved.path).sort()).toEqual([MANIFEST_FILE, MODEL_FILE, WEIGHTS_FILE].sort());
    const row = findModel(database, 'complete');
    expect(row?.status).toBe('candidate');
    expect(row?.artifactPath).toBe(saved.path);
    expect(row?.weightsSha256).toBe(saved.manifest.weights.sha256);
    expect(row?.score).toBe(run.manifest.evaluation.pm25MeanRmse);
    const topology = JSON.parse(readFileSync(join(saved.path, MODEL_FILE), 'utf8'));
    expect(topology.weightsManifest[0].paths).toEqual(['./weights.bin']);
    const layerNames = topology.modelTopology.config.layers.map((layer: { config: { name: string } }) => layer.config.name);
    expect(layerNames).toEqual(['gru_1', 'dropout_1', 'forecast']);
  });

  it('records scalers, features and evaluation', async () => {
    const loaded = await loadArtifact(join(modelDirectory, 'complete'));
    expect(loaded.manifest.spec.featureNames).toEqual(windowSet.spec.featureNames);
    expect(Array.from(loaded.manifest.featureScaler.means)).toEqual(Array.from(windowSet.featureScaler.means));
    expect(Array.from(loaded.manifest.targetScaler.stds)).toEqual(Array.from(windowSet.targetScaler.stds));
    expect(loaded.manifest.evaluation.report.rows).toHaveLength(2);
    expect(loaded.manifest.climatology.format).toBe(1);
    expect(loaded.manifest.libraries['tfjs-core']).toBe(tf.version['tfjs-core']);
    expect(loaded.manifest.backend.name).toBe('cpu');
    expect(loaded.manifest.architecture.targetEncoding).toBe('change');
    expect(loaded.manifest.training.engine).toBe(settings.DUSTCAST_TRAINING_ENGINE);
    expect(loaded.manifest.training.threads).toBe(settings.DUSTCAST_TRAINING_THREADS);
    expect(targetEncodingOf(loaded.model)).toBe('change');
    loaded.model.dispose();
  });

  it('leaves nothing after a failed write', async () => {
    const attempt = saveCandidate({
      database,
      modelDirectory,
      model: run.model,
      manifest: { ...run.manifest, version: 'failed' },
      onFileWritten: (fileName) => {
        if (fileName === MODEL_FILE) throw new Error('disk full');
      },
    });
    await expect(attempt).rejects.toThrow('disk full');
    expect(existsSync(join(modelDirectory, 'failed'))).toBe(false);
    expect(findModel(database, 'failed')).toBeUndefined();
    expect(readdirSync(modelDirectory).filter((name) => name.startsWith('.'))).toEqual([]);
  });

  it('leaves no version after a crash', async () => {
    const manifestPath = join(folder.path, 'crash-manifest.json');
    const placeholderWeights = { file: WEIGHTS_FILE, sha256: '0'.repeat(64), bytes: 0 };
    writeFileSync(manifestPath, manifestToJson({ ...run.manifest, version: 'crashed', weights: placeholderWeights }));
    const child = runChild('crash-while-saving.ts', [database.path, modelDirectory, manifestPath, WEIGHTS_FILE]);
    expect(child.signal).toBe('SIGKILL');
    expect(existsSync(join(modelDirectory, 'crashed'))).toBe(false);
    expect(findModel(database, 'crashed')).toBeUndefined();
    const leftovers = readdirSync(modelDirectory).filter((name) => name.startsWith('.partial-crashed'));
    expect(leftovers).toHaveLength(1);

    await saveCandidate({ database, modelDirectory, model: run.model, manifest: { ...run.manifest, version: 'after-crash' } });
    expect(readdirSync(modelDirectory).filter((name) => name.startsWith('.partial-'))).toEqual([]);
  });

  it('rejects tampered weights naming both hashes', async () => {
    const saved = await saveCandidate({ database, modelDirectory, model: run.model, manifest: { ...run.manifest, version: 'tampered' } });
    const weightsPath = join(saved.path, WEIGHTS_FILE);
    const bytes = readFileSync(weightsPath);
    bytes[10] ^= 0xff;
    writeFileSync(weightsPath, bytes);
    const attempt = loadArtifact(saved.path);
    await expect(attempt).rejects.toBeInstanceOf(WeightsIntegrityError);
    await expect(loadArtifact(saved.path)).rejects.toThrow(weightsPath);
    await expect(loadArtifact(saved.path)).rejects.toThrow(saved.manifest.weights.sha256);
  });

  it('predicts identically after reload elsewhere', async () => {
    const saved = await saveCandidate({ database, modelDirectory, model: run.model, manifest: { ...run.manifest, version: 'reloaded' } });
    const windowSetPath = join(folder.path, 'windows');
    saveWindowSet(windowSet, windowSetPath);
    const before = Array.from(predict(run.model, windowSet, windowSet.samples.test));
    const child = runChild('predict-from-artifact.ts', [saved.path, windowSetPath]);
    expect(child.stderr).not.toMatch(/Error/);
    expect(child.status).toBe(0);
    const after = JSON.parse(child.stdout) as number[];
    expect(after).toHaveLength(before.length);
    expect(after).toEqual(before);
  });

  it('loads a stored version by name', async () => {
    await selectBackend('cpu', { logger: capturingLogger().logger, probe: run.manifest.architecture });
    const loaded = await loadModel(database, settings, 'complete');
    const predictions = predict(loaded.model, windowSet, windowSet.samples.test);
    loaded.model.dispose();
    expect(Array.from(predictions)).toEqual(Array.from(predict(run.model, windowSet, windowSet.samples.test)));
    expect(listModels(database).map((row) => row.version)).toContain('complete');
    await expect(loadModel(database, settings, 'missing-version')).rejects.toThrow(/not found; run `dustcast models list`/);
  });
});

describe('version names', () => {
  const folder = temporaryFolder('dustcast-version-names-');
  const modelDirectory = join(folder.path, 'models');
  let database: DustcastDatabase;

  beforeAll(() => {
    database = openDatabase(join(folder.path, 'dustcast.sqlite'));
  });

  afterAll(() => {
    database?.close();
    folder.remove();
  });

  it('stamps the KST time', () => {
    expect(newVersionName(database, modelDirectory, new Date('2026-12-04T14:30:00Z'))).toBe('20261204-233000');
    // 15:00 UTC is midnight in Seoul, so the name carries the next day.
    expect(newVersionName(database, modelDirectory, new Date('2026-12-04T15:00:05Z'))).toBe('20261205-000005');
  });

  it('adds a suffix for a taken name', () => {
    mkdirSync(join(modelDirectory, '20261204-233000'), { recursive: true });
    expect(newVersionName(database, modelDirectory, new Date('2026-12-04T14:30:00Z'))).toBe('20261204-233000-2');
  });
});
