import { config as loadDotenv } from 'dotenv';
import { z } from 'zod';
import { coreSettings } from './core.js';
import { describeAcceptedValues } from './describe-setting.js';
import { modelSettings } from './model.js';
import { sourceSettings } from './sources.js';
import { workerSettings } from './worker.js';

export const settingsSchema = z.object({
  ...coreSettings,
  ...modelSettings,
  ...sourceSettings,
  ...workerSettings,
});

export type Settings = z.infer<typeof settingsSchema>;

/** Invalid settings, listing every offending variable with its value and what it expects. */
export class SettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'SettingsError';
  }
}

const secretNames = new Set(['DATA_GO_KR_SERVICE_KEY', 'SEOUL_OPEN_API_KEY', 'DUSTCAST_DASHBOARD_PASSWORD']);

/**
 * Parses settings from an environment object; values in `overrides` win.
 * Throws SettingsError naming each invalid variable (secret values are not echoed).
 */
export function parseSettings(environment: Record<string, string | undefined>, overrides: Partial<Settings> = {}): Settings {
  const input: Record<string, unknown> = {};
  for (const key of Object.keys(settingsSchema.shape)) {
    const value = environment[key];
    if (value !== undefined && value !== '') input[key] = value;
  }
  Object.assign(input, overrides);
  const result = settingsSchema.safeParse(input);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? '(settings)');
      const shown = secretNames.has(name) ? '(hidden)' : JSON.stringify(input[name]);
      const field = (settingsSchema.shape as Record<string, z.ZodType>)[name];
      const accepted = field ? describeAcceptedValues(field) : undefined;
      const expectation = accepted ? `expected ${accepted} (${issue.message})` : issue.message;
      return `${name}=${shown}: ${expectation}; fix it in the environment or in .env`;
    });
    throw new SettingsError(problems);
  }
  return result.data;
}

/** Loads .env from the working directory (without overriding real variables), then parses. */
export function loadSettings(overrides: Partial<Settings> = {}): Settings {
  loadDotenv({ quiet: true });
  return parseSettings(process.env, overrides);
}
