// Korea Standard Time is UTC+9 all year (no daylight saving since 1988), so conversions are a
// fixed offset and never depend on the machine's TZ.

export const KST_OFFSET_SECONDS = 9 * 3600;
export const HOUR_SECONDS = 3600;

/**
 * Converts a KST calendar hour to UTC epoch seconds. Hour 24 is accepted and means hour 0 of
 * the next day (AirKorea's 01..24 convention); month and day overflow roll over like Date.UTC.
 */
export function kstToEpochSeconds(year: number, month: number, day: number, hour = 0, minute = 0): number {
  return Date.UTC(year, month - 1, day, hour, minute) / 1000 - KST_OFFSET_SECONDS;
}

/** KST calendar fields of an instant. */
export function epochSecondsToKstParts(epochSeconds: number): {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  dayOfYear: number;
} {
  const shifted = new Date((epochSeconds + KST_OFFSET_SECONDS) * 1000);
  const year = shifted.getUTCFullYear();
  const startOfYear = Date.UTC(year, 0, 1);
  const dayOfYear = Math.floor((shifted.getTime() - startOfYear) / 86_400_000) + 1;
  return {
    year,
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
    hour: shifted.getUTCHours(),
    minute: shifted.getUTCMinutes(),
    dayOfYear,
  };
}

/** Formats an instant as "YYYY-MM-DD HH:MM" in KST. */
export function formatKst(epochSeconds: number): string {
  const parts = epochSecondsToKstParts(epochSeconds);
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${parts.year}-${pad(parts.month)}-${pad(parts.day)} ${pad(parts.hour)}:${pad(parts.minute)}`;
}

/** Rounds an instant down to the start of its hour. */
export function floorToHour(epochSeconds: number): number {
  return Math.floor(epochSeconds / HOUR_SECONDS) * HOUR_SECONDS;
}

/**
 * Parses a user-given date or date-time ("2024-03-09", "2024-03-09 13:00", or ISO with an
 * offset) as KST unless it carries its own offset. Throws naming the value and the format.
 */
export function parseKstDateArgument(value: string): number {
  const trimmed = value.trim();
  if (/[zZ]$|[+-]\d{2}:?\d{2}$/.test(trimmed) && trimmed.includes('T')) {
    const millis = Date.parse(trimmed);
    if (!Number.isNaN(millis)) return Math.floor(millis / 1000);
  }
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{1,2})(?::(\d{2}))?)?$/.exec(trimmed);
  if (!match) {
    throw new Error(`invalid date "${value}": use YYYY-MM-DD or "YYYY-MM-DD HH:MM" (KST), or ISO 8601 with an offset`);
  }
  const [, year, month, day, hour, minute] = match;
  const result = kstToEpochSeconds(Number(year), Number(month), Number(day), Number(hour ?? 0), Number(minute ?? 0));
  const check = epochSecondsToKstParts(kstToEpochSeconds(Number(year), Number(month), Number(day)));
  if (check.month !== Number(month) || check.day !== Number(day) || Number(hour ?? 0) > 24 || Number(minute ?? 0) > 59) {
    throw new Error(`invalid date "${value}": no such calendar day or hour; use YYYY-MM-DD or "YYYY-MM-DD HH:MM" (KST) with a real date and an hour from 00 to 24`);
  }
  return result;
}

/** Current time as UTC epoch seconds. */
export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
