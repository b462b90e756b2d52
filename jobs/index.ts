// The job catalog: every job the worker runs, with its queue, retry policy and follow-ups.
// A job module joins the catalog once it lands in jobs/; until then the worker has no queue
// worker or schedule for it, and logs the job names it does run at start.
import type { JobCatalog, RetrainFlowSteps } from '../src/queue/catalog.js';

export const jobCatalog: JobCatalog = {};

/** The job the hourly schedule enqueues; undefined until the ingest job is in the catalog. */
export const ingestJob: string | undefined = undefined;

/** The nightly retrain steps; undefined until all four step jobs are in the catalog. */
export const retrainFlowSteps: RetrainFlowSteps | undefined = undefined;
