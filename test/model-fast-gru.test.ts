import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';
import { fusedGru, fusedGruAutodiff } from '../src/model/fast/fused-gru.js';
import type { GateActivation } from '../src/model/fast/gate-activation.js';
import type { GruWeights } from '../src/model/fast/gru-weights.js';

const batch = 5;
const steps = 7;
const inputSize = 4;
const units = 6;

/** Largest absolute difference between two tensors of the same shape. */
function maxDifference(left: tf.Tensor, right: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(left, right))).dataSync()[0]);
}

/** A GRU layer built and given seeded weights, with bias values away from zero. */
function buildLayer(gateActivation: GateActivation, returnSequences: boolean): tf.layers.Layer {
  const layer = tf.layers.gru({ units, returnSequences, recurrentActivation: gateActivation });
  // Applying the layer once builds its weights; setWeights then replaces the random ones.
  tf.dispose(layer.apply(tf.zeros([batch, steps, inputSize])) as tf.Tensor);
  layer.setWeights([
    tf.randomNormal([inputSize, 3 * units], 0, 0.6, 'float32', 1),
    tf.randomNormal([units, 3 * units], 0, 0.6, 'float32', 2),
    tf.randomNormal([3 * units], 0, 0.4, 'float32', 3),
  ]);
  return layer;
}

function weightsOf(layer: tf.layers.Layer): GruWeights {
  const [kernel, recurrentKernel, bias] = layer.getWeights();
  return { kernel: kernel as tf.Tensor2D, recurrentKernel: recurrentKernel as tf.Tensor2D, bias: bias as tf.Tensor1D };
}

const cases: { backend: string; gateActivation: GateActivation; returnSequences: boolean }[] = [];
for (const backend of ['cpu', 'wasm']) {
  for (const gateActivation of ['hardSigmoid', 'sigmoid'] as const) {
    for (const returnSequences of [true, false]) cases.push({ backend, gateActivation, returnSequences });
  }
}

describe('fused GRU', () => {
  for (const { backend, gateActivation, returnSequences } of cases) {
    const label = `${backend}, ${gateActivation}, ${returnSequences ? 'sequences' : 'last state'}`;

    it(`forward equals tf.layers.gru (${label})`, async () => {
      await tf.setBackend(backend);
      const layer = buildLayer(gateActivation, returnSequences);
      const inputs = tf.randomNormal([batch, steps, inputSize], 0, 1, 'float32', 4) as tf.Tensor3D;
      const expected = layer.apply(inputs) as tf.Tensor;
      const options = { returnSequences, gateActivation };
      const fused = fusedGru(inputs, weightsOf(layer), options);
      const autodiff = fusedGruAutodiff(inputs, weightsOf(layer), options);
      expect(fused.shape).toEqual(expected.shape);
      expect(maxDifference(fused, expected)).toBeLessThan(1e-5);
      expect(maxDifference(autodiff, expected)).toBeLessThan(1e-5);
    });

    it(`gradients equal tf.layers.gru (${label})`, async () => {
      await tf.setBackend(backend);
      const layer = buildLayer(gateActivation, returnSequences);
      const inputs = tf.randomNormal([batch, steps, inputSize], 0, 1, 'float32', 5) as tf.Tensor3D;
      const outputShape = returnSequences ? [batch, steps, units] : [batch, units];
      // A random projection of the output makes every output element matter to the loss.
      const projection = tf.randomNormal(outputShape, 0, 1, 'float32', 6);
      const loss = (output: tf.Tensor) => tf.sum(tf.mul(output, projection)) as tf.Scalar;

      const [kernel, recurrentKernel, bias] = layer.trainableWeights.map((weight) => weight.read());
      // The layer reads its weights from variables, so its weight gradients come from variableGrads.
      const layerGradients = tf.variableGrads(() => loss(layer.apply(inputs) as tf.Tensor));
      const inputGradient = tf.grad((x: tf.Tensor) => loss(layer.apply(x) as tf.Tensor))(inputs);

      const options = { returnSequences, gateActivation };
      const fusedGradients = tf.grads((x: tf.Tensor, k: tf.Tensor, rk: tf.Tensor, b: tf.Tensor) =>
        loss(fusedGru(x as tf.Tensor3D, { kernel: k as tf.Tensor2D, recurrentKernel: rk as tf.Tensor2D, bias: b as tf.Tensor1D }, options)),
      )([inputs, kernel, recurrentKernel, bias]);

      const names = layer.trainableWeights.map((weight) => weight.originalName);
      expect(maxDifference(fusedGradients[0], inputGradient)).toBeLessThan(1e-4);
      for (let index = 0; index < 3; index += 1) {
        const layerGradient = layerGradients.grads[layer.trainableWeights[index].name];
        expect(maxDifference(fusedGradients[index + 1], layerGradient), names[index]).toBeLessThan(1e-4);
      }
    });
  }
});
