import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isPermanentError } from '../src/queue/errors.js';
import { AirKoreaSource } from '../src/sources/airkorea/airkorea-source.js';
import { InvalidSourceRequestError, SourceConfigurationError } from '../src/sources/errors.js';
import { storeObservations } from '../src/sources/ingest/store-observations.js';
import { IngestFailedError, runIngest } from '../src/sources/ingest/run-ingest.js';
import { ObservationWriter } from '../src/db/observation-writer.js';
import { HOUR_SECONDS, kstToEpochSeconds } from '../src/time/kst.js';
import {
  createIngestTestBed,
  DATA_GO_KR_KEY_DECODED,
  DATA_GO_KR_KEY_ENCODED,
  queryAll,
  queryValue,
  type IngestTestBed,
} from './helpers/ingest-environment.js';
import { dataGoKrErrors, firstThen, fixture, pagesFrom, ReplayServer } from './helpers/replay-server.js';

const SIDO_PATH = '/ArpltnInforInqireSvc/getCtprvnRltmMesureDnsty';
const STATION_PATH = '/ArpltnInforInqireSvc/getMsrstnAcctoRltmMesureDnsty';
const SIDO_PAGES = 'airkorea/sido-all-2026-03-16T08';
/** 08:20 KST on the sample's day, when the 08:00 values are out. */
const PULL_AT = kstToEpochSeconds(2026, 3, 16, 8, 20);
const sources = { sources: ['airkorea' as const] };

const server = new ReplayServer();
let bed: IngestTestBed;

beforeAll(async () => {
  await server.start();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.reset();
  bed = createIngestTestBed(server.baseUrl, { DUSTCAST_AIRKOREA_SIDO: '전국' });
});
afterEach(() => bed.dispose());

async function ingestError(now = PULL_AT): Promise<IngestFailedError> {
  try {
    await runIngest(bed.environment(now), sources);
  } catch (error) {
    if (error instanceof IngestFailedError) return error;
    throw error;
  }
  throw new Error('expected the ingest to fail');
}

