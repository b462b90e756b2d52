// The job catalog: every job the worker runs, with its queue, retry policy and follow-ups.
import { join } from 'node:path';
import type { JobCatalog, RetrainFlowSteps } from '../src/queue/catalog.js';
import { findChampion } from '../src/registry/model-rows.js';
import { backfillJob } from './backfill.js';
import type { BuildWindowsSummary } from './build-windows.js';
import { buildWindowsJob } from './build-windows.js';
import { evaluatePromoteJob } from './evaluate-promote.js';
import { forecastJob } from './forecast.js';
import { importJob } from './import.js';
import { ingestJob as hourlyIngestJob } from './ingest.js';
import { trainJob, type TrainSummary } from './train.js';

export const jobCatalog: JobCatalog = {
  // A file that fails to import fails the same way again, so there is no retry.
  [importJob.name]: { definition: importJob, queue: 'import', attempts: 1, backoffMs: 1_000 },
  // Backfills are long bulk pulls, so they share the import queue and the ingest queue stays free.
  [backfillJob.name]: { definition: backfillJob, queue: 'import', attempts: 3, backoffMs: 60_000 },
  // The API clients already retry each request; a job retry covers a wider outage.
  [hourlyIngestJob.name]: {
    definition: hourlyIngestJob,
    queue: 'ingest',
    attempts: 4,
    backoffMs: 30_000,
    // Forecast from the fresh hour with the champion; before the first promotion there is none.
    followUp: {
      job: forecastJob.name,
      skipReason: (database) => (findChampion(database) ? null : 'no champion model yet'),
    },
  },
  [buildWindowsJob.name]: {
    definition: buildWindowsJob,
    queue: 'windows',
    attempts: 2,
    backoffMs: 60_000,
    // One folder, replaced each night, so window sets do not pile up beside the models.
    flowPayload: ({ settings }) => ({ outputDirectory: join(settings.DUSTCAST_MODEL_DIRECTORY, 'window-sets', 'nightly') }),
  },
  [trainJob.name]: {
    definition: trainJob,
    queue: 'training',
    attempts: 2,
    backoffMs: 60_000,
    payloadFromPrevious: (summary) => ({ windowSetDirectory: (summary as BuildWindowsSummary).outputDirectory }),
  },
  [evaluatePromoteJob.name]: {
    definition: evaluatePromoteJob,
    queue: 'evaluation',
    attempts: 2,
    backoffMs: 60_000,
    payloadFromPrevious: (summary) => ({ version: (summary as TrainSummary).version }),
  },
  // In the nightly flow this runs after evaluate-promote and uses whichever model is champion.
  [forecastJob.name]: { definition: forecastJob, queue: 'forecast', attempts: 3, backoffMs: 10_000 },
};

/** The job the hourly schedule enqueues. */
export const ingestJob: string = hourlyIngestJob.name;

/** The nightly retrain: build windows, train, evaluate and promote, forecast. */
export const retrainFlowSteps: RetrainFlowSteps = {
  buildWindows: buildWindowsJob.name,
  train: trainJob.name,
  evaluateAndPromote: evaluatePromoteJob.name,
  forecast: forecastJob.name,
};
