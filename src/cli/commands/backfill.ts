import type { Command } from 'commander';
import { backfillJob } from '../../../jobs/backfill.js';
import { runJob } from '../../../jobs/definition.js';
import { createCommandRuntime } from '../context.js';

export function registerBackfillCommand(program: Command): void {
  program
    .command('backfill')
    .description('Pull a source\'s history between two dates in chunks; rerun the same command to resume after a crash or quota stop')
    .requiredOption('--source <name>', 'airkorea, seoul, kma-asos or kma-nowcast')
    .requiredOption('--from <date>', 'first hour, KST: YYYY-MM-DD or "YYYY-MM-DD HH:MM"')
    .requiredOption('--to <date>', 'last hour, KST: YYYY-MM-DD or "YYYY-MM-DD HH:MM"')
    .option('--station <name>', 'one station: AirKorea station name, Seoul district, or KMA station id (default: all known)')
    .option('--chunk-hours <hours>', 'hours per request, at most the source\'s own limit', (value) => Number.parseInt(value, 10))
    .action(async (options: { source: string; from: string; to: string; station?: string; chunkHours?: number }) => {
      const runtime = createCommandRuntime();
      try {
        const summary = await runJob(
          backfillJob,
          { source: options.source, from: options.from, to: options.to, station: options.station, chunkHours: options.chunkHours },
          runtime.context,
        );
        runtime.progress.stop();
        for (const target of summary.targets) {
          const resumed = target.resumedFrom ? `, resumed from ${target.resumedFrom}` : '';
          console.log(
            `${summary.source} ${target.target}: ${target.status}, ${target.hoursFetched} hours fetched${resumed}; inserted ${target.inserted}, updated ${target.updated}, unchanged ${target.unchanged}`,
          );
        }
        if (summary.clampedTo) console.log(`the end was moved back to ${summary.clampedTo} KST, the newest hour ${summary.source} serves`);
        if (summary.message) console.log(summary.message);
      } finally {
        runtime.close();
      }
    });
}
