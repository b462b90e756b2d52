import type { Settings } from '../config/settings.js';

/**
 * Writes settings back as environment strings, so a sandboxed child process parses exactly the
 * settings of its parent, overrides included. Lists become comma-separated text.
 */
export function settingsToEnvironment(settings: Settings): Record<string, string> {
  const environment: Record<string, string> = {};
  for (const [name, value] of Object.entries(settings)) {
    if (value === undefined || value === null) continue;
    environment[name] = Array.isArray(value) ? value.join(',') : String(value);
  }
  return environment;
}
