import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { openDatabase, type DustcastDatabase } from '../src/db/database.js';
import { createSilentLogger } from '../src/logging/logger.js';
import { createProducerConnection, waitUntilReady } from '../src/queue/connection.js';
import { QueueSet } from '../src/queue/queues.js';
import { Scheduler, slotsBetween, validateSchedule, type ScheduleDefinition } from '../src/queue/scheduler.js';
import { slotAt, type Slot } from '../src/queue/slots.js';
import { WorkerPool } from '../src/queue/workers.js';
import { createQueueTestFolder, waitFor, type QueueTestFolder } from './helpers/queue-fixture.js';
import { countRuns, jobCatalog, testCatalogModuleUrl } from './helpers/queue-test-jobs.js';
import { startTestRedis, type TestRedis } from './helpers/redis-server.js';

const logger = createSilentLogger();

function recordingSchedule(name: string, cron: string, enqueued: string[]): ScheduleDefinition {
  return {
    name,
    cron,
    catchUpHours: 24,
    catchUpMaxSlots: name === 'retrain' ? 1 : 24,
    enqueue: async (slot: Slot) => {
      enqueued.push(slot.id);
      return true;
    },
  };
}

describe('slot ids', () => {
  it('uses the KST hour', () => {
    // 04:20 UTC is 13:20 in Seoul.
    expect(slotAt('ingest', new Date('2026-12-04T04:20:00Z')).id).toBe('ingest-2026120413');
  });

  it('rolls over the KST date', () => {
    // 18:00 UTC on 3 December is 03:00 on 4 December in Seoul.
    expect(slotAt('retrain', new Date('2026-12-03T18:00:00Z')).id).toBe('retrain-2026120403');
  });

  it('contains no colon', () => {
    expect(slotAt('ingest', new Date('2026-12-04T04:20:00Z')).id).not.toContain(':');
  });
});

describe('schedule validation', () => {
  it('rejects an invalid expression', () => {
    expect(() => validateSchedule({ name: 'ingest', cron: '61 * * * *' })).toThrow(/invalid cron expression "61 \* \* \* \*" for the ingest schedule/);
  });

  it('rejects two firings an hour', () => {
    expect(() => validateSchedule({ name: 'ingest', cron: '0,30 * * * *' })).toThrow(/fires more than once an hour/);
  });

  it('accepts the defaults', () => {
    expect(() => validateSchedule({ name: 'ingest', cron: '20 * * * *' })).not.toThrow();
    expect(() => validateSchedule({ name: 'retrain', cron: '0 3 * * *' })).not.toThrow();
  });
});

describe('missed slots', () => {
  it('lists 24 hourly slots in a day', () => {
    const slots = slotsBetween({ name: 'ingest', cron: '20 * * * *' }, new Date('2026-12-03T04:30:00Z'), new Date('2026-12-04T04:30:00Z'));
    expect(slots).toHaveLength(24);
    expect(slots[0].id).toBe('ingest-2026120314');
    expect(slots[23].id).toBe('ingest-2026120413');
  });

  it('finds last night in Seoul time', () => {
    const slots = slotsBetween({ name: 'retrain', cron: '0 3 * * *' }, new Date('2026-12-03T04:30:00Z'), new Date('2026-12-04T04:30:00Z'));
    expect(slots.map((slot) => slot.id)).toEqual(['retrain-2026120403']);
    expect(slots[0].dueAt.toISOString()).toBe('2026-12-03T18:00:00.000Z');
  });
});

