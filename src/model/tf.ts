/**
 * The one TensorFlow.js instance of the process. Every module imports `tf` from here, so the
 * backends registered by backend.ts (tfjs-node, wasm) attach to the engine the model code uses.
 */
import * as tf from '@tensorflow/tfjs';

// tfjs writes notes to the console itself, such as a banner asking for tfjs-node each time the
// CPU backend first stores a tensor. selectBackend logs the backend in use and why, so these
// notes are silenced; in tfjs-core 4.22 the PROD flag gates nothing but them.
tf.enableProdMode();

export { tf };
export type { LayersModel, Tensor } from '@tensorflow/tfjs';
