import { tf } from '../tf.js';

/**
 * Splits a time-major tensor [steps, ...] into one tensor per step, by reading its values once
 * and creating each step's tensor from a copy of its part. tf.unstack does the same job with
 * one Slice per step, and the wasm backend's Slice copies the whole input every time
 * (tfjs-backend-wasm 4.22), which made unstacking 24 steps about 80 times slower than this.
 * The step tensors are constants, so this is only for code that computes gradients itself.
 */
export function splitSteps(tensor: tf.Tensor): tf.Tensor[] {
  const [steps, ...stepShape] = tensor.shape;
  const values = tensor.dataSync() as Float32Array;
  const size = values.length / steps;
  const parts: tf.Tensor[] = [];
  for (let step = 0; step < steps; step += 1) {
    parts.push(tf.tensor(values.slice(step * size, (step + 1) * size), stepShape, 'float32'));
  }
  return parts;
}
