import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type { Settings } from '../config/settings.js';
import type { Logger } from '../logging/logger.js';
import { buildGruModel, disposeModel, type GruOptions } from './gru.js';
import { tf } from './tf.js';

export type BackendName = 'node' | 'wasm' | 'cpu';

/** tfjs engine names of our backend choices. */
const engineNames: Record<BackendName, string> = { node: 'tensorflow', wasm: 'wasm', cpu: 'cpu' };

/** The backend in use, the library versions behind it and why each preferred one was skipped. */
export interface BackendChoice {
  name: BackendName;
  /** Name registered with the tfjs engine: tensorflow, wasm or cpu. */
  engineName: string;
  /** tfjs package versions, recorded in every model artifact. */
  versions: Record<string, string>;
  skipped: Array<{ backend: BackendName; reason: string }>;
}

/** A backend forced by DUSTCAST_TF_BACKEND that could not be loaded or failed its probe. */
export class BackendUnavailableError extends Error {
  constructor(
    readonly backend: BackendName,
    readonly reason: string,
  ) {
    super(`DUSTCAST_TF_BACKEND=${backend} but the ${backend} backend is unavailable: ${reason}. ${fixFor(backend)}`);
    this.name = 'BackendUnavailableError';
  }
}

function fixFor(backend: BackendName): string {
  if (backend === 'node') {
    return 'Install @tensorflow/tfjs-node (its install downloads libtensorflow, so it needs network access), or set DUSTCAST_TF_BACKEND=auto, wasm or cpu.';
  }
  if (backend === 'wasm') {
    return 'Reinstall @tensorflow/tfjs-backend-wasm so its .wasm files are present, or set DUSTCAST_TF_BACKEND=auto or cpu.';
  }
  return 'Reinstall @tensorflow/tfjs.';
}

export interface SelectBackendOptions {
  logger: Logger;
  /** Architecture trained for one batch before wasm (or tfjs-node) is accepted. */
  probe: GruOptions;
}

let active: BackendChoice | undefined;
/** The selection in progress; concurrent callers wait for it instead of switching mid-probe. */
let selection: Promise<unknown> = Promise.resolve();

/**
 * Activates a backend: the requested one, or for "auto" the first of node, wasm and cpu that
 * loads and trains one batch of the probe architecture. Logs the choice and each skip. Later
 * calls reuse the active backend unless another one is forced.
 */
export function selectBackend(requested: Settings['DUSTCAST_TF_BACKEND'], options: SelectBackendOptions): Promise<BackendChoice> {
  const next = selection.then(() => selectNow(requested, options));
  selection = next.catch(() => undefined);
  return next;
}

async function selectNow(requested: Settings['DUSTCAST_TF_BACKEND'], options: SelectBackendOptions): Promise<BackendChoice> {
  if (active && (requested === 'auto' || requested === active.name)) return active;
  const order: BackendName[] = requested === 'auto' ? ['node', 'wasm', 'cpu'] : [requested];
  const skipped: BackendChoice['skipped'] = [];
  for (const backend of order) {
    try {
      await activate(backend, options.probe);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (requested !== 'auto') throw new BackendUnavailableError(backend, reason);
      skipped.push({ backend, reason });
      options.logger.info({ backend, reason }, 'TensorFlow.js backend skipped');
      continue;
    }
    active = { name: backend, engineName: engineNames[backend], versions: await collectVersions(backend), skipped };
    options.logger.info({ backend, engine: active.engineName, requested, skipped: skipped.map((entry) => entry.backend) }, 'TensorFlow.js backend selected');
    return active;
  }
  const reasons = skipped.map((entry) => `${entry.backend}: ${entry.reason}`).join('; ');
  throw new Error(`no TensorFlow.js backend could be loaded (${reasons}); reinstall @tensorflow/tfjs`);
}

/** Returns the backend selected so far in this process, if any. */
export function activeBackend(): BackendChoice | undefined {
  return active;
}

async function activate(backend: BackendName, probe: GruOptions): Promise<void> {
  if (backend === 'node') await registerNodeBackend();
  if (backend === 'wasm') await registerWasmBackend();
  const ok = await tf.setBackend(engineNames[backend]);
  if (!ok) throw new Error(`tf.setBackend('${engineNames[backend]}') returned false`);
  await tf.ready();
  // The plain CPU backend implements every kernel, so only the faster ones need proof.
  if (backend !== 'cpu') await probeTraining(probe);
}

async function registerNodeBackend(): Promise<void> {
  // A variable specifier keeps TypeScript from requiring the optional package at build time.
  const specifier = '@tensorflow/tfjs-node';
  try {
    await import(specifier);
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new Error(`@tensorflow/tfjs-node could not be imported (${message})`);
  }
  if (!tf.findBackend('tensorflow')) {
    throw new Error('@tensorflow/tfjs-node loaded a second copy of @tensorflow/tfjs-core; run `npm dedupe` so both share one');
  }
}

async function registerWasmBackend(): Promise<void> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  if (tf.findBackend('wasm') && wasmPathsSet) return;
  const require = createRequire(import.meta.url);
  let wasmFile: string;
  try {
    wasmFile = require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm');
  } catch {
    throw new Error('tfjs-backend-wasm.wasm was not found in node_modules/@tensorflow/tfjs-backend-wasm/dist');
  }
  // In Node the backend reads its binaries from disk, so the prefix is a folder path ending in '/'.
  wasm.setWasmPaths(`${dirname(wasmFile)}/`);
  wasmPathsSet = true;
}

let wasmPathsSet = false;

/** Trains the real architecture on one random batch and checks the loss is finite. */
async function probeTraining(probe: GruOptions): Promise<void> {
  const batchSize = 8;
  const model = buildGruModel(probe);
  const inputs = tf.randomNormal([batchSize, probe.windowHours, probe.featureCount], 0, 1, 'float32', probe.seed);
  const targets = tf.randomNormal([batchSize, probe.outputCount], 0, 1, 'float32', probe.seed + 1);
  try {
    const loss = await model.trainOnBatch(inputs, targets);
    const value = Array.isArray(loss) ? loss[0] : loss;
    if (!Number.isFinite(value)) throw new Error(`one-batch training probe gave a non-finite loss (${value})`);
  } finally {
    inputs.dispose();
    targets.dispose();
    disposeModel(model);
  }
}

async function collectVersions(backend: BackendName): Promise<Record<string, string>> {
  const versions: Record<string, string> = {};
  for (const [name, version] of Object.entries(tf.version)) versions[name] = String(version);
  if (backend === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    versions['tfjs-backend-wasm'] = wasm.version_wasm;
  }
  if (backend === 'node') {
    const nodeVersion = (tf.engine().backend as { binding?: { TF_Version?: string } }).binding?.TF_Version;
    if (nodeVersion) versions.libtensorflow = nodeVersion;
  }
  return versions;
}
