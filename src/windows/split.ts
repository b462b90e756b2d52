import type { TimeRange } from './window-set.js';

const HOUR = 3600;

/** Issue-time boundaries shared by every station: train < validationFrom <= validation < testFrom <= test. */
export interface SplitBoundaries {
  validationFrom: number;
  testFrom: number;
}

/**
 * Places the two cuts at the sample-count quantiles of the issue times (the last input hours),
 * so the most recent `testFraction` of samples are tested on. `sampleTimes` must be sorted.
 */
export function chooseSplitBoundaries(sampleTimes: Float64Array, validationFraction: number, testFraction: number): SplitBoundaries {
  const count = sampleTimes.length;
  if (count < 3) {
    throw new Error(`only ${count} complete window(s) found; import more hourly data or shorten DUSTCAST_WINDOW_HOURS / DUSTCAST_HORIZONS`);
  }
  const validationIndex = Math.min(count - 2, Math.max(1, Math.floor(count * (1 - validationFraction - testFraction))));
  const testIndex = Math.min(count - 1, Math.max(validationIndex + 1, Math.floor(count * (1 - testFraction))));
  return { validationFrom: sampleTimes[validationIndex], testFrom: sampleTimes[testIndex] };
}

export type SplitName = 'train' | 'validation' | 'test';

/**
 * Assigns a sample to a split, or returns null to drop it. A training sample's last target
 * hour must be before validationFrom and a validation sample's before testFrom, so no target
 * is ever an hour of a later split. Samples that would cross a cut are dropped.
 */
export function splitOf(issuedAt: number, maxHorizonHours: number, boundaries: SplitBoundaries): SplitName | null {
  const lastTargetAt = issuedAt + maxHorizonHours * HOUR;
  if (issuedAt < boundaries.validationFrom) return lastTargetAt < boundaries.validationFrom ? 'train' : null;
  if (issuedAt < boundaries.testFrom) return lastTargetAt < boundaries.testFrom ? 'validation' : null;
  return 'test';
}

/** Range of sorted issue times; an empty split is { from: cut, to: cut - 1 }, so from > to. */
export function rangeOfTimes(times: Float64Array, emptyAt: number): TimeRange {
  if (times.length === 0) return { from: emptyAt, to: emptyAt - 1 };
  return { from: times[0], to: times[times.length - 1] };
}
