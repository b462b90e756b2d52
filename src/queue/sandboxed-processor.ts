// Entry point of the child process that BullMQ forks for sandboxed queues (training). A fit keeps
// the CPU busy for minutes. In the worker's own event loop it would stop the job lock from being
// renewed, so BullMQ would give the same job to a second worker.
import type { SandboxedJob } from 'bullmq';
import { loadSettings } from '../config/settings.js';
import { openDatabase, type DustcastDatabase } from '../db/database.js';
import { createLogger } from '../logging/logger.js';
import { registerSecret } from '../logging/redact.js';
import { defaultCatalogModuleUrl, loadCatalogModule, type CatalogModule } from './catalog-loader.js';
import { createProducerConnection, waitUntilReady } from './connection.js';
import { processJob, type ProcessorDependencies } from './processor.js';
import { QueueSet } from './queues.js';

interface SandboxState {
  dependencies: ProcessorDependencies;
  database: DustcastDatabase;
  queues?: QueueSet;
}

let state: SandboxState | undefined;
const abort = new AbortController();

async function initialise(): Promise<SandboxState> {
  if (state) return state;

  const settings = loadSettings();
  registerSecret(settings.DATA_GO_KR_SERVICE_KEY);
  registerSecret(settings.SEOUL_OPEN_API_KEY);
  registerSecret(settings.DUSTCAST_DASHBOARD_PASSWORD);
  const logger = createLogger(settings).child({ process: 'sandbox' });
  const catalogModule: CatalogModule = await loadCatalogModule(settings.DUSTCAST_JOB_CATALOG_MODULE ?? defaultCatalogModuleUrl);
  const database = openDatabase(settings.DUSTCAST_DATABASE_PATH);

  let queues: QueueSet | undefined;
  const created: SandboxState = {
    database,
    dependencies: {
      catalog: catalogModule.jobCatalog,
      database,
      settings,
      logger,
      signal: abort.signal,
      enqueue: async (jobName: string, payload: Record<string, unknown>, jobId: string) => {
        // Only jobs with a follow-up need Redis here, so the connection opens on first use.
        if (!queues) {
          const connection = createProducerConnection(settings.REDIS_URL, logger, 'dustcast-sandbox');
          await waitUntilReady(connection, settings.REDIS_URL);
          queues = new QueueSet(connection, settings.DUSTCAST_QUEUE_PREFIX, catalogModule.jobCatalog);
          created.queues = queues;
        }
        await queues.enqueue(jobName, payload, jobId);
      },
    },
  };

  state = created;
  return created;
}

// BullMQ sends SIGTERM when the worker pool stops its children, which happens at the deadline.
process.once('SIGTERM', () => abort.abort(new Error('sandboxed processor received SIGTERM')));
process.once('exit', () => {
  state?.database.close();
  void state?.queues?.close();
});

export default async function sandboxedProcessor(job: SandboxedJob, token?: string): Promise<unknown> {
  const { dependencies } = await initialise();
  // The worker sends SIGTERM at its shutdown deadline. The abort then hands the job back to the
  // wait list through the parent, as an in-process job is handed back.
  return processJob(
    {
      id: job.id,
      name: job.name,
      data: job.data,
      attemptsMade: job.attemptsMade,
      updateProgress: (value) => job.updateProgress(value),
      getChildrenValues: () => job.getChildrenValues(),
      moveToWait: (lockToken) => job.moveToWait(lockToken),
    },
    dependencies,
    token,
  );
}
