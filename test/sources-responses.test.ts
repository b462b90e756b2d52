import { describe, expect, it } from 'vitest';
import { chooseDataTerm } from '../src/sources/airkorea/airkorea-source.js';
import { describeListedStation } from '../src/sources/airkorea/station-list.js';
import {
  InvalidSourceRequestError,
  QuotaExceededError,
  SourceConfigurationError,
  SourceError,
  TransientSourceError,
} from '../src/sources/errors.js';
import { retryDelayMs } from '../src/sources/http/backoff.js';
import { encodeServiceKey } from '../src/sources/http/query.js';
import { RateLimiter } from '../src/sources/http/rate-limiter.js';
import { latitudeLongitudeToGrid } from '../src/sources/kma/lambert-grid.js';
import { convertNowcastItems } from '../src/sources/kma/nowcast-items.js';
import { nextKstMidnight } from '../src/sources/kst-calendar.js';
import { parseDataGoKrBody } from '../src/sources/responses/data-go-kr.js';
import { parseSeoulBody } from '../src/sources/responses/seoul.js';
import { kstToEpochSeconds } from '../src/time/kst.js';
import { dataGoKrErrors, fixture } from './helpers/replay-server.js';

const context = { source: 'airkorea', label: 'test request', httpStatus: 200, nowSeconds: kstToEpochSeconds(2026, 3, 16, 8, 20) };

