import { z } from 'zod';
import { issueForecasts, type IssueForecastsSummary } from '../src/forecast/issue-forecasts.js';
import { forecastModelFromLoaded } from '../src/forecast/loaded-model.js';
import { disposeModel } from '../src/model/gru.js';
import { loadChampion, loadModel } from '../src/registry/load.js';
import { parseKstDateArgument } from '../src/time/kst.js';
import { defineJob } from './definition.js';

const payload = z.object({
  /** Model version to forecast with; the champion when absent. */
  modelVersion: z.string().min(1).optional(),
  /** Forecast as of this KST date-time; the default is the newest stored air hour. */
  asOf: z.string().min(1).optional(),
  stationIds: z.array(z.number().int().positive()).min(1).optional(),
  /** Hours before asOf in which a station's latest complete window must end. */
  lookbackHours: z.number().int().min(1).max(24 * 365).optional(),
});

/** Forecasts every horizon for every station with the champion, or a named version, and writes the forecast rows. */
export const forecastJob = defineJob({
  name: 'forecast',
  payload,
  async handle(input, context): Promise<IssueForecastsSummary> {
    const { database, settings, logger } = context;
    const loaded = input.modelVersion
      ? await loadModel(database, settings, input.modelVersion, logger)
      : await loadChampion(database, settings, logger);
    try {
      return issueForecasts(
        database,
        forecastModelFromLoaded(loaded),
        {
          asOf: input.asOf ? parseKstDateArgument(input.asOf) : undefined,
          stationIds: input.stationIds,
          lookbackHours: input.lookbackHours,
        },
        logger,
      );
    } finally {
      disposeModel(loaded.model);
    }
  },
});
