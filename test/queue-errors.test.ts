import { UnrecoverableError } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { InvalidPayloadError } from '../jobs/definition.js';
import { parseSettings, SettingsError } from '../src/config/settings.js';
import { registerSecret } from '../src/logging/redact.js';
import { isPermanentError, toQueueError } from '../src/queue/errors.js';
import { loadChampion } from '../src/registry/load.js';
import { ModelRegistryError } from '../src/registry/model-rows.js';
import { settingsToEnvironment } from '../src/queue/settings-environment.js';
import { InvalidSourceRequestError, SourceConfigurationError, TransientSourceError } from '../src/sources/errors.js';
import { createTemporaryDatabase } from './helpers/temporary-database.js';

describe('error classification', () => {
  const cases: [string, unknown, boolean][] = [
    ['invalid payload', new InvalidPayloadError('ingest', 'sources: invalid'), true],
    ['invalid settings', new SettingsError(['REDIS_URL=1: invalid']), true],
    ['zod error', z.object({ a: z.string() }).safeParse({}).error, true],
    ['retryable false mark', Object.assign(new Error('key rejected'), { retryable: false }), true],
    ['permanent mark', Object.assign(new Error('bad request'), { permanent: true }), true],
    ['plain error', new Error('socket hang up'), false],
    ['retryable true mark', Object.assign(new Error('HTTP 503'), { retryable: true }), false],
    ['thrown string', 'boom', false],
  ];
  for (const [name, error, permanent] of cases) {
    it(`classifies ${name}`, () => {
      expect(isPermanentError(error)).toBe(permanent);
    });
  }

  it('marks a missing champion permanent', async () => {
    const temporary = createTemporaryDatabase();
    try {
      const failure = await loadChampion(temporary.database, parseSettings({})).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(ModelRegistryError);
      expect((failure as Error).message).toContain('no champion model yet');
      expect(isPermanentError(failure)).toBe(true);
      expect(toQueueError(failure)).toBeInstanceOf(UnrecoverableError);
    } finally {
      temporary.remove();
    }
    expect(isPermanentError(new ModelRegistryError('artifact folder disagrees with the models table'))).toBe(false);
  });

  it('marks source key errors permanent', () => {
    const details = { source: 'airkorea', providerCode: '30' } as never;
    expect(isPermanentError(new SourceConfigurationError('key not registered (code 30)', details))).toBe(true);
    expect(isPermanentError(new InvalidSourceRequestError('invalid request (code 10)', details))).toBe(true);
    expect(isPermanentError(new TransientSourceError('HTTP 500', details))).toBe(false);
  });
});

describe('queue error conversion', () => {
  it('makes permanent errors unrecoverable', () => {
    const converted = toQueueError(new InvalidPayloadError('ingest', 'refreshStations: expected boolean'));
    expect(converted).toBeInstanceOf(UnrecoverableError);
    expect(converted.message).toBe('InvalidPayloadError: invalid payload for job "ingest": refreshStations: expected boolean');
  });

  it('keeps plain messages unprefixed', () => {
    const converted = toQueueError(new Error('socket hang up'));
    expect(converted).not.toBeInstanceOf(UnrecoverableError);
    expect(converted.message).toBe('socket hang up');
  });

  it('redacts keys in messages and stacks', () => {
    registerSecret('queue-test-secret-key+/=');
    const error = new Error('GET https://apis.data.go.kr/B552584?serviceKey=queue-test-secret-key%2B%2F%3D&numOfRows=100 failed');
    const converted = toQueueError(error);
    expect(converted.message).not.toContain('queue-test-secret-key');
    expect(converted.stack).not.toContain('queue-test-secret-key');
    expect(converted.message).toContain('serviceKey=[redacted]');
  });
});

describe('settings environment', () => {
  it('round-trips through parseSettings', () => {
    const settings = parseSettings({}, { DUSTCAST_HORIZONS: [1, 6], DUSTCAST_SCHEDULES_ENABLED: false, DUSTCAST_EPOCHS: 3 });
    expect(parseSettings(settingsToEnvironment(settings))).toEqual(settings);
  });
});
