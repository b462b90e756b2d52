import { z } from 'zod';
import { parseKstDateArgument } from '../src/time/kst.js';
import { buildTrainingWindowSet, trainingRequestFromSettings } from '../src/windows/build-window-set.js';
import { saveWindowSet } from '../src/windows/window-set-file.js';
import type { TimeRange } from '../src/windows/window-set.js';
import { defineJob } from './definition.js';

const payload = z.object({
  /** Folder the window set is written to; the train job reads it from there. */
  outputDirectory: z.string().min(1),
  /** First and last KST date or date-time of observations to use; the default is everything stored. */
  from: z.string().min(1).optional(),
  to: z.string().min(1).optional(),
  stationIds: z.array(z.number().int().positive()).min(1).optional(),
});

export interface BuildWindowsSummary {
  outputDirectory: string;
  stations: number;
  rows: number;
  blocks: number;
  featureNames: string[];
  samples: { train: number; validation: number; test: number };
  /** Issue-time ranges per split, UTC epoch seconds. */
  ranges: { train: TimeRange; validation: TimeRange; test: TimeRange };
}

/** Builds training windows from the database with the window settings and saves them to a folder. */
export const buildWindowsJob = defineJob({
  name: 'build-windows',
  payload,
  async handle(input, context): Promise<BuildWindowsSummary> {
    const { database, settings, logger } = context;
    const request = trainingRequestFromSettings(settings, {
      from: input.from ? parseKstDateArgument(input.from) : undefined,
      to: input.to ? parseKstDateArgument(input.to) : undefined,
      stationIds: input.stationIds,
    });
    context.reportProgress({ stage: 'windows', current: 0, total: 1 });
    const set = buildTrainingWindowSet(database, request, logger);
    saveWindowSet(set, input.outputDirectory);
    context.reportProgress({ stage: 'windows', current: 1, total: 1 });
    logger.info({ outputDirectory: input.outputDirectory, rows: set.rowCount }, 'window set saved');
    return {
      outputDirectory: input.outputDirectory,
      stations: set.stationIds.length,
      rows: set.rowCount,
      blocks: set.blocks.length,
      featureNames: set.spec.featureNames,
      samples: { train: set.samples.train.length, validation: set.samples.validation.length, test: set.samples.test.length },
      ranges: set.ranges,
    };
  },
});
