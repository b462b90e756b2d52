import { epochSecondsToKstParts, kstToEpochSeconds } from '../time/kst.js';

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** Returns the UTC epoch seconds of the first KST midnight after `epochSeconds`. */
export function nextKstMidnight(epochSeconds: number): number {
  const parts = epochSecondsToKstParts(epochSeconds);
  return kstToEpochSeconds(parts.year, parts.month, parts.day + 1);
}

/** Returns the UTC epoch seconds of the KST midnight that starts the day of `epochSeconds`. */
export function startOfKstDay(epochSeconds: number): number {
  const parts = epochSecondsToKstParts(epochSeconds);
  return kstToEpochSeconds(parts.year, parts.month, parts.day);
}

/** Formats an instant's KST date as YYYYMMDD, the form KMA request parameters use. */
export function formatKstCompactDate(epochSeconds: number): string {
  const parts = epochSecondsToKstParts(epochSeconds);
  return `${parts.year}${pad(parts.month)}${pad(parts.day)}`;
}

/** Formats an instant's KST hour as HH (00..23). */
export function formatKstHour(epochSeconds: number): string {
  return pad(epochSecondsToKstParts(epochSeconds).hour);
}

/** Formats an instant as YYYYMMDDHHMM in KST, the Seoul Open API's MSRDT form. */
export function formatKstCompactMinute(epochSeconds: number): string {
  const parts = epochSecondsToKstParts(epochSeconds);
  return `${formatKstCompactDate(epochSeconds)}${pad(parts.hour)}${pad(parts.minute)}`;
}

/**
 * Parses compact KST date-times: "YYYYMMDD" plus "HHMM" (KMA baseDate/baseTime) or "YYYYMMDDHHMM"
 * (Seoul MSRDT, hours 00..23). Returns UTC epoch seconds, or throws naming the text.
 */
export function parseKstCompactDateTime(text: string): number {
  const match = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(text.trim());
  if (!match) throw new Error(`invalid date-time "${text}": expected YYYYMMDDHHMM in KST`);
  const [year, month, day, hour, minute] = match.slice(1).map(Number);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59) {
    throw new Error(`invalid date-time "${text}": month, day, hour or minute out of range`);
  }
  const result = kstToEpochSeconds(year, month, day, hour, minute);
  if (epochSecondsToKstParts(result).day !== day) throw new Error(`invalid date-time "${text}": ${year}-${month}-${day} is not a calendar day`);
  return result;
}
