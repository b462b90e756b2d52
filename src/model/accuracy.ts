import { outputIndex, type TargetName, type WindowSet } from '../windows/window-set.js';

/**
 * RMSE in µg/m³ of one target at each horizon, over the samples whose target hour was observed.
 * NaN for a horizon with no observed target. The registry's promotion rule uses the PM2.5 mean.
 */
export function rmseByHorizon(windowSet: WindowSet, sampleRows: Int32Array, predictions: Float32Array, target: TargetName = 'pm25'): number[] {
  const { horizons, targets } = windowSet.spec;
  const targetIndex = targets.indexOf(target);
  if (targetIndex < 0) throw new RangeError(`target ${target} is not among the window set's targets (${targets.join(', ')})`);
  const outputs = horizons.length * targets.length;
  if (predictions.length !== sampleRows.length * outputs) {
    throw new RangeError(`expected ${sampleRows.length * outputs} predictions for ${sampleRows.length} samples, got ${predictions.length}`);
  }
  return horizons.map((horizon, horizonIndex) => {
    let squaredSum = 0;
    let count = 0;
    for (let sample = 0; sample < sampleRows.length; sample += 1) {
      const observed = windowSet.targetValues[(sampleRows[sample] + horizon) * targets.length + targetIndex];
      if (Number.isNaN(observed)) continue;
      const error = predictions[sample * outputs + outputIndex(windowSet.spec, horizonIndex, targetIndex)] - observed;
      squaredSum += error * error;
      count += 1;
    }
    return count === 0 ? Number.NaN : Math.sqrt(squaredSum / count);
  });
}

/** Mean over horizons of rmseByHorizon, skipping horizons with no observed target. */
export function meanRmse(rmses: number[]): number {
  const finite = rmses.filter((value) => Number.isFinite(value));
  if (finite.length === 0) return Number.NaN;
  return finite.reduce((sum, value) => sum + value, 0) / finite.length;
}
