import { tf } from '../tf.js';

/**
 * Gate activations that `tf.layers.gru` accepts as `recurrentActivation` and the fused GRU
 * implements. tfjs-layers 4.x defaults to hardSigmoid, defined as clip(0.2 x + 0.5, 0, 1).
 */
export type GateActivation = 'hardSigmoid' | 'sigmoid';

export const gateActivations: readonly GateActivation[] = ['hardSigmoid', 'sigmoid'];

/** Applies the gate activation to pre-activations. */
export function applyGateActivation(activation: GateActivation, preActivation: tf.Tensor): tf.Tensor {
  if (activation === 'sigmoid') return tf.sigmoid(preActivation);
  return tf.clipByValue(tf.add(tf.mul(preActivation, 0.2), 0.5), 0, 1);
}

/**
 * Scale and offset that turn a pre-activation into the argument of the activation's last op:
 * hardSigmoid(a) = clip(0.2 a + 0.5), so its input projection and recurrent kernel can be
 * scaled once per batch instead of scaling every step's sum.
 */
export function gateAffine(activation: GateActivation): { scale: number; offset: number } {
  return activation === 'sigmoid' ? { scale: 1, offset: 0 } : { scale: 0.2, offset: 0.5 };
}

/** Applies the activation's last op to an argument already scaled by gateAffine. */
export function applyScaledGateActivation(activation: GateActivation, scaled: tf.Tensor): tf.Tensor {
  return activation === 'sigmoid' ? tf.sigmoid(scaled) : tf.clipByValue(scaled, 0, 1);
}

/**
 * Returns the activation's derivative, computed from its output so the backward pass needs no
 * saved pre-activations. hardSigmoid has slope 0.2 strictly inside (0, 1) and 0 where clipped.
 * That matches the gradient of tf.clipByValue in the layers GRU everywhere except at
 * pre-activations of exactly -2.5 and 2.5, where tfjs counts the bound as inside.
 */
export function gateActivationDerivative(activation: GateActivation, output: tf.Tensor): tf.Tensor {
  const slope = tf.mul(output, tf.sub(1, output));
  if (activation === 'sigmoid') return slope;
  // g (1 - g) is positive exactly when g is strictly inside (0, 1).
  return tf.mul(tf.step(slope), 0.2);
}
