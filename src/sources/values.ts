import { kstToEpochSeconds } from '../time/kst.js';

/** Provider strings that mean "no value": AirKorea's "-", empty cells and null. */
export function isMissingText(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (typeof value === 'number') return false;
  // Fast path for the common case: a cell starting with a digit is never a missing marker.
  if (typeof value === 'string' && value.length > 0 && value.charCodeAt(0) >= 48 && value.charCodeAt(0) <= 57) return false;
  const text = String(value).trim();
  return text === '' || text === '-' || text === '--' || text.toUpperCase() === 'NA' || text.toLowerCase() === 'null';
}

/** A value that is present but not a number, reported with the text that failed. */
export class InvalidNumberError extends Error {
  constructor(readonly value: string) {
    super(`invalid number "${value}"`);
    this.name = 'InvalidNumberError';
  }
}

/**
 * Parses a provider number: missing markers give null, "0" is a real zero, ".4" and "-.9" are
 * accepted, and anything else non-numeric throws InvalidNumberError.
 */
export function parseMeasurement(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (isMissingText(value)) return null;
  const trimmed = String(value).trim();
  const text = trimmed.includes(',') ? trimmed.replace(/,/g, '') : trimmed;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) throw new InvalidNumberError(String(value));
  return Number(text);
}

/** Trims a provider flag; null and empty mean no flag. */
export function parseFlag(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const text = String(value).trim();
  return text === '' ? null : text;
}

/**
 * Parses AirKorea's dataTime "YYYY-MM-DD HH:MM" with hours 01..24 (00 is also accepted) as KST.
 * "2024-03-09 24:00" is 2024-03-10 00:00 KST, which is 2024-03-09T15:00:00Z. Returns UTC epoch
 * seconds, or throws naming the text and the expected form.
 */
export function parseAirKoreaDataTime(value: string): number {
  const match = /^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s+(\d{1,2}):(\d{2})\s*$/.exec(value);
  if (!match) throw new Error(`invalid dataTime "${value}": expected "YYYY-MM-DD HH:MM" with hours 01..24`);
  const [year, month, day, hour, minute] = match.slice(1).map(Number);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 24 || minute > 59 || (hour === 24 && minute !== 0)) {
    throw new Error(`invalid dataTime "${value}": month, day, hour or minute out of range`);
  }
  const startOfDay = kstToEpochSeconds(year, month, day);
  // Rejects 2024-02-30 and similar, which Date.UTC would roll into March.
  if (new Date((startOfDay + 9 * 3600) * 1000).getUTCDate() !== day) {
    throw new Error(`invalid dataTime "${value}": ${year}-${month}-${day} is not a calendar day`);
  }
  return startOfDay + hour * 3600 + minute * 60;
}
