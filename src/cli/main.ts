import { CommanderError } from 'commander';
import { SettingsError } from '../config/settings.js';
import { redactText } from '../logging/redact.js';
import { buildProgram } from './program.js';

async function main(): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(process.argv);
  } catch (error) {
    if (error instanceof CommanderError) process.exit(error.exitCode);
    if (error instanceof SettingsError) {
      console.error(error.message);
      process.exit(2);
    }
    const message = error instanceof Error ? error.message : String(error);
    console.error(`dustcast: ${redactText(message)}`);
    if (process.env.DUSTCAST_LOG_LEVEL === 'debug' && error instanceof Error && error.stack) console.error(redactText(error.stack));
    process.exit(1);
  }
}

await main();
