// Child process for the reload test: loads an artifact and a window set in a fresh process and
// prints the predictions for the test samples as a JSON array.
// Usage: node --import tsx predict-from-artifact.ts ARTIFACT_FOLDER WINDOW_SET_FOLDER
import { createSilentLogger } from '../../src/logging/logger.js';
import { selectBackend } from '../../src/model/backend.js';
import { predict } from '../../src/model/predict.js';
import { readManifest } from '../../src/registry/artifact-store.js';
import { loadArtifact } from '../../src/registry/load.js';
import { loadWindowSet } from '../../src/windows/window-set-file.js';

const [artifactPath, windowSetPath] = process.argv.slice(2);
await selectBackend('cpu', { logger: createSilentLogger(), probe: readManifest(artifactPath).architecture });
const { model } = await loadArtifact(artifactPath);
const windowSet = loadWindowSet(windowSetPath);
process.stdout.write(JSON.stringify(Array.from(predict(model, windowSet, windowSet.samples.test))));
