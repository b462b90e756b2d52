import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runBackfill } from '../src/sources/ingest/run-backfill.js';
import { IngestFailedError, runIngest } from '../src/sources/ingest/run-ingest.js';
import { kstToEpochSeconds } from '../src/time/kst.js';
import { createIngestTestBed, queryAll, queryValue, SEOUL_KEY, type IngestTestBed } from './helpers/ingest-environment.js';
import { fixture, ReplayServer, type RecordedRequest, type ReplayReply } from './helpers/replay-server.js';

const server = new ReplayServer();
let bed: IngestTestBed;

/** Serves the recorded hour named by the last path segment (or the one before a station name). */
function seoulReply(request: RecordedRequest): ReplayReply {
  const segments = request.path.split('/');
  const serviceIndex = segments.indexOf('TimeAverageAirQuality');
  const measuredAt = segments[serviceIndex + 3];
  const station = segments[serviceIndex + 4];
  let body: string;
  try {
    body = fixture(`seoul/time-average-${measuredAt}.json`);
  } catch {
    return { body: JSON.stringify({ RESULT: { CODE: 'INFO-200', MESSAGE: '해당하는 데이터가 없습니다.' } }) };
  }
  if (station === undefined) return { body };
  const parsed = JSON.parse(body);
  parsed.TimeAverageAirQuality.row = parsed.TimeAverageAirQuality.row.filter((row: { MSRSTE_NM: string }) => row.MSRSTE_NM === station);
  parsed.TimeAverageAirQuality.list_total_count = parsed.TimeAverageAirQuality.row.length;
  return { body: JSON.stringify(parsed) };
}

beforeAll(async () => {
  await server.start();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.reset();
  server.route('', seoulReply);
  bed = createIngestTestBed(server.baseUrl, { DUSTCAST_INGEST_LOOKBACK_HOURS: 24 });
});
afterEach(() => bed.dispose());

describe('Seoul pull', () => {
  it('stores every district by hour', async () => {
    // 00:10 on 2009-01-02: the last complete hour is 2009-01-01 23:00, and the lookback covers the whole day.
    const summary = await runIngest(bed.environment(kstToEpochSeconds(2009, 1, 2, 0, 10)), { sources: ['seoul'] });
    expect(server.requests).toHaveLength(24);
    expect(server.requests[0].path).toBe(`/${SEOUL_KEY}/json/TimeAverageAirQuality/1/1000/200901010000`);
    expect(summary.sources[0].inserted).toBe(625);
    expect(queryValue(bed.database, "SELECT count(DISTINCT station_id) FROM air_observations WHERE source = 'seoul-api'")).toBe(27);
  });

  it('reads PM 0.0 as missing', async () => {
    await runIngest(bed.environment(kstToEpochSeconds(2009, 1, 2, 0, 10)), { sources: ['seoul'] });
    const row = queryAll<{ pm10: number | null; co: number | null }>(
      bed.database,
      "SELECT pm10, co FROM air_observations JOIN stations ON stations.id = station_id WHERE stations.name = '강북구' AND observed_at = ?",
      kstToEpochSeconds(2009, 1, 1, 18),
    )[0];
    expect(row.pm10).toBeNull();
    expect(row.co).not.toBeNull();
  });

  it('treats INFO-200 as an hour without data', async () => {
    const summary = await runIngest(bed.environment(kstToEpochSeconds(2009, 1, 3, 0, 10)), { sources: ['seoul'] });
    expect(summary.sources[0].status).toBe('succeeded');
    expect(summary.sources[0].inserted).toBe(0);
    expect(queryValue(bed.database, 'SELECT provider_code FROM ingest_runs')).toBe('INFO-200');
  });

  it('fails without retry on a bad key', async () => {
    server.reset();
    server.route('', () => ({ body: JSON.stringify({ RESULT: { CODE: 'INFO-100', MESSAGE: '인증키가 유효하지 않습니다.' } }) }));
    const error = await runIngest(bed.environment(kstToEpochSeconds(2009, 1, 1, 3, 10)), { sources: ['seoul'] }).catch((caught) => caught);
    expect(error).toBeInstanceOf(IngestFailedError);
    expect((error as IngestFailedError).retryable).toBe(false);
    expect(server.requests).toHaveLength(1);
  });
});

describe('Seoul backfill', () => {
  it('asks for one station by name', async () => {
    const summary = await runBackfill(bed.environment(kstToEpochSeconds(2009, 1, 5)), {
      source: 'seoul',
      from: kstToEpochSeconds(2009, 1, 1, 0),
      to: kstToEpochSeconds(2009, 1, 1, 5),
      station: '강남구',
    });
    expect(summary.status).toBe('completed');
    expect(server.requests).toHaveLength(6);
    expect(server.requests[0].rawUrl).toContain(`/200901010000/${encodeURIComponent('강남구')}`);
    expect(queryValue(bed.database, 'SELECT count(*) FROM air_observations')).toBe(6);
  });
});
