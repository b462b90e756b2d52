import type { Settings } from '../config/settings.js';
import { fitHourOfDayClimatology } from '../evaluation/climatology.js';
import { evaluatePredictions } from '../evaluation/report.js';
import type { Logger } from '../logging/logger.js';
import type { ModelManifest } from '../registry/manifest.js';
import { MANIFEST_FORMAT_VERSION } from '../registry/manifest.js';
import { outputCount, type WindowSet } from '../windows/window-set.js';
import { meanRmse, rmseByHorizon } from './accuracy.js';
import { selectBackend, type BackendChoice } from './backend.js';
import { buildGruModel, disposeModel, gruOptionsFromSettings } from './gru.js';
import { predict } from './predict.js';
import type { LayersModel } from './tf.js';
import { trainingOptionsFromSettings, trainModel, type EpochProgress, type TrainingResult } from './train.js';

export interface TrainingRunOptions {
  windowSet: WindowSet;
  settings: Settings;
  logger: Logger;
  /** Name of the version the artifact will be stored as. */
  version: string;
  signal?: AbortSignal;
  onEpoch?: (progress: EpochProgress) => void;
  /** UTC epoch seconds recorded as the creation time. */
  now?: number;
}

/** A trained model with everything its artifact records except the weights hash. */
export interface TrainingRun {
  model: LayersModel;
  manifest: Omit<ModelManifest, 'weights'>;
  training: TrainingResult;
  backend: BackendChoice;
}

/**
 * Trains one model on a window set. It selects the backend (probing the real architecture),
 * builds the GRU and trains it with early stopping. The best epoch's weights are then scored on
 * the test split against persistence and an hour-of-day climatology fitted on the training
 * split. The caller owns `model` and must dispose it (disposeModel) after saving.
 */
export async function runTraining(options: TrainingRunOptions): Promise<TrainingRun> {
  const { windowSet, settings, logger } = options;
  if (windowSet.samples.test.length === 0) {
    throw new Error('the window set has no test samples to evaluate on; import more hours or raise DUSTCAST_TEST_FRACTION');
  }
  const architecture = gruOptionsFromSettings(settings, {
    windowHours: windowSet.spec.windowHours,
    featureCount: windowSet.featureCount,
    outputCount: outputCount(windowSet.spec),
  });
  const backend = await selectBackend(settings.DUSTCAST_TF_BACKEND, { logger, probe: architecture });
  const loop = { ...trainingOptionsFromSettings(settings), signal: options.signal, onEpoch: options.onEpoch };
  const model = buildGruModel(architecture);
  logger.info(
    {
      version: options.version,
      backend: backend.name,
      trainSamples: windowSet.samples.train.length,
      validationSamples: windowSet.samples.validation.length,
      testSamples: windowSet.samples.test.length,
      features: windowSet.spec.featureNames.length,
      layers: architecture.layers,
      units: architecture.units,
      epochs: loop.epochs,
      batchSize: loop.batchSize,
    },
    'training started',
  );
  let training: TrainingResult;
  try {
    training = await trainModel(model, windowSet, loop);
  } catch (error) {
    disposeModel(model);
    throw error;
  }
  logger.info(
    { version: options.version, epochsRun: training.epochsRun, bestEpoch: training.bestEpoch, stoppedEarly: training.stoppedEarly, samplesPerSecond: Math.round(training.samplesPerSecond) },
    'training finished',
  );

  const testRows = windowSet.samples.test;
  const predictions = predict(model, windowSet, testRows);
  const climatology = fitHourOfDayClimatology(windowSet, windowSet.samples.train);
  const report = evaluatePredictions({ predictions, windowSet, sampleRows: testRows, climatology });
  const pm25Rmse = windowSet.spec.targets.includes('pm25') ? rmseByHorizon(windowSet, testRows, predictions, 'pm25') : [];
  const pm25MeanRmse = meanRmse(pm25Rmse);
  if (!Number.isFinite(pm25MeanRmse)) {
    disposeModel(model);
    throw new Error('no test sample has an observed PM2.5 target, so the model cannot be scored; train with the pm25 target on more hours');
  }
  const manifest: Omit<ModelManifest, 'weights'> = {
    formatVersion: MANIFEST_FORMAT_VERSION,
    version: options.version,
    createdAt: options.now ?? Math.floor(Date.now() / 1000),
    spec: windowSet.spec,
    featureScaler: windowSet.featureScaler,
    targetScaler: windowSet.targetScaler,
    stationIds: windowSet.stationIds,
    ranges: windowSet.ranges,
    architecture,
    training: {
      epochs: loop.epochs,
      batchSize: loop.batchSize,
      patience: loop.patience,
      seed: loop.seed,
      engine: loop.engine ?? 'layers',
      threads: loop.threads ?? 1,
      ...training,
    },
    evaluation: {
      pm25RmseByHorizon: pm25Rmse.map((value) => (Number.isFinite(value) ? value : null)),
      pm25MeanRmse,
      testSamples: testRows.length,
      report,
    },
    climatology,
    backend: { name: backend.name, engineName: backend.engineName },
    libraries: { ...backend.versions, node: process.versions.node },
  };
  return { model, manifest, training, backend };
}
