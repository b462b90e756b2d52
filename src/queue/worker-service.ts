import type { Settings } from '../config/settings.js';
import { openDatabase, type DustcastDatabase } from '../db/database.js';
import type { Logger } from '../logging/logger.js';
import { startDashboard, type DashboardServer } from '../dashboard/server.js';
import { defaultCatalogModuleUrl, loadCatalogModule, type CatalogModule } from './catalog-loader.js';
import { catalogEntry } from './catalog.js';
import { createProducerConnection, waitUntilReady } from './connection.js';
import { QueueSet } from './queues.js';
import { RetrainFlow } from './retrain-flow.js';
import { Scheduler, type ScheduleDefinition } from './scheduler.js';
import { WorkerPool } from './workers.js';

/** How far back the start-up catch-up looks for a missed ingest slot, in hours. */
export const ingestCatchUpHours = 24;

export interface WorkerServiceOptions {
  settings: Settings;
  logger: Logger;
  /** Serve the dashboard from this process too. */
  dashboard?: boolean;
}

/** A running worker process: queue workers, schedules and, optionally, the dashboard. */
export interface WorkerService {
  catalogModule: CatalogModule;
  database: DustcastDatabase;
  queues: QueueSet;
  retrainFlow?: RetrainFlow;
  dashboard?: DashboardServer;
  /** Shuts down in order: schedules, dashboard, workers (with the deadline), Redis, SQLite. */
  close(reason: string): Promise<void>;
}

/** Builds the hourly ingest and nightly retrain schedules the catalog supports. */
function buildSchedules(settings: Settings, catalogModule: CatalogModule, queues: QueueSet, retrainFlow: RetrainFlow | undefined): ScheduleDefinition[] {
  const schedules: ScheduleDefinition[] = [];
  const ingestJob = catalogModule.ingestJob;
  if (ingestJob) {
    catalogEntry(catalogModule.jobCatalog, ingestJob);
    schedules.push({
      name: 'ingest',
      cron: settings.DUSTCAST_INGEST_CRON,
      catchUpHours: ingestCatchUpHours,
      // One pull asks for every hour since the newest one stored, so the latest missed slot
      // recovers the whole outage. Enqueueing each missed hour would repeat the same requests
      // against the providers' daily quotas.
      catchUpMaxSlots: 1,
      enqueue: (slot) => queues.enqueue(ingestJob, {}, slot.id),
    });
  }
  if (retrainFlow) {
    schedules.push({
      name: 'retrain',
      cron: settings.DUSTCAST_RETRAIN_CRON,
      // Only last night's retrain: an older one would train on the same data again.
      catchUpHours: 24,
      catchUpMaxSlots: 1,
      enqueue: (slot) => retrainFlow.add(slot.id),
    });
  }
  return schedules;
}

/**
 * Starts everything a worker process runs: migrations, one BullMQ worker per queue, the catch-up
 * of missed slots, the cron schedules and the dashboard. Fails before taking any job when Redis
 * is unreachable or the catalog is incomplete.
 */
export async function startWorkerService(options: WorkerServiceOptions): Promise<WorkerService> {
  const { settings, logger } = options;
  const catalogModuleUrl = settings.DUSTCAST_JOB_CATALOG_MODULE ?? defaultCatalogModuleUrl;
  const catalogModule = await loadCatalogModule(catalogModuleUrl);
  const database = openDatabase(settings.DUSTCAST_DATABASE_PATH);
  const producer = createProducerConnection(settings.REDIS_URL, logger);
  try {
    await waitUntilReady(producer, settings.REDIS_URL);
  } catch (error) {
    producer.disconnect();
    database.close();
    throw error;
  }

  const queues = new QueueSet(producer, settings.DUSTCAST_QUEUE_PREFIX, catalogModule.jobCatalog);
  const retrainFlow = catalogModule.retrainFlowSteps
    ? new RetrainFlow(producer, settings, catalogModule.jobCatalog, catalogModule.retrainFlowSteps, queues)
    : undefined;
  const pool = new WorkerPool({
    catalog: catalogModule.jobCatalog,
    catalogModuleUrl,
    settings,
    database,
    logger,
    queues,
  });
  const startedQueues = pool.start();
  logger.info({ queues: startedQueues, jobs: Object.keys(catalogModule.jobCatalog) }, 'worker started');

  const scheduler = new Scheduler(buildSchedules(settings, catalogModule, queues, retrainFlow), logger);
  if (settings.DUSTCAST_SCHEDULES_ENABLED) {
    await scheduler.catchUp();
    scheduler.start();
  } else {
    logger.info('schedules disabled (--no-schedules or DUSTCAST_SCHEDULES_ENABLED=false); only enqueued jobs run');
  }

  const dashboard = options.dashboard ? await startDashboard({ settings, logger, database, queues, redis: producer }) : undefined;

  let closing: Promise<void> | undefined;
  const close = (reason: string) => {
    closing ??= (async () => {
      const startedAt = Date.now();
      logger.info({ reason, deadlineMs: settings.DUSTCAST_SHUTDOWN_TIMEOUT_MS }, 'worker stopping: no new jobs, waiting for active ones');
      await scheduler.stop();
      await dashboard?.close();
      const timedOut = await pool.close(settings.DUSTCAST_SHUTDOWN_TIMEOUT_MS);
      await retrainFlow?.close();
      await queues.close();
      await producer.quit().catch(() => producer.disconnect());
      database.close();
      logger.info({ reason, durationMs: Date.now() - startedAt, handedBack: timedOut }, timedOut.length > 0
        ? 'worker stopped; jobs still running at the deadline were handed back'
        : 'worker stopped cleanly; Redis and SQLite closed');
    })();
    return closing;
  };

  return { catalogModule, database, queues, retrainFlow, dashboard, close };
}
