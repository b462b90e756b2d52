import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Settings } from '../src/config/settings.js';
import { openDatabase, type DustcastDatabase } from '../src/db/database.js';
import { disposeModel } from '../src/model/gru.js';
import { runTraining } from '../src/model/training-run.js';
import { findChampion, findModel, promote, rollback } from '../src/registry/model-rows.js';
import { applyPromotionRule } from '../src/registry/promotion.js';
import { pruneModelVersions } from '../src/registry/retention.js';
import { saveCandidate } from '../src/registry/save-candidate.js';
import type { WindowSet } from '../src/windows/window-set.js';
import { capturingLogger, temporaryFolder, tinyModelSettings } from './helpers/model-fixtures.js';
import { buildSeoulWindowSet, seoulDataMissingMessage, seoulUrbanCsvPath } from './helpers/seoul-window-set.js';

const dataAvailable = seoulUrbanCsvPath() !== undefined;
if (!dataAvailable) console.warn(`skipping promotion tests: ${seoulDataMissingMessage}`);

describe.skipIf(!dataAvailable)('applyPromotionRule', () => {
  const folder = temporaryFolder('dustcast-promotion-');
  const modelDirectory = join(folder.path, 'models');
  const { logger } = capturingLogger();
  let database: DustcastDatabase;
  let windowSet: WindowSet;
  // Both models see the same windows here; the jobs build each model's own from the database.
  const buildWindows = () => windowSet;

  async function storeCandidate(version: string, overrides: Partial<Settings>): Promise<void> {
    const settings = tinyModelSettings({ DUSTCAST_MODEL_DIRECTORY: modelDirectory, ...overrides });
    const run = await runTraining({ windowSet, settings, logger, version });
    try {
      await saveCandidate({ database, modelDirectory, model: run.model, manifest: run.manifest });
    } finally {
      disposeModel(run.model);
    }
  }

  // An almost untrained model and a trained one, so the rule's outcome is certain.
  const weak: Partial<Settings> = { DUSTCAST_EPOCHS: 1, DUSTCAST_LEARNING_RATE: 0.000001 };
  const strong: Partial<Settings> = { DUSTCAST_EPOCHS: 6, DUSTCAST_LEARNING_RATE: 0.01, DUSTCAST_EARLY_STOPPING_PATIENCE: 6 };
  const settings = tinyModelSettings();

  beforeAll(async () => {
    database = openDatabase(join(folder.path, 'dustcast.sqlite'));
    windowSet = buildSeoulWindowSet({ stations: ['강남구', '종로구'], windowHours: 12, horizons: [1, 6], maxHours: 700 });
  });

  afterAll(() => {
    database?.close();
    folder.remove();
  });

  it('promotes the first candidate', async () => {
    await storeCandidate('weak-first', weak);
    const decision = await applyPromotionRule({ database, settings, logger, buildWindows });
    expect(decision.action).toBe('promoted');
    expect(decision.champion).toBeNull();
    expect(findChampion(database)?.version).toBe('weak-first');
  });

  it('promotes a better candidate', async () => {
    await storeCandidate('strong', strong);
    const decision = await applyPromotionRule({ database, settings, logger, buildWindows, version: 'strong' });
    expect(decision.action).toBe('promoted');
    expect(decision.champion).toBe('weak-first');
    expect(decision.candidateRmse!).toBeLessThan(decision.championRmse!);
    expect(decision.commonSamples).toBe(windowSet.samples.test.length);
    expect(findChampion(database)?.version).toBe('strong');
    expect(findModel(database, 'weak-first')?.status).toBe('retired');
  });

  it('rejects a worse candidate', async () => {
    await storeCandidate('weak-second', { ...weak, DUSTCAST_SEED: 99 });
    const decision = await applyPromotionRule({ database, settings, logger, buildWindows });
    expect(decision.candidate).toBe('weak-second');
    expect(decision.action).toBe('rejected');
    expect(decision.reason).toMatch(/does not beat champion/);
    expect(findModel(database, 'weak-second')?.status).toBe('rejected');
    expect(findChampion(database)?.version).toBe('strong');
  });

  it('rejects judging a non-candidate', async () => {
    await expect(applyPromotionRule({ database, settings, logger, buildWindows, version: 'weak-second' })).rejects.toThrow(/is rejected, not a candidate/);
  });

  it('rolls back to the previous champion', () => {
    const result = rollback(database);
    expect(result).toEqual({ restored: 'weak-first', demoted: 'strong' });
    expect(findChampion(database)?.version).toBe('weak-first');
    expect(findModel(database, 'strong')?.status).toBe('rejected');
    expect(() => rollback(database)).toThrow(/no previous champion/);
  });

  it('promotes by hand in one step', () => {
    const result = promote(database, 'strong');
    expect(result.previousChampion).toBe('weak-first');
    expect(findChampion(database)?.version).toBe('strong');
    expect(findModel(database, 'weak-first')?.status).toBe('retired');
    expect(() => promote(database, 'no-such-version')).toThrow(/not found/);
    expect(findChampion(database)?.version).toBe('strong');
  });
});

describe.skipIf(!dataAvailable)('pruneModelVersions', () => {
  const folder = temporaryFolder('dustcast-retention-');
  const modelDirectory = join(folder.path, 'models');
  let database: DustcastDatabase;

  afterAll(() => {
    database?.close();
    folder.remove();
  });

  it('keeps champion, previous champion and newest', async () => {
    database = openDatabase(join(folder.path, 'dustcast.sqlite'));
    const windowSet = buildSeoulWindowSet({ stations: ['강남구'], windowHours: 12, horizons: [1], maxHours: 500 });
    const { logger } = capturingLogger();
    const run = await runTraining({ windowSet, settings: tinyModelSettings({ DUSTCAST_EPOCHS: 1 }), logger, version: 'unused' });
    const versions = ['v1', 'v2', 'v3', 'v4', 'v5', 'v6'];
    try {
      for (const [index, version] of versions.entries()) {
        await saveCandidate({ database, modelDirectory, model: run.model, manifest: { ...run.manifest, version, createdAt: 1_000 + index } });
      }
    } finally {
      disposeModel(run.model);
    }
    promote(database, 'v1', 2_000);
    promote(database, 'v2', 2_001);

    const deleted = pruneModelVersions(database, 2, logger);

    expect(deleted.sort()).toEqual(['v3', 'v4']);
    for (const version of ['v1', 'v2', 'v5', 'v6']) {
      expect(existsSync(join(modelDirectory, version))).toBe(true);
      expect(findModel(database, version)?.status).not.toBe('deleted');
    }
    for (const version of ['v3', 'v4']) {
      expect(existsSync(join(modelDirectory, version))).toBe(false);
      expect(findModel(database, version)?.status).toBe('deleted');
    }
    expect(() => promote(database, 'v3')).toThrow(/retention deleted its artifact/);
    expect(pruneModelVersions(database, 2, logger)).toEqual([]);
  });
});
