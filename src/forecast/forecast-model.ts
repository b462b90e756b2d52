import type { Scaler, WindowSet, WindowSpec } from '../windows/window-set.js';

/**
 * The view of a trained model that forecasting and evaluation use: the inputs it expects and a
 * prediction function. The registry's loaded champion is adapted to this shape, and tests pass a real
 * small tfjs model through the same interface.
 */
export interface ForecastModel {
  version: string;
  spec: WindowSpec;
  featureScaler: Scaler;
  targetScaler: Scaler;
  /**
   * Stations the model was trained on; forecasts default to them, so the neighbour mean covers
   * the same stations as in training. Absent means every station with data.
   */
  stationIds?: number[];
  /** Returns [sampleRows.length, outputCount] in µg/m³, horizon-major as outputIndex defines. */
  predict(windowSet: WindowSet, sampleRows: Int32Array): Float32Array;
}
