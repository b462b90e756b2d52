// A job catalog of small real jobs for the queue tests. Each job writes rows to the SQLite file,
// so the tests can count in the database how often a job really ran. Loaded in-process by the
// worker and, for the training queue, by the sandboxed child through DUSTCAST_JOB_CATALOG_MODULE.
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { defineJob } from '../../jobs/definition.js';
import type { DustcastDatabase } from '../../src/db/database.js';
import type { JobCatalog, RetrainFlowSteps } from '../../src/queue/catalog.js';

/** Records one run of a job as an ingest_runs row whose source names the job. */
export function recordRun(database: DustcastDatabase, jobName: string, target: string): void {
  const now = Math.floor(Date.now() / 1000);
  database.sqlite
    .prepare(`INSERT INTO ingest_runs (kind, source, target, started_at, finished_at, status) VALUES ('api', ?, ?, ?, ?, 'succeeded')`)
    .run(jobName, target, now, now);
}

/** Counts the runs recorded for a job (and target, when given). */
export function countRuns(database: DustcastDatabase, jobName: string, target?: string): number {
  const row = target === undefined
    ? database.sqlite.prepare(`SELECT COUNT(*) AS count FROM ingest_runs WHERE source = ?`).get(jobName)
    : database.sqlite.prepare(`SELECT COUNT(*) AS count FROM ingest_runs WHERE source = ? AND target = ?`).get(jobName, target);
  return (row as { count: number }).count;
}

/** Makes `jobName` fail from now on; a test arranges this in the database the child also reads. */
export function arrangeFailure(database: DustcastDatabase, jobName: string): void {
  database.sqlite
    .prepare(`INSERT INTO source_blocks (source, blocked_until, provider_code, message, created_at) VALUES (?, 0, 'test', 'arranged failure', 0)`)
    .run(`fail:${jobName}`);
}

function failureArranged(database: DustcastDatabase, jobName: string): boolean {
  return database.sqlite.prepare(`SELECT 1 FROM source_blocks WHERE source = ?`).get(`fail:${jobName}`) !== undefined;
}

/** A permanent error in the shape the sources module uses (`retryable: false`). */
class RejectedKeyError extends Error {
  readonly retryable = false;
  constructor() {
    super('service key rejected (code 30); register the key again');
    this.name = 'RejectedKeyError';
  }
}

const markerPayload = z.object({ marker: z.string().default('default') });

export const testIngest = defineJob({
  name: 'test-ingest',
  payload: markerPayload,
  handle: async (payload, context) => {
    recordRun(context.database, 'test-ingest', payload.marker);
    return { marker: payload.marker, rowsInserted: 1 };
  },
});

export const testForecast = defineJob({
  name: 'test-forecast',
  payload: z.object({ afterMarker: z.string().optional() }),
  handle: async (payload, context) => {
    if (failureArranged(context.database, 'test-forecast')) throw new Error('forecast failed as arranged');
    const champion = context.database.sqlite.prepare(`SELECT version FROM models WHERE status = 'champion'`).get() as { version: string } | undefined;
    recordRun(context.database, 'test-forecast', payload.afterMarker ?? champion?.version ?? 'none');
    if (champion) {
      const now = Math.floor(Date.now() / 1000);
      context.database.sqlite
        .prepare(`INSERT OR IGNORE INTO stations (id, provider, provider_code, name, created_at, updated_at) VALUES (1, 'airkorea', 'test', 'test', 0, 0)`)
        .run();
      context.database.sqlite
        .prepare(`INSERT OR REPLACE INTO forecasts (station_id, issued_at, target_at, horizon_hours, pm25, model_version, created_at) VALUES (1, 0, 3600, 1, 20, ?, ?)`)
        .run(champion.version, now);
    }
    return { champion: champion?.version ?? null };
  },
});

/** Fails until it has been attempted `failures` times, then succeeds. */
export const testFlaky = defineJob({
  name: 'test-flaky',
  payload: z.object({ failures: z.number().int().min(0) }),
  handle: async (payload, context) => {
    const attemptsBefore = countRuns(context.database, 'test-flaky');
    recordRun(context.database, 'test-flaky', `attempt-${attemptsBefore + 1}`);
    if (attemptsBefore < payload.failures) throw new Error(`temporary outage on attempt ${attemptsBefore + 1}`);
    return { attempts: attemptsBefore + 1 };
  },
});

export const testRejectedKey = defineJob({
  name: 'test-rejected-key',
  payload: z.object({}),
  handle: async (_payload, context) => {
    recordRun(context.database, 'test-rejected-key', 'attempt');
    throw new RejectedKeyError();
  },
});

