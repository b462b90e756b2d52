import type { DustcastDatabase } from '../db/database.js';
import type { Logger } from '../logging/logger.js';
import { formatKst } from '../time/kst.js';
import { buildModelWindowSet, latestWindowRows } from '../windows/build-window-set.js';
import { blockOfRow, outputIndex, timeOfRow } from '../windows/window-set.js';
import type { ForecastModel } from './forecast-model.js';
import { writeForecasts, type ForecastRow } from './forecast-writer.js';

const HOUR = 3600;

/** Default hours before `asOf` in which a station's latest complete window must end. */
export const DEFAULT_LOOKBACK_HOURS = 48;

export interface IssueForecastsOptions {
  /** Forecast as of this hour (UTC epoch seconds); the default is the newest stored air hour. */
  asOf?: number;
  stationIds?: number[];
  lookbackHours?: number;
}

export interface IssueForecastsSummary {
  modelVersion: string;
  /** The hour the period ends, UTC epoch seconds. */
  asOf: number;
  stations: number;
  rowsWritten: number;
  rowsReplaced: number;
  /** issued_at per station id, UTC epoch seconds. */
  issuedAt: Record<string, number>;
}

function newestAirHour(database: DustcastDatabase): number {
  const row = database.sqlite.prepare('SELECT MAX(observed_at) AS latest FROM air_observations').get() as { latest: number | null };
  if (row.latest === null) throw new Error('no air observations stored; import data before forecasting');
  return row.latest;
}

/**
 * Forecasts every horizon from each station's latest complete window that ends within
 * `lookbackHours` of `asOf`, and writes the rows in one transaction. issued_at is the
 * window's last input hour, so re-running on the same data replaces the same rows.
 */
export function issueForecasts(database: DustcastDatabase, model: ForecastModel, options: IssueForecastsOptions = {}, logger?: Logger): IssueForecastsSummary {
  const asOf = options.asOf ?? newestAirHour(database);
  const lookbackHours = options.lookbackHours ?? DEFAULT_LOOKBACK_HOURS;
  const set = buildModelWindowSet(
    database,
    {
      spec: model.spec,
      featureScaler: model.featureScaler,
      targetScaler: model.targetScaler,
      from: asOf - lookbackHours * HOUR,
      to: asOf,
      stationIds: options.stationIds ?? model.stationIds,
    },
    logger,
  );

  const rows = latestWindowRows(set);
  if (rows.length === 0) {
    throw new Error(
      `no station has a complete ${model.spec.windowHours} h window ending between ${formatKst(asOf - lookbackHours * HOUR)} and ${formatKst(asOf)} KST; ` +
        'import recent observations or forecast as of an earlier hour',
    );
  }
  const predictions = model.predict(set, rows);

  const { spec } = model;
  const pm25Index = spec.targets.indexOf('pm25');
  const pm10Index = spec.targets.indexOf('pm10');
  const outputs = spec.horizons.length * spec.targets.length;
  const forecastRows: ForecastRow[] = [];
  const issuedAt: Record<string, number> = {};
  rows.forEach((row, sample) => {
    const stationId = blockOfRow(set, row).stationId;
    const issued = timeOfRow(set, row);
    issuedAt[String(stationId)] = issued;
    spec.horizons.forEach((horizon, horizonIndex) => {
      const value = (targetIndex: number) => (targetIndex < 0 ? null : predictions[sample * outputs + outputIndex(spec, horizonIndex, targetIndex)]);
      forecastRows.push({
        stationId,
        issuedAt: issued,
        targetAt: issued + horizon * HOUR,
        horizonHours: horizon,
        pm25: value(pm25Index),
        pm10: value(pm10Index),
        modelVersion: model.version,
      });
    });
  });

  const written = writeForecasts(database, forecastRows);
  const summary = {
    modelVersion: model.version,
    asOf,
    stations: rows.length,
    rowsWritten: written.inserted,
    rowsReplaced: written.deleted,
    issuedAt,
  };
  logger?.info({ ...summary, asOfKst: formatKst(asOf) }, 'forecasts written');
  return summary;
}
