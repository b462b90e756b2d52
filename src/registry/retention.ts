import { existsSync, rmSync } from 'node:fs';
import type { DustcastDatabase } from '../db/database.js';
import type { Logger } from '../logging/logger.js';
import { findChampion, findPreviousChampion, listModels, setStatus } from './model-rows.js';

/**
 * Deletes the artifacts of all but the newest `keep` versions, never touching the champion or
 * the previous champion (the rollback target). Rows stay, marked deleted, so metrics history
 * and forecasts that reference the version remain. Returns the versions deleted.
 */
export function pruneModelVersions(database: DustcastDatabase, keep: number, logger: Logger): string[] {
  const protectedVersions = new Set([findChampion(database)?.version, findPreviousChampion(database)?.version].filter(Boolean));
  const stored = listModels(database).filter((row) => row.status !== 'deleted' && !protectedVersions.has(row.version));
  const deleted: string[] = [];
  for (const row of stored.slice(keep)) {
    // The row is marked first: a crash after it leaves an orphan folder, never a row whose artifact is gone.
    setStatus(database, row.version, 'deleted');
    if (existsSync(row.artifactPath)) rmSync(row.artifactPath, { recursive: true, force: true });
    deleted.push(row.version);
    logger.info({ version: row.version, artifactPath: row.artifactPath }, 'model version deleted by retention');
  }
  return deleted;
}