function thrown(work: () => unknown): unknown {
  try {
    work();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('parseDataGoKrBody', () => {
  it('reads a JSON envelope page', () => {
    const page = parseDataGoKrBody(fixture('airkorea/sido-all-2026-03-16T08/page-1.json'), context);
    expect(page.code).toBe('00');
    expect(page.items).toHaveLength(100);
    expect(page.totalCount).toBe(672);
    expect(page.pageNo).toBe(1);
  });

  it('reads an XML success envelope', () => {
    const page = parseDataGoKrBody(fixture('airkorea/sido-seoul-2016-01-10.xml'), context);
    expect(page.items).toHaveLength(2);
    expect(page.items[1].stationName).toBe('동대문');
    expect(page.items[1].pm25Value).toBe('');
    expect(page.items[1].pm10Value).toBe('-');
  });

  it('treats items "" as zero rows', () => {
    const body = JSON.stringify({ response: { header: { resultCode: '00', resultMsg: 'NORMAL_CODE' }, body: { totalCount: 0, items: '', pageNo: 1, numOfRows: 100 } } });
    expect(parseDataGoKrBody(body, context).items).toEqual([]);
  });

  it('accepts one item given as an object', () => {
    const items = JSON.parse(fixture('kma/nowcast-20221227-1100-nx58-ny125.json')).response.body.items.item;
    const body = JSON.stringify({ response: { header: { resultCode: '00' }, body: { items: { item: items[3] }, totalCount: 1 } } });
    const page = parseDataGoKrBody(body, context);
    expect(page.items).toHaveLength(1);
    expect(page.items[0].category).toBe('T1H');
  });

  it('treats code 03 as success with no rows', () => {
    const body = JSON.stringify({ response: { header: { resultCode: '03', resultMsg: 'NO_DATA' } } });
    const page = parseDataGoKrBody(body, context);
    expect(page.code).toBe('03');
    expect(page.items).toEqual([]);
  });

  it('classifies XML code 22 as a quota stop until KST midnight', () => {
    const error = thrown(() => parseDataGoKrBody(dataGoKrErrors.xml('22', 'LIMITED_NUMBER_OF_SERVICE_REQUESTS_EXCEEDS_ERROR').body, context));
    expect(error).toBeInstanceOf(QuotaExceededError);
    const quota = error as QuotaExceededError;
    expect(quota.retryable).toBe(false);
    expect(quota.providerCode).toBe('22');
    expect(quota.blockedUntil).toBe(kstToEpochSeconds(2026, 3, 17));
  });

  it('classifies XML code 30 as a key error with the fix', () => {
    const error = thrown(() => parseDataGoKrBody(dataGoKrErrors.xml('30', 'SERVICE_KEY_IS_NOT_REGISTERED_ERROR').body, context));
    expect(error).toBeInstanceOf(SourceConfigurationError);
    const message = (error as Error).message;
    expect(message).toContain('code 30');
    expect(message).toContain('DATA_GO_KR_SERVICE_KEY');
    expect(message).toContain('encoded again');
    expect(message).toContain('about an hour');
    expect((error as SourceError).retryable).toBe(false);
  });

  it('classifies a bare resultCode 10 as an invalid request', () => {
    const error = thrown(() => parseDataGoKrBody(dataGoKrErrors.bare('10', 'INVALID_REQUEST_PARAMETER_ERROR').body, context));
    expect(error).toBeInstanceOf(InvalidSourceRequestError);
    expect((error as SourceError).retryable).toBe(false);
    expect((error as Error).message).toContain('code 10');
  });

  it.each(['01', '02', '04', '05', '99'])('treats code %s as retryable', (code) => {
    const error = thrown(() => parseDataGoKrBody(dataGoKrErrors.xml(code, 'APPLICATION_ERROR').body, context));
    expect(error).toBeInstanceOf(TransientSourceError);
    expect((error as SourceError).retryable).toBe(true);
  });

  it.each(['20', '31', '32', '33'])('treats code %s as a configuration error', (code) => {
    expect(thrown(() => parseDataGoKrBody(dataGoKrErrors.bare(code, 'X').body, context))).toBeInstanceOf(SourceConfigurationError);
  });

  it('treats truncated JSON as retryable', () => {
    const error = thrown(() => parseDataGoKrBody(fixture('airkorea/truncated-page-1.json'), context));
    expect(error).toBeInstanceOf(TransientSourceError);
    expect((error as Error).message).toContain('truncated');
  });

  it('treats an HTML 502 page as retryable', () => {
    const html = '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body></body></html>';
    const error = thrown(() => parseDataGoKrBody(html, { ...context, httpStatus: 502 }));
    expect(error).toBeInstanceOf(TransientSourceError);
    expect((error as Error).message).toContain('502 Bad Gateway');
  });

  it('treats an HTML 404 page as a base URL problem', () => {
    const html = '<html><head><title>404 Not Found</title></head></html>';
    const error = thrown(() => parseDataGoKrBody(html, { ...context, httpStatus: 404 }));
    expect(error).toBeInstanceOf(SourceConfigurationError);
    expect((error as Error).message).toContain('base URL');
  });
});

describe('parseSeoulBody', () => {
  const seoulContext = { ...context, source: 'seoul' };

  it('reads rows and list_total_count', () => {
    const page = parseSeoulBody(fixture('seoul/time-average-200901010000.json'), 'TimeAverageAirQuality', seoulContext);
    expect(page.code).toBe('INFO-000');
    expect(page.rows.length).toBe(page.totalCount);
    expect(page.rows[0].MSRSTE_NM).toBe('강남구');
  });

  it('treats a bare INFO-200 as no data', () => {
    const body = JSON.stringify({ RESULT: { CODE: 'INFO-200', MESSAGE: '해당하는 데이터가 없습니다.' } });
    expect(parseSeoulBody(body, 'TimeAverageAirQuality', seoulContext).rows).toEqual([]);
  });

  it('rejects ERROR-336 without retry', () => {
    const body = JSON.stringify({ RESULT: { CODE: 'ERROR-336', MESSAGE: '데이터요청은 한번에 최대 1000건을 넘을 수 없습니다.' } });
    const error = thrown(() => parseSeoulBody(body, 'TimeAverageAirQuality', seoulContext));
    expect(error).toBeInstanceOf(InvalidSourceRequestError);
    expect((error as Error).message).toContain('1000');
  });

  it('treats an XML INFO-100 as a key error', () => {
    const body = '<RESULT><CODE>INFO-100</CODE><MESSAGE>인증키가 유효하지 않습니다.</MESSAGE></RESULT>';
    expect(thrown(() => parseSeoulBody(body, 'TimeAverageAirQuality', seoulContext))).toBeInstanceOf(SourceConfigurationError);
  });

  it('treats INFO-300 as a quota stop', () => {
    const body = JSON.stringify({ RESULT: { CODE: 'INFO-300', MESSAGE: '유효 호출건수를 이미 초과하셨습니다.' } });
    expect(thrown(() => parseSeoulBody(body, 'TimeAverageAirQuality', seoulContext))).toBeInstanceOf(QuotaExceededError);
  });
});

describe('encodeServiceKey', () => {
  const decoded = 'kR7x+Qz9/Lm4Np8=';
  const encoded = 'kR7x%2BQz9%2FLm4Np8%3D';

  it('encodes a decoded key once', () => {
    expect(encodeServiceKey(decoded)).toBe(encoded);
  });

  it('keeps an encoded key encoded once', () => {
    expect(encodeServiceKey(encoded)).toBe(encoded);
    expect(encodeServiceKey(encoded)).not.toContain('%25');
  });
});

describe('latitudeLongitudeToGrid', () => {
  it('maps Seoul city hall to grid 60,127', () => {
    expect(latitudeLongitudeToGrid(37.5665, 126.978)).toEqual({ nx: 60, ny: 127 });
  });

  it('maps the grid origin to 43,136', () => {
    expect(latitudeLongitudeToGrid(38, 126)).toEqual({ nx: 43, ny: 136 });
  });

  it('rejects a latitude out of range', () => {
    expect(() => latitudeLongitudeToGrid(95, 127)).toThrow(/invalid coordinates/);
  });
});

describe('nowcast conversion', () => {
  it('groups categories into one hour', () => {
    const items = JSON.parse(fixture('kma/nowcast-20221227-1100-nx58-ny125.json')).response.body.items.item;
    const converted = convertNowcastItems(items, '108', 'kma-nowcast');
    expect(converted).toHaveLength(1);
    const { record, station } = converted[0];
    expect(station.providerCode).toBe('108');
    expect(record.observedAt).toBe(kstToEpochSeconds(2022, 12, 27, 11));
    expect(record.temperature).toBe(0.8);
    expect(record.humidity).toBe(40);
    expect(record.precipitation).toBe(0);
    expect(record.windSpeed).toBe(0.7);
    expect(record.windDirection).toBe(63);
  });
});

describe('station list item', () => {
  it('reads dmX as latitude and dmY as longitude', () => {
    const items = JSON.parse(fixture('airkorea/station-list/page-1.json')).response.body.items;
    const station = describeListedStation(items[0]);
    expect(station.name).toBe('강남구');
    expect(station.latitude).toBeCloseTo(37.5175623, 6);
    expect(station.longitude).toBeCloseTo(127.0472893, 6);
    expect(station.kind).toBe('urban');
  });
});

describe('retry and rate limits', () => {
  it('doubles the backoff step with jitter in the upper half', () => {
    const options = { baseMs: 100, maxMs: 1000 };
    expect(retryDelayMs(1, options, () => 0)).toBe(50);
    expect(retryDelayMs(1, options, () => 1)).toBe(100);
    expect(retryDelayMs(3, options, () => 0)).toBe(200);
    expect(retryDelayMs(10, options, () => 1)).toBe(1000);
  });

  it('spaces a burst of requests by the interval', async () => {
    let now = 1_000;
    const waits: number[] = [];
    const limiter = new RateLimiter(4, {
      nowMs: () => now,
      sleepMs: async (milliseconds) => {
        waits.push(milliseconds);
      },
    });
    await Promise.all([limiter.acquire(), limiter.acquire(), limiter.acquire()]);
    expect(waits).toEqual([250, 500]);
    now = 5_000;
    await limiter.acquire();
    expect(waits).toEqual([250, 500]);
  });

  it('picks the shortest AirKorea data term', () => {
    expect(chooseDataTerm(20 * 3600)).toBe('DAILY');
    expect(chooseDataTerm(10 * 86_400)).toBe('MONTH');
    expect(chooseDataTerm(60 * 86_400)).toBe('3MONTH');
  });

  it('finds the next KST midnight', () => {
    expect(nextKstMidnight(kstToEpochSeconds(2026, 12, 31, 23, 59))).toBe(kstToEpochSeconds(2027, 1, 1));
    expect(nextKstMidnight(kstToEpochSeconds(2026, 3, 16, 0, 0))).toBe(kstToEpochSeconds(2026, 3, 17));
  });
});