describe('AirKorea sido pull', () => {
  it('stores seven pages once', async () => {
    server.route(SIDO_PATH, pagesFrom(SIDO_PAGES, 1));
    const summary = await runIngest(bed.environment(PULL_AT), sources);
    expect(server.requestsTo(SIDO_PATH).map((request) => request.query.get('pageNo'))).toEqual(['1', '2', '3', '4', '5', '6', '7']);
    expect(server.requests[0].query.get('sidoName')).toBe('전국');
    expect(server.requests[0].query.get('ver')).toBe('1.3');
    expect(summary.sources[0].status).toBe('succeeded');
    expect(summary.sources[0].inserted).toBe(668);
    expect(queryValue(bed.database, "SELECT count(*) FROM air_observations WHERE source = 'airkorea-api'")).toBe(668);
    const run = queryAll<Record<string, unknown>>(bed.database, "SELECT * FROM ingest_runs WHERE kind = 'api'")[0];
    expect(run.status).toBe('succeeded');
    expect(run.target).toBe('전국');
    expect(run.rows_read).toBe(672);
    expect(run.rows_missing).toBe(4);
    expect(run.rows_inserted).toBe(668);
    expect(run.http_status).toBe(200);
    expect(run.provider_code).toBe('00');
    expect(run.latest_observed_at).toBe(kstToEpochSeconds(2026, 3, 16, 8));
  });

  it('keeps flags and stores flagged values as null', async () => {
    server.route(SIDO_PATH, pagesFrom(SIDO_PAGES, 1));
    await runIngest(bed.environment(PULL_AT), sources);
    const flagged = queryValue<number>(
      bed.database,
      "SELECT count(*) FROM air_observations WHERE pm10_flag = '통신장애' AND pm10 IS NULL",
    );
    expect(flagged).toBeGreaterThan(0);
    const row = queryAll<{ pm10: number; pm25: number }>(
      bed.database,
      "SELECT pm10, pm25 FROM air_observations JOIN stations ON stations.id = station_id WHERE stations.name = '대천2동'",
    )[0];
    expect(row).toEqual({ pm10: 65, pm25: 65 });
  });

  it('skips a rerun within the same hour', async () => {
    server.route(SIDO_PATH, pagesFrom(SIDO_PAGES, 1));
    await runIngest(bed.environment(PULL_AT), sources);
    const summary = await runIngest(bed.environment(PULL_AT + 600), sources);
    expect(summary.sources[0].status).toBe('up-to-date');
    expect(server.requests).toHaveLength(7);
    expect(queryValue(bed.database, "SELECT count(*) FROM air_observations")).toBe(668);
  });

  it('replaces a revised value for a stored hour', async () => {
    server.route(SIDO_PATH, pagesFrom(SIDO_PAGES, 1));
    await runIngest(bed.environment(PULL_AT), sources);
    server.reset();
    // The next hour's response still carries 대천2동 at 08:00, now with a revised PM2.5 (65 -> 71).
    const revisedPage = JSON.parse(fixture(`${SIDO_PAGES}/page-1.json`));
    revisedPage.response.body.items[0].pm25Value = '71';
    server.route(SIDO_PATH, (request) => (request.query.get('pageNo') === '1' ? { body: JSON.stringify(revisedPage) } : pagesFrom(SIDO_PAGES, 1)(request)));
    const summary = await runIngest(bed.environment(PULL_AT + HOUR_SECONDS), sources);
    expect(summary.sources[0].updated).toBe(1);
    expect(summary.sources[0].unchanged).toBe(667);
    const row = queryAll<{ pm25: number; revision_count: number }>(
      bed.database,
      "SELECT pm25, revision_count FROM air_observations JOIN stations ON stations.id = station_id WHERE stations.name = '대천2동'",
    )[0];
    expect(row).toEqual({ pm25: 71, revision_count: 1 });
  });

  it('reads an XML response', async () => {
    server.route(SIDO_PATH, () => ({ body: fixture('airkorea/sido-seoul-2016-01-10.xml'), contentType: 'text/xml' }));
    const summary = await runIngest(bed.environment(kstToEpochSeconds(2016, 1, 10, 0, 30)), sources);
    expect(summary.sources[0].inserted).toBe(2);
    const rows = queryAll<{ name: string; pm10: number | null; pm25: number | null; observed_at: number }>(
      bed.database,
      'SELECT stations.name, pm10, pm25, observed_at FROM air_observations JOIN stations ON stations.id = station_id ORDER BY stations.name',
    );
    expect(rows[0]).toEqual({ name: '동대문', pm10: null, pm25: null, observed_at: kstToEpochSeconds(2015, 10, 20, 16) });
    expect(rows[1]).toEqual({ name: '동대문구', pm10: 36, pm25: 24, observed_at: kstToEpochSeconds(2016, 1, 10) });
  });

  it('warns when rows fall short of totalCount', async () => {
    // Every page claims 700 rows, but the eighth page comes back empty after 672.
    server.route(SIDO_PATH, (request) => {
      const pageNo = Number(request.query.get('pageNo'));
      if (pageNo > 7) {
        return { body: JSON.stringify({ response: { header: { resultCode: '00' }, body: { totalCount: 700, items: [], pageNo, numOfRows: 100 } } }) };
      }
      const page = JSON.parse(fixture(`${SIDO_PAGES}/page-${pageNo}.json`));
      page.response.body.totalCount = 700;
      return { body: JSON.stringify(page) };
    });
    const summary = await runIngest(bed.environment(PULL_AT), sources);
    expect(server.requests).toHaveLength(8);
    expect(summary.sources[0].inserted).toBe(668);
    const warning = (await bed.logLines()).split('\n').find((line) => line.includes('row count differs from totalCount'));
    expect(warning).toBeDefined();
    expect(JSON.parse(warning!)).toMatchObject({ rowsReceived: 672, totalCount: 700, pages: 8 });
  });

  it('treats items "" as a pull with no rows', async () => {
    server.route(SIDO_PATH, () => ({
      body: JSON.stringify({ response: { header: { resultCode: '00', resultMsg: 'NORMAL_CODE' }, body: { totalCount: 0, items: '', pageNo: 1, numOfRows: 100 } } }),
    }));
    const summary = await runIngest(bed.environment(PULL_AT), sources);
    expect(summary.sources[0].status).toBe('succeeded');
    expect(summary.sources[0].inserted).toBe(0);
    expect(queryValue(bed.database, 'SELECT latest_observed_at FROM ingest_runs')).toBeNull();
    // Nothing was received, so the next pull requests the hour again.
    await runIngest(bed.environment(PULL_AT + 60), sources);
    expect(server.requests).toHaveLength(2);
  });
});

