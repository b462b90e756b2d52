/**
 * Fills runs of at most `maxGapHours` NaN values that have a value on both sides by linear
 * interpolation, in place, and sets `filled[index] = 1` for each filled hour. Longer runs and
 * runs at either end stay NaN, so they end the series block there. Returns the hours filled.
 */
export function fillShortGaps(values: Float32Array, maxGapHours: number, filled: Uint8Array): number {
  let filledCount = 0;
  let lastValid = -1;
  for (let index = 0; index < values.length; index += 1) {
    if (Number.isNaN(values[index])) continue;
    const gap = index - lastValid - 1;
    if (lastValid >= 0 && gap > 0 && gap <= maxGapHours) {
      const before = values[lastValid];
      const step = (values[index] - before) / (gap + 1);
      for (let offset = 1; offset <= gap; offset += 1) {
        values[lastValid + offset] = before + step * offset;
        filled[lastValid + offset] = 1;
      }
      filledCount += gap;
    }
    lastValid = index;
  }
  return filledCount;
}
