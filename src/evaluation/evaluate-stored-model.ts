import type { DustcastDatabase } from '../db/database.js';
import type { ForecastModel } from '../forecast/forecast-model.js';
import type { Logger } from '../logging/logger.js';
import { buildModelWindowSet } from '../windows/build-window-set.js';
import type { HourOfDayClimatology } from './climatology.js';
import { evaluatePredictions, type EvaluationReport } from './report.js';

/**
 * Scores a stored model on any stored period. Windows are rebuilt from the database with the
 * model's feature list and saved scalers, and the baselines use the climatology saved at
 * training, so the numbers compare with the report stored beside the model. Samples are those
 * whose last input hour and every target hour fall in [from, to].
 */
export function evaluateStoredModel(
  database: DustcastDatabase,
  model: ForecastModel,
  climatology: HourOfDayClimatology,
  /** Stations default to the model's training stations. */
  period: { from: number; to: number; stationIds?: number[] },
  logger?: Logger,
): EvaluationReport {
  const windowSet = buildModelWindowSet(
    database,
    {
      spec: model.spec,
      featureScaler: model.featureScaler,
      targetScaler: model.targetScaler,
      from: period.from,
      to: period.to,
      stationIds: period.stationIds ?? model.stationIds,
    },
    logger,
  );
  const sampleRows = windowSet.samples.test;
  if (sampleRows.length === 0) {
    throw new Error('no complete windows with observed targets in the period; choose a longer period or import its observations');
  }
  const predictions = model.predict(windowSet, sampleRows);
  return evaluatePredictions({ predictions, windowSet, sampleRows, climatology });
}
