import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { backfillJob } from '../jobs/backfill.js';
import { InvalidPayloadError, runJob, type JobContext } from '../jobs/definition.js';
import { IngestFailedError, ingestJob } from '../jobs/ingest.js';
import { isPermanentError } from '../src/queue/errors.js';
import { InvalidBackfillRangeError } from '../src/sources/ingest/run-backfill.js';
import type { Settings } from '../src/config/settings.js';
import { createIngestTestBed, queryValue, type IngestTestBed } from './helpers/ingest-environment.js';
import { asosReply } from './helpers/kma-replay.js';
import { ReplayServer } from './helpers/replay-server.js';

const server = new ReplayServer();
let bed: IngestTestBed;

function contextFor(overrides: Partial<Settings> = {}): JobContext {
  bed.dispose();
  bed = createIngestTestBed(server.baseUrl, { DUSTCAST_KMA_ASOS_STATIONS: '108', ...overrides });
  return { database: bed.database, settings: bed.settings, logger: bed.logger, reportProgress: () => {}, signal: new AbortController().signal };
}

beforeAll(async () => {
  await server.start();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.reset();
  server.route('/getWthrDataList', asosReply);
  bed = createIngestTestBed(server.baseUrl);
});
afterEach(() => bed.dispose());

describe('ingest job', () => {
  it('returns a JSON summary per source', async () => {
    const summary = await runJob(ingestJob, { sources: ['kma-asos'] }, contextFor());
    expect(summary.sources.map((source) => source.source)).toEqual(['kma-asos']);
    expect(summary.sources[0].status).toBe('succeeded');
    expect(JSON.parse(JSON.stringify(summary))).toEqual(summary);
  });

  it('pulls the configured sources by default', async () => {
    const summary = await runJob(ingestJob, {}, contextFor({ DUSTCAST_INGEST_SOURCES: 'kma-asos' }));
    expect(summary.sources.map((source) => source.source)).toEqual(['kma-asos']);
  });

  it('rejects an unknown source name', async () => {
    await expect(runJob(ingestJob, { sources: ['airkorea2'] }, contextFor())).rejects.toBeInstanceOf(InvalidPayloadError);
  });

  it('marks a missing key as permanent', async () => {
    const error = await runJob(ingestJob, { sources: ['kma-asos'] }, contextFor({ DATA_GO_KR_SERVICE_KEY: undefined })).catch((caught) => caught);
    expect(error).toBeInstanceOf(IngestFailedError);
    expect(error.retryable).toBe(false);
    expect(isPermanentError(error)).toBe(true);
    expect(error.message).toContain('needs DATA_GO_KR_SERVICE_KEY');
    expect(server.requests).toHaveLength(0);
  });

  it('marks exhausted 5xx retries as retryable', async () => {
    server.reset();
    server.route('/getWthrDataList', () => ({ status: 502, body: '', contentType: 'text/plain' }));
    const error = await runJob(ingestJob, { sources: ['kma-asos'] }, contextFor({ DUSTCAST_HTTP_RETRIES: 1 })).catch((caught) => caught);
    expect(error).toBeInstanceOf(IngestFailedError);
    expect(error.retryable).toBe(true);
    expect(isPermanentError(error)).toBe(false);
    expect(server.requests).toHaveLength(2);
  });
});

describe('backfill job', () => {
  it('parses KST dates and stores the hours', async () => {
    const summary = await runJob(backfillJob, { source: 'kma-asos', from: '2021-01-01', to: '2021-01-01 23:00' }, contextFor());
    expect(summary.status).toBe('completed');
    expect(queryValue(bed.database, 'SELECT count(*) FROM weather_observations')).toBe(24);
  });

  it('rejects an invalid date as permanent', async () => {
    const error = await runJob(backfillJob, { source: 'kma-asos', from: '2021-13-01', to: '2021-01-02' }, contextFor()).catch((caught) => caught);
    expect(error).toBeInstanceOf(InvalidBackfillRangeError);
    expect(isPermanentError(error)).toBe(true);
    expect(error.message).toContain('--from');
  });
});
