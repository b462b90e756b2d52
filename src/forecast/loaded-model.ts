import { predict } from '../model/predict.js';
import type { LoadedModel } from '../registry/load.js';
import type { ForecastModel } from './forecast-model.js';

/** Adapts a model loaded from the registry to the forecasting interface; the caller still disposes it. */
export function forecastModelFromLoaded(loaded: Pick<LoadedModel, 'model' | 'manifest'>): ForecastModel {
  const { manifest } = loaded;
  return {
    version: manifest.version,
    spec: manifest.spec,
    featureScaler: manifest.featureScaler,
    targetScaler: manifest.targetScaler,
    stationIds: manifest.stationIds,
    predict: (windowSet, sampleRows) => predict(loaded.model, windowSet, sampleRows),
  };
}
