import { z } from 'zod';
import { booleanFromEnv } from './env-helpers.js';

/** Queue worker, schedules and dashboard. */
export const workerSettings = {
  REDIS_URL: z.string().default('redis://127.0.0.1:6379'),
  DUSTCAST_QUEUE_PREFIX: z.string().min(1).default('dustcast'),
  /** Cron expressions, evaluated in Asia/Seoul. */
  DUSTCAST_INGEST_CRON: z.string().default('20 * * * *'),
  DUSTCAST_RETRAIN_CRON: z.string().default('0 3 * * *'),
  DUSTCAST_SCHEDULES_ENABLED: booleanFromEnv.default(true),
  /** How long an active job may run after SIGTERM before it is handed back. */
  DUSTCAST_SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).default(20_000),
  /** How long a job lock lasts without renewal; a hard-killed worker's job is recovered after it. */
  DUSTCAST_JOB_LOCK_DURATION_MS: z.coerce.number().int().min(1_000).default(30_000),
  /** Milliseconds between checks for jobs whose worker lost its lock. */
  DUSTCAST_STALLED_INTERVAL_MS: z.coerce.number().int().min(500).default(30_000),
  /** Module URL of the job catalog; empty means jobs/index. Tests point it at their own jobs. */
  DUSTCAST_JOB_CATALOG_MODULE: z.string().optional(),
  DUSTCAST_DASHBOARD_HOST: z.string().default('127.0.0.1'),
  DUSTCAST_DASHBOARD_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DUSTCAST_DASHBOARD_USER: z.string().default('dustcast'),
  /** When set, every dashboard route requires HTTP basic auth. */
  DUSTCAST_DASHBOARD_PASSWORD: z.string().optional(),
};
