import { ObservationWriter } from '../../db/observation-writer.js';
import { formatKst } from '../../time/kst.js';
import { AirKoreaSource } from '../airkorea/airkorea-source.js';
import { createSource } from '../create-sources.js';
import { SourceError } from '../errors.js';
import type { SourceName } from '../source.js';
import { finishFetchRun, startFetchRun } from './fetch-runs.js';
import { pullSource, type PullEnvironment, type TargetPullSummary } from './pull-source.js';

/** One source's part of an ingest. */
export interface SourceIngestSummary {
  source: SourceName;
  /** not-configured: the source could not be built, usually because its key is not set. */
  status: 'succeeded' | 'failed' | 'deferred' | 'up-to-date' | 'not-configured';
  inserted: number;
  updated: number;
  unchanged: number;
  targets: TargetPullSummary[];
  error?: string;
  retryable?: boolean;
}

export interface IngestSummary {
  /** KST time the pull ran at. */
  ranAt: string;
  stationsListed?: number;
  sources: SourceIngestSummary[];
}

/**
 * The ingest job's failure: at least one source failed. `retryable` is true when some failure could
 * pass on a retry (network, 5xx, provider codes 01-05 and 99), and false when every failure needs a
 * person (bad key, wrong base URL), so the worker can stop retrying.
 */
export class IngestFailedError extends Error {
  constructor(
    readonly summary: IngestSummary,
    readonly retryable: boolean,
  ) {
    const failures = summary.sources.flatMap((source) =>
      source.status === 'not-configured'
        ? [`${source.source}: ${source.error}`]
        : source.targets.filter((target) => target.status === 'failed').map((target) => `${source.source} ${target.target}: ${target.error}`),
    );
    super(`ingest failed for ${failures.length} source target(s):\n  - ${failures.join('\n  - ')}`);
    this.name = 'IngestFailedError';
  }
}

/**
 * Runs one hourly pull of each named source and returns per-source counts. Throws IngestFailedError
 * (after every source was tried) when any source failed; quota deferrals are not failures.
 */
export async function runIngest(environment: PullEnvironment, options: { sources: SourceName[]; refreshStations?: boolean }): Promise<IngestSummary> {
  const summary: IngestSummary = { ranAt: formatKst(environment.now), sources: [] };
  const { logger } = environment;
  logger.info({ sources: options.sources, ranAt: summary.ranAt }, 'ingest started');
  for (const name of options.sources) {
    environment.signal?.throwIfAborted();
    const part: SourceIngestSummary = { source: name, status: 'up-to-date', inserted: 0, updated: 0, unchanged: 0, targets: [] };
    summary.sources.push(part);
    let source;
    try {
      source = createSource(name, environment.settings, logger, environment.database);
    } catch (error) {
      if (!(error instanceof SourceError)) throw error;
      part.status = 'not-configured';
      part.error = error.message;
      part.retryable = false;
      logger.error({ source: name, err: error }, 'source not configured');
      continue;
    }
    if (options.refreshStations && source instanceof AirKoreaSource) summary.stationsListed = await refreshAirKoreaStations(source, environment);
    part.targets = await pullSource(source, environment);
    for (const target of part.targets) {
      part.inserted += target.inserted;
      part.updated += target.updated;
      part.unchanged += target.unchanged;
    }
    part.status = combineStatus(part.targets);
    const failed = part.targets.filter((target) => target.status === 'failed');
    if (failed.length > 0) part.retryable = failed.some((target) => target.retryable);
  }
  const failures = summary.sources.filter((source) => source.status === 'failed' || source.status === 'not-configured');
  logger.info({ sources: summary.sources.map(({ source, status, inserted, updated, unchanged }) => ({ source, status, inserted, updated, unchanged })) }, 'ingest finished');
  if (failures.length > 0) throw new IngestFailedError(summary, failures.some((source) => source.retryable === true));
  return summary;
}

function combineStatus(targets: TargetPullSummary[]): SourceIngestSummary['status'] {
  if (targets.some((target) => target.status === 'failed')) return 'failed';
  if (targets.some((target) => target.status === 'deferred')) return 'deferred';
  if (targets.some((target) => target.status === 'succeeded')) return 'succeeded';
  return 'up-to-date';
}

/** Fetches the AirKorea station list and stores coordinates, addresses and kinds; returns the station count. */
async function refreshAirKoreaStations(source: AirKoreaSource, environment: PullEnvironment): Promise<number> {
  const { database, logger, now } = environment;
  const run = startFetchRun(database, source.name, 'station-list', { from: now, to: now });
  try {
    const listed = await source.fetchStationList(environment.signal);
    const writer = new ObservationWriter(database);
    writer.transaction(() => {
      for (const station of listed.stations) writer.ensureStation(station);
    });
    finishFetchRun(database, run, { status: 'succeeded', httpStatus: listed.httpStatus, providerCode: listed.providerCode, rowsRead: listed.rowsRead });
    logger.info({ source: source.name, runId: run.id, stations: listed.stations.length }, 'station list stored');
    return listed.stations.length;
  } catch (error) {
    finishFetchRun(database, run, { status: 'failed', error });
    throw error;
  }
}
