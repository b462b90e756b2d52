import type { Settings } from '../../config/settings.js';
import type { DustcastDatabase } from '../../db/database.js';
import { ObservationWriter } from '../../db/observation-writer.js';
import type { Logger } from '../../logging/logger.js';
import { formatKst, HOUR_SECONDS } from '../../time/kst.js';
import { QuotaExceededError, SourceBlockedError, SourceError } from '../errors.js';
import type { FetchedObservations, HourRange, ObservationSource } from '../source.js';
import { nextKstMidnight } from '../kst-calendar.js';
import { finishFetchRun, latestReceivedHour, startFetchRun, succeededOutcome } from './fetch-runs.js';
import { activeBlock, blockSource, clearDeferredHours, clearDeferredRange, deferHours, oldestDeferredHour } from './quota-blocks.js';
import { storeObservations } from './store-observations.js';

/** Database, settings, logger and clock of a pull. */
export interface PullEnvironment {
  database: DustcastDatabase;
  settings: Settings;
  logger: Logger;
  /** The instant the pull runs at, UTC epoch seconds. */
  now: number;
  signal?: AbortSignal;
}

export type TargetPullStatus = 'succeeded' | 'failed' | 'deferred' | 'up-to-date';

/** Outcome of one target's pull, JSON-serialisable for job summaries. */
export interface TargetPullSummary {
  target: string;
  status: TargetPullStatus;
  /** Requested hours in KST, "YYYY-MM-DD HH:MM". */
  from?: string;
  to?: string;
  rowsRead: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  deferredHours: number;
  errorClass?: string;
  error?: string;
  /** Whether retrying the job could get past the error. */
  retryable?: boolean;
}

/**
 * Plans the hours of an hourly pull: from the newest received hour minus the overlap (or the
 * lookback when nothing was received yet, or the oldest deferred hour) up to the newest servable
 * hour. Returns null when the newest servable hour was already received and nothing is deferred.
 */
export function planHourlyRange(source: ObservationSource, target: string, environment: PullEnvironment): HourRange | null {
  const { database, settings, now } = environment;
  const servable = source.servableHours(now, 'hourly');
  const latest = servable.to;
  const received = latestReceivedHour(database, source.name, target);
  const deferred = source.coversRequestedRange ? oldestDeferredHour(database, source.name, target) : null;
  if (received !== null && received >= latest && deferred === null) return null;

  let from =
    received === null ? latest - (settings.DUSTCAST_INGEST_LOOKBACK_HOURS - 1) * HOUR_SECONDS : received + HOUR_SECONDS - settings.DUSTCAST_INGEST_OVERLAP_HOURS * HOUR_SECONDS;
  if (deferred !== null) from = Math.min(from, deferred);
  // One pull stays within one backfill chunk; an older gap is left to `dustcast backfill`.
  const oldestInOnePull = latest - (source.backfillChunkHours - 1) * HOUR_SECONDS;
  if (from < oldestInOnePull) {
    environment.logger.warn(
      { source: source.name, target, gapFrom: formatKst(from), pullFrom: formatKst(oldestInOnePull) },
      'hours before this pull range are not fetched; run dustcast backfill for them',
    );
    from = oldestInOnePull;
  }
  from = Math.max(from, servable.from);
  if (from > latest) return null;
  return { from, to: latest };
}

/**
 * Runs one hourly pull of every target of a source. A quota stop (code 22) blocks the source until
 * the next KST midnight and records the hours as deferred, for this target and every later one.
 * Other errors are recorded, and the next target is still pulled.
 */
export async function pullSource(source: ObservationSource, environment: PullEnvironment): Promise<TargetPullSummary[]> {
  const writer = new ObservationWriter(environment.database);
  const summaries: TargetPullSummary[] = [];
  for (const target of source.hourlyTargets()) {
    environment.signal?.throwIfAborted();
    summaries.push(await pullTarget(source, target, writer, environment));
  }
  return summaries;
}

