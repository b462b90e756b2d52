import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWindowsJob } from '../jobs/build-windows.js';
import { InvalidPayloadError, runJob, type JobContext, type ProgressUpdate } from '../jobs/definition.js';
import { parseSettings } from '../src/config/settings.js';
import { createSilentLogger } from '../src/logging/logger.js';
import { loadWindowSet } from '../src/windows/window-set-file.js';
import { importSeoulRealtime, seoulRealtimeAvailable } from './windows-support/seoul-realtime.js';
import { createTemporaryDatabase, type TemporaryDatabase } from './windows-support/temporary-database.js';

describe.skipIf(!seoulRealtimeAvailable)('build-windows job', () => {
  let temporary: TemporaryDatabase;
  let context: JobContext;
  const progress: ProgressUpdate[] = [];

  beforeAll(() => {
    temporary = createTemporaryDatabase();
    importSeoulRealtime(temporary.database, { stationNames: ['강서구', '구로구', '금천구'], fromDataTime: '2025-08-01 01:00', toDataTime: '2025-08-20 24:00' });
    context = {
      database: temporary.database,
      settings: parseSettings({ DUSTCAST_WINDOW_HOURS: '12', DUSTCAST_HORIZONS: '1,3', DUSTCAST_FEATURES: 'pm25,pm10,hour_sin,hour_cos' }),
      logger: createSilentLogger(),
      reportProgress: (update) => progress.push(update),
      signal: new AbortController().signal,
    };
  });

  afterAll(() => temporary?.remove());

  it('saves the window set it summarises', async () => {
    const outputDirectory = join(temporary.directory, 'windows');
    const summary = await runJob(buildWindowsJob, { outputDirectory, from: '2025-08-05', to: '2025-08-20' }, context);
    const loaded = loadWindowSet(outputDirectory);
    expect(summary.featureNames).toEqual(['pm25', 'pm10', 'hour_sin', 'hour_cos']);
    expect(loaded.spec.featureNames).toEqual(summary.featureNames);
    expect(loaded.spec.horizons).toEqual([1, 3]);
    expect(loaded.samples.train.length).toBe(summary.samples.train);
    expect(loaded.samples.test.length).toBe(summary.samples.test);
    expect(summary.stations).toBe(3);
    expect(summary.ranges.train.from).toBeGreaterThanOrEqual(Date.UTC(2025, 7, 4, 15) / 1000);
    expect(progress.at(-1)).toEqual({ stage: 'windows', current: 1, total: 1 });
  });

  it('rejects a payload without a folder', async () => {
    await expect(runJob(buildWindowsJob, {}, context)).rejects.toBeInstanceOf(InvalidPayloadError);
  });
});
