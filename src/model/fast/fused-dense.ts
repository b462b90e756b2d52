import { tf } from '../tf.js';

type DenseKernel = (inputs: tf.Tensor, kernel: tf.Tensor, bias: tf.Tensor) => tf.Tensor;

type CustomGradFunction = Parameters<typeof tf.customGrad>[0];

/**
 * A linear dense layer, inputs [batch, units] times kernel [units, outputs] plus bias, whose
 * gradient multiplies only untransposed operands. tfjs autodiff of matMul passes transpose
 * flags instead, which the wasm backend (4.22) runs about ten times slower. The bias gradient
 * is a product with a row of ones, because the wasm Sum over axis 0 is slower still.
 */
export const fusedDense: DenseKernel = tf.customGrad(((
  inputs: tf.Tensor2D,
  kernel: tf.Tensor2D,
  bias: tf.Tensor1D,
  save: tf.GradSaveFunc,
) => {
  save([inputs, kernel]);
  const value = tf.fused.matMul({ a: inputs, b: kernel, bias });
  const gradFunc = (outputGradient: tf.Tensor, saved: tf.Tensor[]): tf.Tensor[] => {
    const [savedInputs, savedKernel] = saved;
    return [
      tf.matMul(outputGradient, tf.transpose(savedKernel)),
      tf.matMul(tf.transpose(savedInputs), outputGradient),
      tf.reshape(tf.matMul(tf.ones([1, outputGradient.shape[0]]), outputGradient), [outputGradient.shape[1] as number]),
    ];
  };
  return { value, gradFunc };
}) as unknown as CustomGradFunction) as unknown as DenseKernel;
