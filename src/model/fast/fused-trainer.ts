import { maskedMeanSquaredError } from '../gru.js';
import { tf } from '../tf.js';
import type { FusedGruNetwork } from './fused-network.js';

/**
 * Trains a FusedGruNetwork with the loss the layers model is compiled with (mean squared error
 * over observed targets), one batch per call.
 */
export class FusedTrainer {
  constructor(
    readonly network: FusedGruNetwork,
    readonly optimizer: tf.Optimizer,
  ) {}

  /** Runs one optimiser step on a batch and returns its loss before the step. */
  trainBatch(inputs: tf.Tensor3D, targets: tf.Tensor2D): number {
    const loss = this.optimizer.minimize(
      () => maskedMeanSquaredError(targets, this.network.apply(inputs, true)) as tf.Scalar,
      true,
      this.network.variables,
    );
    if (!loss) throw new Error('the optimiser returned no loss for the batch');
    const value = loss.dataSync()[0];
    loss.dispose();
    return value;
  }
}
