import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSilentLogger } from '../src/logging/logger.js';
import { RetrainFlow } from '../src/queue/retrain-flow.js';
import { startWorkerService, type WorkerService } from '../src/queue/worker-service.js';
import { createQueueTestFolder, waitFor, type QueueTestFolder } from './helpers/queue-fixture.js';
import { arrangeFailure, countRuns, testCatalogModuleUrl } from './helpers/queue-test-jobs.js';
import { startTestRedis, type TestRedis } from './helpers/redis-server.js';

let redis: TestRedis;
let folder: QueueTestFolder;
let service: WorkerService | undefined;

beforeAll(async () => {
  redis = await startTestRedis();
});

afterAll(async () => {
  await redis.dispose();
});

afterEach(async () => {
  await service?.close('test finished');
  service = undefined;
  folder?.remove();
});

async function startService(overrides: Parameters<typeof createQueueTestFolder>[1] = {}): Promise<WorkerService> {
  folder = createQueueTestFolder(redis.url, { DUSTCAST_JOB_CATALOG_MODULE: testCatalogModuleUrl, ...overrides });
  service = await startWorkerService({ settings: folder.settings, logger: createSilentLogger() });
  return service;
}

async function jobState(running: WorkerService, queue: Parameters<WorkerService['queues']['get']>[0], jobId: string): Promise<string | undefined> {
  const job = await running.queues.get(queue).getJob(jobId);
  return job ? await job.getState() : undefined;
}