async function pullTarget(source: ObservationSource, target: string, writer: ObservationWriter, environment: PullEnvironment): Promise<TargetPullSummary> {
  const { database, logger, now } = environment;
  const summary: TargetPullSummary = { target, status: 'up-to-date', rowsRead: 0, inserted: 0, updated: 0, unchanged: 0, rejected: 0, deferredHours: 0 };
  const range = planHourlyRange(source, target, environment);
  if (range === null) {
    logger.debug({ source: source.name, target }, 'newest hour already received, no request sent');
    return summary;
  }
  summary.from = formatKst(range.from);
  summary.to = formatKst(range.to);

  const block = activeBlock(database, source.name, now);
  if (block) {
    const error = new SourceBlockedError(source.name, block.blockedUntil, `provider code ${block.providerCode}`);
    summary.deferredHours = deferHours(database, source.name, target, range, `blocked until ${formatKst(block.blockedUntil)} KST`);
    finishFetchRun(database, startFetchRun(database, source.name, target, range), { status: 'deferred', providerCode: block.providerCode, error });
    logger.warn({ source: source.name, target, blockedUntil: formatKst(block.blockedUntil), deferredHours: summary.deferredHours }, 'source blocked, hours deferred');
    return { ...summary, status: 'deferred', errorClass: error.name, error: error.message, retryable: false };
  }

  const run = startFetchRun(database, source.name, target, range);
  logger.info({ source: source.name, target, from: summary.from, to: summary.to, runId: run.id }, 'pull started');
  let fetched: FetchedObservations;
  try {
    fetched = await source.fetch({ target, range, purpose: 'hourly', now }, environment.signal);
  } catch (error) {
    return recordPullFailure(source, target, range, run, error, summary, environment);
  }

  const stored = storeObservations(writer, fetched);
  if (source.coversRequestedRange) clearDeferredRange(database, source.name, target, range);
  else clearDeferredHours(database, source.name, target, stored.hours);
  finishFetchRun(database, run, succeededOutcome(fetched, stored));
  if (fetched.rowsRejected > 0) {
    logger.warn({ source: source.name, target, runId: run.id, rejected: fetched.rowsRejected, examples: fetched.rejections }, 'items rejected');
  }
  logger.info({ source: source.name, target, runId: run.id, rowsRead: fetched.rowsRead, ...stored.counts }, 'pull finished');
  return { ...summary, status: 'succeeded', rowsRead: fetched.rowsRead, rejected: fetched.rowsRejected, ...stored.counts };
}

function recordPullFailure(
  source: ObservationSource,
  target: string,
  range: HourRange,
  run: { id: number; startedMs: number },
  error: unknown,
  summary: TargetPullSummary,
  environment: PullEnvironment,
): TargetPullSummary {
  const { database, logger } = environment;
  if (!(error instanceof SourceError)) throw error;
  if (error instanceof QuotaExceededError) {
    // The pull's own clock decides the block, so a replayed or delayed pull blocks the right day.
    const blockedUntil = nextKstMidnight(environment.now);
    blockSource(database, source.name, { blockedUntil, providerCode: error.providerCode ?? '22', message: error.message });
    const deferred = deferHours(database, source.name, target, range, `quota exceeded (code ${error.providerCode})`);
    finishFetchRun(database, run, { status: 'deferred', error });
    logger.warn({ source: source.name, target, runId: run.id, blockedUntil: formatKst(blockedUntil), deferredHours: deferred, err: error }, 'quota exceeded, source blocked');
    return { ...summary, status: 'deferred', deferredHours: deferred, errorClass: error.name, error: error.message, retryable: false };
  }
  finishFetchRun(database, run, { status: 'failed', error });
  logger.error({ source: source.name, target, runId: run.id, retryable: error.retryable, err: error }, 'pull failed');
  return { ...summary, status: 'failed', errorClass: error.name, error: error.message, retryable: error.retryable };
}
