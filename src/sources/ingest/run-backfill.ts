import { and, eq } from 'drizzle-orm';
import type { ProgressUpdate } from '../../../jobs/definition.js';
import { backfills } from '../../db/schema.js';
import { ObservationWriter } from '../../db/observation-writer.js';
import { floorToHour, formatKst, HOUR_SECONDS, nowSeconds } from '../../time/kst.js';
import { createSource } from '../create-sources.js';
import { QuotaExceededError, SourceBlockedError, SourceError } from '../errors.js';
import type { HourRange, ObservationSource, SourceName } from '../source.js';
import { nextKstMidnight } from '../kst-calendar.js';
import { finishFetchRun, succeededOutcome, startFetchRun } from './fetch-runs.js';
import type { PullEnvironment } from './pull-source.js';
import { activeBlock, blockSource, clearDeferredRange } from './quota-blocks.js';
import { storeObservations } from './store-observations.js';

export interface BackfillRequest {
  source: SourceName;
  /** First and last hour wanted, UTC epoch seconds; both are rounded down to the hour. */
  from: number;
  to: number;
  /** One station (AirKorea station name, Seoul district, KMA station id); all known ones when absent. */
  station?: string;
  /** Hours per request, at most the source's own limit; smaller chunks resume at finer steps. */
  chunkHours?: number;
}

export interface BackfillTargetSummary {
  target: string;
  status: 'completed' | 'paused' | 'failed';
  from: string;
  to: string;
  /** Hours this run fetched; a resumed backfill counts only what it did itself. */
  hoursFetched: number;
  inserted: number;
  updated: number;
  unchanged: number;
  resumedFrom?: string;
}

export interface BackfillSummary {
  source: SourceName;
  status: 'completed' | 'paused';
  targets: BackfillTargetSummary[];
  /** Set when the end was moved back to the newest hour the provider serves. */
  clampedTo?: string;
  /** When paused by a quota block: the KST time after which a rerun of the same command resumes. */
  resumeAfter?: string;
  message?: string;
}

/** A backfill request the provider cannot serve, such as AirKorea hours older than three months. */
export class InvalidBackfillRangeError extends Error {
  readonly retryable = false;
  constructor(message: string) {
    super(message);
    this.name = 'InvalidBackfillRangeError';
  }
}

type BackfillRow = typeof backfills.$inferSelect;

/**
 * Pulls history in chunks within the source's limits. Each target has a `backfills` row whose
 * cursor moves after every stored chunk, so rerunning the same request after a crash, a failure or
 * a quota stop continues from the first hour not yet stored.
 */
export async function runBackfill(
  environment: PullEnvironment,
  request: BackfillRequest,
  reportProgress: (update: ProgressUpdate) => void = () => {},
): Promise<BackfillSummary> {
  const { database, logger, now } = environment;
  const source = createSource(request.source, environment.settings, logger, database);
  const range = validateRange(source, request, now);
  const summary: BackfillSummary = { source: source.name, status: 'completed', targets: [] };
  if (range.to < floorToHour(request.to)) summary.clampedTo = formatKst(range.to);

  const targets = request.station ? [request.station] : source.backfillTargets(database);
  if (targets.length === 0) {
    throw new InvalidBackfillRangeError(`no ${source.name} stations are stored yet: pass --station NAME, or run dustcast ingest --stations first`);
  }
  const chunkHours = Math.max(1, Math.min(request.chunkHours ?? source.backfillChunkHours, source.backfillChunkHours));
  const hoursPerTarget = (range.to - range.from) / HOUR_SECONDS + 1;
  const totalHours = hoursPerTarget * targets.length;
  const writer = new ObservationWriter(database);
  let doneHours = 0;
  logger.info({ source: source.name, targets: targets.length, from: formatKst(range.from), to: formatKst(range.to), chunkHours }, 'backfill started');

  for (const target of targets) {
    const row = findOrCreateRow(environment, source.name, target, range);
    const targetSummary: BackfillTargetSummary = {
      target,
      status: 'completed',
      from: formatKst(range.from),
      to: formatKst(range.to),
      hoursFetched: 0,
      inserted: 0,
      updated: 0,
      unchanged: 0,
    };
    summary.targets.push(targetSummary);
    if (row.cursorAt > range.from && row.status !== 'completed') targetSummary.resumedFrom = formatKst(row.cursorAt);
    doneHours += (Math.min(row.cursorAt, range.to + HOUR_SECONDS) - range.from) / HOUR_SECONDS;
    reportProgress({ stage: 'backfill', current: doneHours, total: totalHours, details: { source: source.name, station: target } });

    let cursor = row.cursorAt;
    while (cursor <= range.to) {
      environment.signal?.throwIfAborted();
      const block = activeBlock(database, source.name, now);
      if (block) {
        const error = new SourceBlockedError(source.name, block.blockedUntil, `provider code ${block.providerCode}`);
        return pause(environment, row, targetSummary, summary, error, block.blockedUntil);
      }
      const chunk: HourRange = { from: cursor, to: Math.min(range.to, cursor + (chunkHours - 1) * HOUR_SECONDS) };
      const run = startFetchRun(database, source.name, target, chunk);
      try {
        const fetched = await source.fetch({ target, range: chunk, purpose: 'backfill', now }, environment.signal);
        const stored = storeObservations(writer, fetched);
        clearDeferredRange(database, source.name, target, chunk);
        finishFetchRun(database, run, succeededOutcome(fetched, stored));
        cursor = chunk.to + HOUR_SECONDS;
        updateRow(environment, row.id, {
          cursorAt: cursor,
          status: cursor > range.to ? 'completed' : 'running',
          rowsWritten: row.rowsWritten + targetSummary.inserted + targetSummary.updated + stored.counts.inserted + stored.counts.updated,
          lastError: null,
        });
        const chunkHoursDone = (chunk.to - chunk.from) / HOUR_SECONDS + 1;
        targetSummary.hoursFetched += chunkHoursDone;
        targetSummary.inserted += stored.counts.inserted;
        targetSummary.updated += stored.counts.updated;
        targetSummary.unchanged += stored.counts.unchanged;
        doneHours += chunkHoursDone;
        reportProgress({ stage: 'backfill', current: doneHours, total: totalHours, details: { source: source.name, station: target } });
        logger.info({ source: source.name, target, runId: run.id, from: formatKst(chunk.from), to: formatKst(chunk.to), ...stored.counts }, 'backfill chunk stored');
      } catch (error) {
        if (error instanceof QuotaExceededError) {
          const blockedUntil = nextKstMidnight(now);
          blockSource(database, source.name, { blockedUntil, providerCode: error.providerCode ?? '22', message: error.message });
          finishFetchRun(database, run, { status: 'deferred', error });
          return pause(environment, row, targetSummary, summary, error, blockedUntil);
        }
        finishFetchRun(database, run, { status: 'failed', error });
        const message = error instanceof Error ? error.message : String(error);
        updateRow(environment, row.id, { status: 'failed', lastError: message });
        logger.error({ source: source.name, target, runId: run.id, resumeFrom: formatKst(cursor), err: error }, 'backfill chunk failed');
        throw error;
      }
    }
    updateRow(environment, row.id, { status: 'completed' });
  }
  logger.info({ source: source.name, targets: summary.targets.length }, 'backfill finished');
  return summary;
}

