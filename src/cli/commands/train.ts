import type { Command } from 'commander';
import { runJob } from '../../../jobs/definition.js';
import { trainJob } from '../../../jobs/train.js';
import { formatEvaluationTable } from '../../evaluation/table.js';
import { createCommandRuntime } from '../context.js';

export function registerTrainCommand(program: Command): void {
  program
    .command('train')
    .description('Train a GRU on stored observations, score it on the test split and store it as a candidate version')
    .option('--window-set <directory>', 'train on a window set folder written by the build-windows job instead of building one')
    .option('--from <date>', 'first KST date or date-time of observations to use, such as 2025-04-21')
    .option('--to <date>', 'last KST date or date-time of observations to use')
    .option('--stations <ids>', 'comma-separated station ids to train on (default: every station with data)')
    .action(async (options: { windowSet?: string; from?: string; to?: string; stations?: string }) => {
      const runtime = createCommandRuntime();
      try {
        const payload = {
          windowSetDirectory: options.windowSet,
          from: options.from,
          to: options.to,
          stationIds: options.stations?.split(',').map((part) => Number(part.trim())),
        };
        const summary = await runJob(trainJob, payload, runtime.context);
        runtime.progress.stop();
        console.log(formatEvaluationTable(summary.report));
        console.log(
          `stored candidate ${summary.version} (${summary.backend}, ${summary.epochsRun} epochs, best ${summary.bestEpoch}, ` +
            `${summary.samplesPerSecond} samples/s) at ${summary.artifactPath}`,
        );
        if (summary.deletedVersions.length > 0) console.log(`retention deleted ${summary.deletedVersions.join(', ')}`);
      } finally {
        runtime.close();
      }
    });
}
