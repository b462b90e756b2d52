import type { Command } from 'commander';
import { forecastJob } from '../../../jobs/forecast.js';
import { runJob } from '../../../jobs/definition.js';
import { formatKst } from '../../time/kst.js';
import { createCommandRuntime } from '../context.js';

export function registerForecastCommand(program: Command): void {
  program
    .command('forecast')
    .description("Forecast every horizon from each station's latest complete window and write the forecasts table")
    .option('--model <version>', 'model version to forecast with (default: the champion)')
    .option('--as-of <date>', 'forecast as of this KST date-time instead of the newest stored hour, such as "2026-01-15 12:00"')
    .option('--stations <ids>', 'comma-separated station ids (default: the stations the model was trained on)')
    .option('--lookback <hours>', "hours before the as-of time in which a station's latest window must end", '48')
    .action(async (options: { model?: string; asOf?: string; stations?: string; lookback: string }) => {
      const runtime = createCommandRuntime();
      try {
        const summary = await runJob(
          forecastJob,
          {
            modelVersion: options.model,
            asOf: options.asOf,
            stationIds: options.stations?.split(',').map((part) => Number(part.trim())),
            lookbackHours: Number(options.lookback),
          },
          runtime.context,
        );
        const issued = Object.values(summary.issuedAt);
        console.log(
          `model ${summary.modelVersion}: ${summary.rowsWritten} forecast rows for ${summary.stations} stations ` +
            `(${summary.rowsReplaced} replaced), issued ${formatKst(Math.min(...issued))} to ${formatKst(Math.max(...issued))} KST`,
        );
      } finally {
        runtime.close();
      }
    });
}
