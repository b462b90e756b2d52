import { tf } from '../tf.js';
import {
  applyGateActivation,
  applyScaledGateActivation,
  gateActivationDerivative,
  gateAffine,
  type GateActivation,
} from './gate-activation.js';
import { unitsOfGruWeights, type GruWeights } from './gru-weights.js';
import { splitSteps } from './split-steps.js';

/** Options of one fused GRU layer; both must match the `tf.layers.gru` it replaces. */
export interface FusedGruOptions {
  /** True returns the state of every step; false only the last state [batch, units]. */
  returnSequences: boolean;
  gateActivation: GateActivation;
}

/**
 * Runs one GRU layer over batch-major inputs [batch, steps, inputs], returning [batch, steps,
 * units] or [batch, units] like `tf.layers.gru` with the same weights. See fusedGruTimeMajor.
 */
export function fusedGru(inputs: tf.Tensor3D, weights: GruWeights, options: FusedGruOptions): tf.Tensor {
  return tf.tidy(() => {
    const output = fusedGruTimeMajor(tf.transpose(inputs, [1, 0, 2]), weights, options);
    return options.returnSequences ? tf.transpose(output, [1, 0, 2]) : output;
  });
}

/**
 * Runs one GRU layer over time-major inputs [steps, batch, inputs] with the equations of
 * `tf.layers.gru` (reset applied before the recurrent product): z, r = gate(x W + b + h R) and
 * candidate = tanh(x W + b + (r * h) R), each with its gate's block of columns, then
 * h' = z * h + (1 - z) * candidate. Returns [steps, batch, units] or the last state.
 *
 * The input product of all steps is one matrix multiplication per gate, so a step only
 * multiplies the state. The backward pass is written by hand (tf.customGrad): it computes the
 * per-step factors for all steps at once, runs about a dozen ops per step, and forms each weight
 * gradient with one matrix product after the loop. Time-major order makes each step a
 * contiguous slice.
 */
export function fusedGruTimeMajor(inputs: tf.Tensor3D, weights: GruWeights, options: FusedGruOptions): tf.Tensor {
  unitsOfGruWeights(weights, 'fused');
  const kernels = options.returnSequences ? sequenceKernels : lastStateKernels;
  return kernels[options.gateActivation](inputs, weights.kernel, weights.recurrentKernel, weights.bias);
}

/**
 * Runs the same layer in plain tf ops, batch-major, for tfjs autodiff to differentiate. It
 * projects the inputs once but leaves the backward pass to the tape. Benchmarks and tests
 * compare the hand-written backward pass against it.
 */
export function fusedGruAutodiff(inputs: tf.Tensor3D, weights: GruWeights, options: FusedGruOptions): tf.Tensor {
  return tf.tidy(() => {
    const units = unitsOfGruWeights(weights, 'fused');
    const [batch, steps, inputSize] = inputs.shape;
    const projected = tf.reshape(
      tf.fused.matMul({ a: tf.reshape(inputs, [batch * steps, inputSize]), b: weights.kernel, bias: weights.bias }),
      [batch, steps, 3 * units],
    );
    const projectedSteps = tf.unstack(projected, 1);
    const [recurrentGateKernel, recurrentCandidateKernel] = tf.split(weights.recurrentKernel, [2 * units, units], 1);
    let state: tf.Tensor = tf.zeros([batch, units]);
    const outputs: tf.Tensor[] = [];
    for (let step = 0; step < steps; step += 1) {
      const [inputGates, inputCandidate] = tf.split(projectedSteps[step], [2 * units, units], 1);
      const gates = applyGateActivation(options.gateActivation, tf.add(inputGates, tf.matMul(state, recurrentGateKernel)));
      const [update, reset] = tf.split(gates, 2, 1);
      const candidate = tf.tanh(tf.add(inputCandidate, tf.matMul(tf.mul(reset, state), recurrentCandidateKernel)));
      state = tf.add(candidate, tf.mul(update, tf.sub(state, candidate)));
      outputs.push(state);
    }
    return options.returnSequences ? tf.stack(outputs, 1) : state;
  });
}

type GruKernel = (inputs: tf.Tensor, kernel: tf.Tensor, recurrentKernel: tf.Tensor, bias: tf.Tensor) => tf.Tensor;

type CustomGradFunction = Parameters<typeof tf.customGrad>[0];

