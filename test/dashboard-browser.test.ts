import { Queue, Worker } from 'bullmq';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledSampleFiles } from '../jobs/import.js';
import { parseSettings } from '../src/config/settings.js';
import { startDashboard, type DashboardServer } from '../src/dashboard/server.js';
import { listStations } from '../src/dashboard/forecast-data.js';
import { openDatabase, type DustcastDatabase } from '../src/db/database.js';
import { importFile } from '../src/importers/import-file.js';
import { createSilentLogger } from '../src/logging/logger.js';
import { createProducerConnection, createWorkerConnection, waitUntilReady } from '../src/queue/connection.js';
import { QueueSet } from '../src/queue/queues.js';
import { jobCatalog } from './helpers/queue-test-jobs.js';
import { startTestRedis, type TestRedis } from './helpers/redis-server.js';
import { waitFor } from './helpers/queue-fixture.js';

const password = 'dashboard-test-password';
const outputDirectory = join(process.cwd(), 'test-output');
const horizons = [1, 3, 6, 12, 24];

let redis: TestRedis;
let directory: string;
let database: DustcastDatabase;
let queues: QueueSet;
let dashboard: DashboardServer;
let browser: Browser;
let stationId: number;
let latestObservedAt: number;

/**
 * Writes a champion and a rejected model with per-horizon metrics, and forecast rows for one
 * station. Training a real model is the model tests' work; here the rows only have to exist.
 */
function seedModelsAndForecasts(): void {
  const now = Math.floor(Date.now() / 1000);
  const insertModel = database.sqlite.prepare(
    `INSERT INTO models (version, created_at, status, artifact_path, features, horizons, targets, station_ids,
       train_from, train_to, test_from, test_to, metrics, score, backend, weights_sha256, promoted_at)
     VALUES (?, ?, ?, '/tmp/none', '[]', ?, '["pm25"]', ?, 0, 1, 2, 3, ?, ?, 'wasm', 'none', ?)`,
  );
  const persistenceRmses = [4.1, 7.9, 10.8, 13.5, 15.2];
  // The evaluation record layout the registry stores in models.metrics.
  const metrics = (rmses: number[]) =>
    JSON.stringify({
      pm25RmseByHorizon: rmses,
      pm25MeanRmse: rmses.reduce((sum, value) => sum + value, 0) / rmses.length,
      testSamples: 900,
      report: {
        format: 1,
        horizons,
        targets: ['pm25'],
        rows: horizons.map((horizonHours, index) => ({
          target: 'pm25',
          horizonHours,
          sampleCount: 900,
          model: { rmse: rmses[index], mae: rmses[index] * 0.7 },
          persistence: { rmse: persistenceRmses[index], mae: persistenceRmses[index] * 0.7 },
          skillVsPersistence: 1 - rmses[index] / persistenceRmses[index],
        })),
      },
    });
  insertModel.run('20260116-0300', now - 86_400, 'champion', JSON.stringify(horizons), JSON.stringify([stationId]), metrics([3.8, 6.4, 8.7, 10.9, 12.6]), 8.5, now - 86_000);
  insertModel.run('20260117-0300', now, 'rejected', JSON.stringify(horizons), JSON.stringify([stationId]), metrics([4.4, 8.3, 11.2, 13.1, 16.0]), 10.6, null);

  const observed = database.sqlite
    .prepare(`SELECT observed_at AS at, pm25 FROM air_observations WHERE station_id = ? AND pm25 IS NOT NULL ORDER BY observed_at`)
    .all(stationId) as { at: number; pm25: number }[];
  const insertForecast = database.sqlite.prepare(
    `INSERT OR REPLACE INTO forecasts (station_id, issued_at, target_at, horizon_hours, pm25, model_version, created_at) VALUES (?, ?, ?, ?, ?, '20260116-0300', ?)`,
  );
  const seed = database.sqlite.transaction(() => {
    // One-hour-ahead forecasts over the last days: the previous hour's value, nudged.
    for (const [index, point] of observed.entries()) {
      if (index === 0 || point.at < latestObservedAt - 4 * 86_400) continue;
      insertForecast.run(stationId, observed[index - 1].at, point.at, 1, observed[index - 1].pm25 * 0.9 + 2, now);
    }
    const last = observed[observed.length - 1];
    for (const horizon of horizons) insertForecast.run(stationId, last.at, last.at + horizon * 3600, horizon, last.pm25 + horizon * 1.5, now);
  });
  seed();
}

