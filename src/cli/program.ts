import { Command } from 'commander';
import { registerBackfillCommand } from './commands/backfill.js';
import { registerDashboardCommand } from './commands/dashboard.js';
import { registerEvaluateCommand } from './commands/evaluate.js';
import { registerForecastCommand } from './commands/forecast.js';
import { registerImportCommand } from './commands/import.js';
import { registerStationsCommand } from './commands/stations.js';
import { registerIngestCommand } from './commands/ingest.js';
import { registerModelsCommand } from './commands/models.js';
import { registerRunCommand } from './commands/run.js';
import { registerTrainCommand } from './commands/train.js';
import { registerWorkerCommand } from './commands/worker.js';

/** Adds one command (with its options and help) to the program. */
export type CommandRegistration = (program: Command) => void;

// Each command lives in its own module under commands/; add its registration here.
const registrations: CommandRegistration[] = [registerWorkerCommand, registerDashboardCommand, registerIngestCommand, registerBackfillCommand, registerTrainCommand, registerModelsCommand, registerImportCommand, registerStationsCommand, registerEvaluateCommand, registerForecastCommand, registerRunCommand];

export function buildProgram(): Command {
  const program = new Command('dustcast')
    .description('Hourly PM2.5 and PM10 forecasts for Korean air-quality stations')
    .version('0.1.0')
    .showHelpAfterError()
    .exitOverride();
  for (const register of registrations) register(program);
  return program;
}
