import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { DustcastDatabase } from '../db/database.js';
import type { LayersModel } from '../model/tf.js';
import { KST_OFFSET_SECONDS } from '../time/kst.js';
import { writeArtifact } from './artifact-store.js';
import type { ModelManifest } from './manifest.js';
import { findModel, insertCandidate } from './model-rows.js';

/**
 * Returns a version name from the KST time, as every time the CLI and dashboard show, such as
 * 20261204-233000, with a -2, -3 ... suffix when that name is already a row or a folder. Names
 * sort in creation order, also after older names that were written in UTC, because KST is ahead.
 */
export function newVersionName(database: DustcastDatabase, modelDirectory: string, now = new Date()): string {
  const kst = new Date(now.getTime() + KST_OFFSET_SECONDS * 1000);
  const stamp = kst.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  for (let attempt = 1; ; attempt += 1) {
    const name = attempt === 1 ? stamp : `${stamp}-${attempt}`;
    if (!findModel(database, name) && !existsSync(join(resolve(modelDirectory), name))) return name;
  }
}

/**
 * Stores a trained model as a `candidate`: the artifact folder is renamed into place inside
 * the transaction that inserts its row, so a failure at any step leaves neither behind.
 */
export async function saveCandidate(options: {
  database: DustcastDatabase;
  modelDirectory: string;
  model: LayersModel;
  manifest: Omit<ModelManifest, 'weights'>;
  onFileWritten?: (fileName: string) => void;
}): Promise<{ path: string; manifest: ModelManifest }> {
  return writeArtifact({
    modelDirectory: options.modelDirectory,
    model: options.model,
    manifest: options.manifest,
    onFileWritten: options.onFileWritten,
    publish: (finalPath, manifest, rename) => {
      options.database.sqlite.transaction(() => {
        insertCandidate(options.database, manifest, finalPath);
        // NOTE: a crash between this rename and the commit leaves a version folder with no row.
        // Retention works from rows, so such a folder stays on disk until removed by hand.
        rename();
      })();
    },
  });
}