describe('AirKorea provider errors', () => {
  it('stops the source on an XML quota error', async () => {
    server.route(SIDO_PATH, () => dataGoKrErrors.xml('22', 'LIMITED_NUMBER_OF_SERVICE_REQUESTS_EXCEEDS_ERROR'));
    const summary = await runIngest(bed.environment(PULL_AT), sources);
    expect(summary.sources[0].status).toBe('deferred');
    expect(server.requests).toHaveLength(1);
    const block = queryAll<{ blocked_until: number; provider_code: string }>(bed.database, 'SELECT blocked_until, provider_code FROM source_blocks')[0];
    expect(block).toEqual({ blocked_until: kstToEpochSeconds(2026, 3, 17), provider_code: '22' });
    const deferred = queryAll<{ target: string; hour_at: number }>(bed.database, 'SELECT target, hour_at FROM deferred_hours');
    expect(deferred).toEqual([{ target: '전국', hour_at: kstToEpochSeconds(2026, 3, 16, 8) }]);
    expect(queryValue(bed.database, 'SELECT status FROM ingest_runs')).toBe('deferred');

    // Later the same day the source is not called at all.
    const later = await runIngest(bed.environment(PULL_AT + 2 * HOUR_SECONDS), sources);
    expect(later.sources[0].status).toBe('deferred');
    expect(server.requests).toHaveLength(1);
    // The sido call only ever returns the newest hour, so 10:00 joins 08:00 as deferred.
    expect(queryAll(bed.database, 'SELECT hour_at FROM deferred_hours ORDER BY hour_at').map((row) => (row as { hour_at: number }).hour_at)).toEqual([
      kstToEpochSeconds(2026, 3, 16, 8),
      kstToEpochSeconds(2026, 3, 16, 10),
    ]);

    // After KST midnight the block is over.
    server.reset();
    server.route(SIDO_PATH, pagesFrom(SIDO_PAGES, 1));
    const nextDay = await runIngest(bed.environment(kstToEpochSeconds(2026, 3, 17, 0, 20)), sources);
    expect(nextDay.sources[0].status).toBe('succeeded');
    expect(server.requests).toHaveLength(7);
  });

  it('fails without retry on an XML key error', async () => {
    server.route(SIDO_PATH, () => dataGoKrErrors.xml('30', 'SERVICE_KEY_IS_NOT_REGISTERED_ERROR'));
    const error = await ingestError();
    expect(server.requests).toHaveLength(1);
    expect(error.retryable).toBe(false);
    expect(isPermanentError(error)).toBe(true);
    expect(error.message).toContain('code 30');
    expect(error.message).toContain('encoded again');
    const run = queryAll<Record<string, unknown>>(bed.database, 'SELECT status, error_class, provider_code FROM ingest_runs')[0];
    expect(run).toEqual({ status: 'failed', error_class: SourceConfigurationError.name, provider_code: '30' });
  });

  it('fails without retry on a bare resultCode 10', async () => {
    server.route(SIDO_PATH, () => dataGoKrErrors.bare('10', 'INVALID_REQUEST_PARAMETER_ERROR'));
    const error = await ingestError();
    expect(server.requests).toHaveLength(1);
    expect(error.retryable).toBe(false);
    expect(queryValue(bed.database, 'SELECT error_class FROM ingest_runs')).toBe(InvalidSourceRequestError.name);
  });

  it('retries HTTP 500 then succeeds', async () => {
    server.route(SIDO_PATH, firstThen({ status: 500, body: 'Internal Server Error', contentType: 'text/plain' }, pagesFrom(SIDO_PAGES, 1)));
    const summary = await runIngest(bed.environment(PULL_AT), sources);
    expect(summary.sources[0].inserted).toBe(668);
    expect(server.requests).toHaveLength(8);
    expect(await bed.logLines()).toContain('request failed, retrying');
  });

  it('retries a timeout then succeeds', async () => {
    bed.dispose();
    bed = createIngestTestBed(server.baseUrl, { DUSTCAST_AIRKOREA_SIDO: '전국', DUSTCAST_HTTP_TIMEOUT_MS: 200 });
    const slow = { ...{ body: fixture(`${SIDO_PAGES}/page-1.json`) }, delayMs: 2_000 };
    server.route(SIDO_PATH, firstThen(slow, pagesFrom(SIDO_PAGES, 1)));
    const summary = await runIngest(bed.environment(PULL_AT), sources);
    expect(summary.sources[0].inserted).toBe(668);
    expect(await bed.logLines()).toContain('timed out after 200 ms');
  });

  it('retries a truncated JSON body then succeeds', async () => {
    server.route(SIDO_PATH, firstThen({ body: fixture('airkorea/truncated-page-1.json') }, pagesFrom(SIDO_PAGES, 1)));
    const summary = await runIngest(bed.environment(PULL_AT), sources);
    expect(summary.sources[0].inserted).toBe(668);
    expect(server.requests).toHaveLength(8);
  });

  it('retries an HTML error page then succeeds', async () => {
    const page = { status: 502, contentType: 'text/html', body: '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body></body></html>' };
    server.route(SIDO_PATH, firstThen(page, pagesFrom(SIDO_PAGES, 1)));
    const summary = await runIngest(bed.environment(PULL_AT), sources);
    expect(summary.sources[0].inserted).toBe(668);
  });

  it('gives up after the configured retries', async () => {
    server.route(SIDO_PATH, () => ({ status: 503, body: '', contentType: 'text/plain' }));
    const error = await ingestError();
    expect(server.requests).toHaveLength(4);
    expect(error.retryable).toBe(true);
    expect(error.message).toContain('gave up after 4 attempts');
  });

  it('rejects a wrong base URL without retry', async () => {
    const error = await ingestError();
    expect(server.requests).toHaveLength(1);
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('check the base URL');
  });
});

