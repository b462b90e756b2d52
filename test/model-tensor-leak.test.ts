import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobContext, ProgressUpdate } from '../jobs/definition.js';
import { runJob } from '../jobs/definition.js';
import { evaluatePromoteJob } from '../jobs/evaluate-promote.js';
import { forecastJob } from '../jobs/forecast.js';
import { trainJob } from '../jobs/train.js';
import { openDatabase, type DustcastDatabase } from '../src/db/database.js';
import { importFile } from '../src/importers/import-file.js';
import { selectBackend } from '../src/model/backend.js';
import { tf } from '../src/model/tf.js';
import { listModels } from '../src/registry/model-rows.js';
import { capturingLogger, temporaryFolder, tinyModelSettings } from './helpers/model-fixtures.js';
import { seoulDataMissingMessage, seoulUrbanCsvPath } from './helpers/seoul-window-set.js';

const csvPath = seoulUrbanCsvPath();
if (!csvPath) console.warn(`skipping tensor leak test: ${seoulDataMissingMessage}`);

/** Writes the rows of two stations for May 2025 from the real realtime CSV, header included. */
function writeSlice(path: string): void {
  const lines = readFileSync(csvPath!, 'utf8').split('\n');
  const header = lines[0];
  const columns = header.split(',');
  const stationColumn = columns.indexOf('stationName');
  const timeColumn = columns.indexOf('dataTime');
  const kept = lines.slice(1).filter((line) => {
    const fields = line.split(',');
    return ['강남구', '종로구'].includes(fields[stationColumn]) && fields[timeColumn]?.startsWith('2025-05');
  });
  writeFileSync(path, `${[header, ...kept].join('\n')}\n`);
}

describe.skipIf(!csvPath)('train, evaluate and forecast cycle', () => {
  const folder = temporaryFolder('dustcast-leak-');
  const settings = tinyModelSettings({
    DUSTCAST_MODEL_DIRECTORY: join(folder.path, 'models'),
    DUSTCAST_WINDOW_HOURS: 12,
    DUSTCAST_HORIZONS: [1, 3, 6],
    DUSTCAST_EPOCHS: 1,
  });
  const progress: ProgressUpdate[] = [];
  let database: DustcastDatabase;
  let context: JobContext;

  beforeAll(async () => {
    database = openDatabase(join(folder.path, 'dustcast.sqlite'));
    const slicePath = join(folder.path, 'slice.csv');
    writeSlice(slicePath);
    importFile(database, slicePath);
    const { logger } = capturingLogger();
    context = { database, settings, logger, reportProgress: (update) => progress.push(update), signal: new AbortController().signal };
    await selectBackend('cpu', { logger, probe: { windowHours: 12, featureCount: 4, outputCount: 3, layers: 1, units: 4, dropout: 0, learningRate: 0.01, seed: 1 } });
  });

  afterAll(() => {
    database?.close();
    folder.remove();
  });

  it('returns to the starting tensor count', async () => {
    const start = tf.memory().numTensors;
    const counts: number[] = [];
    const actions: string[] = [];
    const forecastRows: number[] = [];
    for (let cycle = 0; cycle < 3; cycle += 1) {
      const trained = await runJob(trainJob, {}, context);
      const decision = await runJob(evaluatePromoteJob, { version: trained.version }, context);
      const forecast = await runJob(forecastJob, { modelVersion: trained.version }, context);
      actions.push(decision.action);
      forecastRows.push(forecast.rowsWritten);
      counts.push(tf.memory().numTensors);
    }
    expect(counts).toEqual([start, start, start]);
    expect(actions[0]).toBe('promoted');
    expect(forecastRows.every((rows) => rows === 2 * 3)).toBe(true);
    expect(listModels(database)).toHaveLength(3);
    expect(progress.filter((update) => update.stage === 'epoch')).toHaveLength(3);
  });
});
