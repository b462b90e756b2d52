// Child process for the artifact test: saves a model and kills itself with SIGKILL right after
// the named file is written, as a power cut or OOM kill would.
// Usage: node --import tsx crash-while-saving.ts DATABASE MODEL_DIRECTORY MANIFEST_JSON FILE_NAME
import { readFileSync } from 'node:fs';
import { openDatabase } from '../../src/db/database.js';
import { createSilentLogger } from '../../src/logging/logger.js';
import { selectBackend } from '../../src/model/backend.js';
import { buildGruModel } from '../../src/model/gru.js';
import { manifestFromJson } from '../../src/registry/manifest.js';
import { saveCandidate } from '../../src/registry/save-candidate.js';

const [databasePath, modelDirectory, manifestPath, crashAfter] = process.argv.slice(2);
const { weights: _weights, ...manifest } = manifestFromJson(readFileSync(manifestPath, 'utf8'), manifestPath);
await selectBackend('cpu', { logger: createSilentLogger(), probe: manifest.architecture });
const database = openDatabase(databasePath);
const model = buildGruModel(manifest.architecture);
await saveCandidate({
  database,
  modelDirectory,
  model,
  manifest,
  onFileWritten: (fileName) => {
    if (fileName === crashAfter) process.kill(process.pid, 'SIGKILL');
  },
});
console.error('the crash hook did not fire');
process.exit(3);
