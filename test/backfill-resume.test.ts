import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ProgressUpdate } from '../jobs/definition.js';
import { TransientSourceError } from '../src/sources/errors.js';
import { InvalidBackfillRangeError, runBackfill, type BackfillRequest } from '../src/sources/ingest/run-backfill.js';
import { parseAirKoreaDataTime } from '../src/sources/values.js';
import { kstToEpochSeconds } from '../src/time/kst.js';
import { createIngestTestBed, queryAll, queryValue, type IngestTestBed } from './helpers/ingest-environment.js';
import { asosReply } from './helpers/kma-replay.js';
import { dataGoKrErrors, fixture, pagesFrom, ReplayServer, type RecordedRequest, type ReplayReply } from './helpers/replay-server.js';

const ASOS_PATH = '/AsosHourlyInfoService/getWthrDataList';
const NOW = kstToEpochSeconds(2021, 1, 10, 9);
const request: BackfillRequest = {
  source: 'kma-asos',
  from: kstToEpochSeconds(2021, 1, 1),
  to: kstToEpochSeconds(2021, 1, 3, 23),
  chunkHours: 24,
};

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
  bed = createIngestTestBed(server.baseUrl, { DUSTCAST_KMA_ASOS_STATIONS: '108' });
});
afterEach(() => bed.dispose());

/** Serves ASOS items, except that requests starting on `failingDate` get `failure`. */
function asosFailingOn(failingDate: string, failure: ReplayReply): (recorded: RecordedRequest) => ReplayReply {
  return (recorded) => (recorded.query.get('startDt') === failingDate ? failure : asosReply(recorded));
}

/** Hours of every item in the recorded 강남구 history pages. */
function historyHours(): number[] {
  const hours: number[] = [];
  for (let page = 1; page <= 23; page += 1) {
    const items = JSON.parse(fixture(`airkorea/station-gangnam-3month/page-${String(page).padStart(2, '0')}.json`)).response.body.items;
    for (const item of items) hours.push(parseAirKoreaDataTime(item.dataTime));
  }
  return hours;
}

const startDates = () => server.requestsTo(ASOS_PATH).map((recorded) => recorded.query.get('startDt'));

