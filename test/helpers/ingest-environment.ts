import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { parseSettings, type Settings } from '../../src/config/settings.js';
import { openDatabase, type DustcastDatabase } from '../../src/db/database.js';
import { createLogger, type Logger } from '../../src/logging/logger.js';
import type { PullEnvironment } from '../../src/sources/ingest/pull-source.js';

/** A decoded data.go.kr test key with one "+", one "/" and one "=", and its encoded form. */
export const DATA_GO_KR_KEY_DECODED = 'kR7x+Qz9/Lm4Np8=';
export const DATA_GO_KR_KEY_ENCODED = 'kR7x%2BQz9%2FLm4Np8%3D';
export const SEOUL_KEY = '4d6a7a5178636f6e74657374';

/** A real SQLite file in a temp folder, settings aimed at a local server, and a logger whose JSON lines are kept. */
export interface IngestTestBed {
  database: DustcastDatabase;
  settings: Settings;
  logger: Logger;
  logLines(): Promise<string>;
  environment(now: number): PullEnvironment;
  dispose(): void;
}

export function createIngestTestBed(baseUrl: string, overrides: Partial<Settings> = {}): IngestTestBed {
  const folder = mkdtempSync(join(tmpdir(), 'dustcast-ingest-'));
  const database = openDatabase(join(folder, 'test.sqlite'));
  const settings = parseSettings(
    {},
    {
      DATA_GO_KR_SERVICE_KEY: DATA_GO_KR_KEY_DECODED,
      SEOUL_OPEN_API_KEY: SEOUL_KEY,
      AIRKOREA_BASE_URL: `${baseUrl}/B552584`,
      KMA_ASOS_BASE_URL: `${baseUrl}/1360000/AsosHourlyInfoService`,
      KMA_NOWCAST_BASE_URL: `${baseUrl}/1360000/VilageFcstInfoService_2.0`,
      SEOUL_OPEN_API_BASE_URL: baseUrl,
      DUSTCAST_HTTP_TIMEOUT_MS: 2_000,
      DUSTCAST_HTTP_RETRIES: 3,
      DUSTCAST_HTTP_RETRY_BASE_MS: 1,
      DUSTCAST_HTTP_RETRY_MAX_MS: 5,
      DUSTCAST_RATE_LIMIT_PER_SECOND: 1_000,
      DUSTCAST_AIRKOREA_PAGE_SIZE: 100,
      ...overrides,
    },
  );
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on('data', (chunk) => chunks.push(String(chunk)));
  const logger = createLogger({ DUSTCAST_LOG_LEVEL: 'debug', DUSTCAST_LOG_FORMAT: 'json' }, stream);
  return {
    database,
    settings,
    logger,
    logLines: async () => {
      await new Promise((resolve) => setImmediate(resolve));
      return chunks.join('');
    },
    environment: (now) => ({ database, settings, logger, now }),
    dispose: () => {
      database.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

/** Rows of a query as plain objects. */
export function queryAll<T>(database: DustcastDatabase, sql: string, ...parameters: unknown[]): T[] {
  return database.sqlite.prepare(sql).all(...parameters) as T[];
}

export function queryValue<T>(database: DustcastDatabase, sql: string, ...parameters: unknown[]): T {
  return database.sqlite.prepare(sql).pluck().get(...parameters) as T;
}
