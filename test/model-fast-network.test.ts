import { afterEach, describe, expect, it } from 'vitest';
import { buildGruModel, disposeModel, type GruOptions } from '../src/model/gru.js';
import { FusedGruNetwork, UnsupportedLayerError } from '../src/model/fast/fused-network.js';
import { FusedTrainer } from '../src/model/fast/fused-trainer.js';
import { ParallelFusedTrainer } from '../src/model/fast/parallel/parallel-trainer.js';
import { tf, type LayersModel } from '../src/model/tf.js';

const architecture: GruOptions = {
  windowHours: 6,
  featureCount: 3,
  outputCount: 4,
  layers: 2,
  units: 5,
  dropout: 0,
  learningRate: 0.01,
  seed: 7,
};
const batchSize = 8;

/** Largest absolute difference between two tensors of the same shape. */
function maxDifference(left: tf.Tensor, right: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(left, right))).dataSync()[0]);
}

function maxWeightDifference(left: LayersModel, right: LayersModel): number {
  const rightWeights = right.getWeights();
  return Math.max(...left.getWeights().map((weight, index) => maxDifference(weight, rightWeights[index])));
}

function batch(seed: number): { inputs: tf.Tensor3D; targets: tf.Tensor2D } {
  const inputs = tf.randomNormal([batchSize, architecture.windowHours, architecture.featureCount], 0, 1, 'float32', seed) as tf.Tensor3D;
  const targetValues = tf.randomNormal([batchSize, architecture.outputCount], 0, 1, 'float32', seed + 1).dataSync() as Float32Array;
  // Unobserved targets arrive as NaN; the masked loss must skip them on every engine.
  targetValues[1] = Number.NaN;
  targetValues[batchSize * architecture.outputCount - 2] = Number.NaN;
  return { inputs, targets: tf.tensor2d(targetValues, [batchSize, architecture.outputCount]) };
}

const models: LayersModel[] = [];
function model(options: Partial<GruOptions> = {}): LayersModel {
  const built = buildGruModel({ ...architecture, ...options });
  models.push(built);
  return built;
}

afterEach(() => {
  for (const built of models.splice(0)) disposeModel(built);
});

describe('FusedGruNetwork', () => {
  it('forward equals the layers model', () => {
    const layersModel = model({ dropout: 0.2 });
    const network = FusedGruNetwork.fromLayersModel(layersModel);
    const { inputs } = batch(1);
    const expected = layersModel.predict(inputs) as tf.Tensor;
    expect(maxDifference(network.apply(inputs, false), expected)).toBeLessThan(1e-5);
    network.dispose();
  });

  it('training step equals trainOnBatch', async () => {
    const layersModel = model();
    const fusedModel = model();
    const network = FusedGruNetwork.fromLayersModel(fusedModel);
    const trainer = new FusedTrainer(network, fusedModel.optimizer);
    for (const seed of [11, 12, 13]) {
      const { inputs, targets } = batch(seed);
      const layersLoss = (await layersModel.trainOnBatch(inputs, targets)) as number;
      const fusedLoss = trainer.trainBatch(inputs, targets);
      expect(Math.abs(fusedLoss - layersLoss)).toBeLessThan(1e-5);
    }
    network.copyWeightsTo(fusedModel);
    expect(maxWeightDifference(fusedModel, layersModel)).toBeLessThan(1e-5);
    network.dispose();
  });

  it('trains a batch of one', async () => {
    const layersModel = model();
    const fusedModel = model();
    const network = FusedGruNetwork.fromLayersModel(fusedModel);
    const trainer = new FusedTrainer(network, fusedModel.optimizer);
    const inputs = tf.randomNormal([1, architecture.windowHours, architecture.featureCount], 0, 1, 'float32', 41) as tf.Tensor3D;
    const targets = tf.randomNormal([1, architecture.outputCount], 0, 1, 'float32', 42) as tf.Tensor2D;
    const layersLoss = (await layersModel.trainOnBatch(inputs, targets)) as number;
    expect(Math.abs(trainer.trainBatch(inputs, targets) - layersLoss)).toBeLessThan(1e-5);
    network.copyWeightsTo(fusedModel);
    expect(maxWeightDifference(fusedModel, layersModel)).toBeLessThan(1e-5);
    network.dispose();
  });

  it('copies weights back to the model', () => {
    const layersModel = model();
    const network = FusedGruNetwork.fromLayersModel(layersModel);
    const trainer = new FusedTrainer(network, tf.train.adam(0.05));
    const { inputs, targets } = batch(21);
    trainer.trainBatch(inputs, targets);
    const trained = network.apply(inputs, false);
    expect(maxDifference(layersModel.predict(inputs) as tf.Tensor, trained)).toBeGreaterThan(1e-4);
    network.copyWeightsTo(layersModel);
    expect(maxDifference(layersModel.predict(inputs) as tf.Tensor, trained)).toBeLessThan(1e-5);
    network.dispose();
  });

  it('rejects recurrent dropout', () => {
    const layersModel = tf.sequential({
      layers: [
        tf.layers.gru({ units: 4, recurrentDropout: 0.1, inputShape: [5, 2] }),
        tf.layers.dense({ units: 1 }),
      ],
    });
    models.push(layersModel);
    expect(() => FusedGruNetwork.fromLayersModel(layersModel)).toThrow(UnsupportedLayerError);
    expect(() => FusedGruNetwork.fromLayersModel(layersModel)).toThrow(/recurrentDropout/);
  });

  it('rejects a model without dense output', () => {
    const layersModel = tf.sequential({ layers: [tf.layers.gru({ units: 4, inputShape: [5, 2] })] });
    models.push(layersModel);
    expect(() => FusedGruNetwork.fromLayersModel(layersModel)).toThrow(/last layer must be a dense layer/);
  });
});

describe('ParallelFusedTrainer', () => {
  it('two threads equal one', async () => {
    const singleModel = model();
    const parallelModel = model();
    const network = FusedGruNetwork.fromLayersModel(singleModel);
    const single = new FusedTrainer(network, singleModel.optimizer);
    const parallel = await ParallelFusedTrainer.create(parallelModel, { threads: 2, backend: 'cpu', architecture });
    try {
      for (const seed of [31, 32, 33]) {
        const { inputs, targets } = batch(seed);
        const singleLoss = single.trainBatch(inputs, targets);
        const parallelLoss = await parallel.trainBatch(
          inputs.dataSync() as Float32Array,
          targets.dataSync() as Float32Array,
          batchSize,
        );
        expect(Math.abs(parallelLoss - singleLoss)).toBeLessThan(1e-5);
      }
      await parallel.settleApplies();
      network.copyWeightsTo(singleModel);
      parallel.copyWeightsTo(parallelModel);
      expect(maxWeightDifference(parallelModel, singleModel)).toBeLessThan(1e-5);
    } finally {
      await parallel.dispose();
      network.dispose();
    }
  });
});
