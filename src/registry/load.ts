import { existsSync } from 'node:fs';
import type { Settings } from '../config/settings.js';
import type { DustcastDatabase } from '../db/database.js';
import type { Logger } from '../logging/logger.js';
import { createSilentLogger } from '../logging/logger.js';
import { selectBackend } from '../model/backend.js';
import { tf, type LayersModel } from '../model/tf.js';
import { readManifest } from './artifact-store.js';
import { fileLoadHandler } from './file-handler.js';
import type { ModelManifest } from './manifest.js';
import { findChampion, ModelRegistryError, requireModel, type ModelRow } from './model-rows.js';

/** A model ready to predict, with the manifest that describes its inputs and outputs. */
export interface LoadedModel {
  model: LayersModel;
  manifest: ModelManifest;
  row: ModelRow;
}

/**
 * Loads a version folder: validates the manifest, checks the weights' sha256 against it and
 * builds the layers model. Throws WeightsIntegrityError naming the file and both hashes.
 */
export async function loadArtifact(artifactPath: string): Promise<{ model: LayersModel; manifest: ModelManifest }> {
  const manifest = readManifest(artifactPath);
  const model = await tf.loadLayersModel(fileLoadHandler(artifactPath, manifest.weights.sha256));
  return { model, manifest };
}

/** Loads a stored version on the configured backend; the caller disposes `model`. */
export async function loadModel(
  database: DustcastDatabase,
  settings: Pick<Settings, 'DUSTCAST_TF_BACKEND'>,
  version: string,
  logger: Logger = createSilentLogger(),
): Promise<LoadedModel> {
  const row = requireModel(database, version);
  if (row.status === 'deleted' || !existsSync(row.artifactPath)) {
    throw new ModelRegistryError(`model version ${version} has no artifact at ${row.artifactPath} (status ${row.status}); promote or train another version`);
  }
  const manifest = readManifest(row.artifactPath);
  await selectBackend(settings.DUSTCAST_TF_BACKEND, { logger, probe: manifest.architecture });
  const loaded = await loadArtifact(row.artifactPath);
  if (loaded.manifest.version !== version) {
    loaded.model.dispose();
    throw new ModelRegistryError(`artifact ${row.artifactPath} contains version ${loaded.manifest.version}, not ${version}; the models table and the folder disagree`);
  }
  return { ...loaded, row };
}

/** Loads the current champion; throws when no version has been promoted yet. */
export async function loadChampion(
  database: DustcastDatabase,
  settings: Pick<Settings, 'DUSTCAST_TF_BACKEND'>,
  logger: Logger = createSilentLogger(),
): Promise<LoadedModel> {
  const champion = findChampion(database);
  if (!champion) {
    // A retry within the job's backoff cannot produce a champion, so the job fails at once.
    throw new ModelRegistryError('no champion model yet; run `dustcast train`, then `dustcast models promote VERSION` or the evaluate-and-promote step', {
      permanent: true,
    });
  }
  return loadModel(database, settings, champion.version, logger);
}
