import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { LayersModel } from '../model/tf.js';
import { fileSaveHandler, MODEL_FILE, sha256Hex, WEIGHTS_FILE, writeFileDurably } from './file-handler.js';
import { MANIFEST_FILE, manifestFromJson, manifestToJson, type ModelManifest } from './manifest.js';

/** Prefix of folders still being written, which are never read as model versions. */
const TEMPORARY_PREFIX = '.partial-';

export interface WriteArtifactOptions {
  modelDirectory: string;
  model: LayersModel;
  /** The manifest without its weights entry, which is computed from the written file. */
  manifest: Omit<ModelManifest, 'weights'>;
  /**
   * Runs after the folder is complete, with the final path and a function that renames the
   * folder into place. The caller records the version here, in a transaction that wraps the rename.
   */
  publish: (finalPath: string, manifest: ModelManifest, rename: () => void) => void;
  /** Test seam: runs after each file is written, to simulate a crash mid-write. */
  onFileWritten?: (fileName: string) => void;
}

/**
 * Writes a model version to `<modelDirectory>/<version>`: topology, weights and manifest go
 * into a temporary sibling folder first, which is renamed only when complete, so a crash leaves
 * no half-written version folder. Returns the final path and the manifest with its weights hash.
 */
export async function writeArtifact(options: WriteArtifactOptions): Promise<{ path: string; manifest: ModelManifest }> {
  const directory = resolve(options.modelDirectory);
  mkdirSync(directory, { recursive: true });
  removeAbandonedFolders(directory);
  const version = options.manifest.version;
  const finalPath = join(directory, version);
  if (existsSync(finalPath)) throw new Error(`model version folder ${finalPath} already exists; choose another version name`);
  const temporaryPath = join(directory, `${TEMPORARY_PREFIX}${version}-${process.pid}`);
  mkdirSync(temporaryPath);
  try {
    await options.model.save(fileSaveHandler(temporaryPath, options.onFileWritten));
    const weights = readFileSync(join(temporaryPath, WEIGHTS_FILE));
    const manifest: ModelManifest = {
      ...options.manifest,
      weights: { file: WEIGHTS_FILE, sha256: sha256Hex(weights), bytes: weights.length },
    };
    writeFileDurably(join(temporaryPath, MANIFEST_FILE), manifestToJson(manifest));
    options.onFileWritten?.(MANIFEST_FILE);
    options.publish(finalPath, manifest, () => renameSync(temporaryPath, finalPath));
    return { path: finalPath, manifest };
  } finally {
    if (existsSync(temporaryPath)) rmSync(temporaryPath, { recursive: true, force: true });
  }
}

/** Reads and validates the manifest of a version folder. */
export function readManifest(artifactPath: string): ModelManifest {
  const path = join(artifactPath, MANIFEST_FILE);
  if (!existsSync(path)) throw new Error(`model manifest ${path} not found; the artifact folder is missing or incomplete`);
  return manifestFromJson(readFileSync(path, 'utf8'), path);
}

/** True when a version folder has all three files. */
export function isCompleteArtifact(artifactPath: string): boolean {
  return [MODEL_FILE, WEIGHTS_FILE, MANIFEST_FILE].every((file) => existsSync(join(artifactPath, file)));
}

/**
 * Deletes temporary folders left by writers that crashed. The writer's pid is part of the name,
 * so a folder is removed only when that process is gone.
 */
export function removeAbandonedFolders(directory: string): string[] {
  const removed: string[] = [];
  if (!existsSync(directory)) return removed;
  for (const name of readdirSync(directory)) {
    if (!name.startsWith(TEMPORARY_PREFIX)) continue;
    const path = join(directory, name);
    const pid = Number(/-(\d+)$/.exec(name)?.[1]);
    if (pid === process.pid) continue;
    if (Number.isInteger(pid) && isProcessAlive(pid)) continue;
    if (!statSync(path).isDirectory()) continue;
    rmSync(path, { recursive: true, force: true });
    removed.push(path);
  }
  return removed;
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
