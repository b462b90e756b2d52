import { describe, expect, it } from 'vitest';
import { convertAirKoreaItem, describeAirKoreaStation, type AirKoreaItem } from '../src/importers/airkorea-items.js';
import { FieldError } from '../src/importers/errors.js';
import { convertKmaAsosValues, parseKmaDateTime } from '../src/importers/kma-asos-values.js';
import { convertSeoulOpenApiRow, parseSeoulMeasuredAt } from '../src/importers/seoul-openapi-rows.js';

// Items copied from the AirKorea getCtprvnRltmMesureDnsty sample (2026-03-16 08:00 snapshot).
const flaggedItem: AirKoreaItem = {
  so2Grade: '1',
  coFlag: null,
  khaiValue: '-',
  so2Value: '0.002',
  coValue: '0.5',
  pm25Flag: '통신장애',
  pm10Flag: '통신장애',
  o3Grade: '1',
  pm10Value: '-',
  khaiGrade: null,
  pm25Value: '-',
  sidoName: '강원',
  no2Flag: null,
  no2Grade: '1',
  o3Flag: null,
  pm25Grade: null,
  so2Flag: null,
  dataTime: '2026-03-16 08:00',
  coGrade: '1',
  no2Value: '0.012',
  stationName: '남양동1',
  pm10Grade: null,
  o3Value: '0.030',
};

const deadStationItem: AirKoreaItem = {
  so2Grade: null,
  coFlag: null,
  khaiValue: null,
  so2Value: null,
  coValue: null,
  pm25Flag: null,
  pm10Flag: null,
  o3Grade: null,
  pm10Value: null,
  khaiGrade: null,
  pm25Value: null,
  sidoName: '강원',
  no2Flag: null,
  no2Grade: null,
  o3Flag: null,
  pm25Grade: null,
  so2Flag: null,
  dataTime: null,
  coGrade: null,
  no2Value: null,
  stationName: '간성읍',
  pm10Grade: null,
  o3Value: null,
};