describe('scheduler with fake timers', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('enqueues each slot when due', async () => {
    // 13:19:30 KST on 4 December 2026.
    vi.useFakeTimers({ now: new Date('2026-12-04T04:19:30Z') });
    const enqueued: string[] = [];
    const scheduler = new Scheduler([recordingSchedule('ingest', '20 * * * *', enqueued), recordingSchedule('retrain', '0 3 * * *', enqueued)], logger);
    scheduler.start();

    await vi.advanceTimersByTimeAsync(60_000);
    expect(enqueued).toEqual(['ingest-2026120413']);

    // On to 03:30 KST the next day: ingest at 14:20 .. 03:20 and the retrain at 03:00.
    await vi.advanceTimersByTimeAsync(14 * 3_600_000 + 10 * 60_000);
    await scheduler.stop();
    expect(enqueued.filter((id) => id.startsWith('ingest-'))).toHaveLength(15);
    expect(enqueued).toContain('ingest-2026120503');
    expect(enqueued.filter((id) => id.startsWith('retrain-'))).toEqual(['retrain-2026120503']);
  });

  it('retries a failed enqueue next hour', async () => {
    vi.useFakeTimers({ now: new Date('2026-12-04T04:19:30Z') });
    const attempts: string[] = [];
    let redisDown = true;
    const scheduler = new Scheduler(
      [
        {
          name: 'ingest',
          cron: '20 * * * *',
          catchUpHours: 24,
          catchUpMaxSlots: 24,
          enqueue: async (slot) => {
            attempts.push(slot.id);
            if (redisDown) throw new Error('Stream isn\'t writeable and enableOfflineQueue options is false');
            return true;
          },
        },
      ],
      logger,
    );
    scheduler.start();
    await vi.advanceTimersByTimeAsync(60_000);
    redisDown = false;
    await vi.advanceTimersByTimeAsync(3_600_000);
    await scheduler.stop();
    expect(attempts).toEqual(['ingest-2026120413', 'ingest-2026120413', 'ingest-2026120414']);
  });
});

describe('schedulers sharing a Redis', () => {
  let redis: TestRedis;
  let folder: QueueTestFolder;
  let database: DustcastDatabase;

  beforeAll(async () => {
    redis = await startTestRedis();
    folder = createQueueTestFolder(redis.url, { DUSTCAST_JOB_CATALOG_MODULE: testCatalogModuleUrl });
    database = openDatabase(folder.databasePath);
  });

  afterAll(async () => {
    database.close();
    folder.remove();
    await redis.dispose();
  });

  it('runs a slot fired twice once', async () => {
    const prefix = folder.settings.DUSTCAST_QUEUE_PREFIX;
    const firstConnection = createProducerConnection(redis.url, logger);
    const secondConnection = createProducerConnection(redis.url, logger);
    await waitUntilReady(firstConnection, redis.url);
    await waitUntilReady(secondConnection, redis.url);
    const first = new QueueSet(firstConnection, prefix, jobCatalog);
    const second = new QueueSet(secondConnection, prefix, jobCatalog);
    const schedule = (queues: QueueSet): ScheduleDefinition => ({
      name: 'ingest',
      cron: '20 * * * *',
      catchUpHours: 24,
      catchUpMaxSlots: 24,
      enqueue: (slot) => queues.enqueue('test-ingest', { marker: slot.id }, slot.id),
    });
    const schedulers = [new Scheduler([schedule(first)], logger), new Scheduler([schedule(second)], logger)];
    const firedAt = new Date('2026-12-04T04:20:00Z');

    // Both processes fire the same slot at the same moment, then both catch up the same day.
    await Promise.all(schedulers.map((scheduler) => scheduler.fire('ingest', firedAt)));
    const caughtUp = await Promise.all(schedulers.map((scheduler) => scheduler.catchUp(new Date('2026-12-04T04:30:00Z'))));

    const pool = new WorkerPool({ catalog: jobCatalog, catalogModuleUrl: testCatalogModuleUrl, settings: folder.settings, database, logger, queues: first });
    pool.start();
    await waitFor('24 ingest runs', () => countRuns(database, 'test-ingest') === 24);
    await waitFor('24 follow-up forecasts', () => countRuns(database, 'test-forecast') === 24);
    await pool.close(5_000);
    await first.close();
    await second.close();
    await first.connection.quit();
    await second.connection.quit();

    expect(countRuns(database, 'test-ingest', 'ingest-2026120413')).toBe(1);
    // Racing producers may both report a slot as theirs; what matters is that each slot ran once.
    expect(new Set([...caughtUp[0].ingest.enqueued, ...caughtUp[1].ingest.enqueued, ...caughtUp[0].ingest.alreadyKnown]).size).toBe(24);
    expect(countRuns(database, 'test-ingest')).toBe(24);
  });
});
