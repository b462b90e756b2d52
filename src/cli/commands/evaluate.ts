import type { Command } from 'commander';
import { evaluateStoredModel } from '../../evaluation/evaluate-stored-model.js';
import { formatEvaluationTable } from '../../evaluation/table.js';
import { forecastModelFromLoaded } from '../../forecast/loaded-model.js';
import { disposeModel } from '../../model/gru.js';
import { loadChampion, loadModel } from '../../registry/load.js';
import { parseKstDateArgument } from '../../time/kst.js';
import { createCommandRuntime } from '../context.js';

/** Parses --to; a bare date means its last hour, 23:00 KST, so the whole day is included. */
export function parsePeriodEnd(value: string): number {
  const instant = parseKstDateArgument(value);
  return /^\d{4}-\d{2}-\d{2}$/.test(value.trim()) ? instant + 23 * 3600 : instant;
}

/** Parses a date option, naming the option in the error. */
function parseDateOption(option: string, value: string, parse: (text: string) => number): number {
  try {
    return parse(value);
  } catch (error) {
    throw new Error(`${option}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export function registerEvaluateCommand(program: Command): void {
  program
    .command('evaluate')
    .description('Score a stored model on any stored period against persistence and the climatology saved with the model')
    .option('--model <version>', 'model version to score (default: the champion)')
    .requiredOption('--from <date>', 'first KST hour a forecast may be issued at, such as 2025-12-01 or "2025-12-01 06:00"')
    .requiredOption('--to <date>', 'last KST hour a target may fall on; a bare date includes that whole day')
    .option('--stations <ids>', 'comma-separated station ids (default: the stations the model was trained on)')
    .action(async (options: { model?: string; from: string; to: string; stations?: string }) => {
      // Dates are checked before the database and TensorFlow load, so a typo fails at once.
      const from = parseDateOption('--from', options.from, parseKstDateArgument);
      const to = parseDateOption('--to', options.to, parsePeriodEnd);
      const runtime = createCommandRuntime();
      const { database, settings, logger } = runtime.context;
      try {
        const stationIds = options.stations?.split(',').map((part) => Number(part.trim()));
        if (stationIds?.some((id) => !Number.isInteger(id) || id <= 0)) {
          throw new Error(`invalid --stations "${options.stations}": use comma-separated station ids such as 3,7`);
        }
        const loaded = options.model ? await loadModel(database, settings, options.model, logger) : await loadChampion(database, settings, logger);
        try {
          logger.info({ version: loaded.manifest.version, from, to }, 'evaluating stored model');
          const report = evaluateStoredModel(database, forecastModelFromLoaded(loaded), loaded.manifest.climatology, { from, to, stationIds }, logger);
          console.log(`model ${loaded.manifest.version}`);
          console.log(formatEvaluationTable(report));
        } finally {
          disposeModel(loaded.model);
        }
      } finally {
        runtime.close();
      }
    });
}
