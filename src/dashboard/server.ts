import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import express, { type Express } from 'express';
import type { Redis } from 'ioredis';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Server } from 'node:http';
import type { Settings } from '../config/settings.js';
import type { DustcastDatabase } from '../db/database.js';
import type { Logger } from '../logging/logger.js';
import { redactText } from '../logging/redact.js';
import type { QueueSet } from '../queue/queues.js';
import { basicAuth } from './basic-auth.js';
import { listStations, readStationSeries } from './forecast-data.js';
import { dashboardStyles, renderForecastPage, type FailedJobSummary } from './forecast-page.js';
import { forecastPageScript } from './forecast-page-script.js';
import { checkHealth } from './health.js';
import { listModelVersions } from './model-skill.js';

export interface DashboardOptions {
  settings: Settings;
  logger: Logger;
  database: DustcastDatabase;
  queues: QueueSet;
  /** The connection the health check pings. */
  redis: Redis;
}

export interface DashboardServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

// chart.js exports no subpath for its UMD bundle, so it is found beside the package's CommonJS entry.
const chartScriptPath = join(dirname(createRequire(import.meta.url).resolve('chart.js')), 'chart.umd.min.js');

async function recentFailures(queues: QueueSet, limit = 8): Promise<FailedJobSummary[]> {
  const failed = await Promise.all(queues.all().map(async (queue) => (await queue.getFailed(0, limit - 1)).map((job) => ({ queue: queue.name, job }))));
  return failed
    .flat()
    .filter((entry) => entry.job !== undefined)
    .sort((left, right) => (right.job.finishedOn ?? 0) - (left.job.finishedOn ?? 0))
    .slice(0, limit)
    .map(({ queue, job }) => ({
      queue,
      name: job.name,
      id: job.id ?? '',
      failedAt: job.finishedOn ?? null,
      reason: redactText(job.failedReason ?? ''),
    }));
}

/** Builds the dashboard app: bull-board under /queues, the forecast page at /, JSON under /api. */
export function createDashboardApp(options: DashboardOptions): Express {
  const { settings, database, queues, redis } = options;
  const app = express();
  app.disable('x-powered-by');
  if (settings.DUSTCAST_DASHBOARD_PASSWORD) app.use(basicAuth(settings.DUSTCAST_DASHBOARD_USER, settings.DUSTCAST_DASHBOARD_PASSWORD));

  const boardAdapter = new ExpressAdapter();
  boardAdapter.setBasePath('/queues');
  createBullBoard({
    queues: queues.all().map((queue) => new BullMQAdapter(queue)),
    // @bull-board/express 9.10.1 nests its own @bull-board/api, whose types differ only by path.
    serverAdapter: boardAdapter as unknown as Parameters<typeof createBullBoard>[0]['serverAdapter'],
  });
  app.use('/queues', boardAdapter.getRouter());

  app.get('/assets/chart.umd.js', (_request, response) => response.sendFile(chartScriptPath));
  app.get('/assets/forecast-page.js', (_request, response) => response.type('application/javascript').send(forecastPageScript));
  app.get('/assets/dashboard.css', (_request, response) => response.type('text/css').send(dashboardStyles));

  app.get('/health', async (_request, response) => {
    const report = await checkHealth(redis, database);
    response.status(report.status === 'ok' ? 200 : 503).json(report);
  });

  app.get('/api/stations', (_request, response) => {
    response.json(listStations(database));
  });

  app.get('/api/stations/:stationId/series', (request, response) => {
    const stationId = Number(request.params.stationId);
    const days = clampDays(request.query.days);
    const series = Number.isInteger(stationId) ? readStationSeries(database, stationId, days) : null;
    if (!series) {
      response.status(404).json({ error: `station ${request.params.stationId} not found or has no PM2.5 observations; list stations at /api/stations` });
      return;
    }
    response.json(series);
  });

  app.get('/api/models', (_request, response) => {
    response.json(listModelVersions(database));
  });

  app.get('/', async (request, response) => {
    const stations = listStations(database);
    const days = clampDays(request.query.days);
    // Without ?station= the page opens on the first station; an unknown one gets a 404 that names it.
    const requested = typeof request.query.station === 'string' ? request.query.station : undefined;
    const stationId = requested === undefined ? stations[0]?.id : stations.find((station) => String(station.id) === requested.trim())?.id;
    const unknownStation = requested !== undefined && stationId === undefined ? requested : undefined;
    const [health, failures] = await Promise.all([checkHealth(redis, database), recentFailures(queues).catch(() => [])]);
    const page = renderForecastPage({
      stations,
      series: stationId === undefined ? null : readStationSeries(database, stationId, days),
      models: listModelVersions(database),
      health,
      failures,
      days,
      unknownStation,
    });
    response.status(unknownStation === undefined ? 200 : 404).type('html').send(page);
  });

  return app;
}

function clampDays(value: unknown): number {
  const days = Number(value ?? 3);
  return Number.isFinite(days) ? Math.min(Math.max(Math.round(days), 1), 30) : 3;
}

/** Starts the dashboard on DUSTCAST_DASHBOARD_HOST:PORT (127.0.0.1 unless configured). */
export async function startDashboard(options: DashboardOptions): Promise<DashboardServer> {
  const { settings, logger } = options;
  const app = createDashboardApp(options);
  const server: Server = await new Promise((resolve, reject) => {
    const listening = app.listen(settings.DUSTCAST_DASHBOARD_PORT, settings.DUSTCAST_DASHBOARD_HOST, (error?: Error) => (error ? reject(error) : resolve(listening)));
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${settings.DUSTCAST_DASHBOARD_HOST}:${port}`;
  logger.info({ url, basicAuth: Boolean(settings.DUSTCAST_DASHBOARD_PASSWORD) }, 'dashboard listening');
  if (!settings.DUSTCAST_DASHBOARD_PASSWORD && settings.DUSTCAST_DASHBOARD_HOST !== '127.0.0.1' && settings.DUSTCAST_DASHBOARD_HOST !== 'localhost') {
    logger.warn({ host: settings.DUSTCAST_DASHBOARD_HOST }, 'dashboard reachable beyond this machine without a password; set DUSTCAST_DASHBOARD_PASSWORD');
  }
  return {
    url,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
        logger.info({ url }, 'dashboard stopped');
      }),
  };
}