/** Works for `durationMs`, in small steps, then records its run. */
export const testSlow = defineJob({
  name: 'test-slow',
  payload: z.object({ durationMs: z.number().int().min(0), marker: z.string() }),
  handle: async (payload, context) => {
    recordRun(context.database, 'test-slow-started', payload.marker);
    const step = 50;
    for (let elapsed = 0; elapsed < payload.durationMs; elapsed += step) {
      await sleep(step);
      context.reportProgress({ stage: 'work', current: elapsed + step, total: payload.durationMs });
    }
    recordRun(context.database, 'test-slow', payload.marker);
    return { marker: payload.marker };
  },
});

export const testBuildWindows = defineJob({
  name: 'test-build-windows',
  payload: z.object({}),
  handle: async (_payload, context) => {
    recordRun(context.database, 'test-build-windows', 'flow');
    return { windowSet: 'windows-1' };
  },
});

export const testTrain = defineJob({
  name: 'test-train',
  payload: z.object({ windowSet: z.string() }),
  handle: async (payload, context) => {
    recordRun(context.database, 'test-train', `${payload.windowSet}-pid-${process.pid}`);
    if (failureArranged(context.database, 'test-train')) throw new Error('training diverged (loss NaN) as arranged');
    const version = `candidate-${Date.now()}`;
    const now = Math.floor(Date.now() / 1000);
    context.database.sqlite
      .prepare(
        `INSERT INTO models (version, created_at, status, artifact_path, features, horizons, targets, station_ids,
           train_from, train_to, test_from, test_to, metrics, score, backend, weights_sha256)
         VALUES (?, ?, 'candidate', '/tmp/none', '[]', '[1]', '["pm25"]', '[1]', 0, 1, 2, 3, '{}', 5, 'cpu', 'none')`,
      )
      .run(version, now);
    context.reportProgress({ stage: 'epoch', current: 1, total: 1, details: { loss: 0.5 } });
    return { version };
  },
});

export const testEvaluatePromote = defineJob({
  name: 'test-evaluate-promote',
  payload: z.object({ version: z.string() }),
  handle: async (payload, context) => {
    recordRun(context.database, 'test-evaluate-promote', payload.version);
    const now = Math.floor(Date.now() / 1000);
    const promote = context.database.sqlite.transaction(() => {
      context.database.sqlite.prepare(`UPDATE models SET status = 'retired' WHERE status = 'champion'`).run();
      context.database.sqlite.prepare(`UPDATE models SET status = 'champion', promoted_at = ? WHERE version = ?`).run(now, payload.version);
    });
    promote();
    return { champion: payload.version };
  },
});

export const jobCatalog: JobCatalog = {
  'test-ingest': {
    definition: testIngest,
    queue: 'ingest',
    attempts: 3,
    backoffMs: 50,
    followUp: { job: 'test-forecast', payload: (summary) => ({ afterMarker: (summary as { marker: string }).marker }) },
  },
  'test-forecast': { definition: testForecast, queue: 'forecast', attempts: 1, backoffMs: 50 },
  'test-flaky': { definition: testFlaky, queue: 'ingest', attempts: 4, backoffMs: 50 },
  'test-rejected-key': { definition: testRejectedKey, queue: 'ingest', attempts: 4, backoffMs: 50 },
  'test-slow': { definition: testSlow, queue: 'import', attempts: 3, backoffMs: 50 },
  // The same work in the sandboxed child, for the shutdown deadline of a training job.
  'test-slow-sandboxed': { definition: testSlow, queue: 'training', attempts: 3, backoffMs: 50 },
  'test-build-windows': { definition: testBuildWindows, queue: 'windows', attempts: 1, backoffMs: 50 },
  'test-train': {
    definition: testTrain,
    queue: 'training',
    attempts: 1,
    backoffMs: 50,
    payloadFromPrevious: (summary) => ({ windowSet: (summary as { windowSet: string }).windowSet }),
  },
  'test-evaluate-promote': {
    definition: testEvaluatePromote,
    queue: 'evaluation',
    attempts: 1,
    backoffMs: 50,
    payloadFromPrevious: (summary) => ({ version: (summary as { version: string }).version }),
  },
};

export const ingestJob = 'test-ingest';

export const retrainFlowSteps: RetrainFlowSteps = {
  buildWindows: 'test-build-windows',
  train: 'test-train',
  evaluateAndPromote: 'test-evaluate-promote',
  forecast: 'test-forecast',
};

export const testCatalogModuleUrl = import.meta.url;