describe('AirKorea request setup', () => {
  it('rejects an unsupported base URL without retry', async () => {
    bed.dispose();
    bed = createIngestTestBed(server.baseUrl, { AIRKOREA_BASE_URL: 'ftp://127.0.0.1/B552584' });
    const error = await ingestError();
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('could not be sent');
    expect(queryValue(bed.database, 'SELECT count(*) FROM ingest_runs')).toBe(1);
    expect(await bed.logLines()).not.toContain('request failed, retrying');
  });
});

describe('AirKorea station history', () => {
  it('stores 2208 rows over 23 pages once', async () => {
    server.route(STATION_PATH, pagesFrom('airkorea/station-gangnam-3month', 2));
    const source = new AirKoreaSource(bed.settings, bed.logger);
    const now = kstToEpochSeconds(2026, 1, 16, 0, 30);
    const range = { from: kstToEpochSeconds(2025, 8, 29, 8), to: kstToEpochSeconds(2026, 1, 16) };
    const fetched = await source.fetch({ target: '강남구', range, purpose: 'backfill', now });
    expect(server.requests).toHaveLength(23);
    expect(server.requests[0].query.get('dataTerm')).toBe('3MONTH');
    expect(fetched.air).toHaveLength(2208);
    const writer = new ObservationWriter(bed.database);
    expect(storeObservations(writer, fetched).counts).toEqual({ inserted: 2208, updated: 0, unchanged: 0 });
    expect(queryValue(bed.database, 'SELECT count(DISTINCT observed_at) FROM air_observations')).toBe(2208);
    // 2026-01-15 24:00 is stored as 2026-01-16 00:00 KST.
    expect(queryValue(bed.database, 'SELECT max(observed_at) FROM air_observations')).toBe(kstToEpochSeconds(2026, 1, 16));

    const again = await source.fetch({ target: '강남구', range, purpose: 'backfill', now });
    expect(storeObservations(writer, again).counts).toEqual({ inserted: 0, updated: 0, unchanged: 2208 });
    expect(queryValue(bed.database, 'SELECT count(*) FROM air_observations')).toBe(2208);
  });
});

describe('AirKorea key forms', () => {
  it('sends both forms as the same URL', async () => {
    const urls: string[] = [];
    for (const key of [DATA_GO_KR_KEY_DECODED, DATA_GO_KR_KEY_ENCODED]) {
      server.reset();
      bed.dispose();
      bed = createIngestTestBed(server.baseUrl, { DUSTCAST_AIRKOREA_SIDO: '전국', DATA_GO_KR_SERVICE_KEY: key });
      server.route(SIDO_PATH, pagesFrom(SIDO_PAGES, 1));
      await runIngest(bed.environment(PULL_AT), sources);
      urls.push(server.requests[0].rawUrl);
    }
    expect(urls[0]).toBe(urls[1]);
    const url = urls[0];
    expect(url).toContain(`serviceKey=${DATA_GO_KR_KEY_ENCODED}&`);
    for (const escape of ['%2B', '%2F', '%3D']) expect(url.split(escape)).toHaveLength(2);
    expect(url).not.toContain('%25');
  });
});

describe('AirKorea station list', () => {
  it('stores coordinates with dmX as latitude', async () => {
    server.route('/MsrstnInfoInqireSvc/getMsrstnList', pagesFrom('airkorea/station-list', 1));
    server.route(SIDO_PATH, pagesFrom(SIDO_PAGES, 1));
    const summary = await runIngest(bed.environment(PULL_AT), { ...sources, refreshStations: true });
    expect(summary.stationsListed).toBe(664);
    const station = queryAll<{ latitude: number; longitude: number; address: string; kind: string }>(
      bed.database,
      "SELECT latitude, longitude, address, kind FROM stations WHERE provider = 'airkorea' AND provider_code = '강남구'",
    )[0];
    expect(station.latitude).toBeCloseTo(37.5175623, 6);
    expect(station.longitude).toBeCloseTo(127.0472893, 6);
    expect(station.address).toBe('서울 강남구 학동로 426 강남구청 별관 1동');
    expect(station.kind).toBe('urban');
  });
});

