import { fillBatch, outputCount, type WindowSet } from '../windows/window-set.js';
import { anchorColumns, fillAnchors, shiftByAnchors, targetEncodingOf } from './target-encoding.js';
import { tf, type LayersModel } from './tf.js';

const predictionBatchSize = 512;

/**
 * Predicts every horizon and target for the samples whose last input hour is in `sampleRows`.
 * Returns µg/m³ as [sampleRows.length, outputCount] (horizon-major), denormalised with the
 * window set's target scaler and clamped at 0 because concentrations cannot be negative. For a
 * model trained on the change encoding, each sample's last input hour is added back first.
 */
export function predict(model: LayersModel, windowSet: WindowSet, sampleRows: Int32Array): Float32Array {
  const outputs = outputCount(windowSet.spec);
  const targetCount = windowSet.spec.targets.length;
  const sampleSize = windowSet.spec.windowHours * windowSet.featureCount;
  const result = new Float32Array(sampleRows.length * outputs);
  const inputs = new Float32Array(Math.min(predictionBatchSize, sampleRows.length) * sampleSize);
  const columns = targetEncodingOf(model) === 'change' ? anchorColumns(windowSet) : undefined;
  const anchors = new Float32Array(Math.min(predictionBatchSize, sampleRows.length) * targetCount);
  for (let start = 0; start < sampleRows.length; start += predictionBatchSize) {
    const count = Math.min(predictionBatchSize, sampleRows.length - start);
    fillBatch(windowSet, sampleRows, start, count, inputs);
    const normalised = tf.tidy(() => {
      const batch = tf.tensor3d(inputs.subarray(0, count * sampleSize), [count, windowSet.spec.windowHours, windowSet.featureCount]);
      return (model.predict(batch) as ReturnType<typeof tf.tensor>).dataSync() as Float32Array;
    });
    if (columns) {
      fillAnchors(windowSet, sampleRows, start, count, columns, anchors);
      shiftByAnchors(normalised, anchors, count, windowSet.spec.horizons.length, targetCount, 1);
    }
    for (let index = 0; index < count * outputs; index += 1) {
      const targetIndex = index % targetCount;
      const value = normalised[index] * windowSet.targetScaler.stds[targetIndex] + windowSet.targetScaler.means[targetIndex];
      result[start * outputs + index] = Math.max(0, value);
    }
  }
  return result;
}
