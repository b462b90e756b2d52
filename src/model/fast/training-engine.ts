import { activeBackend, type BackendName } from '../backend.js';
import type { GruOptions } from '../gru.js';
import { tf, type LayersModel } from '../tf.js';
import { FusedGruNetwork } from './fused-network.js';
import { FusedTrainer } from './fused-trainer.js';
import { ParallelFusedTrainer } from './parallel/parallel-trainer.js';

/**
 * Training engines: `layers` calls the layers model's trainOnBatch, and `fused` trains a copy
 * of the same weights with the fused GRU and writes them back to the model.
 */
export const TRAINING_ENGINES = ['layers', 'fused'] as const;
export type TrainingEngineName = (typeof TRAINING_ENGINES)[number];

/** Settings of the fused engine. */
export interface FusedEngineOptions {
  engine: TrainingEngineName;
  /** Threads training data-parallel shards of each batch; 1 stays on the calling thread. */
  threads: number;
  seed: number;
}

/** The fused engine as the training loop uses it. */
export interface FusedEngine {
  /** Trains one batch and returns its loss; the engine disposes the tensors. */
  trainBatch(inputs: tf.Tensor3D, targets: tf.Tensor2D): Promise<number>;
  /** Writes the engine's current weights into the layers model, before validation or saving. */
  copyWeightsTo(model: LayersModel): Promise<void>;
  dispose(): Promise<void>;
}

/**
 * Starts the fused engine for a model built by buildGruModel, or returns undefined for the
 * layers engine. Worker threads use the backend this process selected.
 */
export async function startFusedEngine(model: LayersModel, options: FusedEngineOptions): Promise<FusedEngine | undefined> {
  if (options.engine === 'layers') return undefined;
  if (options.threads > 1) {
    const trainer = await ParallelFusedTrainer.create(model, {
      threads: options.threads,
      backend: currentBackendName(),
      architecture: { ...architectureOf(model), seed: options.seed },
    });
    return {
      async trainBatch(inputs, targets) {
        try {
          return await trainer.trainBatch(inputs.dataSync() as Float32Array, targets.dataSync() as Float32Array, inputs.shape[0]);
        } finally {
          tf.dispose([inputs, targets]);
        }
      },
      async copyWeightsTo(target) {
        await trainer.settleApplies();
        trainer.copyWeightsTo(target);
      },
      dispose: () => trainer.dispose(),
    };
  }
  const network = FusedGruNetwork.fromLayersModel(model, { seed: options.seed });
  const trainer = new FusedTrainer(network, model.optimizer);
  return {
    async trainBatch(inputs, targets) {
      try {
        return trainer.trainBatch(inputs, targets);
      } finally {
        tf.dispose([inputs, targets]);
      }
    },
    async copyWeightsTo(target) {
      network.copyWeightsTo(target);
    },
    async dispose() {
      network.dispose();
    },
  };
}

function currentBackendName(): BackendName {
  const selected = activeBackend();
  if (selected) return selected.name;
  const engineName = tf.getBackend();
  if (engineName === 'tensorflow') return 'node';
  if (engineName === 'wasm' || engineName === 'cpu') return engineName;
  throw new Error(`the fused engine cannot start worker threads on the ${engineName} backend; set DUSTCAST_TRAINING_THREADS=1`);
}

/** Reads the architecture of a model built by buildGruModel, for the workers' backend probe. */
function architectureOf(model: LayersModel): Omit<GruOptions, 'seed'> {
  const [, windowHours, featureCount] = model.inputs[0].shape as number[];
  const [, outputCount] = model.outputs[0].shape as number[];
  const gruLayers = model.layers.filter((layer) => layer.getClassName() === 'GRU');
  const dropoutLayer = model.layers.find((layer) => layer.getClassName() === 'Dropout');
  const config = model.optimizer.getConfig() as { learningRate?: number };
  return {
    windowHours,
    featureCount,
    outputCount,
    layers: gruLayers.length,
    units: Number((gruLayers[0]?.getConfig() as { units?: number }).units),
    dropout: dropoutLayer ? Number((dropoutLayer.getConfig() as { rate?: number }).rate) : 0,
    learningRate: Number(config.learningRate),
  };
}
