import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSettings } from '../src/config/settings.js';
import { startDashboard, type DashboardServer } from '../src/dashboard/server.js';
import type { HealthReport } from '../src/dashboard/health.js';
import { openDatabase, type DustcastDatabase } from '../src/db/database.js';
import { createSilentLogger } from '../src/logging/logger.js';
import { createProducerConnection, waitUntilReady } from '../src/queue/connection.js';
import { QueueSet } from '../src/queue/queues.js';
import { jobCatalog } from './helpers/queue-test-jobs.js';
import { startTestRedis, type TestRedis } from './helpers/redis-server.js';
import { waitFor } from './helpers/queue-fixture.js';

let redis: TestRedis;
let directory: string;
let database: DustcastDatabase;
let queues: QueueSet;
let dashboard: DashboardServer;

beforeAll(async () => {
  redis = await startTestRedis();
  directory = mkdtempSync(join(tmpdir(), 'dustcast-health-'));
  const settings = parseSettings({}, { REDIS_URL: redis.url, DUSTCAST_DATABASE_PATH: join(directory, 'dustcast.sqlite'), DUSTCAST_DASHBOARD_PORT: 0, DUSTCAST_LOG_LEVEL: 'silent' });
  database = openDatabase(settings.DUSTCAST_DATABASE_PATH);
  const connection = createProducerConnection(redis.url, createSilentLogger());
  await waitUntilReady(connection, redis.url);
  queues = new QueueSet(connection, settings.DUSTCAST_QUEUE_PREFIX, jobCatalog);
  dashboard = await startDashboard({ settings, logger: createSilentLogger(), database, queues, redis: connection });
});

afterAll(async () => {
  await dashboard?.close();
  await queues?.close();
  queues?.connection.disconnect();
  database?.close();
  rmSync(directory, { recursive: true, force: true });
  await redis?.dispose();
});

async function health(): Promise<{ status: number; report: HealthReport }> {
  const response = await fetch(`${dashboard.url}/health`);
  return { status: response.status, report: (await response.json()) as HealthReport };
}

describe('dashboard health', () => {
  it('binds loopback by default', () => {
    expect(new URL(dashboard.url).hostname).toBe('127.0.0.1');
  });

  it('is healthy on a fresh install', async () => {
    const { status, report } = await health();
    expect(status).toBe(200);
    expect(report.status).toBe('ok');
    expect(report.champion).toBeNull();
    expect(report.lastIngest).toEqual([]);
  });

  it('reports the last successful pull', async () => {
    const insert = database.sqlite.prepare(`INSERT INTO ingest_runs (kind, source, started_at, finished_at, status) VALUES (?, ?, ?, ?, ?)`);
    insert.run('api', 'airkorea-api', 100, 200, 'succeeded');
    insert.run('api', 'airkorea-api', 300, 400, 'failed');
    insert.run('api', 'kma-asos-api', 50, 60, 'succeeded');
    insert.run('file', 'airkorea-file', 500, 600, 'succeeded');
    const { report } = await health();
    expect(report.lastIngest).toEqual([
      { source: 'airkorea-api', finishedAt: 200 },
      { source: 'kma-asos-api', finishedAt: 60 },
    ]);
  });

  it('serves pages without a password', async () => {
    const response = await fetch(`${dashboard.url}/`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('No PM2.5 observations yet');
  });

  it('names an unknown station with a 404', async () => {
    const response = await fetch(`${dashboard.url}/?station=%3Cb%3E99`);
    expect(response.status).toBe(404);
    const page = await response.text();
    expect(page).toContain('Station id "&#60;b&#62;99" not found or has no PM2.5 observations');
    expect(page).not.toContain('<b>99');
  });

  it('fails while Redis is down', async () => {
    await redis.stop();
    const { status, report } = await health();
    expect(status).toBe(503);
    expect(report.status).toBe('failing');
    expect(report.redis.ok).toBe(false);
    expect(report.sqlite.ok).toBe(true);
    await redis.start();
    await waitFor('health to recover', async () => (await health()).status === 200);
  });
});
