import type { Command } from 'commander';
import { runJob } from '../../../jobs/definition.js';
import { evaluatePromoteJob } from '../../../jobs/evaluate-promote.js';
import { listModels, promote, rollback, type ModelRow } from '../../registry/model-rows.js';
import { formatKst } from '../../time/kst.js';
import { createCommandRuntime } from '../context.js';

export function registerModelsCommand(program: Command): void {
  const models = program.command('models').description('List, promote and roll back stored model versions');

  models
    .command('list')
    .description('List every model version with its status, test period and mean PM2.5 RMSE')
    .action(() => {
      const runtime = createCommandRuntime();
      try {
        printModels(listModels(runtime.context.database));
      } finally {
        runtime.close();
      }
    });

  models
    .command('promote')
    .argument('<version>', 'model version to make champion, as `models list` shows it')
    .description('Make a version the champion without the promotion rule; the current champion becomes the rollback target')
    .action((version: string) => {
      const runtime = createCommandRuntime();
      try {
        const result = promote(runtime.context.database, version);
        runtime.logger.info({ version, previousChampion: result.previousChampion }, 'model promoted by hand');
        console.log(`champion is now ${version}${result.previousChampion ? ` (was ${result.previousChampion})` : ''}`);
      } finally {
        runtime.close();
      }
    });

  models
    .command('rollback')
    .description('Restore the previous champion; the current one is marked rejected')
    .action(() => {
      const runtime = createCommandRuntime();
      try {
        const result = rollback(runtime.context.database);
        runtime.logger.info(result, 'champion rolled back');
        console.log(`champion is now ${result.restored} (${result.demoted} rejected)`);
      } finally {
        runtime.close();
      }
    });

  models
    .command('evaluate-promote')
    .argument('[version]', 'candidate to judge (default: the newest candidate)')
    .description('Promote a candidate if it beats the champion on the same test windows, else reject it')
    .action(async (version: string | undefined) => {
      const runtime = createCommandRuntime();
      try {
        const decision = await runJob(evaluatePromoteJob, { version }, runtime.context);
        console.log(`${decision.candidate} ${decision.action}: ${decision.reason}`);
      } finally {
        runtime.close();
      }
    });
}

function printModels(rows: ModelRow[]): void {
  if (rows.length === 0) {
    console.log('no model versions yet; run `dustcast train`');
    return;
  }
  const header = ['version', 'status', 'created (KST)', 'test period (KST)', 'PM2.5 RMSE', 'backend'];
  const lines = rows.map((row) => [
    row.version,
    row.status,
    formatKst(row.createdAt),
    `${formatKst(row.testFrom)} .. ${formatKst(row.testTo)}`,
    row.score.toFixed(2),
    row.backend,
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => line[column].length)));
  for (const line of [header, ...lines]) console.log(line.map((cell, column) => cell.padEnd(widths[column])).join('  '));
}
