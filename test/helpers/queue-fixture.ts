import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseSettings, type Settings } from '../../src/config/settings.js';

/** A temp folder with a SQLite path and settings pointing at a test Redis. */
export interface QueueTestFolder {
  directory: string;
  databasePath: string;
  settings: Settings;
  remove(): void;
}

/** Settings for one test: its own SQLite file and a random queue prefix on the given Redis. */
export function createQueueTestFolder(redisUrl: string, overrides: Partial<Settings> = {}): QueueTestFolder {
  const directory = mkdtempSync(join(tmpdir(), 'dustcast-queue-'));
  const databasePath = join(directory, 'dustcast.sqlite');
  const settings = parseSettings(
    {},
    {
      REDIS_URL: redisUrl,
      DUSTCAST_DATABASE_PATH: databasePath,
      DUSTCAST_MODEL_DIRECTORY: join(directory, 'models'),
      DUSTCAST_QUEUE_PREFIX: `test-${randomUUID().slice(0, 8)}`,
      DUSTCAST_LOG_LEVEL: 'silent',
      DUSTCAST_SCHEDULES_ENABLED: false,
      DUSTCAST_SHUTDOWN_TIMEOUT_MS: 5_000,
      DUSTCAST_DASHBOARD_PORT: 0,
      ...overrides,
    },
  );
  return { directory, databasePath, settings, remove: () => rmSync(directory, { recursive: true, force: true }) };
}

/** Polls `check` every 50 ms until it returns true, failing with `description` after `timeoutMs`. */
export async function waitFor(description: string, check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(50);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${description}`);
}
