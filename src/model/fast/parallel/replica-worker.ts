/**
 * Worker-thread entry of the data-parallel trainer. It owns one Replica on its own TensorFlow.js
 * engine and handles the main thread's requests in order.
 */
import { parentPort } from 'node:worker_threads';
import { createSilentLogger } from '../../../logging/logger.js';
import { selectBackend } from '../../backend.js';
import { tf } from '../../tf.js';
import { FusedGruNetwork } from '../fused-network.js';
import type { WorkerRequest, WorkerResponse } from './messages.js';
import { Replica } from './replica.js';

if (!parentPort) throw new Error('replica-worker must run in a worker thread; ParallelFusedTrainer starts it');
const port = parentPort;
let replica: Replica | undefined;

function send(response: WorkerResponse, transfer: ArrayBuffer[] = []): void {
  port.postMessage(response, transfer);
}

async function handle(request: WorkerRequest): Promise<void> {
  if (request.kind === 'setup') {
    const { setup } = request;
    await selectBackend(setup.backend, { logger: createSilentLogger(), probe: setup.probe });
    const model = await tf.models.modelFromJSON({ modelTopology: setup.topology } as tf.io.ModelJSON);
    const weights = setup.weights.map((weight) => tf.tensor(weight.values, weight.shape));
    model.setWeights(weights);
    tf.dispose(weights);
    replica = new Replica(FusedGruNetwork.fromLayersModel(model, { seed: setup.seed }), setup.adam);
    model.dispose();
    send({ id: request.id, kind: 'ready' });
    return;
  }
  if (request.kind === 'close') {
    replica?.dispose();
    replica = undefined;
    send({ id: request.id, kind: 'closed' });
    return;
  }
  if (!replica) throw new Error(`request ${request.kind} arrived before setup`);
  if (request.kind === 'gradients') {
    const shard = replica.gradients(request.inputs, request.targets, request.count);
    send({ id: request.id, kind: 'gradients', shard }, shard.gradients.map((gradient) => gradient.buffer as ArrayBuffer));
    return;
  }
  replica.apply(request.gradients);
  send({ id: request.id, kind: 'applied' });
}

// Requests are handled strictly one after another, so an apply never overlaps a gradient step.
let queue = Promise.resolve();
port.on('message', (request: WorkerRequest) => {
  queue = queue.then(() =>
    handle(request).catch((error: unknown) => {
      const failure = error instanceof Error ? error : new Error(String(error));
      send({ id: request.id, kind: 'failed', message: failure.message, stack: failure.stack });
    }),
  );
});
