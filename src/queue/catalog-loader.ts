import type { JobCatalog, RetrainFlowSteps } from './catalog.js';

/** The exports a job catalog module provides. */
export interface CatalogModule {
  jobCatalog: JobCatalog;
  /** The job the hourly schedule enqueues; without it there is no ingest schedule. */
  ingestJob?: string;
  /** The nightly retrain steps; without them there is no retrain schedule. */
  retrainFlowSteps?: RetrainFlowSteps;
}

/** URL of the production catalog, jobs/index, beside src/ in both the sources and dist/. */
export const defaultCatalogModuleUrl = new URL('../../jobs/index.js', import.meta.url).href;

/** Imports a catalog module and checks that it exports `jobCatalog`. */
export async function loadCatalogModule(moduleUrl: string): Promise<CatalogModule> {
  const loaded = (await import(moduleUrl)) as Partial<CatalogModule>;
  if (!loaded.jobCatalog || typeof loaded.jobCatalog !== 'object') {
    throw new Error(`job catalog module ${moduleUrl} does not export "jobCatalog"; export the catalog object under that name`);
  }
  return { jobCatalog: loaded.jobCatalog, ingestJob: loaded.ingestJob, retrainFlowSteps: loaded.retrainFlowSteps };
}
