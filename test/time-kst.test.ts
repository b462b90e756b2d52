import { describe, expect, it } from 'vitest';
import { parseAirKoreaDataTime } from '../src/sources/values.js';
import { epochSecondsToKstParts, floorToHour, formatKst, kstToEpochSeconds, parseKstDateArgument } from '../src/time/kst.js';

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

describe('kstToEpochSeconds', () => {
  it('subtracts nine hours', () => {
    expect(iso(kstToEpochSeconds(2024, 3, 10, 0))).toBe('2024-03-09T15:00:00.000Z');
  });

  it('rolls hour 24 into the next day', () => {
    expect(kstToEpochSeconds(2023, 12, 31, 24)).toBe(kstToEpochSeconds(2024, 1, 1, 0));
    expect(kstToEpochSeconds(2024, 2, 28, 24)).toBe(kstToEpochSeconds(2024, 2, 29, 0));
    expect(kstToEpochSeconds(2023, 2, 28, 24)).toBe(kstToEpochSeconds(2023, 3, 1, 0));
  });
});

describe('parseAirKoreaDataTime', () => {
  it('maps 24:00 to next midnight', () => {
    expect(iso(parseAirKoreaDataTime('2024-03-09 24:00'))).toBe('2024-03-09T15:00:00.000Z');
    expect(formatKst(parseAirKoreaDataTime('2023-12-31 24:00'))).toBe('2024-01-01 00:00');
    expect(formatKst(parseAirKoreaDataTime('2024-02-28 24:00'))).toBe('2024-02-29 00:00');
    expect(formatKst(parseAirKoreaDataTime('2024-02-29 24:00'))).toBe('2024-03-01 00:00');
  });

  it('rejects impossible times', () => {
    expect(() => parseAirKoreaDataTime('2024-02-30 01:00')).toThrow(/not a calendar day/);
    expect(() => parseAirKoreaDataTime('2023-02-29 01:00')).toThrow(/not a calendar day/);
    expect(() => parseAirKoreaDataTime('2024-03-09 24:30')).toThrow(/out of range/);
    expect(() => parseAirKoreaDataTime('2024-03-09 25:00')).toThrow(/out of range/);
    expect(() => parseAirKoreaDataTime('2024/03/09 01:00')).toThrow(/expected "YYYY-MM-DD HH:MM"/);
  });
});

describe('epochSecondsToKstParts', () => {
  it('reads KST calendar fields', () => {
    expect(epochSecondsToKstParts(Date.UTC(2023, 11, 31, 15) / 1000)).toEqual({ year: 2024, month: 1, day: 1, hour: 0, minute: 0, dayOfYear: 1 });
    expect(epochSecondsToKstParts(Date.UTC(2024, 11, 31, 14) / 1000).dayOfYear).toBe(366);
  });
});

describe('parseKstDateArgument', () => {
  it('reads dates as KST', () => {
    expect(iso(parseKstDateArgument('2024-03-09'))).toBe('2024-03-08T15:00:00.000Z');
    expect(iso(parseKstDateArgument('2024-03-09 13:00'))).toBe('2024-03-09T04:00:00.000Z');
    expect(iso(parseKstDateArgument('2024-03-09T13:00:00Z'))).toBe('2024-03-09T13:00:00.000Z');
  });

  it('rejects other formats', () => {
    expect(() => parseKstDateArgument('09/03/2024')).toThrow(/invalid date "09\/03\/2024"/);
    expect(() => parseKstDateArgument('2024-02-30')).toThrow(/no such calendar day/);
  });
});

describe('floorToHour', () => {
  it('drops minutes and seconds', () => {
    expect(floorToHour(Date.UTC(2024, 0, 1, 5, 59, 59) / 1000)).toBe(Date.UTC(2024, 0, 1, 5) / 1000);
  });
});
