import { blockOfRow, type WindowSet } from '../windows/window-set.js';

/**
 * Returns the persistence forecast for a sample: the target's value at the last input hour or,
 * when that hour was interpolated, the last observed value before it in the same block.
 * NaN when the block contains no observed value up to that row.
 */
export function persistenceValue(set: WindowSet, lastRow: number, targetIndex: number): number {
  const targetCount = set.spec.targets.length;
  const firstRow = blockOfRow(set, lastRow).firstRow;
  for (let row = lastRow; row >= firstRow; row -= 1) {
    const value = set.targetValues[row * targetCount + targetIndex];
    if (!Number.isNaN(value)) return value;
  }
  return Number.NaN;
}
