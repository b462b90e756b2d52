import cliProgress from 'cli-progress';
import type { JobContext, ProgressUpdate } from '../../jobs/definition.js';
import { loadSettings, type Settings } from '../config/settings.js';
import { openDatabase } from '../db/database.js';
import { createLogger, type Logger } from '../logging/logger.js';
import { registerSecret } from '../logging/redact.js';

/** Draws ProgressUpdate events as one bar per stage on stderr; silent when stderr is not a terminal. */
export class ProgressRenderer {
  private bar: cliProgress.SingleBar | undefined;
  private stage: string | undefined;
  private readonly enabled = Boolean(process.stderr.isTTY);

  constructor(private readonly logger: Logger) {}

  update(update: ProgressUpdate): void {
    const details = update.details ? Object.entries(update.details).map(([key, value]) => `${key} ${value}`).join('  ') : '';
    if (!this.enabled) {
      // Without a terminal, each finished stage step is a log line so long runs still show life.
      if (update.stage === 'epoch' || update.current === update.total) {
        this.logger.info({ stage: update.stage, current: update.current, total: update.total, ...update.details }, 'progress');
      }
      return;
    }
    if (this.stage !== update.stage) {
      this.stop();
      this.stage = update.stage;
      this.bar = new cliProgress.SingleBar(
        { format: `${update.stage.padEnd(10)} [{bar}] {value}/{total} {details}`, hideCursor: true, clearOnComplete: false },
        cliProgress.Presets.shades_classic,
      );
      this.bar.start(update.total ?? 0, update.current, { details });
    }
    if (update.total !== undefined) this.bar?.setTotal(update.total);
    this.bar?.update(update.current, { details });
  }

  stop(): void {
    this.bar?.stop();
    this.bar = undefined;
    this.stage = undefined;
  }
}

/** Everything a CLI command needs; `close` releases the database. */
export interface CommandRuntime {
  settings: Settings;
  logger: Logger;
  context: JobContext;
  progress: ProgressRenderer;
  close(): void;
}

/** Loads settings, opens the database and builds the job context for a CLI command. */
export function createCommandRuntime(overrides: Partial<Settings> = {}): CommandRuntime {
  const settings = loadSettings(overrides);
  registerSecret(settings.DATA_GO_KR_SERVICE_KEY);
  registerSecret(settings.SEOUL_OPEN_API_KEY);
  registerSecret(settings.DUSTCAST_DASHBOARD_PASSWORD);
  const logger = createLogger(settings);
  const database = openDatabase(settings.DUSTCAST_DATABASE_PATH);
  const progress = new ProgressRenderer(logger);
  const abort = new AbortController();
  const context: JobContext = {
    database,
    settings,
    logger,
    reportProgress: (update) => progress.update(update),
    signal: abort.signal,
  };
  const onSignal = () => abort.abort(new Error('interrupted by signal'));
  process.once('SIGINT', onSignal);
  return {
    settings,
    logger,
    context,
    progress,
    close: () => {
      progress.stop();
      process.off('SIGINT', onSignal);
      database.close();
    },
  };
}