describe('ASOS backfill', () => {
  it('pulls three daily chunks with progress', async () => {
    server.route(ASOS_PATH, asosReply);
    const updates: ProgressUpdate[] = [];
    const summary = await runBackfill(bed.environment(NOW), request, (update) => updates.push(update));
    expect(startDates()).toEqual(['20210101', '20210102', '20210103']);
    expect(summary.status).toBe('completed');
    expect(summary.targets[0].inserted).toBe(72);
    expect(updates.at(-1)).toMatchObject({ stage: 'backfill', current: 72, total: 72 });
    const row = queryAll<{ status: string; cursor_at: number; rows_written: number }>(bed.database, 'SELECT status, cursor_at, rows_written FROM backfills')[0];
    expect(row).toEqual({ status: 'completed', cursor_at: kstToEpochSeconds(2021, 1, 4), rows_written: 72 });
  });

  it('does nothing when rerun after completing', async () => {
    server.route(ASOS_PATH, asosReply);
    await runBackfill(bed.environment(NOW), request);
    const again = await runBackfill(bed.environment(NOW), request);
    expect(again.targets[0].hoursFetched).toBe(0);
    expect(server.requests).toHaveLength(3);
  });

  it('resumes after a failed chunk', async () => {
    server.route(ASOS_PATH, asosFailingOn('20210102', { status: 503, body: '', contentType: 'text/plain' }));
    await expect(runBackfill(bed.environment(NOW), request)).rejects.toBeInstanceOf(TransientSourceError);
    const failed = queryAll<{ status: string; cursor_at: number }>(bed.database, 'SELECT status, cursor_at FROM backfills')[0];
    expect(failed).toEqual({ status: 'failed', cursor_at: kstToEpochSeconds(2021, 1, 2) });
    expect(queryValue(bed.database, 'SELECT count(*) FROM weather_observations')).toBe(24);

    server.reset();
    server.route(ASOS_PATH, asosReply);
    const resumed = await runBackfill(bed.environment(NOW), request);
    expect(startDates()).toEqual(['20210102', '20210103']);
    expect(resumed.status).toBe('completed');
    expect(resumed.targets[0].resumedFrom).toBe('2021-01-02 00:00');
    expect(queryValue(bed.database, 'SELECT count(*) FROM weather_observations')).toBe(72);
  });

  it('pauses on a quota stop and resumes the next day', async () => {
    server.route(ASOS_PATH, asosFailingOn('20210102', dataGoKrErrors.xml('22', 'LIMITED_NUMBER_OF_SERVICE_REQUESTS_EXCEEDS_ERROR')));
    const paused = await runBackfill(bed.environment(NOW), request);
    expect(paused.status).toBe('paused');
    expect(paused.resumeAfter).toBe('2021-01-11 00:00');
    expect(paused.message).toContain('Run the same backfill again');
    expect(queryValue(bed.database, 'SELECT status FROM backfills')).toBe('paused');

    // Still blocked the same day: no request is sent.
    const blocked = await runBackfill(bed.environment(NOW + 3600), request);
    expect(blocked.status).toBe('paused');
    expect(server.requests).toHaveLength(2);

    server.reset();
    server.route(ASOS_PATH, asosReply);
    const resumed = await runBackfill(bed.environment(kstToEpochSeconds(2021, 1, 11, 0, 5)), request);
    expect(resumed.status).toBe('completed');
    expect(startDates()).toEqual(['20210102', '20210103']);
    expect(queryValue(bed.database, 'SELECT count(*) FROM weather_observations')).toBe(72);
  });

  it('clamps the end to yesterday', async () => {
    server.route(ASOS_PATH, asosReply);
    const summary = await runBackfill(bed.environment(kstToEpochSeconds(2021, 1, 4, 9)), { ...request, to: kstToEpochSeconds(2021, 1, 9) });
    expect(summary.clampedTo).toBe('2021-01-03 23:00');
    expect(startDates()).toEqual(['20210101', '20210102', '20210103']);
  });
});

describe('backfill range checks', () => {
  it('rejects AirKorea hours beyond three months', async () => {
    const error = await runBackfill(bed.environment(NOW), { source: 'airkorea', from: kstToEpochSeconds(2020, 6, 1), to: kstToEpochSeconds(2020, 6, 2), station: '강남구' }).catch(
      (caught) => caught,
    );
    expect(error).toBeInstanceOf(InvalidBackfillRangeError);
    expect((error as Error).message).toContain('dustcast import');
    expect(server.requests).toHaveLength(0);
  });

  it('rejects a start after the end', async () => {
    await expect(runBackfill(bed.environment(NOW), { ...request, from: request.to + 3600 })).rejects.toThrow(/is after --to/);
  });

  it('keeps AirKorea station history inside the range', async () => {
    server.route('/ArpltnInforInqireSvc/getMsrstnAcctoRltmMesureDnsty', pagesFrom('airkorea/station-gangnam-3month', 2));
    const from = kstToEpochSeconds(2026, 1, 10);
    const to = kstToEpochSeconds(2026, 1, 15);
    const summary = await runBackfill(bed.environment(kstToEpochSeconds(2026, 1, 16, 0, 30)), { source: 'airkorea', from, to, station: '강남구' });
    expect(summary.status).toBe('completed');
    expect(server.requests[0].query.get('dataTerm')).toBe('MONTH');
    expect(server.requests[0].query.get('stationName')).toBe('강남구');
    const expected = historyHours().filter((hour) => hour >= from && hour <= to).length;
    expect(expected).toBeGreaterThan(100);
    expect(summary.targets[0].inserted).toBe(expected);
    expect(queryValue(bed.database, 'SELECT min(observed_at) FROM air_observations')).toBeGreaterThanOrEqual(from);
    expect(queryValue(bed.database, 'SELECT max(observed_at) FROM air_observations')).toBeLessThanOrEqual(to);
  });
});
