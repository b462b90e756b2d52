import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { activeBackend, BackendUnavailableError, selectBackend } from '../src/model/backend.js';
import type { GruOptions } from '../src/model/gru.js';
import { tf } from '../src/model/tf.js';
import { capturingLogger } from './helpers/model-fixtures.js';

const probe: GruOptions = { windowHours: 6, featureCount: 3, outputCount: 2, layers: 2, units: 4, dropout: 0.1, learningRate: 0.01, seed: 3 };

// The tests share one tfjs engine, so they run in order: forced node, auto, then cpu.
describe('selectBackend', () => {
  it('rejects forced node with the fix', async () => {
    const { logger } = capturingLogger();
    const attempt = selectBackend('node', { logger, probe });
    await expect(attempt).rejects.toBeInstanceOf(BackendUnavailableError);
    await expect(selectBackend('node', { logger, probe })).rejects.toThrow(/DUSTCAST_TF_BACKEND=node/);
    await expect(selectBackend('node', { logger, probe })).rejects.toThrow(/Install @tensorflow\/tfjs-node/);
    expect(activeBackend()).toBeUndefined();
  });

  it('falls back to wasm under auto', async () => {
    const { logger, lines } = capturingLogger();
    const choice = await selectBackend('auto', { logger, probe });
    expect(choice.name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(choice.skipped.map((entry) => entry.backend)).toEqual(['node']);
    expect(choice.skipped[0].reason).toMatch(/tfjs-node/);
    expect(choice.versions['tfjs-backend-wasm']).toMatch(/^\d+\.\d+\.\d+/);
    const logged = lines();
    const skip = logged.find((line) => line.msg === 'TensorFlow.js backend skipped');
    const selected = logged.find((line) => line.msg === 'TensorFlow.js backend selected');
    expect(skip?.backend).toBe('node');
    expect(selected?.backend).toBe('wasm');
  });

  it('reuses the active backend under auto', async () => {
    const { logger, lines } = capturingLogger();
    const choice = await selectBackend('auto', { logger, probe });
    expect(choice.name).toBe('wasm');
    expect(lines()).toHaveLength(0);
  });

  it('switches to forced cpu', async () => {
    const { logger } = capturingLogger();
    const choice = await selectBackend('cpu', { logger, probe });
    expect(choice.name).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(choice.skipped).toEqual([]);
  });

  it('serialises concurrent selections', async () => {
    const { logger } = capturingLogger();
    const [first, second] = await Promise.all([selectBackend('wasm', { logger, probe }), selectBackend('cpu', { logger, probe })]);
    expect(first.name).toBe('wasm');
    expect(second.name).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
  });

  it('leaks no tensors from the probe', async () => {
    const { logger } = capturingLogger();
    const before = tf.memory().numTensors;
    await selectBackend('wasm', { logger, probe });
    expect(tf.getBackend()).toBe('wasm');
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('tfjs console notes', () => {
  it('prints no tfjs-node banner', () => {
    // A fresh process, because the banner appears only on the CPU backend's first tensor.
    const script = [
      "const { tf } = await import('./src/model/tf.ts');",
      "await tf.setBackend('cpu');",
      'tf.tensor([1, 2, 3]).dispose();',
      "console.log('tensor stored');",
    ].join('\n');
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: join(import.meta.dirname, '..'), encoding: 'utf8' });
    expect(child.status, child.stderr).toBe(0);
    expect(child.stdout).toContain('tensor stored');
    expect(child.stderr).not.toContain('looks like you are running TensorFlow.js in Node.js');
  });
});
