import type { Command } from 'commander';
import { ingestJob } from '../../../jobs/ingest.js';
import { runJob } from '../../../jobs/definition.js';
import { parseSourceNames } from '../../sources/create-sources.js';
import { IngestFailedError, type IngestSummary } from '../../sources/ingest/run-ingest.js';
import { createCommandRuntime } from '../context.js';

export function registerIngestCommand(program: Command): void {
  program
    .command('ingest')
    .description('Run one hourly pull of every configured API source (the job the worker schedules)')
    .option('--source <names>', 'comma-separated sources to pull: airkorea, seoul, kma-asos, kma-nowcast (default DUSTCAST_INGEST_SOURCES)')
    .option('--stations', 'also fetch the AirKorea station list (coordinates, addresses, kinds) first')
    .action(async (options: { source?: string; stations?: boolean }) => {
      const runtime = createCommandRuntime();
      try {
        const payload = {
          ...(options.source ? { sources: parseSourceNames(options.source) } : {}),
          refreshStations: options.stations === true,
        };
        try {
          printIngestSummary(await runJob(ingestJob, payload, runtime.context));
        } catch (error) {
          if (error instanceof IngestFailedError) printIngestSummary(error.summary);
          throw error;
        }
      } finally {
        runtime.close();
      }
    });
}

function printIngestSummary(summary: IngestSummary): void {
  console.log(`ingest at ${summary.ranAt} KST`);
  for (const source of summary.sources) {
    console.log(`  ${source.source.padEnd(12)} ${source.status.padEnd(15)} inserted ${source.inserted}  updated ${source.updated}  unchanged ${source.unchanged}`);
    if (source.error) console.log(`    ${source.error}`);
    for (const target of source.targets) {
      const hours = target.from ? ` ${target.from} .. ${target.to}` : '';
      console.log(`    ${target.target}: ${target.status}${hours}${target.error ? ` (${target.error})` : ''}`);
    }
  }
}