/** Rounds the request to hours, clamps its end to what the provider serves and rejects what it cannot. */
function validateRange(source: ObservationSource, request: BackfillRequest, now: number): HourRange {
  const from = floorToHour(request.from);
  const requestedTo = floorToHour(request.to);
  if (from > requestedTo) throw new InvalidBackfillRangeError(`invalid backfill range: --from ${formatKst(from)} is after --to ${formatKst(requestedTo)} (KST)`);
  const servable = source.servableHours(now, 'backfill');
  if (from < servable.from) {
    throw new InvalidBackfillRangeError(
      `${source.name} serves hours from ${formatKst(servable.from)} KST only, but --from is ${formatKst(from)}; ` +
        'import older history from files with dustcast import, or move --from later',
    );
  }
  const to = Math.min(requestedTo, servable.to);
  if (to < from) {
    throw new InvalidBackfillRangeError(`${source.name} serves hours up to ${formatKst(servable.to)} KST only, which is before --from ${formatKst(from)}`);
  }
  return { from, to };
}

function findOrCreateRow(environment: PullEnvironment, source: string, target: string, range: HourRange): BackfillRow {
  const { orm } = environment.database;
  const key = and(eq(backfills.source, source), eq(backfills.target, target), eq(backfills.rangeStart, range.from), eq(backfills.rangeEnd, range.to));
  const existing = orm.select().from(backfills).where(key).get();
  if (existing) {
    if (existing.status !== 'completed') updateRow(environment, existing.id, { status: 'running' });
    return existing;
  }
  const now = nowSeconds();
  return orm
    .insert(backfills)
    .values({ source, target, rangeStart: range.from, rangeEnd: range.to, cursorAt: range.from, status: 'running', createdAt: now, updatedAt: now })
    .returning()
    .get();
}

function updateRow(environment: PullEnvironment, id: number, values: Partial<Omit<BackfillRow, 'id'>>): void {
  environment.database.orm
    .update(backfills)
    .set({ ...values, updatedAt: nowSeconds() })
    .where(eq(backfills.id, id))
    .run();
}

function pause(
  environment: PullEnvironment,
  row: BackfillRow,
  targetSummary: BackfillTargetSummary,
  summary: BackfillSummary,
  error: SourceError,
  blockedUntil: number,
): BackfillSummary {
  updateRow(environment, row.id, { status: 'paused', lastError: error.message });
  targetSummary.status = 'paused';
  summary.status = 'paused';
  summary.resumeAfter = formatKst(blockedUntil);
  summary.message = `${error.message}. Run the same backfill again after ${summary.resumeAfter} KST to resume.`;
  environment.logger.warn({ source: row.source, target: row.target, backfillId: row.id, resumeAfter: summary.resumeAfter, err: error }, 'backfill paused');
  return summary;
}
