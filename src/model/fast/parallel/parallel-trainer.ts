import type { Worker } from 'node:worker_threads';
import { startModuleWorker } from '../../../threads/worker-bootstrap.js';
import type { BackendName } from '../../backend.js';
import type { GruOptions } from '../../gru.js';
import type { LayersModel } from '../../tf.js';
import { FusedGruNetwork } from '../fused-network.js';
import type { ReplicaSetup, WorkerRequest, WorkerResponse } from './messages.js';
import { averageGradients, Replica, type AdamConfig, type ShardGradients } from './replica.js';

export interface ParallelTrainerOptions {
  /** Replicas in all, the main thread's included; 1 trains on the main thread alone. */
  threads: number;
  backend: BackendName;
  architecture: GruOptions;
}

/** A worker thread running one replica, with request and response matched by id. */
class ReplicaWorker {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (response: WorkerResponse) => void; reject: (error: Error) => void }>();

  constructor(private readonly worker: Worker) {
    worker.on('message', (response: WorkerResponse) => {
      const waiting = this.pending.get(response.id);
      if (!waiting) return;
      this.pending.delete(response.id);
      if (response.kind === 'failed') waiting.reject(new Error(`training worker failed: ${response.message}`));
      else waiting.resolve(response);
    });
    worker.on('error', (error) => this.failAll(error));
    worker.on('exit', (code) => this.failAll(new Error(`training worker exited with code ${code}`)));
  }

  request(message: DistributiveOmit<WorkerRequest, 'id'>, transfer: ArrayBuffer[] = []): Promise<WorkerResponse> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...message, id }, transfer);
    });
  }

  async close(): Promise<void> {
    try {
      await this.request({ kind: 'close' });
    } finally {
      await this.worker.terminate();
    }
  }

  private failAll(error: Error): void {
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }
}

type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;

/**
 * Data-parallel training of a FusedGruNetwork over worker threads. Each batch is cut into one
 * contiguous shard per replica, and every replica computes its shard's gradients. The main
 * thread averages them, weighted by observed targets so the step equals a whole-batch step up
 * to float rounding, and every replica applies the average with its own Adam. The wasm backend
 * runs on one thread per engine, so this is how training uses more than one core.
 */
export class ParallelFusedTrainer {
  private readonly averaged: Float32Array[];
  /** Workers' apply requests of the last batch, awaited before results of the next are used. */
  private applies: Promise<WorkerResponse>[] = [];

  private constructor(
    private readonly local: Replica,
    private readonly workers: ReplicaWorker[],
  ) {
    this.averaged = local.network.variables.map((variable) => new Float32Array(variable.size));
  }

  /** Starts the worker threads from the model's current weights; resolves once all are ready. */
  static async create(model: LayersModel, options: ParallelTrainerOptions): Promise<ParallelFusedTrainer> {
    if (!Number.isInteger(options.threads) || options.threads < 1) {
      throw new RangeError(`training threads must be a positive integer, got ${options.threads}; set DUSTCAST_TRAINING_THREADS`);
    }
    const adam = adamConfigOf(model);
    const seed = options.architecture.seed;
    const local = new Replica(FusedGruNetwork.fromLayersModel(model, { seed }), adam);
    const topology = model.toJSON(null, false);
    const weights = model.getWeights().map((weight) => ({ values: weight.dataSync() as Float32Array, shape: weight.shape }));
    const workers: ReplicaWorker[] = [];
    try {
      for (let index = 1; index < options.threads; index += 1) {
        const worker = new ReplicaWorker(startModuleWorker(import.meta.url, 'replica-worker'));
        workers.push(worker);
        const setup: ReplicaSetup = {
          backend: options.backend,
          probe: options.architecture,
          topology,
          weights: weights.map((weight) => ({ values: weight.values.slice(), shape: weight.shape })),
          adam,
          seed: seed + index * 1_000_003,
        };
        await worker.request({ kind: 'setup', setup });
      }
    } catch (error) {
      await Promise.allSettled(workers.map((worker) => worker.close()));
      local.dispose();
      throw error;
    }
    return new ParallelFusedTrainer(local, workers);
  }

  get threads(): number {
    return this.workers.length + 1;
  }

  /**
   * Trains one batch given as row-major arrays, inputs [count, windowHours, features] and
   * targets [count, outputs], and returns the batch's masked mean squared error.
   */
  async trainBatch(inputs: Float32Array, targets: Float32Array, count: number): Promise<number> {
    const shards = this.threads;

    const inputSize = inputs.length / count;
    const targetSize = targets.length / count;
    const shardSize = Math.ceil(count / shards);
    const pending: Promise<WorkerResponse>[] = [];
    for (let index = 1; index < shards; index += 1) {
      const start = Math.min(index * shardSize, count);
      const end = Math.min(start + shardSize, count);
      if (end === start) continue;
      const shardInputs = inputs.slice(start * inputSize, end * inputSize);
      const shardTargets = targets.slice(start * targetSize, end * targetSize);
      pending.push(
        this.workers[index - 1].request(
          { kind: 'gradients', inputs: shardInputs, targets: shardTargets, count: end - start },
          [shardInputs.buffer, shardTargets.buffer],
        ),
      );
    }

    const localCount = Math.min(shardSize, count);
    const results: ShardGradients[] = [
      this.local.gradients(inputs.subarray(0, localCount * inputSize), targets.subarray(0, localCount * targetSize), localCount),
    ];
    await this.settleApplies();
    for (const response of await Promise.all(pending)) {
      if (response.kind !== 'gradients') throw new Error(`training worker sent ${response.kind} where gradients were expected`);
      results.push(response.shard);
    }

    averageGradients(results, this.averaged);
    // Workers apply their copy while the main thread applies its own and prepares the next batch.
    this.applies = this.workers.map((worker) => {
      const copies = this.averaged.map((gradient) => gradient.slice());
      return worker.request({ kind: 'apply', gradients: copies }, copies.map((copy) => copy.buffer));
    });
    this.local.apply(this.averaged);
    const observed = results.reduce((sum, shard) => sum + shard.observed, 0);
    return observed === 0 ? 0 : results.reduce((sum, shard) => sum + shard.loss * shard.observed, 0) / observed;
  }

  /** Writes the trained weights into the layers model. */
  copyWeightsTo(model: LayersModel): void {
    this.local.network.copyWeightsTo(model);
  }

  /** Waits for the workers to apply the last batch; rejects if any of them failed to. */
  async settleApplies(): Promise<void> {
    const applies = this.applies;
    this.applies = [];
    await Promise.all(applies);
  }

  async dispose(): Promise<void> {
    await Promise.allSettled(this.applies);
    await Promise.allSettled(this.workers.map((worker) => worker.close()));
    this.local.dispose();
  }
}

function adamConfigOf(model: LayersModel): AdamConfig {
  const config = model.optimizer.getConfig() as Record<string, unknown>;
  if (model.optimizer.getClassName() !== 'Adam') {
    throw new Error(`the fused engine trains with Adam only, but the model is compiled with ${model.optimizer.getClassName()}`);
  }
  return {
    learningRate: Number(config.learningRate),
    beta1: Number(config.beta1),
    beta2: Number(config.beta2),
    epsilon: config.epsilon == null ? undefined : Number(config.epsilon),
  };
}

