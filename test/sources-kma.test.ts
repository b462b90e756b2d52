import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runIngest } from '../src/sources/ingest/run-ingest.js';
import { kstToEpochSeconds } from '../src/time/kst.js';
import { createIngestTestBed, queryAll, queryValue, type IngestTestBed } from './helpers/ingest-environment.js';
import { asosReply, nowcastReply } from './helpers/kma-replay.js';
import { ReplayServer } from './helpers/replay-server.js';

const ASOS_PATH = '/AsosHourlyInfoService/getWthrDataList';
const NOWCAST_PATH = '/VilageFcstInfoService_2.0/getUltraSrtNcst';

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
  server.route(ASOS_PATH, asosReply).route(NOWCAST_PATH, nowcastReply);
  bed = createIngestTestBed(server.baseUrl, { DUSTCAST_KMA_ASOS_STATIONS: '108', DUSTCAST_INGEST_LOOKBACK_HOURS: 2 });
});
afterEach(() => bed.dispose());

describe('KMA nowcast pull', () => {
  it('asks for station 108 grid cell by hour', async () => {
    // At 12:45 KST the 12:00 nowcast is out, and the 2-hour lookback requests 11:00 and 12:00.
    const summary = await runIngest(bed.environment(kstToEpochSeconds(2022, 12, 27, 12, 45)), { sources: ['kma-nowcast'] });
    expect(summary.sources[0].inserted).toBe(2);
    const requests = server.requestsTo(NOWCAST_PATH);
    expect(requests.map((request) => request.query.get('base_time'))).toEqual(['1100', '1200']);
    expect(requests[0].query.get('base_date')).toBe('20221227');
    expect(requests[0].query.get('nx')).toBe('60');
    expect(requests[0].query.get('ny')).toBe('127');
    const rows = queryAll<{ provider_code: string; source: string; temperature: number; humidity: number; wind_direction: number }>(
      bed.database,
      'SELECT provider_code, source, temperature, humidity, wind_direction FROM weather_observations JOIN stations ON stations.id = station_id ORDER BY observed_at',
    );
    expect(rows[0]).toEqual({ provider_code: '108', source: 'kma-nowcast', temperature: 0.8, humidity: 40, wind_direction: 63 });
    expect(rows).toHaveLength(2);
  });

  it('asks again only from the overlap', async () => {
    await runIngest(bed.environment(kstToEpochSeconds(2022, 12, 27, 12, 45)), { sources: ['kma-nowcast'] });
    server.requests.length = 0;
    const summary = await runIngest(bed.environment(kstToEpochSeconds(2022, 12, 27, 13, 45)), { sources: ['kma-nowcast'] });
    // Overlap 3 hours ending with the newest received hour (12:00): 10:00 .. 13:00.
    expect(server.requestsTo(NOWCAST_PATH).map((request) => request.query.get('base_time'))).toEqual(['1000', '1100', '1200', '1300']);
    expect(summary.sources[0].inserted).toBe(0);
    expect(summary.sources[0].unchanged).toBe(2);
  });
});

describe('KMA ASOS pull', () => {
  it('ends at yesterday 23:00 KST', async () => {
    const summary = await runIngest(bed.environment(kstToEpochSeconds(2021, 1, 8, 10)), { sources: ['kma-asos'] });
    const request = server.requestsTo(ASOS_PATH)[0];
    expect(request.query.get('startDt')).toBe('20210107');
    expect(request.query.get('startHh')).toBe('22');
    expect(request.query.get('endDt')).toBe('20210107');
    expect(request.query.get('endHh')).toBe('23');
    expect(request.query.get('dataCd')).toBe('ASOS');
    expect(request.query.get('dateCd')).toBe('HR');
    expect(request.query.get('stnIds')).toBe('108');
    expect(summary.sources[0].inserted).toBe(2);
  });

  it('stores values as the file importer does', async () => {
    await runIngest(bed.environment(kstToEpochSeconds(2021, 1, 2, 10)), { sources: ['kma-asos'] });
    const rows = queryAll<Record<string, number | null>>(
      bed.database,
      'SELECT observed_at, temperature, precipitation, wind_speed, wind_direction, humidity, sea_level_pressure FROM weather_observations ORDER BY observed_at',
    );
    // 2021-01-01 23:00 in the portal CSV: -2.6 °C, no rain (empty), 1.9 m/s from 250°, 55 %, 1025.9 hPa.
    expect(rows.at(-1)).toEqual({
      observed_at: kstToEpochSeconds(2021, 1, 1, 23),
      temperature: -2.6,
      precipitation: 0,
      wind_speed: 1.9,
      wind_direction: 250,
      humidity: 55,
      sea_level_pressure: 1025.9,
    });
  });

  it('treats code 03 as no rows', async () => {
    const summary = await runIngest(bed.environment(kstToEpochSeconds(2021, 3, 1, 10)), { sources: ['kma-asos'] });
    expect(summary.sources[0].status).toBe('succeeded');
    expect(summary.sources[0].inserted).toBe(0);
    expect(queryValue(bed.database, 'SELECT provider_code FROM ingest_runs')).toBe('03');
  });
});

describe('KMA sources together', () => {
  it('stores nowcast and ASOS under one station', async () => {
    await runIngest(bed.environment(kstToEpochSeconds(2021, 1, 8, 10)), { sources: ['kma-asos'] });
    await runIngest(bed.environment(kstToEpochSeconds(2022, 12, 27, 12, 45)), { sources: ['kma-nowcast'] });
    const rows = queryAll<{ source: string; count: number }>(
      bed.database,
      'SELECT source, count(*) AS count FROM weather_observations GROUP BY source ORDER BY source',
    );
    expect(rows).toEqual([
      { source: 'kma-asos-api', count: 2 },
      { source: 'kma-nowcast', count: 2 },
    ]);
    expect(queryValue(bed.database, "SELECT count(*) FROM stations WHERE provider = 'kma'")).toBe(1);
  });
});