beforeAll(async () => {
  redis = await startTestRedis();
  directory = mkdtempSync(join(tmpdir(), 'dustcast-dashboard-'));
  const settings = parseSettings(
    {},
    {
      REDIS_URL: redis.url,
      DUSTCAST_DATABASE_PATH: join(directory, 'dustcast.sqlite'),
      DUSTCAST_QUEUE_PREFIX: 'dashboard-test',
      DUSTCAST_LOG_LEVEL: 'silent',
      DUSTCAST_DASHBOARD_PORT: 0,
      DUSTCAST_DASHBOARD_PASSWORD: password,
    },
  );
  database = openDatabase(settings.DUSTCAST_DATABASE_PATH);
  for (const file of bundledSampleFiles()) importFile(database, file);
  const busiest = listStations(database)[0];
  stationId = busiest.id;
  latestObservedAt = busiest.latestObservedAt!;
  seedModelsAndForecasts();

  const logger = createSilentLogger();
  const connection = createProducerConnection(redis.url, logger);
  await waitUntilReady(connection, redis.url);
  queues = new QueueSet(connection, settings.DUSTCAST_QUEUE_PREFIX, jobCatalog);

  // A real failed training job, so the page shows a failure with its error.
  const failingWorker = new Worker(
    'training',
    async () => {
      throw new Error('training diverged: validation loss is NaN after epoch 3');
    },
    { connection: createWorkerConnection(redis.url, logger), prefix: settings.DUSTCAST_QUEUE_PREFIX },
  );
  await queues.get('training').add('train', {}, { jobId: 'retrain-2026011703-train' });
  await waitFor('failed training job', async () => (await queues.get('training').getJobCountByTypes('failed')) === 1);
  await failingWorker.close();

  dashboard = await startDashboard({ settings, logger, database, queues, redis: connection });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  mkdirSync(outputDirectory, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await dashboard?.close();
  await queues?.close();
  await queues?.connection.quit();
  database?.close();
  if (directory && existsSync(directory)) rmSync(directory, { recursive: true, force: true });
  await redis?.dispose();
});

describe('dashboard basic auth', () => {
  for (const path of ['/', '/queues', '/health', '/api/stations', '/assets/chart.umd.js']) {
    it(`rejects ${path} without credentials`, async () => {
      const response = await fetch(`${dashboard.url}${path}`);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toContain('Basic');
    });
  }

  it('rejects a wrong password', async () => {
    const response = await fetch(`${dashboard.url}/`, { headers: { authorization: `Basic ${Buffer.from('dustcast:wrong').toString('base64')}` } });
    expect(response.status).toBe(401);
  });

  it('blocks the browser without credentials', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    // Headless Chromium cannot show the login prompt, so it fails the navigation on the 401.
    await expect(page.goto(`${dashboard.url}/`)).rejects.toThrow(/ERR_INVALID_AUTH_CREDENTIALS/);
    const response = await page.request.get(`${dashboard.url}/queues`);
    expect(response.status()).toBe(401);
    await context.close();
  });
});

describe('dashboard pages', () => {
  it('reports health', async () => {
    const response = await fetch(`${dashboard.url}/health`, { headers: { authorization: `Basic ${Buffer.from(`dustcast:${password}`).toString('base64')}` } });
    const report = (await response.json()) as { status: string; redis: { ok: boolean }; sqlite: { ok: boolean }; champion: { version: string } };
    expect(response.status).toBe(200);
    expect(report.status).toBe('ok');
    expect(report.redis.ok).toBe(true);
    expect(report.sqlite.ok).toBe(true);
    expect(report.champion.version).toBe('20260116-0300');
  });

  it('draws database points in the chart', async () => {
    const context = await browser.newContext({ httpCredentials: { username: 'dustcast', password }, viewport: { width: 1400, height: 1100 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${dashboard.url}/?station=${stationId}&days=3`);
    await page.waitForSelector('body[data-chart-ready="true"]');

    const drawn = await page.evaluate(() => {
      const chart = (window as unknown as { Chart: { getChart(canvas: HTMLCanvasElement): any } }).Chart.getChart(document.getElementById('pm25-chart') as HTMLCanvasElement);
      return chart.data.datasets.map((dataset: { label: string; data: { x: number; y: number }[] }, index: number) => ({
        label: dataset.label,
        points: dataset.data,
        elements: chart.getDatasetMeta(index).data.length,
      }));
    });
    const observedRows = database.sqlite
      .prepare(
        `SELECT observed_at AS at, pm25, MAX(last_ingested_at) FROM air_observations
          WHERE station_id = ? AND observed_at >= ? AND pm25 IS NOT NULL GROUP BY observed_at ORDER BY observed_at`,
      )
      .all(stationId, latestObservedAt - 3 * 86_400) as { at: number; pm25: number }[];
    const latestForecast = database.sqlite
      .prepare(`SELECT target_at AS at, pm25 FROM forecasts WHERE station_id = ? AND issued_at = ? ORDER BY target_at`)
      .all(stationId, latestObservedAt) as { at: number; pm25: number }[];

    const observed = drawn.find((dataset: { label: string }) => dataset.label === 'Observed PM2.5');
    const forecast = drawn.find((dataset: { label: string }) => dataset.label === 'Latest forecast');
    expect(errors).toEqual([]);
    expect(observedRows.length).toBeGreaterThan(24);
    expect(observed.points).toEqual(observedRows.map((row) => ({ x: row.at * 1000, y: row.pm25 })));
    expect(observed.elements).toBe(observedRows.length);
    expect(forecast.points).toEqual(latestForecast.map((row) => ({ x: row.at * 1000, y: row.pm25 })));
    expect(drawn.map((dataset: { label: string }) => dataset.label)).toContain('Forecast 1 h ahead');

    expect(await page.locator('table.models tbody tr').count()).toBe(2);
    expect(await page.locator('ul.failures').innerText()).toContain('training diverged');
    expect(await page.content()).not.toContain(password);
    await page.screenshot({ path: join(outputDirectory, 'dashboard-forecast.png'), fullPage: true });
    await context.close();
  });

  it('serves bull-board for every queue', async () => {
    const context = await browser.newContext({ httpCredentials: { username: 'dustcast', password }, viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${dashboard.url}/queues`);
    await page.waitForSelector('text=training');
    for (const queue of ['import', 'ingest', 'windows', 'training', 'evaluation', 'forecast']) {
      expect(await page.locator(`text=${queue}`).count()).toBeGreaterThan(0);
    }
    await page.screenshot({ path: join(outputDirectory, 'dashboard-queues.png') });
    await context.close();
  });
});
