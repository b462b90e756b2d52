import { tf, type LayersModel } from '../tf.js';
import { gateActivations, type GateActivation } from './gate-activation.js';
import { fusedDense } from './fused-dense.js';
import { fusedGruAutodiff, fusedGruTimeMajor } from './fused-gru.js';

/** One layer of a sequential GRU forecaster, in model order. */
export type FusedLayer =
  | {
      kind: 'gru';
      name: string;
      returnSequences: boolean;
      gateActivation: GateActivation;
      kernel: tf.Variable;
      recurrentKernel: tf.Variable;
      bias: tf.Variable;
    }
  | { kind: 'dropout'; name: string; rate: number }
  | { kind: 'dense'; name: string; kernel: tf.Variable; bias: tf.Variable };

/** Backward pass of the GRU layers: hand-written (custom) or recorded by tfjs autodiff. */
export type GruGradient = 'custom' | 'autodiff';

/** A layer of the standard model that the fused network cannot reproduce exactly. */
export class UnsupportedLayerError extends Error {
  constructor(
    readonly layerName: string,
    readonly reason: string,
  ) {
    super(`layer ${layerName} cannot be trained by the fused engine: ${reason}; set DUSTCAST_TRAINING_ENGINE=layers`);
    this.name = 'UnsupportedLayerError';
  }
}

/**
 * A copy of a sequential GRU forecaster (GRU, dropout and dense layers, as built by
 * buildGruModel) whose weights live in its own variables and whose GRU layers run the fused GRU.
 * It trains in place of the layers model and writes its weights back with copyWeightsTo, so
 * the saved artifact is always the standard layers model.
 */
export class FusedGruNetwork {
  private dropoutCalls = 0;

  private constructor(
    readonly layers: FusedLayer[],
    /** Hours and features of one input window. */
    readonly inputShape: { windowHours: number; featureCount: number },
    private readonly seed: number,
    readonly gradient: GruGradient,
  ) {}

  /**
   * Creates the network from a layers model, starting from that model's current weights.
   * Throws UnsupportedLayerError for any layer or option it would not reproduce exactly.
   */
  static fromLayersModel(model: LayersModel, options: { seed?: number; gradient?: GruGradient } = {}): FusedGruNetwork {
    const layers: FusedLayer[] = [];
    try {
      for (const layer of model.layers) layers.push(readLayer(layer));
      if (layers.length === 0 || layers[layers.length - 1].kind !== 'dense') {
        throw new UnsupportedLayerError(model.name, 'the last layer must be a dense layer');
      }
      const [, windowHours, featureCount] = model.inputs[0].shape;
      if (typeof windowHours !== 'number' || typeof featureCount !== 'number') {
        throw new UnsupportedLayerError(model.name, `the input shape [${model.inputs[0].shape}] must fix window hours and features`);
      }
      return new FusedGruNetwork(layers, { windowHours, featureCount }, options.seed ?? 0, options.gradient ?? 'custom');
    } catch (error) {
      // The weights copied so far are variables, which nothing else would dispose.
      tf.dispose(variablesOf(layers));
      throw error;
    }
  }

  /** Trainable variables in model order, the order of the layers model's trainable weights. */
  get variables(): tf.Variable[] {
    return variablesOf(this.layers);
  }

  /** Runs the network on [batch, windowHours, features]; dropout is active only when training. */
  apply(inputs: tf.Tensor3D, training: boolean): tf.Tensor2D {
    return tf.tidy(() => (this.gradient === 'custom' ? this.applyCustom(inputs, training) : this.applyAutodiff(inputs, training)));
  }

  /** Time-major from the first GRU layer on, so no layer transposes its input. */
  private applyCustom(inputs: tf.Tensor3D, training: boolean): tf.Tensor2D {
    let output: tf.Tensor = tf.transpose(inputs, [1, 0, 2]);
    for (const layer of this.layers) {
      if (layer.kind === 'gru') {
        output = fusedGruTimeMajor(output as tf.Tensor3D, gruWeightsOf(layer), {
          returnSequences: layer.returnSequences,
          gateActivation: layer.gateActivation,
        });
      } else if (layer.kind === 'dropout') {
        if (training) output = this.dropout(output, layer.rate);
      } else {
        output = fusedDense(output, layer.kernel, layer.bias);
      }
    }
    return output as tf.Tensor2D;
  }

