import type { Command } from 'commander';
import { join } from 'node:path';
import { runJob } from '../../../jobs/definition.js';
import { buildWindowsJob } from '../../../jobs/build-windows.js';
import { evaluatePromoteJob } from '../../../jobs/evaluate-promote.js';
import { forecastJob } from '../../../jobs/forecast.js';
import { importJob } from '../../../jobs/import.js';
import { trainJob } from '../../../jobs/train.js';
import { formatEvaluationTable } from '../../evaluation/table.js';
import { formatKst } from '../../time/kst.js';
import { createCommandRuntime } from '../context.js';
import { formatImportTable } from './import.js';

interface RunOptions {
  mapping?: string;
  format?: string;
  skipImport?: boolean;
  epochs?: string;
}

/**
 * Runs the whole pipeline once in this process, calling the same job handlers the worker runs:
 * import, build windows, train, evaluate and promote, forecast.
 */
export function registerRunCommand(program: Command): void {
  program
    .command('run')
    .description('Import (the bundled sample unless files are given), build windows, train, evaluate, promote and forecast')
    .argument('[files...]', 'observation files to import first; the bundled Seoul sample when none is given')
    .option('--format <format>', 'import format for the given files (default: detected)')
    .option('--mapping <name-or-path>', 'column mapping for the given files')
    .option('--skip-import', 'train on what is already stored instead of importing')
    .option('--epochs <count>', 'maximum training epochs (overrides DUSTCAST_EPOCHS)')
    .action(async (files: string[], options: RunOptions) => {
      const overrides = options.epochs ? { DUSTCAST_EPOCHS: Number(options.epochs) } : {};
      if (options.epochs && !(Number.isInteger(overrides.DUSTCAST_EPOCHS) && Number(options.epochs) > 0)) {
        throw new Error(`invalid --epochs "${options.epochs}": use a whole number of epochs such as 20`);
      }
      const runtime = createCommandRuntime(overrides);
      const { context, logger, progress } = runtime;
      const started = Date.now();
      const step = (name: string) => logger.info({ step: name, elapsedSeconds: Math.round((Date.now() - started) / 1000) }, `run: ${name}`);
      try {
        if (!options.skipImport) {
          step('import');
          const imported = await runJob(importJob, { files, format: options.format, mapping: options.mapping }, context);
          progress.stop();
          console.log(formatImportTable(imported.files));
        }
        step('build windows');
        const windows = await runJob(
          buildWindowsJob,
          { outputDirectory: join(runtime.settings.DUSTCAST_MODEL_DIRECTORY, 'window-sets', 'run') },
          context,
        );
        progress.stop();
        console.log(
          `windows: ${windows.stations} stations, ${windows.rows} station-hours, samples train ${windows.samples.train}, ` +
            `validation ${windows.samples.validation}, test ${windows.samples.test} (test from ${formatKst(windows.ranges.test.from)} KST)`,
        );
        step('train');
        const trained = await runJob(trainJob, { windowSetDirectory: windows.outputDirectory }, context);
        progress.stop();
        console.log(`\nTest-period evaluation of ${trained.version} (${trained.backend}, ${trained.epochsRun} epochs, best epoch ${trained.bestEpoch}):`);
        console.log(formatEvaluationTable(trained.report));
        step('evaluate and promote');
        const decision = await runJob(evaluatePromoteJob, { version: trained.version }, context);
        console.log(`\npromotion: ${decision.action} ${decision.candidate}: ${decision.reason}`);
        step('forecast');
        const forecasts = await runJob(forecastJob, {}, context);
        console.log(
          `forecasts: ${forecasts.rowsWritten} rows for ${forecasts.stations} stations with ${forecasts.modelVersion}, ` +
            `as of ${formatKst(forecasts.asOf)} KST, in ${runtime.settings.DUSTCAST_DATABASE_PATH}`,
        );
        console.log(`done in ${Math.round((Date.now() - started) / 1000)} s`);
      } finally {
        runtime.close();
      }
    });
}
