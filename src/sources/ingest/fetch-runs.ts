import { eq, sql } from 'drizzle-orm';
import type { DustcastDatabase } from '../../db/database.js';
import { ingestRuns } from '../../db/schema.js';
import type { UpsertCounts } from '../../db/observation-writer.js';
import { nowSeconds } from '../../time/kst.js';
import { SourceError } from '../errors.js';
import type { FetchedObservations, HourRange } from '../source.js';
import type { StoreResult } from './store-observations.js';
import { redactText } from '../../logging/redact.js';

/** Final state of a fetch run; "deferred" means a quota block stopped it before or during the call. */
export type FetchRunStatus = 'succeeded' | 'failed' | 'deferred';

export interface FetchRunOutcome {
  status: FetchRunStatus;
  httpStatus?: number | null;
  providerCode?: string | null;
  rowsRead?: number;
  rowsMissing?: number;
  rowsRejected?: number;
  counts?: UpsertCounts;
  latestObservedAt?: number | null;
  error?: unknown;
}

/** Inserts a running `ingest_runs` row of kind 'api' for one source, target and hour range; returns its id. */
export function startFetchRun(database: DustcastDatabase, source: string, target: string, range: HourRange): { id: number; startedMs: number } {
  const inserted = database.orm
    .insert(ingestRuns)
    .values({ kind: 'api', source, target, rangeStart: range.from, rangeEnd: range.to, startedAt: nowSeconds(), status: 'running' })
    .returning({ id: ingestRuns.id })
    .get();
  return { id: inserted.id, startedMs: Date.now() };
}

/** Completes a run row with its counts, or with the error class and redacted message. */
export function finishFetchRun(database: DustcastDatabase, run: { id: number; startedMs: number }, outcome: FetchRunOutcome): void {
  const error = outcome.error;
  const sourceError = error instanceof SourceError ? error : undefined;
  let errorClass: string | null = null;
  let errorMessage: string | null = null;
  if (error instanceof Error) {
    errorClass = error.name;
    errorMessage = redactText(error.message);
  } else if (error !== undefined) {
    errorClass = 'Error';
    errorMessage = redactText(String(error));
  }
  database.orm
    .update(ingestRuns)
    .set({
      status: outcome.status,
      finishedAt: nowSeconds(),
      durationMs: Date.now() - run.startedMs,
      httpStatus: outcome.httpStatus ?? sourceError?.httpStatus ?? null,
      providerCode: outcome.providerCode ?? sourceError?.providerCode ?? null,
      rowsRead: outcome.rowsRead ?? 0,
      rowsMissing: outcome.rowsMissing ?? 0,
      rowsRejected: outcome.rowsRejected ?? 0,
      rowsInserted: outcome.counts?.inserted ?? 0,
      rowsUpdated: outcome.counts?.updated ?? 0,
      rowsUnchanged: outcome.counts?.unchanged ?? 0,
      latestObservedAt: outcome.latestObservedAt ?? null,
      errorClass,
      errorMessage,
    })
    .where(eq(ingestRuns.id, run.id))
    .run();
}

/** Builds the outcome of a fetch that was received and stored. */
export function succeededOutcome(fetched: FetchedObservations, stored: StoreResult): FetchRunOutcome {
  return {
    status: 'succeeded',
    httpStatus: fetched.httpStatus,
    providerCode: fetched.providerCode,
    rowsRead: fetched.rowsRead,
    rowsMissing: fetched.rowsMissing,
    rowsRejected: fetched.rowsRejected,
    counts: stored.counts,
    latestObservedAt: stored.latestObservedAt,
  };
}

/** Returns the newest hour any successful API run of this source and target received, or null. */
export function latestReceivedHour(database: DustcastDatabase, source: string, target: string): number | null {
  const row = database.orm
    .select({ latest: sql<number | null>`max(${ingestRuns.latestObservedAt})` })
    .from(ingestRuns)
    .where(sql`${ingestRuns.kind} = 'api' AND ${ingestRuns.source} = ${source} AND ${ingestRuns.target} = ${target} AND ${ingestRuns.status} = 'succeeded'`)
    .get();
  return row?.latest ?? null;
}
