import type { tf } from '../tf.js';

/**
 * Weights of one GRU layer in the layout of `tf.layers.gru` (tfjs-layers 4.x, reset_after
 * false), so they are the layer's own `getWeights()` in order and load back with `setWeights`.
 * Every 3 * units axis holds three blocks of `units` columns: update gate (z), reset gate (r),
 * then candidate state (h).
 */
export interface GruWeights {
  /** Input projection, [inputSize, 3 * units]. */
  kernel: tf.Tensor2D;
  /** State projection, [units, 3 * units]. */
  recurrentKernel: tf.Tensor2D;
  /** Added to the input projection only, [3 * units]. */
  bias: tf.Tensor1D;
}

/** Weights of the dense output layer, [units, outputs] and [outputs]. */
export interface DenseWeights {
  kernel: tf.Tensor2D;
  bias: tf.Tensor1D;
}

/**
 * Checks that a GRU layer's weights have consistent shapes and returns its unit count.
 * Throws a RangeError naming the layer and the shapes found.
 */
export function unitsOfGruWeights(weights: GruWeights, layerName: string): number {
  const units = weights.recurrentKernel.shape[0];
  const expected = 3 * units;
  const consistent =
    weights.recurrentKernel.shape[1] === expected &&
    weights.kernel.shape[1] === expected &&
    weights.bias.shape[0] === expected;
  if (!consistent) {
    throw new RangeError(
      `GRU layer ${layerName} has inconsistent weights: kernel [${weights.kernel.shape}], ` +
        `recurrent kernel [${weights.recurrentKernel.shape}], bias [${weights.bias.shape}]; ` +
        `expected [inputs, ${expected}], [${units}, ${expected}] and [${expected}]`,
    );
  }
  return units;
}
