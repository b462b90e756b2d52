/**
 * The one TensorFlow.js instance of the process. Every module imports `tf` from here, so the
 * backends registered by backend.ts (tfjs-node, wasm) attach to the engine the model code uses.
 */
import * as tf from '@tensorflow/tfjs';

export { tf };
export type { LayersModel, Tensor } from '@tensorflow/tfjs';
