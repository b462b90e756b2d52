/** Shared pieces of the model and registry tests: tiny settings, a JSON log capture, a temp folder. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { parseSettings, type Settings } from '../../src/config/settings.js';
import { createLogger, type Logger } from '../../src/logging/logger.js';

/** Settings for a model small enough to train in a second on the cpu backend. */
export function tinyModelSettings(overrides: Partial<Settings> = {}): Settings {
  return parseSettings(
    {},
    {
      DUSTCAST_TF_BACKEND: 'cpu',
      DUSTCAST_GRU_LAYERS: 1,
      DUSTCAST_GRU_UNITS: 8,
      DUSTCAST_DROPOUT: 0.1,
      DUSTCAST_EPOCHS: 3,
      DUSTCAST_BATCH_SIZE: 64,
      DUSTCAST_LEARNING_RATE: 0.003,
      DUSTCAST_EARLY_STOPPING_PATIENCE: 2,
      DUSTCAST_SEED: 7,
      DUSTCAST_LOG_LEVEL: 'info',
      DUSTCAST_LOG_FORMAT: 'json',
      ...overrides,
    },
  );
}

/** Creates a JSON logger that keeps its lines in memory and returns them parsed. */
export function capturingLogger(): { logger: Logger; lines: () => Array<Record<string, unknown>> } {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on('data', (chunk) => chunks.push(String(chunk)));
  const logger = createLogger({ DUSTCAST_LOG_LEVEL: 'info', DUSTCAST_LOG_FORMAT: 'json' }, stream);
  const lines = () =>
    chunks
      .join('')
      .split('\n')
      .filter((line) => line.trim().length > 0)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { logger, lines };
}

/** Creates a temporary folder and returns it with a function that removes it. */
export function temporaryFolder(prefix: string): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}