describe('convertAirKoreaItem', () => {
  it('keeps flags and nulls flagged values', () => {
    const record = convertAirKoreaItem(flaggedItem, 7, 'airkorea-api');
    expect(record).not.toBeNull();
    expect(record!.stationId).toBe(7);
    expect(record!.source).toBe('airkorea-api');
    expect(record!.observedAt).toBe(Date.UTC(2026, 2, 15, 23) / 1000);
    expect(record!.pm10).toBeNull();
    expect(record!.pm10Flag).toBe('통신장애');
    expect(record!.pm25).toBeNull();
    expect(record!.pm25Flag).toBe('통신장애');
    expect(record!.o3).toBe(0.03);
    expect(record!.o3Flag).toBeNull();
    expect(record!.no2).toBe(0.012);
    expect(record!.co).toBe(0.5);
    expect(record!.so2).toBe(0.002);
  });

  it('nulls a value whose flag is set', () => {
    const record = convertAirKoreaItem({ ...flaggedItem, pm10Value: '41', pm10Flag: '점검및교정' }, 1, 's');
    expect(record!.pm10).toBeNull();
    expect(record!.pm10Flag).toBe('점검및교정');
  });

  it('keeps zero as a measurement', () => {
    const record = convertAirKoreaItem({ ...flaggedItem, so2Value: '0.000', pm25Value: '0', pm25Flag: null }, 1, 's');
    expect(record!.so2).toBe(0);
    expect(record!.pm25).toBe(0);
  });

  it('returns null for an item with no time and no values', () => {
    expect(convertAirKoreaItem(deadStationItem, 1, 's')).toBeNull();
  });

  it('rejects values without a dataTime', () => {
    expect(() => convertAirKoreaItem({ ...flaggedItem, dataTime: null }, 1, 's')).toThrow(FieldError);
    expect(() => convertAirKoreaItem({ ...flaggedItem, dataTime: null }, 1, 's')).toThrow(/dataTime/);
  });

  it('moves hour 24 to the next day', () => {
    const newYear = convertAirKoreaItem({ ...flaggedItem, dataTime: '2023-12-31 24:00' }, 1, 's');
    expect(new Date(newYear!.observedAt * 1000).toISOString()).toBe('2023-12-31T15:00:00.000Z');
    const leapDay = convertAirKoreaItem({ ...flaggedItem, dataTime: '2024-02-28 24:00' }, 1, 's');
    expect(new Date(leapDay!.observedAt * 1000).toISOString()).toBe('2024-02-28T15:00:00.000Z');
  });

  it('names the field of a bad number', () => {
    let caught: unknown;
    try {
      convertAirKoreaItem({ ...flaggedItem, o3Value: '0.0x3' }, 1, 's');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(FieldError);
    expect((caught as FieldError).field).toBe('o3Value');
    expect((caught as FieldError).value).toBe('0.0x3');
  });
});

describe('describeAirKoreaStation', () => {
  it('uses the station name as provider code', () => {
    expect(describeAirKoreaStation(flaggedItem)).toEqual({ provider: 'airkorea', providerCode: '남양동1', name: '남양동1', kind: null });
  });

  it('maps the network name to a kind', () => {
    expect(describeAirKoreaStation({ ...flaggedItem, mangName: '도로변대기' }).kind).toBe('roadside');
  });

  it('rejects an empty station name', () => {
    expect(() => describeAirKoreaStation({ ...flaggedItem, stationName: ' ' })).toThrow(/stationName/);
  });
});

describe('convertSeoulOpenApiRow', () => {
  // First row of the TimeAverageAirQuality sample for 2009-01-01.
  const row = { CO: '0.4', MSRDT: '200901010000', MSRSTE_NM: '강남구', NO2: '0.023', O3: '0.015', PM10: '48.0', PM25: '14.0', SO2: '0.006' };

  it('reads hour 0000 as KST midnight', () => {
    expect(parseSeoulMeasuredAt('200901010000')).toBe(Date.UTC(2008, 11, 31, 15) / 1000);
    expect(parseSeoulMeasuredAt('200901012300')).toBe(Date.UTC(2009, 0, 1, 14) / 1000);
  });

  it('rejects hour 2400', () => {
    expect(() => parseSeoulMeasuredAt('200901012400')).toThrow(/out of range/);
  });

  it('converts every pollutant', () => {
    const record = convertSeoulOpenApiRow(row, 3, 'seoul-api', { zeroPmIsMissing: true });
    expect(record.pm10).toBe(48);
    expect(record.pm25).toBe(14);
    expect(record.o3).toBe(0.015);
    expect(record.no2).toBe(0.023);
    expect(record.co).toBe(0.4);
    expect(record.so2).toBe(0.006);
  });

  it('treats zero PM as missing only for PM', () => {
    const zeroRow = { ...row, PM10: '0.0', PM25: '0.0', SO2: '0.0' };
    const record = convertSeoulOpenApiRow(zeroRow, 3, 'seoul-api', { zeroPmIsMissing: true });
    expect(record.pm10).toBeNull();
    expect(record.pm25).toBeNull();
    expect(record.so2).toBe(0);
    const kept = convertSeoulOpenApiRow(zeroRow, 3, 'seoul-api', { zeroPmIsMissing: false });
    expect(kept.pm10).toBe(0);
  });

  it('names MSRDT when it is malformed', () => {
    expect(() => convertSeoulOpenApiRow({ ...row, MSRDT: '2009-01-01' }, 3, 's', { zeroPmIsMissing: true })).toThrow(/MSRDT/);
  });
});

describe('convertKmaAsosValues', () => {
  const observedAt = parseKmaDateTime('2021-01-01 01:00');

  it('reads the portal time with and without padding', () => {
    expect(observedAt).toBe(Date.UTC(2020, 11, 31, 16) / 1000);
    expect(parseKmaDateTime('2021-01-01 1:00')).toBe(observedAt);
    expect(() => parseKmaDateTime('2021-01-01 24:00')).toThrow(/out of range/);
  });

  it('stores empty precipitation as zero', () => {
    const record = convertKmaAsosValues({ temperature: '-7.2', precipitation: '', windSpeed: '.4' }, 1, observedAt, 'kma');
    expect(record.precipitation).toBe(0);
    expect(record.temperature).toBe(-7.2);
    expect(record.windSpeed).toBe(0.4);
  });

  it('stores precipitation with QC 9 as missing', () => {
    const record = convertKmaAsosValues({ precipitation: '', precipitationQc: '9' }, 1, observedAt, 'kma');
    expect(record.precipitation).toBeNull();
    expect(record.precipitationQc).toBe(9);
  });

  it('rounds spreadsheet float noise', () => {
    const record = convertKmaAsosValues({ windSpeed: 1.1000000000000001, humidity: 85 }, 1, observedAt, 'kma');
    expect(record.windSpeed).toBe(1.1);
    expect(record.humidity).toBe(85);
  });

  it('rejects a non-numeric QC flag', () => {
    expect(() => convertKmaAsosValues({ temperatureQc: 'x' }, 1, observedAt, 'kma')).toThrow(/temperatureQc/);
  });
});
