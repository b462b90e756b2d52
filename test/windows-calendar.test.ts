import { describe, expect, it } from 'vitest';
import { kstToEpochSeconds } from '../src/time/kst.js';
import { encodeCalendar } from '../src/windows/calendar.js';
import { windComponents } from '../src/windows/wind.js';

describe('calendar encoding in KST', () => {
  it('puts KST midnight of 1 January at angle zero', () => {
    const encoding = encodeCalendar(kstToEpochSeconds(2024, 1, 1, 0));
    expect(encoding.hourSin).toBeCloseTo(0, 6);
    expect(encoding.hourCos).toBeCloseTo(1, 6);
    expect(encoding.dayOfYearSin).toBeCloseTo(0, 6);
    expect(encoding.dayOfYearCos).toBeCloseTo(1, 6);
  });

  it('uses the KST hour, not the machine hour', () => {
    // 2024-03-09T21:00Z is 06:00 KST on 10 March.
    const encoding = encodeCalendar(Date.UTC(2024, 2, 9, 21) / 1000);
    expect(encoding.hourSin).toBeCloseTo(1, 6);
    expect(encoding.hourCos).toBeCloseTo(0, 6);
  });

  it('reaches half a leap year on 2 July', () => {
    // 2024 has 366 days, and KST midnight of 2 July is 183 days after 1 January 00:00.
    const encoding = encodeCalendar(kstToEpochSeconds(2024, 7, 2, 0));
    expect(encoding.dayOfYearCos).toBeCloseTo(-1, 6);
    expect(encoding.dayOfYearSin).toBeCloseTo(0, 6);
  });

  it('makes 23:00 and 01:00 neighbours', () => {
    const late = encodeCalendar(kstToEpochSeconds(2025, 6, 1, 23));
    const early = encodeCalendar(kstToEpochSeconds(2025, 6, 2, 1));
    expect(late.hourCos).toBeCloseTo(early.hourCos, 6);
    expect(late.hourSin).toBeCloseTo(-early.hourSin, 6);
  });

  it('restarts the year at KST new year', () => {
    const lastHour = encodeCalendar(kstToEpochSeconds(2025, 12, 31, 23));
    const firstHour = encodeCalendar(kstToEpochSeconds(2026, 1, 1, 0));
    expect(lastHour.dayOfYearSin).toBeLessThan(0);
    expect(lastHour.dayOfYearSin).toBeGreaterThan(-0.01);
    expect(firstHour.dayOfYearSin).toBeCloseTo(0, 6);
  });
});

describe('wind components', () => {
  it('gives zero for a calm', () => {
    expect(windComponents(0, 270)).toEqual({ u: 0, v: 0 });
    expect(windComponents(0, null)).toEqual({ u: 0, v: 0 });
  });

  it('points a north wind southward', () => {
    const wind = windComponents(5, 0);
    expect(wind.u).toBeCloseTo(0, 6);
    expect(wind.v).toBeCloseTo(-5, 6);
  });

  it('points an east wind westward', () => {
    const wind = windComponents(4, 90);
    expect(wind.u).toBeCloseTo(-4, 6);
    expect(wind.v).toBeCloseTo(0, 6);
  });

  it('points a south-west wind north-east', () => {
    const wind = windComponents(Math.SQRT2, 225);
    expect(wind.u).toBeCloseTo(1, 6);
    expect(wind.v).toBeCloseTo(1, 6);
  });

  it('makes 359° and 1° neighbours', () => {
    const left = windComponents(3, 359);
    const right = windComponents(3, 1);
    expect(left.v).toBeCloseTo(right.v, 6);
    expect(left.u).toBeCloseTo(-right.u, 6);
  });

  it('returns NaN when speed or direction is missing', () => {
    expect(Number.isNaN(windComponents(null, 90).u)).toBe(true);
    expect(Number.isNaN(windComponents(3, null).v)).toBe(true);
  });
});
