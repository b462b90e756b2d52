import type { Redis } from 'ioredis';
import type { DustcastDatabase } from '../db/database.js';
import { redactText } from '../logging/redact.js';

/** One dependency's state in the health report. */
export interface ComponentHealth {
  ok: boolean;
  error?: string;
}

export interface HealthReport {
  /** "ok" when Redis and SQLite respond; a missing champion or ingest alone does not fail it. */
  status: 'ok' | 'failing';
  redis: ComponentHealth & { latencyMs?: number };
  sqlite: ComponentHealth;
  champion: { version: string; promotedAt: number | null; score: number } | null;
  /** Latest successful API pull per source, as UTC epoch seconds. */
  lastIngest: { source: string; finishedAt: number }[];
}

function messageOf(error: unknown): string {
  return redactText(error instanceof Error ? error.message : String(error));
}

/** Checks Redis and SQLite and reads the champion model and the last successful ingest per source. */
export async function checkHealth(redis: Redis, database: DustcastDatabase): Promise<HealthReport> {
  const report: HealthReport = { status: 'ok', redis: { ok: false }, sqlite: { ok: false }, champion: null, lastIngest: [] };
  try {
    const startedAt = Date.now();
    await redis.ping();
    report.redis = { ok: true, latencyMs: Date.now() - startedAt };
  } catch (error) {
    report.redis = { ok: false, error: messageOf(error) };
  }
  try {
    const champion = database.sqlite
      .prepare(`SELECT version, promoted_at AS promotedAt, score FROM models WHERE status = 'champion'`)
      .get() as HealthReport['champion'] | undefined;
    report.champion = champion ?? null;
    report.lastIngest = database.sqlite
      .prepare(
        `SELECT source, MAX(finished_at) AS finishedAt FROM ingest_runs
         WHERE kind = 'api' AND status = 'succeeded' AND finished_at IS NOT NULL
         GROUP BY source ORDER BY source`,
      )
      .all() as HealthReport['lastIngest'];
    report.sqlite = { ok: true };
  } catch (error) {
    report.sqlite = { ok: false, error: messageOf(error) };
  }
  report.status = report.redis.ok && report.sqlite.ok ? 'ok' : 'failing';
  return report;
}
