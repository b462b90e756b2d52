import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JobContext, ProgressUpdate } from '../jobs/definition.js';
import { runJob } from '../jobs/definition.js';
import { ImportJobError, bundledSampleFiles, importJob } from '../jobs/import.js';
import { parseSettings } from '../src/config/settings.js';
import { createSilentLogger } from '../src/logging/logger.js';
import { fixturePath } from './helpers/import-fixtures.js';
import { createTemporaryDatabase, type TemporaryDatabase } from './helpers/temporary-database.js';

describe('bundled sample', () => {
  it('lists stations before observations', () => {
    const files = bundledSampleFiles();
    expect(files).toHaveLength(2);
    expect(files[0]).toMatch(/airkorea_stations_seoul\.json$/);
    expect(files[1]).toMatch(/\.csv\.gz$/);
  });

  it('stays under two megabytes', () => {
    const bytes = bundledSampleFiles().reduce((total, file) => total + statSync(file).size, 0);
    expect(bytes).toBeLessThan(2 * 1024 * 1024);
  });
});

describe('import job', () => {
  let temporary: TemporaryDatabase;
  let progress: ProgressUpdate[];
  let context: JobContext;

  beforeEach(() => {
    temporary = createTemporaryDatabase();
    progress = [];
    context = {
      database: temporary.database,
      settings: parseSettings({}, { DUSTCAST_DATABASE_PATH: join(temporary.folder, 'dustcast.sqlite') }),
      logger: createSilentLogger(),
      reportProgress: (update) => progress.push(update),
      signal: new AbortController().signal,
    };
  });

  afterEach(() => temporary.remove());

  it('imports the sample when no files', async () => {
    const summary = await runJob(importJob, { files: [] }, context);
    expect(summary.succeeded).toBe(2);
    expect(summary.failed).toBe(0);
    expect(summary.files[0].counts).toEqual({ read: 40, inserted: 40, updated: 0, unchanged: 0, duplicate: 0, missing: 0, rejected: 0 });
    expect(summary.files[1].counts).toEqual({ read: 125125, inserted: 124650, updated: 0, unchanged: 0, duplicate: 475, missing: 0, rejected: 0 });
    expect(summary.files[1].encoding).toBe('utf-8+gzip');
    const withoutCoordinates = temporary.database.sqlite
      .prepare("SELECT COUNT(*) FROM stations s WHERE latitude IS NULL AND EXISTS (SELECT 1 FROM air_observations a WHERE a.station_id = s.id)")
      .pluck()
      .get();
    expect(withoutCoordinates).toBe(0);
    const last = progress.filter((update) => update.details?.file === summary.files[1].file.split('/').pop()).at(-1);
    expect(last).toMatchObject({ stage: 'import', current: 125125, total: 125125 });
  });

  it('attempts every file before failing', async () => {
    const files = [fixturePath('kma-obs-asos-tim-131-slice.csv'), fixturePath('airkorea-urban25-slice.csv')];
    let failure: unknown;
    try {
      await runJob(importJob, { files, encoding: 'utf-8' }, context);
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(ImportJobError);
    const summary = (failure as ImportJobError).summary;
    expect(summary.failed).toBe(1);
    expect(summary.succeeded).toBe(1);
    expect(summary.files[0].status).toBe('failed');
    expect(summary.files[1].counts.inserted).toBe(50);
  });

  it('rejects an unknown format', async () => {
    await expect(runJob(importJob, { files: [], format: 'excel' }, context)).rejects.toThrow(/invalid payload for job "import": format/);
  });
});