function buildGruKernel(returnSequences: boolean, gateActivation: GateActivation): GruKernel {
  const { scale, offset } = gateAffine(gateActivation);
  const forward = (
    inputs: tf.Tensor3D,
    kernel: tf.Tensor2D,
    recurrentKernel: tf.Tensor2D,
    bias: tf.Tensor1D,
    save: tf.GradSaveFunc,
  ) => {
    const [steps, batch, inputSize] = inputs.shape;
    const units = recurrentKernel.shape[0];
    const flatInputs = tf.reshape(inputs, [steps * batch, inputSize]) as tf.Tensor2D;
    const [updateKernel, resetKernel, candidateKernel] = tf.split(kernel, 3, 1) as tf.Tensor2D[];
    const [updateBias, resetBias, candidateBias] = tf.split(bias, 3);
    const [recurrentUpdate, recurrentReset, recurrentCandidate] = tf.split(recurrentKernel, 3, 1);

    // Constant factors are folded into the weights once per batch instead of into every step:
    // the gate affine of hardSigmoid, and the 2 of tanh(a) = 2 sigmoid(2a) - 1, because the
    // wasm backend's tanh kernel is several times slower than its sigmoid (tfjs 4.22).
    const project = (weights: tf.Tensor2D, projectionBias: tf.Tensor, factor: number, constant: number) =>
      splitSteps(
        tf.reshape(
          tf.fused.matMul({
            a: flatInputs,
            b: tf.mul(weights, factor) as tf.Tensor2D,
            bias: tf.add(tf.mul(projectionBias, factor), constant),
          }),
          [steps, batch, units],
        ),
      );
    const inputUpdates = project(updateKernel, updateBias, scale, offset);
    const inputResets = project(resetKernel, resetBias, scale, offset);
    const inputCandidates = project(candidateKernel, candidateBias, 2, 0);
    const scaledRecurrentUpdate = tf.mul(recurrentUpdate, scale);
    const scaledRecurrentReset = tf.mul(recurrentReset, scale);
    const doubledRecurrentCandidate = tf.mul(recurrentCandidate, 2);

    // Separate update and reset products avoid splitting a [batch, 2 * units] tensor each
    // step, which the wasm backend copies row by row.
    let state: tf.Tensor = tf.zeros([batch, units]);
    const previousStates: tf.Tensor[] = [];
    const updates: tf.Tensor[] = [];
    const resets: tf.Tensor[] = [];
    const resetStates: tf.Tensor[] = [];
    const candidates: tf.Tensor[] = [];
    for (let step = 0; step < steps; step += 1) {
      const update = applyScaledGateActivation(gateActivation, tf.add(inputUpdates[step], tf.matMul(state, scaledRecurrentUpdate)));
      const reset = applyScaledGateActivation(gateActivation, tf.add(inputResets[step], tf.matMul(state, scaledRecurrentReset)));
      const resetState = tf.mul(reset, state);
      const candidateSigmoid = tf.sigmoid(tf.add(inputCandidates[step], tf.matMul(resetState, doubledRecurrentCandidate)));
      const candidate = tf.sub(tf.mul(candidateSigmoid, 2), 1);
      previousStates.push(state);
      updates.push(update);
      resets.push(reset);
      resetStates.push(resetState);
      candidates.push(candidate);
      state = tf.add(candidate, tf.mul(update, tf.sub(state, candidate)));
    }

    // Concatenating [batch, units] steps along axis 0 and reshaping is the same as tf.stack,
    // and about twice as fast on the wasm backend.
    const stack = (tensors: tf.Tensor[]) => tf.reshape(tf.concat(tensors, 0), [steps, batch, units]);
    const value = returnSequences ? stack([...previousStates.slice(1), state]) : state;
    save([
      flatInputs,
      kernel,
      recurrentKernel,
      stack(previousStates),
      stack(updates),
      stack(resets),
      stack(resetStates),
      stack(candidates),
    ]);

    const gradFunc = (outputGradient: tf.Tensor, saved: tf.Tensor[]): tf.Tensor[] => {
      const [savedInputs, savedKernel, savedRecurrentKernel, previousState, update, reset, resetState, candidate] = saved;
      // The wasm backend multiplies a transposed operand about ten times slower than a plain
      // one (tfjs-backend-wasm 4.22), so every operand is transposed once, outside the loop.
      const [updateRowsTransposed, resetRowsTransposed, candidateRowsTransposed] = tf
        .split(savedRecurrentKernel, 3, 1)
        .map((block) => tf.transpose(block));

      // Per-step factors of the chain rule, computed for all steps in one op each:
      // dCandidatePre = dh (1 - z)(1 - c^2), dUpdatePre = dh (h - c) z', dResetPre = d(r h) h r'.
      const candidateFactor = splitSteps(tf.mul(tf.sub(1, update), tf.sub(1, tf.square(candidate))));
      const updateFactor = splitSteps(
        tf.mul(tf.sub(previousState, candidate), gateActivationDerivative(gateActivation, update)),
      );
      const resetFactor = splitSteps(tf.mul(previousState, gateActivationDerivative(gateActivation, reset)));
      const updateSteps = splitSteps(update);
      const resetSteps = splitSteps(reset);
      const outputGradientSteps = returnSequences ? splitSteps(outputGradient) : [];

      const updateGradients: tf.Tensor[] = new Array(steps);
      const resetGradients: tf.Tensor[] = new Array(steps);
      const candidateGradients: tf.Tensor[] = new Array(steps);
      let stateGradient: tf.Tensor = returnSequences ? outputGradientSteps[steps - 1] : outputGradient;
      for (let step = steps - 1; step >= 0; step -= 1) {
        const candidateGradient = tf.mul(stateGradient, candidateFactor[step]);
        const resetStateGradient = tf.matMul(candidateGradient, candidateRowsTransposed);
        const updateGradient = tf.mul(stateGradient, updateFactor[step]);
        const resetGradient = tf.mul(resetStateGradient, resetFactor[step]);
        let previousGradient = tf.add(tf.mul(stateGradient, updateSteps[step]), tf.mul(resetStateGradient, resetSteps[step]));
        previousGradient = tf.add(previousGradient, tf.matMul(updateGradient, updateRowsTransposed));
        previousGradient = tf.add(previousGradient, tf.matMul(resetGradient, resetRowsTransposed));
        if (returnSequences && step > 0) previousGradient = tf.add(previousGradient, outputGradientSteps[step - 1]);
        updateGradients[step] = updateGradient;
        resetGradients[step] = resetGradient;
        candidateGradients[step] = candidateGradient;
        stateGradient = previousGradient;
      }

      // Rows of these [steps * batch, ...] matrices are in (step, sample) order, as savedInputs.
      const rows = steps * batch;
      const flatten = (tensors: tf.Tensor[]) => tf.concat(tensors, 0);
      const flatUpdateGradients = flatten(updateGradients);
      const flatResetGradients = flatten(resetGradients);
      const flatCandidateGradients = flatten(candidateGradients);
      const flatProjectedGradients = tf.concat([flatUpdateGradients, flatResetGradients, flatCandidateGradients], 1);
      const previousStatesTransposed = tf.transpose(tf.reshape(previousState, [rows, units]));
      const resetStatesTransposed = tf.transpose(tf.reshape(resetState, [rows, units]));

      const inputsGradient = tf.reshape(
        tf.matMul(flatProjectedGradients, tf.transpose(savedKernel)),
        [steps, batch, inputSize],
      );
      const kernelGradient = tf.matMul(tf.transpose(savedInputs), flatProjectedGradients);
      const recurrentKernelGradient = tf.concat(
        [
          tf.matMul(previousStatesTransposed, flatUpdateGradients),
          tf.matMul(previousStatesTransposed, flatResetGradients),
          tf.matMul(resetStatesTransposed, flatCandidateGradients),
        ],
        1,
      );
      // A row of ones times the gradients sums over rows. The wasm Sum over axis 0 transposes
      // its input first, which took about 60 times longer here (tfjs-backend-wasm 4.22).
      const biasGradient = tf.reshape(tf.matMul(tf.ones([1, rows]), flatProjectedGradients), [3 * units]);
      return [inputsGradient, kernelGradient, recurrentKernelGradient, biasGradient];
    };
    return { value, gradFunc };
  };
  return tf.customGrad(forward as unknown as CustomGradFunction) as unknown as GruKernel;
}

const sequenceKernels: Record<GateActivation, GruKernel> = {
  hardSigmoid: buildGruKernel(true, 'hardSigmoid'),
  sigmoid: buildGruKernel(true, 'sigmoid'),
};

const lastStateKernels: Record<GateActivation, GruKernel> = {
  hardSigmoid: buildGruKernel(false, 'hardSigmoid'),
  sigmoid: buildGruKernel(false, 'sigmoid'),
};
