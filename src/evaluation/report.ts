import { blockOfRow, outputCount, outputIndex, timeOfRow, type TargetName, type TimeRange, type WindowSet } from '../windows/window-set.js';
import { climatologyValue, type HourOfDayClimatology } from './climatology.js';
import { pm25GradeIndex } from './grade.js';
import { persistenceValue } from './persistence.js';

/** Root mean squared and mean absolute error in µg/m³; null when no sample was scored. */
export interface ErrorSummary {
  rmse: number | null;
  mae: number | null;
}

/** Share of samples whose predicted PM2.5 grade equals the observed one, 0..1. */
export interface GradeAccuracy {
  model: number | null;
  persistence: number | null;
  climatology: number | null;
}

/** Scores for one target at one horizon. */
export interface HorizonEvaluation {
  target: TargetName;
  horizonHours: number;
  sampleCount: number;
  model: ErrorSummary;
  persistence: ErrorSummary;
  climatology: ErrorSummary;
  /** 1 - RMSE_model / RMSE_persistence; positive means the model beats persistence. */
  skillVsPersistence: number | null;
  /** 1 - RMSE_model / RMSE_climatology. */
  skillVsClimatology: number | null;
  /** PM2.5 grade accuracy (좋음 0-15, 보통 16-35, 나쁨 36-75, 매우나쁨 76+); null for PM10. */
  gradeAccuracy: GradeAccuracy | null;
}

/** A JSON-serialisable evaluation of one model on one set of samples. */
export interface EvaluationReport {
  format: 1;
  sampleCount: number;
  /** Last input hours of the scored samples, UTC epoch seconds; from > to when empty. */
  period: TimeRange;
  horizons: number[];
  targets: TargetName[];
  rows: HorizonEvaluation[];
  /** Mean over horizons of the model's PM2.5 RMSE: the score the promotion rule compares. */
  meanPm25Rmse: number | null;
}

class ErrorAccumulator {
  private squares = 0;
  private absolutes = 0;
  count = 0;

  add(predicted: number, observed: number): void {
    const error = predicted - observed;
    this.squares += error * error;
    this.absolutes += Math.abs(error);
    this.count += 1;
  }

  summary(): ErrorSummary {
    if (this.count === 0) return { rmse: null, mae: null };
    return { rmse: Math.sqrt(this.squares / this.count), mae: this.absolutes / this.count };
  }
}

function skill(model: number | null, baseline: number | null): number | null {
  if (model === null || baseline === null || baseline === 0) return null;
  return 1 - model / baseline;
}

/**
 * Scores a model's predictions against the observed targets, next to the persistence and
 * hour-of-day climatology baselines, per target and horizon. `predictions` is
 * [sampleRows.length, outputCount] in µg/m³, horizon-major as outputIndex defines. A sample
 * counts for a horizon only when all three forecasts and the observation are numbers, so the
 * three RMSEs of one row always cover the same samples.
 */
export function evaluatePredictions(options: {
  predictions: Float32Array;
  windowSet: WindowSet;
  sampleRows: Int32Array;
  climatology: HourOfDayClimatology;
}): EvaluationReport {
  const { predictions, windowSet: set, sampleRows, climatology } = options;
  const { spec } = set;
  const outputs = outputCount(spec);
  if (predictions.length !== sampleRows.length * outputs) {
    throw new Error(
      `predictions have ${predictions.length} values but ${sampleRows.length} samples x ${outputs} outputs need ${sampleRows.length * outputs}; ` +
        'predict on the same sample rows and window spec',
    );
  }
  const targetCount = spec.targets.length;
  const rows: HorizonEvaluation[] = [];
  for (let horizonIndex = 0; horizonIndex < spec.horizons.length; horizonIndex += 1) {
    const horizon = spec.horizons[horizonIndex];
    for (let targetIndex = 0; targetIndex < targetCount; targetIndex += 1) {
      const target = spec.targets[targetIndex];
      const model = new ErrorAccumulator();
      const persistence = new ErrorAccumulator();
      const climate = new ErrorAccumulator();
      const gradeHits = { model: 0, persistence: 0, climatology: 0 };
      for (let sample = 0; sample < sampleRows.length; sample += 1) {
        const lastRow = sampleRows[sample];
        const targetRow = lastRow + horizon;
        const observed = set.targetValues[targetRow * targetCount + targetIndex];
        const predicted = predictions[sample * outputs + outputIndex(spec, horizonIndex, targetIndex)];
        const carried = persistenceValue(set, lastRow, targetIndex);
        const stationId = blockOfRow(set, lastRow).stationId;
        const climateValue = climatologyValue(climatology, stationId, target, timeOfRow(set, targetRow));
        if ([observed, predicted, carried, climateValue].some((value) => !Number.isFinite(value))) continue;
        model.add(predicted, observed);
        persistence.add(carried, observed);
        climate.add(climateValue, observed);
        if (target === 'pm25') {
          const observedGrade = pm25GradeIndex(observed);
          if (pm25GradeIndex(predicted) === observedGrade) gradeHits.model += 1;
          if (pm25GradeIndex(carried) === observedGrade) gradeHits.persistence += 1;
          if (pm25GradeIndex(climateValue) === observedGrade) gradeHits.climatology += 1;
        }
      }
      const modelSummary = model.summary();
      const persistenceSummary = persistence.summary();
      const climatologySummary = climate.summary();
      const count = model.count;
      rows.push({
        target,
        horizonHours: horizon,
        sampleCount: count,
        model: modelSummary,
        persistence: persistenceSummary,
        climatology: climatologySummary,
        skillVsPersistence: skill(modelSummary.rmse, persistenceSummary.rmse),
        skillVsClimatology: skill(modelSummary.rmse, climatologySummary.rmse),
        gradeAccuracy:
          target === 'pm25'
            ? {
                model: count > 0 ? gradeHits.model / count : null,
                persistence: count > 0 ? gradeHits.persistence / count : null,
                climatology: count > 0 ? gradeHits.climatology / count : null,
              }
            : null,
      });
    }
  }
  const pm25Rmses = rows.filter((row) => row.target === 'pm25').map((row) => row.model.rmse);
  const meanPm25Rmse =
    pm25Rmses.length > 0 && pm25Rmses.every((value) => value !== null)
      ? (pm25Rmses as number[]).reduce((sum, value) => sum + value, 0) / pm25Rmses.length
      : null;
  let from = Infinity;
  let to = -Infinity;
  for (const row of sampleRows) {
    const at = timeOfRow(set, row);
    if (at < from) from = at;
    if (at > to) to = at;
  }
  return {
    format: 1,
    sampleCount: sampleRows.length,
    period: sampleRows.length > 0 ? { from, to } : { from: 0, to: -1 },
    horizons: [...spec.horizons],
    targets: [...spec.targets],
    rows,
    meanPm25Rmse,
  };
}
