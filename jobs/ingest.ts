import { z } from 'zod';
import { parseSourceNames } from '../src/sources/create-sources.js';
import { runIngest, type IngestSummary } from '../src/sources/ingest/run-ingest.js';
import { SOURCE_NAMES } from '../src/sources/source.js';
import { nowSeconds } from '../src/time/kst.js';
import { defineJob } from './definition.js';

export { IngestFailedError } from '../src/sources/ingest/run-ingest.js';
export { QuotaExceededError, SourceConfigurationError, SourceError, TransientSourceError } from '../src/sources/errors.js';

/**
 * One hourly pull of every configured source (DUSTCAST_INGEST_SOURCES unless `sources` is given).
 * Fails with IngestFailedError, whose `retryable` is false when only key or configuration errors
 * occurred, so the worker does not retry a bad key.
 */
export const ingestJob = defineJob({
  name: 'ingest',
  payload: z.object({
    sources: z.array(z.enum(SOURCE_NAMES)).min(1).optional(),
    /** Also fetch the AirKorea station list (coordinates, addresses, kinds) before pulling. */
    refreshStations: z.boolean().default(false),
  }),
  async handle(payload, context): Promise<IngestSummary> {
    const sources = payload.sources ?? parseSourceNames(context.settings.DUSTCAST_INGEST_SOURCES);
    return runIngest(
      { database: context.database, settings: context.settings, logger: context.logger, now: nowSeconds(), signal: context.signal },
      { sources, refreshStations: payload.refreshStations },
    );
  },
});
