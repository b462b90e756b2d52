import { Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import type { Settings } from '../config/settings.js';
import type { DustcastDatabase } from '../db/database.js';
import type { Logger } from '../logging/logger.js';
import { redactText } from '../logging/redact.js';
import { jobsOfQueue, queueConcurrency, queueNames, sandboxedQueues, type JobCatalog, type QueueName } from './catalog.js';
import { createWorkerConnection } from './connection.js';
import { processJob } from './processor.js';
import type { QueueSet } from './queues.js';
import { settingsToEnvironment } from './settings-environment.js';

export interface WorkerPoolOptions {
  catalog: JobCatalog;
  /** URL of the module the sandboxed child imports the same catalog from. */
  catalogModuleUrl: string;
  settings: Settings;
  database: DustcastDatabase;
  logger: Logger;
  queues: QueueSet;
}

/** Returns the sandboxed processor file and its Node flags: tsx for the TypeScript sources. */
function sandboxProcessorFile(): { file: string; execArgv: string[] } {
  const runningFromSources = import.meta.url.endsWith('.ts');
  const file = new URL(`./sandboxed-processor.${runningFromSources ? 'ts' : 'js'}`, import.meta.url);
  return {
    file: file.pathname,
    execArgv: runningFromSources ? ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href] : [],
  };
}

/** The BullMQ workers of one process: one per queue that has jobs in the catalog. */
export class WorkerPool {
  private readonly workers = new Map<QueueName, Worker>();
  private readonly connections: Redis[] = [];
  /** Aborted at the shutdown deadline, so in-process jobs are handed back to the queue. */
  private readonly handBack = new AbortController();

  constructor(private readonly options: WorkerPoolOptions) {}

  /** Starts a worker for every queue with at least one job; returns the queue names started. */
  start(): QueueName[] {
    const started: QueueName[] = [];
    for (const queueName of queueNames) {
      if (jobsOfQueue(this.options.catalog, queueName).length === 0) continue;
      this.workers.set(queueName, this.createWorker(queueName));
      started.push(queueName);
    }
    return started;
  }

  private createWorker(queueName: QueueName): Worker {
    const { settings, logger } = this.options;
    const connection = createWorkerConnection(settings.REDIS_URL, logger, `dustcast-worker-${queueName}`);
    this.connections.push(connection);
    const common = {
      connection,
      prefix: settings.DUSTCAST_QUEUE_PREFIX,
      concurrency: queueConcurrency[queueName],
      stalledInterval: settings.DUSTCAST_STALLED_INTERVAL_MS,
      lockDuration: settings.DUSTCAST_JOB_LOCK_DURATION_MS,
      name: `dustcast-${process.pid}`,
    };
    let worker: Worker;
    if (sandboxedQueues.has(queueName)) {
      const sandbox = sandboxProcessorFile();
      worker = new Worker(queueName, sandbox.file, {
        ...common,
        workerForkOptions: {
          execArgv: sandbox.execArgv,
          env: {
            ...process.env,
            ...settingsToEnvironment(settings),
            DUSTCAST_JOB_CATALOG_MODULE: this.options.catalogModuleUrl,
          },
        },
      });
    } else {
      const dependencies = {
        catalog: this.options.catalog,
        database: this.options.database,
        settings,
        logger,
        signal: this.handBack.signal,
        enqueue: async (jobName: string, payload: Record<string, unknown>, jobId: string) => {
          await this.options.queues.enqueue(jobName, payload, jobId);
        },
      };
      worker = new Worker(queueName, (job: Job, token?: string) => processJob(job, dependencies, token), common);
    }
    this.watchWorker(worker, queueName);
    return worker;
  }

  private watchWorker(worker: Worker, queueName: QueueName): void {
    const logger = this.options.logger;
    worker.on('failed', (job, error) => {
      const attempts = Math.max(job?.opts.attempts ?? 1, 1);
      const willRetry = job !== undefined && error.name !== 'UnrecoverableError' && job.attemptsMade < attempts;
      logger.warn(
        { queue: queueName, jobId: job?.id, job: job?.name, attemptsMade: job?.attemptsMade, attempts, willRetry, err: error },
        willRetry ? 'job attempt failed; BullMQ retries it after a backoff' : 'job failed for good',
      );
    });
    worker.on('stalled', (jobId) => {
      logger.warn({ queue: queueName, jobId }, 'stalled job moved back to wait; a worker lost its lock, probably by a hard kill');
    });
    worker.on('error', (error) => {
      logger.error({ queue: queueName, err: { name: error.name, message: redactText(error.message) } }, 'queue worker error');
    });
  }

  /**
   * Stops taking jobs and waits for the active ones. At `deadlineMs`, in-process jobs are
   * handed back to the wait list, and sandboxed children get SIGTERM, which makes them hand
   * their jobs back too. Returns the queue names that hit the deadline.
   */
  async close(deadlineMs: number): Promise<QueueName[]> {
    const timedOut: QueueName[] = [];
    const deadline = sleep(deadlineMs, 'deadline' as const, { ref: false });
    await Promise.all(
      [...this.workers].map(async ([queueName, worker]) => {
        const closing = worker.close();
        if ((await Promise.race([closing.then(() => 'closed' as const), deadline])) === 'closed') return;
        timedOut.push(queueName);
        this.handBack.abort(new Error('shutdown deadline passed'));
        if (sandboxedQueues.has(queueName)) await stopSandboxChildren(worker);
        await closing;
      }),
    );
    await Promise.allSettled(this.connections.map((connection) => connection.quit()));
    return timedOut;
  }
}

/**
 * Stops the forked children of a sandboxed worker: SIGTERM, then SIGKILL after BullMQ's own
 * 30 s timeout for a child that does not exit.
 */
async function stopSandboxChildren(worker: Worker): Promise<void> {
  // NOTE: childPool is internal to BullMQ 6.7; recheck it on upgrades. Worker.close caches its
  // first call, so a close that has already started cannot be forced through the public API.
  const pool = (worker as unknown as { childPool?: { clean(): Promise<void> } }).childPool;
  await pool?.clean();
}
