import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJob } from '../jobs/definition.js';
import { evaluatePromoteJob } from '../jobs/evaluate-promote.js';
import { trainJob } from '../jobs/train.js';
import { parseSettings } from '../src/config/settings.js';
import { createSilentLogger } from '../src/logging/logger.js';
import { importSeoulRealtime, seoulRealtimeAvailable } from './windows-support/seoul-realtime.js';
import { createTemporaryDatabase, type TemporaryDatabase } from './windows-support/temporary-database.js';

const repositoryRoot = resolve(import.meta.dirname, '..');

describe.skipIf(!seoulRealtimeAvailable)('evaluate and forecast commands', () => {
  let temporary: TemporaryDatabase;
  let environment: Record<string, string>;

  beforeAll(async () => {
    temporary = createTemporaryDatabase();
    importSeoulRealtime(temporary.database, { stationNames: ['중구', '성북구'], fromDataTime: '2025-09-01 01:00', toDataTime: '2025-09-20 24:00' });
    environment = {
      DUSTCAST_DATABASE_PATH: join(temporary.directory, 'test.sqlite'),
      DUSTCAST_MODEL_DIRECTORY: join(temporary.directory, 'models'),
      DUSTCAST_TF_BACKEND: 'cpu',
      DUSTCAST_WINDOW_HOURS: '12',
      DUSTCAST_HORIZONS: '1,3',
      DUSTCAST_GRU_LAYERS: '1',
      DUSTCAST_GRU_UNITS: '4',
      DUSTCAST_EPOCHS: '1',
      DUSTCAST_LOG_LEVEL: 'warn',
      DUSTCAST_LOG_FORMAT: 'json',
    };
    const context = {
      database: temporary.database,
      settings: parseSettings(environment),
      logger: createSilentLogger(),
      reportProgress: () => {},
      signal: new AbortController().signal,
    };
    const trained = await runJob(trainJob, {}, context);
    await runJob(evaluatePromoteJob, { version: trained.version }, context);
  });

  afterAll(() => temporary?.remove());

  function dustcast(...args: string[]) {
    return spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
      cwd: repositoryRoot,
      env: { ...process.env, ...environment },
      encoding: 'utf8',
    });
  }

  it('prints the evaluation table', () => {
    const result = dustcast('evaluate', '--from', '2025-09-10', '--to', '2025-09-20');
    expect(result.stderr).not.toMatch(/dustcast: /);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^model \d{8}-\d{6}/);
    expect(result.stdout).toMatch(/\npm25\s+1\s+\d+/);
    expect(result.stdout).toMatch(/\npm10\s+3\s+\d+/);
    expect(result.stdout).toContain('mean PM2.5 RMSE over horizons:');
  });

  it('writes forecasts for both stations', () => {
    const result = dustcast('forecast');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/: 4 forecast rows for 2 stations \(0 replaced\)/);
    const count = temporary.database.sqlite.prepare('SELECT COUNT(*) AS count FROM latest_forecasts').get();
    expect(count).toEqual({ count: 4 });
  });

  it('rejects a period that ends first', () => {
    const result = dustcast('evaluate', '--from', '2025-09-20', '--to', '2025-09-10');
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/period ends \(2025-09-10 23:00 KST\) before it starts \(2025-09-20 00:00 KST\)/);
  });
});