describe('queue worker', () => {
  it('retries a retryable failure until it succeeds', async () => {
    const running = await startService();
    await running.queues.enqueue('test-flaky', { failures: 2 }, 'flaky-1');
    await waitFor('flaky job to complete', async () => (await jobState(running, 'ingest', 'flaky-1')) === 'completed');
    const job = await running.queues.get('ingest').getJob('flaky-1');
    expect(countRuns(running.database, 'test-flaky')).toBe(3);
    expect(job?.attemptsMade).toBe(3);
    expect(job?.returnvalue).toEqual({ attempts: 3 });
  });

  it('fails an unrecoverable error without retry', async () => {
    const running = await startService();
    await running.queues.enqueue('test-rejected-key', {}, 'rejected-1');
    await waitFor('rejected job to fail', async () => (await jobState(running, 'ingest', 'rejected-1')) === 'failed');
    const job = await running.queues.get('ingest').getJob('rejected-1');
    expect(countRuns(running.database, 'test-rejected-key')).toBe(1);
    expect(job?.attemptsMade).toBe(1);
    expect(job?.failedReason).toContain('RejectedKeyError: service key rejected');
  });

  it('fails an invalid payload without retry', async () => {
    const running = await startService();
    await running.queues.enqueue('test-flaky', { failures: 'two' }, 'invalid-1');
    await waitFor('invalid job to fail', async () => (await jobState(running, 'ingest', 'invalid-1')) === 'failed');
    const job = await running.queues.get('ingest').getJob('invalid-1');
    expect(job?.attemptsMade).toBe(1);
    expect(job?.failedReason).toContain('invalid payload for job "test-flaky"');
    expect(countRuns(running.database, 'test-flaky')).toBe(0);
  });

  it('enqueues a forecast after each ingest', async () => {
    const running = await startService();
    await running.queues.enqueue('test-ingest', { marker: 'hour-13' }, 'ingest-2026120413');
    await waitFor('follow-up forecast', async () => (await jobState(running, 'forecast', 'test-forecast-after-ingest-2026120413')) === 'completed');
    expect(countRuns(running.database, 'test-ingest', 'hour-13')).toBe(1);
    expect(countRuns(running.database, 'test-forecast', 'hour-13')).toBe(1);
  });

  it('ignores a second enqueue of a completed slot', async () => {
    const running = await startService();
    expect(await running.queues.enqueue('test-ingest', { marker: 'once' }, 'ingest-2026120414')).toBe(true);
    await waitFor('ingest to complete', async () => (await jobState(running, 'ingest', 'ingest-2026120414')) === 'completed');
    expect(await running.queues.enqueue('test-ingest', { marker: 'once' }, 'ingest-2026120414')).toBe(false);
    await running.queues.get('ingest').add('test-ingest', { marker: 'once' }, { jobId: 'ingest-2026120414' });
    expect(await running.queues.get('ingest').getJobCountByTypes('wait', 'active')).toBe(0);
    expect(countRuns(running.database, 'test-ingest', 'once')).toBe(1);
  });

  it('runs the retrain flow and promotes', async () => {
    const running = await startService();
    expect(await running.retrainFlow!.add('retrain-2026120403')).toBe(true);
    const rootId = RetrainFlow.stepJobId('retrain-2026120403', 'test-forecast');
    await waitFor('retrain flow to finish', async () => (await jobState(running, 'forecast', rootId)) === 'completed', 40_000);
    const champion = running.database.sqlite.prepare(`SELECT version FROM models WHERE status = 'champion'`).get() as { version: string };
    expect(champion.version).toMatch(/^candidate-/);
    expect(countRuns(running.database, 'test-evaluate-promote', champion.version)).toBe(1);
    // The training step ran in the sandboxed child, not in the worker process.
    const trainRun = running.database.sqlite.prepare(`SELECT target FROM ingest_runs WHERE source = 'test-train'`).get() as { target: string };
    expect(trainRun.target).toMatch(/^windows-1-pid-\d+$/);
    expect(trainRun.target).not.toBe(`windows-1-pid-${process.pid}`);
    expect(await running.retrainFlow!.add('retrain-2026120403')).toBe(false);
  });

  it('keeps the champion when a flow step fails', async () => {
    const running = await startService();
    const now = Math.floor(Date.now() / 1000);
    running.database.sqlite
      .prepare(
        `INSERT INTO models (version, created_at, status, artifact_path, features, horizons, targets, station_ids,
           train_from, train_to, test_from, test_to, metrics, score, backend, weights_sha256, promoted_at)
         VALUES ('champion-old', ?, 'champion', '/tmp/none', '[]', '[1]', '["pm25"]', '[1]', 0, 1, 2, 3, '{}', 4, 'cpu', 'none', ?)`,
      )
      .run(now, now);
    running.database.sqlite.prepare(`INSERT INTO stations (id, provider, provider_code, name, created_at, updated_at) VALUES (1, 'airkorea', 'test', 'test', 0, 0)`).run();
    running.database.sqlite
      .prepare(`INSERT INTO forecasts (station_id, issued_at, target_at, horizon_hours, pm25, model_version, created_at) VALUES (1, 0, 3600, 1, 33, 'champion-old', 0)`)
      .run();
    arrangeFailure(running.database, 'test-train');

    await running.retrainFlow!.add('retrain-2026120503');
    const trainId = RetrainFlow.stepJobId('retrain-2026120503', 'test-train');
    const rootId = RetrainFlow.stepJobId('retrain-2026120503', 'test-forecast');
    await waitFor('train step to fail', async () => (await jobState(running, 'training', trainId)) === 'failed', 40_000);
    await waitFor('flow root to fail', async () => (await jobState(running, 'forecast', rootId)) === 'failed');

    const champion = running.database.sqlite.prepare(`SELECT version FROM models WHERE status = 'champion'`).get() as { version: string };
    const forecast = running.database.sqlite.prepare(`SELECT pm25, model_version AS modelVersion FROM forecasts`).all();
    const trainJob = await running.queues.get('training').getJob(trainId);
    expect(champion.version).toBe('champion-old');
    expect(forecast).toEqual([{ pm25: 33, modelVersion: 'champion-old' }]);
    expect(countRuns(running.database, 'test-evaluate-promote')).toBe(0);
    expect(countRuns(running.database, 'test-forecast')).toBe(0);
    expect(trainJob?.failedReason).toContain('training diverged');
  });

  it('catches up missed slots once', async () => {
    const running = await startService({ DUSTCAST_SCHEDULES_ENABLED: true });
    await waitFor('caught-up ingest', () => countRuns(running.database, 'test-ingest') === 1, 40_000);
    await waitFor('caught-up retrain', async () => countRuns(running.database, 'test-evaluate-promote') === 1, 40_000);
    const settings = folder.settings;
    await running.close('first worker done');
    service = await startWorkerService({ settings, logger: createSilentLogger() });
    const second = service;
    const waiting = await second.queues.get('ingest').getJobCountByTypes('wait', 'active', 'delayed');
    expect(waiting).toBe(0);
    expect(countRuns(second.database, 'test-ingest')).toBe(1);
    expect(countRuns(second.database, 'test-build-windows')).toBe(1);
  });

  it('completes a job across a Redis restart', async () => {
    const running = await startService();
    await running.queues.enqueue('test-slow', { durationMs: 1_500, marker: 'restart' }, 'slow-restart');
    await waitFor('slow job to start', () => countRuns(running.database, 'test-slow-started', 'restart') === 1);
    await redis.stop();
    await redis.start();
    await waitFor('slow job to complete after the restart', async () => (await jobState(running, 'import', 'slow-restart').catch(() => undefined)) === 'completed', 40_000);
    expect(countRuns(running.database, 'test-slow', 'restart')).toBe(1);
  });
});
