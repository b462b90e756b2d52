import type { Scaler } from './window-set.js';

/**
 * Fits per-column mean and standard deviation over the rows where `includeRow(row)` is true,
 * skipping NaN values. A column with no spread (or no values) gets std 1 and a column with no
 * values gets mean 0, so normalising never divides by zero.
 */
export function fitScaler(matrix: Float32Array, columnCount: number, rowCount: number, includeRow: (row: number) => boolean): Scaler {
  const sums = new Float64Array(columnCount);
  const squares = new Float64Array(columnCount);
  const counts = new Float64Array(columnCount);
  for (let row = 0; row < rowCount; row += 1) {
    if (!includeRow(row)) continue;
    const base = row * columnCount;
    for (let column = 0; column < columnCount; column += 1) {
      const value = matrix[base + column];
      if (Number.isNaN(value)) continue;
      sums[column] += value;
      squares[column] += value * value;
      counts[column] += 1;
    }
  }
  const means = new Float32Array(columnCount);
  const stds = new Float32Array(columnCount);
  for (let column = 0; column < columnCount; column += 1) {
    const count = counts[column];
    const mean = count > 0 ? sums[column] / count : 0;
    const variance = count > 0 ? Math.max(0, squares[column] / count - mean * mean) : 0;
    const std = Math.sqrt(variance);
    means[column] = mean;
    stds[column] = std > 1e-6 ? std : 1;
  }
  return { means, stds };
}

/** Normalises rows [0, rowCount) of `matrix` in place: (value - mean) / std per column. */
export function applyScaler(matrix: Float32Array, columnCount: number, rowCount: number, scaler: Scaler): void {
  if (scaler.means.length !== columnCount || scaler.stds.length !== columnCount) {
    throw new Error(`scaler has ${scaler.means.length} columns but the matrix has ${columnCount}; use the scaler saved with the same feature list`);
  }
  for (let row = 0; row < rowCount; row += 1) {
    const base = row * columnCount;
    for (let column = 0; column < columnCount; column += 1) {
      matrix[base + column] = (matrix[base + column] - scaler.means[column]) / scaler.stds[column];
    }
  }
}
