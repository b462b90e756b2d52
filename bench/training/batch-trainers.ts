import type { GruOptions } from '../../src/model/gru.js';
import { FusedGruNetwork } from '../../src/model/fast/fused-network.js';
import { FusedTrainer } from '../../src/model/fast/fused-trainer.js';
import { ParallelFusedTrainer } from '../../src/model/fast/parallel/parallel-trainer.js';
import type { BackendName } from '../../src/model/backend.js';
import { tf, type LayersModel } from '../../src/model/tf.js';

/** Training paths the benchmark compares. */
export const trainingEngineNames = ['layers', 'fused', 'fused-autodiff', 'fused-parallel'] as const;
export type TrainingEngineName = (typeof trainingEngineNames)[number];

/** One engine's training step, behind the same calls for every engine. */
export interface BatchTrainer {
  /** Runs one optimiser step and returns the batch's loss. */
  trainBatch(inputs: tf.Tensor3D, targets: tf.Tensor2D): Promise<number>;
  /** Leaves the trained weights in the layers model. */
  finish(): Promise<void>;
  dispose(): Promise<void>;
}

/** Creates the engine's trainer for a model built by buildGruModel. */
export async function createBatchTrainer(
  engine: TrainingEngineName,
  model: LayersModel,
  architecture: GruOptions,
  parallel: { backend: BackendName; threads: number },
): Promise<BatchTrainer> {
  if (engine === 'layers') {
    return {
      async trainBatch(inputs, targets) {
        const loss = await model.trainOnBatch(inputs, targets);
        return Array.isArray(loss) ? loss[0] : loss;
      },
      async finish() {},
      async dispose() {},
    };
  }
  if (engine === 'fused' || engine === 'fused-autodiff') {
    const network = FusedGruNetwork.fromLayersModel(model, {
      seed: architecture.seed,
      gradient: engine === 'fused' ? 'custom' : 'autodiff',
    });
    const trainer = new FusedTrainer(network, model.optimizer);
    return {
      async trainBatch(inputs, targets) {
        return trainer.trainBatch(inputs, targets);
      },
      async finish() {
        network.copyWeightsTo(model);
      },
      async dispose() {
        network.dispose();
      },
    };
  }
  if (engine === 'fused-parallel') {
    const trainer = await ParallelFusedTrainer.create(model, { ...parallel, architecture });
    return {
      async trainBatch(inputs, targets) {
        return trainer.trainBatch(inputs.dataSync() as Float32Array, targets.dataSync() as Float32Array, inputs.shape[0]);
      },
      async finish() {
        await trainer.settleApplies();
        trainer.copyWeightsTo(model);
      },
      async dispose() {
        await trainer.dispose();
      },
    };
  }
  throw new Error(`unknown training engine ${JSON.stringify(engine)}; expected one of ${trainingEngineNames.join(', ')}`);
}
