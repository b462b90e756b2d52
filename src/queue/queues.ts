import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { catalogEntry, queueNames, type CatalogEntry, type JobCatalog, type QueueName } from './catalog.js';

/** Completed jobs are kept this long, so a second enqueue of the same slot id is ignored. */
export const completedJobRetentionSeconds = 8 * 24 * 3600;
/** Failed jobs stay longer, so their errors remain visible in the dashboard. */
export const failedJobRetentionSeconds = 30 * 24 * 3600;

/** BullMQ options for one job of a catalog entry: attempts, exponential backoff and retention. */
export function jobOptionsFor(entry: CatalogEntry, jobId: string): JobsOptions {
  return {
    jobId,
    attempts: entry.attempts,
    // Jitter spreads the retries of several workers that failed on the same outage.
    backoff: { type: 'exponential', delay: entry.backoffMs, jitter: 0.25 },
    removeOnComplete: { age: completedJobRetentionSeconds },
    removeOnFail: { age: failedJobRetentionSeconds },
  };
}

/**
 * One producer Queue per queue name over a shared connection. Create it once the connection is
 * ready (see waitUntilReady): a producer connection has no offline queue, so BullMQ's first
 * command on a connection still connecting fails.
 */
export class QueueSet {
  private readonly queues = new Map<QueueName, Queue>();

  constructor(
    readonly connection: Redis,
    readonly prefix: string,
    readonly catalog: JobCatalog,
  ) {
    for (const name of queueNames) {
      this.queues.set(name, new Queue(name, { connection, prefix, skipWaitingForReady: true }));
    }
  }

  get(name: QueueName): Queue {
    const queue = this.queues.get(name);
    if (!queue) throw new Error(`unknown queue "${name}"; expected one of ${queueNames.join(', ')}`);
    return queue;
  }

  all(): Queue[] {
    return [...this.queues.values()];
  }

  /**
   * Adds a catalog job with a fixed id. Returns false when a job with that id is still kept
   * (waiting, active, completed or failed). Two producers racing past that check are still
   * safe, because BullMQ ignores an add whose id exists.
   */
  // NOTE: in that race both callers return true, so both may log the slot as newly enqueued.
  async enqueue(jobName: string, payload: Record<string, unknown>, jobId: string): Promise<boolean> {
    const entry = catalogEntry(this.catalog, jobName);
    const queue = this.get(entry.queue);
    if (await queue.getJob(jobId)) return false;
    await queue.add(jobName, payload, jobOptionsFor(entry, jobId));
    return true;
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.all().map((queue) => queue.close()));
  }
}
