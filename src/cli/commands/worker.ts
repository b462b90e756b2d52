import type { Command } from 'commander';
import { loadSettings } from '../../config/settings.js';
import { createLogger } from '../../logging/logger.js';
import { registerSecret } from '../../logging/redact.js';
import { startWorkerService } from '../../queue/worker-service.js';

/** Signal numbers for the conventional 128 + n exit code after a forced stop. */
const signalNumbers: Record<string, number> = { SIGINT: 2, SIGTERM: 15 };

export function registerWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description('Run the long-lived worker: queue workers, hourly ingest and nightly retrain schedules, and the dashboard')
    .option('--no-dashboard', 'do not serve the dashboard from this process')
    .option('--no-schedules', 'run enqueued jobs only, without the cron schedules (same as DUSTCAST_SCHEDULES_ENABLED=false)')
    .action(async (options: { dashboard: boolean; schedules: boolean }) => {
      const settings = loadSettings(options.schedules ? {} : { DUSTCAST_SCHEDULES_ENABLED: false });
      registerSecret(settings.DATA_GO_KR_SERVICE_KEY);
      registerSecret(settings.SEOUL_OPEN_API_KEY);
      registerSecret(settings.DUSTCAST_DASHBOARD_PASSWORD);
      const logger = createLogger(settings);
      const service = await startWorkerService({ settings, logger, dashboard: options.dashboard });

      // Handlers log with redaction; a stray rejection is logged rather than crashing the worker.
      process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled promise rejection'));
      process.once('uncaughtException', (error) => {
        logger.fatal({ err: error }, 'uncaught exception; shutting down');
        void service.close('uncaughtException').finally(() => process.exit(1));
      });

      await new Promise<void>((resolve) => {
        let stopping = false;
        const onSignal = (signal: NodeJS.Signals) => {
          if (stopping) {
            // A second signal means the operator does not want to wait for the deadline.
            logger.warn({ signal }, 'second signal during shutdown; exiting now');
            process.exit(128 + (signalNumbers[signal] ?? 0));
          }
          stopping = true;
          service
            .close(signal)
            .catch((error: unknown) => logger.error({ err: error, signal }, 'worker shutdown failed'))
            .finally(() => resolve());
        };
        process.on('SIGTERM', onSignal);
        process.on('SIGINT', onSignal);
      });
      logger.flush();
      // A handed-back job's handler may still hold timers; the process must not wait for it.
      process.exit(0);
    });
}
