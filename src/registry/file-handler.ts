import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { tf } from '../model/tf.js';

export const MODEL_FILE = 'model.json';
export const WEIGHTS_FILE = 'weights.bin';

/** Weights whose sha256 differs from the one the manifest recorded. */
export class WeightsIntegrityError extends Error {
  constructor(
    readonly path: string,
    readonly expectedSha256: string,
    readonly actualSha256: string,
  ) {
    super(
      `weights file ${path} has sha256 ${actualSha256} but the manifest expects ${expectedSha256}; ` +
        'the artifact was modified or corrupted, so retrain or promote another version',
    );
    this.name = 'WeightsIntegrityError';
  }
}

/** Returns the lowercase hex sha256 of a byte array. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Writes a file and flushes it to disk, so a rename after it never exposes a partly written file. */
export function writeFileDurably(path: string, contents: Uint8Array | string): void {
  const descriptor = openSync(path, 'w');
  try {
    const bytes = typeof contents === 'string' ? Buffer.from(contents, 'utf8') : contents;
    let offset = 0;
    while (offset < bytes.length) offset += writeSync(descriptor, bytes, offset, bytes.length - offset);
    fsyncSync(descriptor);
  } finally {
    closeSync(descriptor);
  }
}

/**
 * Creates a tf.io save handler that writes `model.json` and `weights.bin` into an existing
 * folder, in the layout tfjs-node's file:// handler reads. The wasm and cpu backends
 * register no file handler of their own. `onFileWritten` runs after each file.
 */
export function fileSaveHandler(folder: string, onFileWritten?: (fileName: string) => void): tf.io.IOHandler {
  return {
    save: async (artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> => {
      if (!artifacts.modelTopology || artifacts.modelTopology instanceof ArrayBuffer) {
        throw new Error('the file handler saves only layers models with a JSON topology');
      }
      const modelTopology = artifacts.modelTopology;
      const weightData = artifacts.weightData ? new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData)) : new Uint8Array(0);
      writeFileDurably(join(folder, WEIGHTS_FILE), weightData);
      onFileWritten?.(WEIGHTS_FILE);
      const modelJson: tf.io.ModelJSON = {
        modelTopology,
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
        weightsManifest: [{ paths: [`./${WEIGHTS_FILE}`], weights: artifacts.weightSpecs ?? [] }],
      };
      if (artifacts.trainingConfig) modelJson.trainingConfig = artifacts.trainingConfig;
      if (artifacts.userDefinedMetadata) modelJson.userDefinedMetadata = artifacts.userDefinedMetadata;
      writeFileDurably(join(folder, MODEL_FILE), JSON.stringify(modelJson));
      onFileWritten?.(MODEL_FILE);
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
  };
}

/**
 * Creates a tf.io load handler for a folder written by fileSaveHandler. When `expectedSha256`
 * is given, the weights are hashed before use and a mismatch throws WeightsIntegrityError.
 */
export function fileLoadHandler(folder: string, expectedSha256?: string): tf.io.IOHandler {
  return {
    load: async (): Promise<tf.io.ModelArtifacts> => {
      const modelPath = join(folder, MODEL_FILE);
      let modelJson: tf.io.ModelJSON;
      try {
        modelJson = JSON.parse(readFileSync(modelPath, 'utf8')) as tf.io.ModelJSON;
      } catch (error) {
        throw new Error(`cannot read model topology ${modelPath}: ${(error as Error).message}`);
      }
      return tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => {
        const specs = manifest.flatMap((group) => group.weights);
        const paths = manifest.flatMap((group) => group.paths);
        if (paths.length !== 1) {
          throw new Error(`${modelPath} lists ${paths.length} weight files; this handler reads exactly one (${WEIGHTS_FILE})`);
        }
        const weightsPath = join(folder, paths[0]);
        const bytes = readFileSync(weightsPath);
        if (expectedSha256 !== undefined) {
          const actual = sha256Hex(bytes);
          if (actual !== expectedSha256) throw new WeightsIntegrityError(weightsPath, expectedSha256, actual);
        }
        return [specs, bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)];
      });
    },
  };
}
