import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DustcastDatabase } from '../src/db/database.js';
import { createSilentLogger } from '../src/logging/logger.js';
import { createProducerConnection, waitUntilReady } from '../src/queue/connection.js';
import { QueueSet } from '../src/queue/queues.js';
import { createQueueTestFolder, waitFor, type QueueTestFolder } from './helpers/queue-fixture.js';
import { countRuns, jobCatalog, testCatalogModuleUrl } from './helpers/queue-test-jobs.js';
import { startTestRedis, type TestRedis } from './helpers/redis-server.js';
import { spawnWorkerProcess, type WorkerProcess } from './helpers/worker-process.js';

let redis: TestRedis;
let folder: QueueTestFolder;
let database: DustcastDatabase;
let queues: QueueSet;
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  redis = await startTestRedis();
});

afterAll(async () => {
  await redis.dispose();
});

afterEach(async () => {
  for (const worker of workers.splice(0)) {
    if (worker.child.exitCode === null && worker.child.signalCode === null) {
      worker.child.kill('SIGKILL');
      await worker.exited;
    }
  }
  await queues?.close();
  await queues?.connection.quit();
  database?.close();
  folder?.remove();
});

async function prepare(overrides: Parameters<typeof createQueueTestFolder>[1] = {}): Promise<void> {
  folder = createQueueTestFolder(redis.url, { DUSTCAST_JOB_CATALOG_MODULE: testCatalogModuleUrl, ...overrides });
  database = openDatabase(folder.databasePath);
  const connection = createProducerConnection(redis.url, createSilentLogger());
  await waitUntilReady(connection, redis.url);
  queues = new QueueSet(connection, folder.settings.DUSTCAST_QUEUE_PREFIX, jobCatalog);
}

function startWorker(): WorkerProcess {
  const worker = spawnWorkerProcess(folder.settings);
  workers.push(worker);
  return worker;
}

async function stateOf(jobId: string, queue: 'import' | 'training' = 'import'): Promise<string | undefined> {
  const job = await queues.get(queue).getJob(jobId);
  return job ? job.getState() : undefined;
}

describe('worker shutdown', () => {
  it('finishes the active job on SIGTERM', async () => {
    await prepare({ DUSTCAST_SHUTDOWN_TIMEOUT_MS: 15_000 });
    const worker = startWorker();
    await worker.waitForLog('worker started');
    await queues.enqueue('test-slow', { durationMs: 1_500, marker: 'sigterm' }, 'slow-sigterm');
    await waitFor('job to start', () => countRuns(database, 'test-slow-started', 'sigterm') === 1);
    worker.child.kill('SIGTERM');
    const exit = await worker.exited;

    expect(exit.code).toBe(0);
    expect(await stateOf('slow-sigterm')).toBe('completed');
    expect(countRuns(database, 'test-slow', 'sigterm')).toBe(1);
    expect(worker.logs.some((line) => line.msg === 'worker stopped cleanly; Redis and SQLite closed')).toBe(true);
  });

  it('hands a job back at the deadline', async () => {
    await prepare({ DUSTCAST_SHUTDOWN_TIMEOUT_MS: 300 });
    const first = startWorker();
    await first.waitForLog('worker started');
    await queues.enqueue('test-slow', { durationMs: 4_000, marker: 'deadline' }, 'slow-deadline');
    await waitFor('job to start', () => countRuns(database, 'test-slow-started', 'deadline') === 1);
    first.child.kill('SIGTERM');
    const exit = await first.exited;

    expect(exit.code).toBe(0);
    expect(await stateOf('slow-deadline')).toBe('waiting');
    expect(countRuns(database, 'test-slow', 'deadline')).toBe(0);
    expect(first.logs.some((line) => line.msg === 'job handed back to the queue at the shutdown deadline')).toBe(true);

    const second = startWorker();
    await waitFor('job to complete on the second worker', async () => (await stateOf('slow-deadline')) === 'completed', 30_000);
    const job = await queues.get('import').getJob('slow-deadline');
    expect(countRuns(database, 'test-slow', 'deadline')).toBe(1);
    expect(job?.attemptsMade).toBe(1);
    second.child.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
  });

  it('hands a sandboxed job back', async () => {
    await prepare({ DUSTCAST_SHUTDOWN_TIMEOUT_MS: 300 });
    const first = startWorker();
    await first.waitForLog('worker started');
    await queues.enqueue('test-slow-sandboxed', { durationMs: 4_000, marker: 'sandbox' }, 'slow-sandbox');
    await waitFor('sandboxed job to start', () => countRuns(database, 'test-slow-started', 'sandbox') === 1, 30_000);
    first.child.kill('SIGTERM');
    const exit = await first.exited;

    expect(exit.code).toBe(0);
    expect(await stateOf('slow-sandbox', 'training')).toBe('waiting');
    expect(countRuns(database, 'test-slow', 'sandbox')).toBe(0);

    const second = startWorker();
    await second.waitForLog('worker started');
    await waitFor('sandboxed job to complete on the second worker', async () => (await stateOf('slow-sandbox', 'training')) === 'completed', 30_000);
    const job = await queues.get('training').getJob('slow-sandbox');
    expect(countRuns(database, 'test-slow', 'sandbox')).toBe(1);
    expect(job?.attemptsMade).toBe(1);
    second.child.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
  });

  it('recovers a job after a hard kill', async () => {
    await prepare({ DUSTCAST_JOB_LOCK_DURATION_MS: 1_000, DUSTCAST_STALLED_INTERVAL_MS: 500 });
    const first = startWorker();
    await first.waitForLog('worker started');
    await queues.enqueue('test-slow', { durationMs: 2_000, marker: 'kill' }, 'slow-kill');
    await waitFor('job to start', () => countRuns(database, 'test-slow-started', 'kill') === 1);
    first.child.kill('SIGKILL');
    await first.exited;
    expect(await stateOf('slow-kill')).toBe('active');

    const second = startWorker();
    await waitFor('stalled job to complete', async () => (await stateOf('slow-kill')) === 'completed', 30_000);
    expect(countRuns(database, 'test-slow', 'kill')).toBe(1);
    expect(countRuns(database, 'test-slow-started', 'kill')).toBe(2);
    expect(second.logs.some((line) => line.msg === 'stalled job moved back to wait; a worker lost its lock, probably by a hard kill')).toBe(true);
    second.child.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
  });
});
