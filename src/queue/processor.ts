import { WaitingError } from 'bullmq';
import { runJob, type JobContext, type ProgressUpdate } from '../../jobs/definition.js';
import type { Settings } from '../config/settings.js';
import type { DustcastDatabase } from '../db/database.js';
import type { Logger } from '../logging/logger.js';
import { catalogEntry, type CatalogEntry, type FollowUp, type JobCatalog } from './catalog.js';
import { toQueueError } from './errors.js';

/** The part of a BullMQ job the processor uses; both Job and SandboxedJob provide it. */
export interface ProcessableJob {
  id?: string;
  name: string;
  data: unknown;
  attemptsMade: number;
  updateProgress(value: object): Promise<void>;
  getChildrenValues(): Promise<Record<string, unknown>>;
  moveToWait?(token?: string): Promise<unknown>;
}

/** Adds a job by name with a fixed id; a second add with the same id is ignored by BullMQ. */
export type Enqueue = (jobName: string, payload: Record<string, unknown>, jobId: string) => Promise<void>;

export interface ProcessorDependencies {
  catalog: JobCatalog;
  database: DustcastDatabase;
  settings: Settings;
  logger: Logger;
  /** Aborted at the shutdown deadline; handlers that check it stop early. */
  signal: AbortSignal;
  enqueue: Enqueue;
}

/**
 * Runs one BullMQ job through the same `runJob` the CLI uses. In a flow, the previous step's
 * summary is merged into the payload. A follow-up job is enqueued before the job completes, so a
 * crash between the two repeats the enqueue (ignored, by id) instead of losing it.
 */
export async function processJob(job: ProcessableJob, dependencies: ProcessorDependencies, token?: string): Promise<unknown> {
  const entry = catalogEntry(dependencies.catalog, job.name);
  const logger = dependencies.logger.child({ queue: entry.queue, jobId: job.id, job: job.name, attempt: job.attemptsMade + 1 });
  const context: JobContext = {
    database: dependencies.database,
    settings: dependencies.settings,
    logger,
    signal: dependencies.signal,
    reportProgress: (update: ProgressUpdate) => {
      job.updateProgress({ ...update }).catch((error: unknown) => {
        logger.debug({ err: error }, 'progress update not stored');
      });
    },
  };

  const startedAt = Date.now();
  logger.info('job started');
  try {
    const payload = await buildPayload(job, entry);
    const summary = await runUntilHandedBack(runJob(entry.definition, payload, context), job, dependencies.signal, token);
    if (entry.followUp) await enqueueFollowUp(entry.followUp, summary, job, dependencies, logger);
    logger.info({ durationMs: Date.now() - startedAt }, 'job completed');
    return summary ?? null;
  } catch (error) {
    if (error instanceof WaitingError) {
      logger.warn({ durationMs: Date.now() - startedAt }, 'job handed back to the queue at the shutdown deadline');
      throw error;
    }
    const converted = toQueueError(error);
    logger.error({ err: converted, durationMs: Date.now() - startedAt, retryable: converted.name !== 'UnrecoverableError' }, 'job failed');
    throw converted;
  }
}

async function enqueueFollowUp(followUp: FollowUp, summary: unknown, job: ProcessableJob, dependencies: ProcessorDependencies, logger: Logger): Promise<void> {
  const followUpId = `${followUp.job}-after-${job.id}`;
  const skipReason = followUp.skipReason?.(dependencies.database) ?? null;
  if (skipReason !== null) {
    logger.info({ followUpJob: followUp.job, followUpId, skipReason }, 'follow-up job skipped');
    return;
  }
  await dependencies.enqueue(followUp.job, followUp.payload?.(summary) ?? {}, followUpId);
  logger.info({ followUpJob: followUp.job, followUpId }, 'follow-up job enqueued');
}

async function buildPayload(job: ProcessableJob, entry: CatalogEntry): Promise<unknown> {
  const data = (job.data ?? {}) as Record<string, unknown>;
  if (!entry.payloadFromPrevious) return data;
  const childValues = Object.values(await job.getChildrenValues());
  if (childValues.length === 0) return data;
  // A retrain step has exactly one child, the step before it.
  return { ...data, ...entry.payloadFromPrevious(childValues[0]) };
}

/**
 * Waits for the handler, unless the shutdown deadline passes first. Then the job goes back to
 * the wait list for the next worker, and the WaitingError thrown here keeps BullMQ from counting
 * a failed attempt. A handler that stops because of the abort is handed back too.
 */
async function runUntilHandedBack<T>(work: Promise<T>, job: ProcessableJob, signal: AbortSignal, token?: string): Promise<T> {
  if (!job.moveToWait) return work;
  const moveToWait = job.moveToWait.bind(job);
  let removeListener = () => {};
  const handedBack = new Promise<never>((_resolve, reject) => {
    const onAbort = () => {
      moveToWait(token).then(() => reject(new WaitingError('handed back at the shutdown deadline')), reject);
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    removeListener = () => signal.removeEventListener('abort', onAbort);
  });
  // Whichever promise loses the race may reject later; that is expected, not unhandled.
  work.catch(() => {});
  handedBack.catch(() => {});
  try {
    return await Promise.race([work, handedBack]);
  } catch (error) {
    if (signal.aborted && !(error instanceof WaitingError)) return await handedBack;
    throw error;
  } finally {
    removeListener();
  }
}
