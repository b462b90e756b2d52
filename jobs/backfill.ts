import { z } from 'zod';
import { InvalidBackfillRangeError, runBackfill, type BackfillSummary } from '../src/sources/ingest/run-backfill.js';
import { SOURCE_NAMES } from '../src/sources/source.js';
import { nowSeconds, parseKstDateArgument } from '../src/time/kst.js';
import { defineJob } from './definition.js';

export { InvalidBackfillRangeError } from '../src/sources/ingest/run-backfill.js';

/**
 * Pulls a source's history between two dates in chunks, resuming a stopped backfill of the same
 * source, station and range. A quota stop returns status "paused" rather than failing.
 */
export const backfillJob = defineJob({
  name: 'backfill',
  payload: z.object({
    source: z.enum(SOURCE_NAMES),
    /** KST date or date-time such as "2026-03-01" or "2026-03-01 13:00", or ISO 8601 with an offset. */
    from: z.string().min(1),
    to: z.string().min(1),
    station: z.string().min(1).optional(),
    chunkHours: z.number().int().positive().optional(),
  }),
  async handle(payload, context): Promise<BackfillSummary> {
    const from = parseDate(payload.from, 'from');
    const to = parseDate(payload.to, 'to');
    return runBackfill(
      { database: context.database, settings: context.settings, logger: context.logger, now: nowSeconds(), signal: context.signal },
      { source: payload.source, from, to, station: payload.station, chunkHours: payload.chunkHours },
      context.reportProgress,
    );
  },
});

function parseDate(value: string, field: string): number {
  try {
    return parseKstDateArgument(value);
  } catch (error) {
    throw new InvalidBackfillRangeError(`--${field}: ${(error as Error).message}`);
  }
}
