import type { BackendName } from '../../backend.js';
import type { GruOptions } from '../../gru.js';
import type { AdamConfig, ShardGradients } from './replica.js';

/** Everything a worker needs to build its replica: the same model, weights and optimizer. */
export interface ReplicaSetup {
  backend: BackendName;
  /** Architecture the backend probe trains, as the main thread's backend selection did. */
  probe: GruOptions;
  /** The layers model's topology, from model.toJSON(). */
  topology: unknown;
  weights: Array<{ values: Float32Array; shape: number[] }>;
  adam: AdamConfig;
  /** Dropout seed of this replica, distinct per replica so shards draw different masks. */
  seed: number;
}

export type WorkerRequest =
  | { id: number; kind: 'setup'; setup: ReplicaSetup }
  | { id: number; kind: 'gradients'; inputs: Float32Array; targets: Float32Array; count: number }
  | { id: number; kind: 'apply'; gradients: Float32Array[] }
  | { id: number; kind: 'close' };

export type WorkerResponse =
  | { id: number; kind: 'ready' }
  | { id: number; kind: 'gradients'; shard: ShardGradients }
  | { id: number; kind: 'applied' }
  | { id: number; kind: 'closed' }
  | { id: number; kind: 'failed'; message: string; stack?: string };