  private applyAutodiff(inputs: tf.Tensor3D, training: boolean): tf.Tensor2D {
    let output: tf.Tensor = inputs;
    for (const layer of this.layers) {
      if (layer.kind === 'gru') {
        output = fusedGruAutodiff(output as tf.Tensor3D, gruWeightsOf(layer), {
          returnSequences: layer.returnSequences,
          gateActivation: layer.gateActivation,
        });
      } else if (layer.kind === 'dropout') {
        if (training) output = this.dropout(output, layer.rate);
      } else {
        output = tf.fused.matMul({ a: output as tf.Tensor2D, b: layer.kernel as tf.Tensor2D, bias: layer.bias });
      }
    }
    return output as tf.Tensor2D;
  }

  private dropout(input: tf.Tensor, rate: number): tf.Tensor {
    // A new seed per call: a fixed seed would drop the same units in every batch.
    this.dropoutCalls += 1;
    return tf.dropout(input, rate, undefined, this.seed + this.dropoutCalls);
  }

  /** Writes the current weights into the layers model the network was created from. */
  copyWeightsTo(model: LayersModel): void {
    for (const layer of this.layers) {
      if (layer.kind === 'dropout') continue;
      const target = model.getLayer(layer.name);
      if (layer.kind === 'gru') target.setWeights([layer.kernel, layer.recurrentKernel, layer.bias]);
      else target.setWeights([layer.kernel, layer.bias]);
    }
  }

  dispose(): void {
    tf.dispose(this.variables);
  }
}

function variablesOf(layers: FusedLayer[]): tf.Variable[] {
  return layers.flatMap((layer) => {
    if (layer.kind === 'gru') return [layer.kernel, layer.recurrentKernel, layer.bias];
    if (layer.kind === 'dense') return [layer.kernel, layer.bias];
    return [];
  });
}

function gruWeightsOf(layer: Extract<FusedLayer, { kind: 'gru' }>) {
  return {
    kernel: layer.kernel as tf.Tensor2D,
    recurrentKernel: layer.recurrentKernel as tf.Tensor2D,
    bias: layer.bias as tf.Tensor1D,
  };
}

interface LayerConfig {
  [key: string]: unknown;
}

function readLayer(layer: tf.layers.Layer): FusedLayer {
  const className = layer.getClassName();
  const config = layer.getConfig() as LayerConfig;
  const copy = () => layer.getWeights().map((weight) => tf.variable(weight, true));
  if (className === 'GRU') {
    requireOption(layer.name, config, 'activation', 'tanh');
    requireOption(layer.name, config, 'useBias', true);
    requireOption(layer.name, config, 'goBackwards', false);
    requireOption(layer.name, config, 'stateful', false);
    requireOption(layer.name, config, 'returnState', false);
    requireOption(layer.name, config, 'dropout', 0);
    requireOption(layer.name, config, 'recurrentDropout', 0);
    const gateActivation = config.recurrentActivation as GateActivation;
    if (!gateActivations.includes(gateActivation)) {
      throw new UnsupportedLayerError(layer.name, `recurrentActivation ${String(gateActivation)} is not one of ${gateActivations.join(', ')}`);
    }
    const [kernel, recurrentKernel, bias] = copy();
    return { kind: 'gru', name: layer.name, returnSequences: config.returnSequences === true, gateActivation, kernel, recurrentKernel, bias };
  }
  if (className === 'Dropout') {
    if (config.noiseShape != null) throw new UnsupportedLayerError(layer.name, 'noiseShape is not supported');
    return { kind: 'dropout', name: layer.name, rate: Number(config.rate) };
  }
  if (className === 'Dense') {
    requireOption(layer.name, config, 'activation', 'linear');
    requireOption(layer.name, config, 'useBias', true);
    const [kernel, bias] = copy();
    return { kind: 'dense', name: layer.name, kernel, bias };
  }
  throw new UnsupportedLayerError(layer.name, `layer type ${className} is not supported (GRU, Dropout and Dense are)`);
}

function requireOption(layerName: string, config: LayerConfig, option: string, expected: unknown): void {
  const value = config[option] ?? (option === 'dropout' || option === 'recurrentDropout' ? 0 : undefined);
  if (value !== expected) {
    throw new UnsupportedLayerError(layerName, `${option} is ${JSON.stringify(value)}, only ${JSON.stringify(expected)} is supported`);
  }
}
