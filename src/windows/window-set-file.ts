import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Scaler, TimeRange, WindowSet } from './window-set.js';

/** Bumped whenever the folder layout changes, so an old folder is rejected rather than misread. */
export const WINDOW_SET_FORMAT = 1;

const HEADER_FILE = 'window-set.json';

interface ArrayEntry {
  file: string;
  type: 'float32' | 'int32';
  length: number;
}

interface WindowSetHeader {
  format: number;
  spec: WindowSet['spec'];
  featureCount: number;
  rowCount: number;
  blocks: WindowSet['blocks'];
  ranges: { train: TimeRange; validation: TimeRange; test: TimeRange };
  featureScaler: { means: number[]; stds: number[] };
  targetScaler: { means: number[]; stds: number[] };
  stationIds: number[];
  arrays: Record<'features' | 'targetValues' | 'train' | 'validation' | 'test', ArrayEntry>;
}

function scalerToJson(scaler: Scaler): { means: number[]; stds: number[] } {
  return { means: Array.from(scaler.means), stds: Array.from(scaler.stds) };
}

function scalerFromJson(json: { means: number[]; stds: number[] }): Scaler {
  return { means: Float32Array.from(json.means), stds: Float32Array.from(json.stds) };
}

/**
 * Writes a window set to `directory`: a JSON header plus one raw little-endian file per typed
 * array. Files go to a sibling temporary folder that is renamed into place, so a reader never
 * sees half a set. An existing folder at `directory` is replaced.
 */
export function saveWindowSet(set: WindowSet, directory: string): void {
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
    throw new Error('saveWindowSet writes little-endian files and this machine is big-endian');
  }
  const target = resolve(directory);
  const temporary = join(dirname(target), `.${basename(target)}.tmp-${process.pid}-${Date.now()}`);
  mkdirSync(temporary, { recursive: true });
  try {
    const arrays = {
      features: set.features,
      targetValues: set.targetValues,
      train: set.samples.train,
      validation: set.samples.validation,
      test: set.samples.test,
    };
    const entries = {} as WindowSetHeader['arrays'];
    for (const [name, array] of Object.entries(arrays)) {
      const type = array instanceof Float32Array ? 'float32' : 'int32';
      const file = `${name}.${type === 'float32' ? 'f32' : 'i32'}`;
      writeFileSync(join(temporary, file), new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
      entries[name as keyof WindowSetHeader['arrays']] = { file, type, length: array.length };
    }
    const header: WindowSetHeader = {
      format: WINDOW_SET_FORMAT,
      spec: set.spec,
      featureCount: set.featureCount,
      rowCount: set.rowCount,
      blocks: set.blocks,
      ranges: set.ranges,
      featureScaler: scalerToJson(set.featureScaler),
      targetScaler: scalerToJson(set.targetScaler),
      stationIds: set.stationIds,
      arrays: entries,
    };
    writeFileSync(join(temporary, HEADER_FILE), JSON.stringify(header));
    if (existsSync(target)) rmSync(target, { recursive: true, force: true });
    renameSync(temporary, target);
  } catch (error) {
    rmSync(temporary, { recursive: true, force: true });
    throw error;
  }
}

function readArray(directory: string, entry: ArrayEntry): Float32Array | Int32Array {
  const path = join(directory, entry.file);
  const bytes = readFileSync(path);
  if (bytes.byteLength !== entry.length * 4) {
    throw new Error(`window set file ${path} has ${bytes.byteLength} bytes but the header expects ${entry.length * 4}; rebuild the window set`);
  }
  // Copy into a fresh, aligned buffer; Buffer pools may start at an offset that is not a multiple of 4.
  const copy = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(copy).set(bytes);
  return entry.type === 'float32' ? new Float32Array(copy) : new Int32Array(copy);
}

/** Reads a window set written by saveWindowSet; throws naming the folder when it is missing or damaged. */
export function loadWindowSet(directory: string): WindowSet {
  const headerPath = join(directory, HEADER_FILE);
  if (!existsSync(headerPath)) throw new Error(`no window set in ${directory}: ${HEADER_FILE} not found; run the build-windows job first`);
  const header = JSON.parse(readFileSync(headerPath, 'utf8')) as WindowSetHeader;
  if (header.format !== WINDOW_SET_FORMAT) {
    throw new Error(`window set in ${directory} has format ${header.format} but this version reads ${WINDOW_SET_FORMAT}; rebuild it`);
  }
  return {
    spec: header.spec,
    featureCount: header.featureCount,
    rowCount: header.rowCount,
    features: readArray(directory, header.arrays.features) as Float32Array,
    targetValues: readArray(directory, header.arrays.targetValues) as Float32Array,
    blocks: header.blocks,
    samples: {
      train: readArray(directory, header.arrays.train) as Int32Array,
      validation: readArray(directory, header.arrays.validation) as Int32Array,
      test: readArray(directory, header.arrays.test) as Int32Array,
    },
    ranges: header.ranges,
    featureScaler: scalerFromJson(header.featureScaler),
    targetScaler: scalerFromJson(header.targetScaler),
    stationIds: header.stationIds,
  };
}
