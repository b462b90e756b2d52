import type { JobDefinition } from '../../jobs/definition.js';
import type { Settings } from '../config/settings.js';
import type { DustcastDatabase } from '../db/database.js';

/** One BullMQ queue per kind of work, so a slow fit never holds up the hourly ingest. */
export const queueNames = ['import', 'ingest', 'windows', 'training', 'evaluation', 'forecast'] as const;

export type QueueName = (typeof queueNames)[number];

/** How many jobs of a queue one worker process runs at once. */
export const queueConcurrency: Record<QueueName, number> = {
  import: 1,
  ingest: 1,
  windows: 1,
  // A fit takes every core it is given; two at once would only slow both down.
  training: 1,
  evaluation: 1,
  forecast: 2,
};

/** Queues whose jobs run in a child process, because they keep the CPU busy for minutes. */
export const sandboxedQueues: ReadonlySet<QueueName> = new Set<QueueName>(['training']);

/** A job to enqueue once another job succeeds, such as a forecast after each ingest. */
export interface FollowUp {
  job: string;
  /** Builds the follow-up payload from the finished job's summary; an empty payload if absent. */
  payload?: (summary: unknown) => Record<string, unknown>;
  /** Returns why the follow-up would be pointless now (no model yet, say), or null to enqueue it. */
  skipReason?: (database: DustcastDatabase) => string | null;
}

/** Run settings of one job definition: queue, retries, flow inputs and follow-up. */
export interface CatalogEntry {
  // The payload type is erased here; runJob validates it against the definition's schema.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  definition: JobDefinition<any, any>;
  queue: QueueName;
  /** Total tries, the first included; retries use exponential backoff from `backoffMs`. */
  attempts: number;
  /** Delay before the first retry in milliseconds; it doubles on each later retry. */
  backoffMs: number;
  /**
   * In a flow, builds the payload fields this step takes from the previous step's summary
   * (such as the model version that train produced, for evaluate-and-promote).
   */
  payloadFromPrevious?: (previousSummary: unknown) => Record<string, unknown>;
  /** Builds the payload this step starts with when the nightly flow is added. */
  flowPayload?: (flow: { flowId: string; settings: Settings }) => Record<string, unknown>;
  followUp?: FollowUp;
}

/** Every job the worker can run, by job name. */
export type JobCatalog = Record<string, CatalogEntry>;

/** The job names of the nightly retrain, in the order they run. */
export interface RetrainFlowSteps {
  buildWindows: string;
  train: string;
  evaluateAndPromote: string;
  forecast: string;
}

/** Looks up a job by name, throwing with the known names when it is missing. */
export function catalogEntry(catalog: JobCatalog, jobName: string): CatalogEntry {
  const entry = catalog[jobName];
  if (!entry) {
    const known = Object.keys(catalog).sort().join(', ') || '(none)';
    throw new Error(`job "${jobName}" is not in the job catalog (known: ${known}); add it to jobs/index.ts`);
  }
  return entry;
}

/** Returns the names of the jobs that run on `queue`. */
export function jobsOfQueue(catalog: JobCatalog, queue: QueueName): string[] {
  return Object.entries(catalog)
    .filter(([, entry]) => entry.queue === queue)
    .map(([name]) => name);
}
