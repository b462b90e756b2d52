import { z } from 'zod';
import type { EvaluationReport } from '../src/evaluation/report.js';
import { disposeModel } from '../src/model/gru.js';
import { runTraining } from '../src/model/training-run.js';
import { pruneModelVersions } from '../src/registry/retention.js';
import { newVersionName, saveCandidate } from '../src/registry/save-candidate.js';
import { parseKstDateArgument } from '../src/time/kst.js';
import { buildTrainingWindowSet, trainingRequestFromSettings } from '../src/windows/build-window-set.js';
import { loadWindowSet } from '../src/windows/window-set-file.js';
import { defineJob } from './definition.js';

const payload = z.object({
  /** Folder written by the build-windows job; when absent, windows are built from the database. */
  windowSetDirectory: z.string().min(1).optional(),
  /** Period of observations to build windows from, as KST dates; ignored with windowSetDirectory. */
  from: z.string().min(1).optional(),
  to: z.string().min(1).optional(),
  stationIds: z.array(z.number().int().positive()).min(1).optional(),
});

export interface TrainSummary {
  version: string;
  artifactPath: string;
  backend: string;
  epochsRun: number;
  bestEpoch: number;
  stoppedEarly: boolean;
  durationMs: number;
  samplesPerSecond: number;
  pm25MeanRmse: number;
  report: EvaluationReport;
  /** Versions whose artifacts retention removed after this one was stored. */
  deletedVersions: string[];
}

/** Trains a GRU, scores it on the test split and stores it as a `candidate` version. */
export const trainJob = defineJob({
  name: 'train',
  payload,
  async handle(input, context): Promise<TrainSummary> {
    const { database, settings, logger } = context;
    const windowSet = input.windowSetDirectory
      ? loadWindowSet(input.windowSetDirectory)
      : buildTrainingWindowSet(
          database,
          trainingRequestFromSettings(settings, {
            from: input.from ? parseKstDateArgument(input.from) : undefined,
            to: input.to ? parseKstDateArgument(input.to) : undefined,
            stationIds: input.stationIds,
            targets: settings.DUSTCAST_TARGETS,
          }),
          logger,
        );
    const version = newVersionName(database, settings.DUSTCAST_MODEL_DIRECTORY);
    const run = await runTraining({
      windowSet,
      settings,
      logger,
      version,
      signal: context.signal,
      onEpoch: (progress) =>
        context.reportProgress({
          stage: 'epoch',
          current: progress.epoch,
          total: progress.epochs,
          details: {
            loss: progress.loss.toFixed(4),
            val_loss: progress.validationLoss.toFixed(4),
            best: progress.bestEpoch,
            elapsed_s: Math.round(progress.elapsedMs / 1000),
          },
        }),
    });
    try {
      const saved = await saveCandidate({ database, modelDirectory: settings.DUSTCAST_MODEL_DIRECTORY, model: run.model, manifest: run.manifest });
      logger.info({ version, artifactPath: saved.path, pm25MeanRmse: saved.manifest.evaluation.pm25MeanRmse }, 'candidate model stored');
      const deletedVersions = pruneModelVersions(database, settings.DUSTCAST_KEEP_MODEL_VERSIONS, logger);
      return {
        version,
        artifactPath: saved.path,
        backend: run.backend.name,
        epochsRun: run.training.epochsRun,
        bestEpoch: run.training.bestEpoch,
        stoppedEarly: run.training.stoppedEarly,
        durationMs: Math.round(run.training.durationMs),
        samplesPerSecond: Math.round(run.training.samplesPerSecond),
        pm25MeanRmse: saved.manifest.evaluation.pm25MeanRmse,
        report: saved.manifest.evaluation.report,
        deletedVersions,
      };
    } finally {
      disposeModel(run.model);
    }
  },
});
