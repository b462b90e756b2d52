import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildProgram } from '../src/cli/program.js';
import { openDatabase } from '../src/db/database.js';
import { disposeModel } from '../src/model/gru.js';
import { runTraining } from '../src/model/training-run.js';
import { findChampion } from '../src/registry/model-rows.js';
import { saveCandidate } from '../src/registry/save-candidate.js';
import { capturingLogger, temporaryFolder, tinyModelSettings } from './helpers/model-fixtures.js';
import { buildSeoulWindowSet, seoulDataMissingMessage, seoulUrbanCsvPath } from './helpers/seoul-window-set.js';

const dataAvailable = seoulUrbanCsvPath() !== undefined;
if (!dataAvailable) console.warn(`skipping models command tests: ${seoulDataMissingMessage}`);

/** Runs `dustcast ARGS` in this process and returns what it printed with console.log. */
async function runCli(args: string[]): Promise<string> {
  const printed: string[] = [];
  const spy = vi.spyOn(console, 'log').mockImplementation((...parts: unknown[]) => {
    printed.push(parts.join(' '));
  });
  try {
    await buildProgram().parseAsync(['node', 'dustcast', ...args]);
  } finally {
    spy.mockRestore();
  }
  return printed.join('\n');
}

describe.skipIf(!dataAvailable)('dustcast models', () => {
  const folder = temporaryFolder('dustcast-models-cli-');
  const databasePath = join(folder.path, 'dustcast.sqlite');
  const modelDirectory = join(folder.path, 'models');

  beforeAll(async () => {
    process.env.DUSTCAST_DATABASE_PATH = databasePath;
    process.env.DUSTCAST_MODEL_DIRECTORY = modelDirectory;
    process.env.DUSTCAST_LOG_LEVEL = 'silent';
    const database = openDatabase(databasePath);
    const windowSet = buildSeoulWindowSet({ stations: ['강남구'], windowHours: 12, horizons: [1], maxHours: 500 });
    const run = await runTraining({ windowSet, settings: tinyModelSettings({ DUSTCAST_EPOCHS: 1 }), logger: capturingLogger().logger, version: 'unused' });
    try {
      for (const [index, version] of ['first', 'second'].entries()) {
        await saveCandidate({ database, modelDirectory, model: run.model, manifest: { ...run.manifest, version, createdAt: 1_700_000_000 + index } });
      }
    } finally {
      disposeModel(run.model);
      database.close();
    }
  });

  afterAll(() => {
    folder.remove();
  });

  it('lists versions newest first', async () => {
    const output = await runCli(['models', 'list']);
    const lines = output.split('\n');
    expect(lines[0]).toMatch(/^version\s+status/);
    expect(lines[1]).toMatch(/^second\s+candidate/);
    expect(lines[2]).toMatch(/^first\s+candidate/);
  });

  it('promotes and rolls back', async () => {
    expect(await runCli(['models', 'promote', 'first'])).toBe('champion is now first');
    expect(await runCli(['models', 'promote', 'second'])).toBe('champion is now second (was first)');
    expect(await runCli(['models', 'rollback'])).toBe('champion is now first (second rejected)');
    const database = openDatabase(databasePath);
    expect(findChampion(database)?.version).toBe('first');
    database.close();
  });

  it('rejects an unknown version', async () => {
    await expect(runCli(['models', 'promote', 'missing'])).rejects.toThrow(/model version missing not found/);
  });
});
