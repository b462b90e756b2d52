import type { WindowSet } from '../windows/window-set.js';
import type { LayersModel } from './tf.js';

/**
 * Meaning of the model's outputs in the target scaler's normalised space. `absolute` is the
 * target value itself and `change` is the target minus its value at the last input hour.
 * Learning the change starts the model from persistence, which a GRU otherwise has to learn.
 */
export type TargetEncoding = 'absolute' | 'change';

const metadataKey = 'dustcastTargetEncoding';

/** Stores the encoding in the model's user-defined metadata, which model.json carries. */
export function setTargetEncoding(model: LayersModel, encoding: TargetEncoding): void {
  model.setUserDefinedMetadata({ ...(model.getUserDefinedMetadata() ?? {}), [metadataKey]: encoding });
}

/** Returns the encoding a model was trained with; models saved without one are absolute. */
export function targetEncodingOf(model: LayersModel): TargetEncoding {
  const metadata = model.getUserDefinedMetadata() as Record<string, unknown> | undefined;
  return metadata?.[metadataKey] === 'change' ? 'change' : 'absolute';
}

/**
 * Returns, per target, the feature column holding the same pollutant, whose value at the last
 * input hour anchors the `change` encoding. Throws naming the missing features and the fix.
 */
export function anchorColumns(set: Pick<WindowSet, 'spec'>): number[] {
  const columns = set.spec.targets.map((target) => set.spec.featureNames.indexOf(target));
  const missing = set.spec.targets.filter((_, index) => columns[index] < 0);
  if (missing.length > 0) {
    throw new Error(
      `DUSTCAST_TARGET_ENCODING=change needs each target among the input features, but ${missing.join(', ')} is not; ` +
        'add it to DUSTCAST_FEATURES or set DUSTCAST_TARGET_ENCODING=absolute',
    );
  }
  return columns;
}

/**
 * Writes each sample's anchor, [count, targets.length] in normalised target space: the target
 * pollutant's input feature at the last input hour, moved from the feature scaler to the target
 * scaler. Interpolated hours anchor on their filled value, so every anchor is a number.
 */
export function fillAnchors(set: WindowSet, sampleRows: Int32Array, start: number, count: number, columns: number[], anchors: Float32Array): void {
  const targetCount = set.spec.targets.length;
  for (let sample = 0; sample < count; sample += 1) {
    const rowOffset = sampleRows[start + sample] * set.featureCount;
    for (let targetIndex = 0; targetIndex < targetCount; targetIndex += 1) {
      const column = columns[targetIndex];
      const value = set.features[rowOffset + column] * set.featureScaler.stds[column] + set.featureScaler.means[column];
      anchors[sample * targetCount + targetIndex] = (value - set.targetScaler.means[targetIndex]) / set.targetScaler.stds[targetIndex];
    }
  }
}

/** Adds `sign` x anchor to every horizon of each sample's horizon-major output vector, in place. */
export function shiftByAnchors(values: Float32Array, anchors: Float32Array, count: number, horizonCount: number, targetCount: number, sign: 1 | -1): void {
  const outputs = horizonCount * targetCount;
  for (let sample = 0; sample < count; sample += 1) {
    for (let horizonIndex = 0; horizonIndex < horizonCount; horizonIndex += 1) {
      for (let targetIndex = 0; targetIndex < targetCount; targetIndex += 1) {
        values[sample * outputs + horizonIndex * targetCount + targetIndex] += sign * anchors[sample * targetCount + targetIndex];
      }
    }
  }
}
