import type { Command } from 'commander';
import { loadSettings, type Settings } from '../../config/settings.js';
import { openDatabase } from '../../db/database.js';
import { createLogger } from '../../logging/logger.js';
import { registerSecret } from '../../logging/redact.js';
import { defaultCatalogModuleUrl, loadCatalogModule } from '../../queue/catalog-loader.js';
import { createProducerConnection, waitUntilReady } from '../../queue/connection.js';
import { QueueSet } from '../../queue/queues.js';
import { startDashboard } from '../../dashboard/server.js';

export function registerDashboardCommand(program: Command): void {
  program
    .command('dashboard')
    .description('Serve only the dashboard (queues, forecasts, health) without running jobs')
    .option('--port <number>', 'TCP port to listen on (overrides DUSTCAST_DASHBOARD_PORT)')
    .option('--host <address>', 'address to bind (overrides DUSTCAST_DASHBOARD_HOST; default 127.0.0.1)')
    .action(async (options: { port?: string; host?: string }) => {
      const overrides: Partial<Settings> = {};
      if (options.port !== undefined) overrides.DUSTCAST_DASHBOARD_PORT = Number(options.port);
      if (options.host !== undefined) overrides.DUSTCAST_DASHBOARD_HOST = options.host;
      const settings = loadSettings(overrides);
      registerSecret(settings.DUSTCAST_DASHBOARD_PASSWORD);
      registerSecret(settings.DATA_GO_KR_SERVICE_KEY);
      registerSecret(settings.SEOUL_OPEN_API_KEY);
      const logger = createLogger(settings);
      const database = openDatabase(settings.DUSTCAST_DATABASE_PATH);
      const redis = createProducerConnection(settings.REDIS_URL, logger, 'dustcast-dashboard');
      await waitUntilReady(redis, settings.REDIS_URL);
      const { jobCatalog } = await loadCatalogModule(settings.DUSTCAST_JOB_CATALOG_MODULE ?? defaultCatalogModuleUrl);
      const queues = new QueueSet(redis, settings.DUSTCAST_QUEUE_PREFIX, jobCatalog);
      const server = await startDashboard({ settings, logger, database, queues, redis });

      await new Promise<void>((resolve) => {
        const onSignal = (signal: NodeJS.Signals) => {
          logger.info({ signal }, 'dashboard stopping');
          resolve();
        };
        process.once('SIGTERM', onSignal);
        process.once('SIGINT', onSignal);
      });
      await server.close();
      await queues.close();
      await redis.quit().catch(() => redis.disconnect());
      database.close();
      logger.info('dashboard stopped; Redis and SQLite closed');
    });
}
