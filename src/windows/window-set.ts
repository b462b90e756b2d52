/**
 * The training data contract between the window builder and the model. Inputs are kept as one
 * hourly feature matrix plus the row index of each sample's last input hour, so a window is
 * copied out only when a batch needs it: 10 years x 25 stations stays near 100 MB instead of
 * the gigabytes a materialised [samples, window, features] array would take.
 */

export type TargetName = 'pm25' | 'pm10';

/** Per-column normalisation, fitted on the training split only: (value - mean) / std. */
export interface Scaler {
  means: Float32Array;
  stds: Float32Array;
}

/** A contiguous run of hours of one station, stored in rows firstRow .. firstRow + hours - 1. */
export interface SeriesBlock {
  stationId: number;
  /** UTC epoch seconds of the block's first hour. */
  startAt: number;
  hours: number;
  firstRow: number;
}

export interface WindowSpec {
  /** Input hours per sample. */
  windowHours: number;
  /** Hours ahead of the last input hour, ascending. */
  horizons: number[];
  targets: TargetName[];
  /** Input feature names in column order; a model records exactly this list. */
  featureNames: string[];
  /** Maximum missing run filled by interpolation; longer gaps end a block. */
  maxGapHours: number;
}

export interface TimeRange {
  /** UTC epoch seconds, inclusive. */
  from: number;
  /** UTC epoch seconds, inclusive. */
  to: number;
}

export interface WindowSet {
  spec: WindowSpec;
  featureCount: number;
  rowCount: number;
  /** Normalised inputs, row-major [rowCount, featureCount]. */
  features: Float32Array;
  /**
   * Observed targets in µg/m³, row-major [rowCount, targets.length]; NaN where the hour was not
   * observed (interpolated hours are NaN here, so no sample is scored against a filled value).
   */
  targetValues: Float32Array;
  blocks: SeriesBlock[];
  /** Row index of each sample's last input hour, per split, in time order. */
  samples: { train: Int32Array; validation: Int32Array; test: Int32Array };
  /** Issue-time ranges (last input hour) covered by each split. */
  ranges: { train: TimeRange; validation: TimeRange; test: TimeRange };
  featureScaler: Scaler;
  /** Target normalisation, fitted on the training split; outputs are trained in this space. */
  targetScaler: Scaler;
  stationIds: number[];
}

/** Number of model outputs: one per horizon and target, horizon-major. */
export function outputCount(spec: WindowSpec): number {
  return spec.horizons.length * spec.targets.length;
}

/** Index of (horizon, target) in an output vector. */
export function outputIndex(spec: WindowSpec, horizonIndex: number, targetIndex: number): number {
  return horizonIndex * spec.targets.length + targetIndex;
}

/** Finds the block containing `row` by binary search; blocks are sorted by firstRow. */
export function blockOfRow(set: Pick<WindowSet, 'blocks'>, row: number): SeriesBlock {
  const blocks = set.blocks;
  let low = 0;
  let high = blocks.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const block = blocks[middle];
    if (row < block.firstRow) high = middle - 1;
    else if (row >= block.firstRow + block.hours) low = middle + 1;
    else return block;
  }
  throw new RangeError(`row ${row} is outside every block of the window set`);
}

/** UTC epoch seconds of a row's hour. */
export function timeOfRow(set: Pick<WindowSet, 'blocks'>, row: number): number {
  const block = blockOfRow(set, row);
  return block.startAt + (row - block.firstRow) * 3600;
}

/**
 * Copies `count` samples starting at `sampleRows[start]` into `inputs` [count, windowHours,
 * featureCount] and, when given, normalised targets into `targets` [count, outputCount].
 * Buffers are reused across batches to keep allocation out of the training loop.
 */
export function fillBatch(
  set: WindowSet,
  sampleRows: Int32Array,
  start: number,
  count: number,
  inputs: Float32Array,
  targets?: Float32Array,
): void {
  const { windowHours, horizons } = set.spec;
  const featureCount = set.featureCount;
  const targetCount = set.spec.targets.length;
  const windowSize = windowHours * featureCount;
  const outputs = horizons.length * targetCount;
  for (let sample = 0; sample < count; sample += 1) {
    const lastRow = sampleRows[start + sample];
    const firstRow = lastRow - windowHours + 1;
    inputs.set(set.features.subarray(firstRow * featureCount, (lastRow + 1) * featureCount), sample * windowSize);
    if (!targets) continue;
    for (let horizonIndex = 0; horizonIndex < horizons.length; horizonIndex += 1) {
      const targetRow = lastRow + horizons[horizonIndex];
      for (let targetIndex = 0; targetIndex < targetCount; targetIndex += 1) {
        const value = set.targetValues[targetRow * targetCount + targetIndex];
        const normalised = (value - set.targetScaler.means[targetIndex]) / set.targetScaler.stds[targetIndex];
        targets[sample * outputs + horizonIndex * targetCount + targetIndex] = normalised;
      }
    }
  }
}
