import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NotebookWindows, WindowSplit } from './notebook-windows.js';

const splitNames = ['train', 'validation', 'test'] as const;
type SplitName = (typeof splitNames)[number];

/** Shape and scaling of the windows in a folder; bench/peer/gru_peer.py reads the same file. */
export interface WindowFilesMeta {
  windowHours: number;
  featureCount: number;
  outputCount: number;
  featureNames: string[];
  splits: Record<SplitName, number>;
  targetMeans: number[];
  targetStds: number[];
}

/**
 * Writes windows as raw little-endian float32 files (C order) plus meta.json, so the PyTorch
 * peer and every Dustcast run train on byte-identical inputs.
 */
export function writeWindowFiles(windows: NotebookWindows, folder: string): void {
  mkdirSync(folder, { recursive: true });
  for (const name of splitNames) {
    const split = windows[name];
    writeFileSync(join(folder, `${name}-inputs.f32`), new Uint8Array(split.inputs.buffer, split.inputs.byteOffset, split.inputs.byteLength));
    writeFileSync(join(folder, `${name}-targets.f32`), new Uint8Array(split.targets.buffer, split.targets.byteOffset, split.targets.byteLength));
  }
  const meta: WindowFilesMeta = {
    windowHours: windows.windowHours,
    featureCount: windows.featureCount,
    outputCount: windows.outputCount,
    featureNames: windows.featureNames,
    splits: { train: windows.train.count, validation: windows.validation.count, test: windows.test.count },
    targetMeans: windows.targetMeans,
    targetStds: windows.targetStds,
  };
  writeFileSync(join(folder, 'meta.json'), JSON.stringify(meta, null, 2));
}

export function readWindowMeta(folder: string): WindowFilesMeta {
  return JSON.parse(readFileSync(join(folder, 'meta.json'), 'utf8')) as WindowFilesMeta;
}

export function readWindowSplit(folder: string, name: SplitName, meta: WindowFilesMeta): WindowSplit {
  const read = (file: string) => {
    const bytes = readFileSync(join(folder, file));
    return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  };
  const inputs = read(`${name}-inputs.f32`);
  const targets = read(`${name}-targets.f32`);
  const count = meta.splits[name];
  if (inputs.length !== count * meta.windowHours * meta.featureCount || targets.length !== count * meta.outputCount) {
    throw new Error(`window files of split ${name} in ${folder} do not match meta.json; delete the folder and rerun the benchmark`);
  }
  return { count, inputs, targets };
}
