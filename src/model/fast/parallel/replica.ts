import { maskedMeanSquaredError } from '../../gru.js';
import { tf } from '../../tf.js';
import type { FusedGruNetwork } from '../fused-network.js';

/** A shard's gradients, one array per trainable variable in network order. */
export interface ShardGradients {
  gradients: Float32Array[];
  /** Observed (non-NaN) target values in the shard, the weight of its mean loss. */
  observed: number;
  /** The shard's masked mean squared error. */
  loss: number;
}

/** Adam settings read from the layers model's optimizer, so every replica steps identically. */
export interface AdamConfig {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon?: number;
}

/**
 * One copy of the network and its optimizer. Replicas start from the same weights and apply
 * the same averaged gradients in the same order, so their weights stay identical without
 * ever being sent between threads.
 */
export class Replica {
  readonly optimizer: tf.Optimizer;

  constructor(
    readonly network: FusedGruNetwork,
    adam: AdamConfig,
  ) {
    this.optimizer = tf.train.adam(adam.learningRate, adam.beta1, adam.beta2, adam.epsilon);
  }

  /** Computes the gradients of the masked mean squared error on one shard. */
  gradients(inputs: Float32Array, targets: Float32Array, count: number): ShardGradients {
    const variables = this.network.variables;
    // The tidy returns tensors only: given typed arrays, tf.tidy walks every element looking for
    // tensors, which took about a second per batch on 1 M gradients.
    const [loss, ...gradientTensors] = tf.tidy(() => {
      const shape = this.network.inputShape;
      const inputTensor = tf.tensor3d(inputs, [count, shape.windowHours, shape.featureCount]);
      const targetTensor = tf.tensor2d(targets, [count, targets.length / count]);
      const { value, grads } = tf.variableGrads(
        () => maskedMeanSquaredError(targetTensor, this.network.apply(inputTensor, true)) as tf.Scalar,
        variables,
      );
      return [value, ...variables.map((variable) => grads[variable.name])];
    });
    try {
      return {
        // A copy, because the cpu backend returns its own storage and the array may be transferred.
        gradients: gradientTensors.map((gradient) => (gradient.dataSync() as Float32Array).slice()),
        observed: countObserved(targets),
        loss: loss.dataSync()[0],
      };
    } finally {
      tf.dispose([loss, ...gradientTensors]);
    }
  }

  /** Applies gradients given in network variable order. */
  apply(gradients: Float32Array[]): void {
    tf.tidy(() => {
      const named: tf.NamedTensorMap = {};
      this.network.variables.forEach((variable, index) => {
        named[variable.name] = tf.tensor(gradients[index], variable.shape);
      });
      this.optimizer.applyGradients(named);
    });
  }

  dispose(): void {
    this.optimizer.dispose();
    this.network.dispose();
  }
}

/** Number of non-NaN values. */
export function countObserved(values: Float32Array): number {
  let observed = 0;
  for (const value of values) if (!Number.isNaN(value)) observed += 1;
  return observed;
}

/**
 * Averages shard gradients into `into`, weighting each by its observed target count, which
 * gives the gradient of the masked loss over the whole batch up to float rounding.
 */
export function averageGradients(shards: ShardGradients[], into: Float32Array[]): void {
  const total = shards.reduce((sum, shard) => sum + shard.observed, 0);
  into.forEach((target, variable) => {
    target.fill(0);
    for (const shard of shards) {
      if (shard.observed === 0) continue;
      const weight = shard.observed / total;
      const source = shard.gradients[variable];
      for (let index = 0; index < target.length; index += 1) target[index] += weight * source[index];
    }
  });
}
