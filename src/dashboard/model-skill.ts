import type { DustcastDatabase } from '../db/database.js';

/** PM2.5 error of one horizon on the test windows, against the persistence baseline. */
export interface HorizonSkill {
  horizonHours: number;
  rmse: number | null;
  /** RMSE of "the last observed value stays", when the metrics report it. */
  baselineRmse: number | null;
  /** 1 - rmse / baselineRmse: above 0 means the model beats persistence. */
  skill: number | null;
}

export interface ModelVersionSummary {
  version: string;
  status: string;
  createdAt: number;
  promotedAt: number | null;
  score: number;
  backend: string;
  horizons: HorizonSkill[];
}

type JsonObject = Record<string, unknown>;

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);
const finiteOrNull = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

/** Finds a numeric array under one of `names`, searching nested objects such as `pm25`. */
function findNumberArray(metrics: JsonObject, names: string[], length: number): (number | null)[] | null {
  for (const [key, value] of Object.entries(metrics)) {
    if (names.includes(key) && Array.isArray(value) && value.length === length) return value.map(finiteOrNull);
  }
  for (const value of Object.values(metrics)) {
    if (isObject(value)) {
      const nested = findNumberArray(value, names, length);
      if (nested) return nested;
    }
  }
  return null;
}

/**
 * Reads per-horizon PM2.5 RMSE and the persistence baseline from a model's metrics JSON. It
 * accepts a list of `{horizon, rmse, persistenceRmse}` objects or parallel arrays of RMSE values
 * beside the model's horizons.
 */
// NOTE: the metrics JSON layout is not fixed by a shared type; these key names are the likely
// ones, and a horizon whose values are not found shows as blank rather than failing the page.
export function extractHorizonSkill(metricsText: string, horizons: number[]): HorizonSkill[] {
  let metrics: unknown;
  try {
    metrics = JSON.parse(metricsText);
  } catch {
    return horizons.map((horizonHours) => ({ horizonHours, rmse: null, baselineRmse: null, skill: null }));
  }
  if (!isObject(metrics)) metrics = {};
  const root = metrics as JsonObject;
  const pm25 = isObject(root.pm25) ? root.pm25 : root;

  const listed = [pm25.perHorizon, pm25.horizons, root.perHorizon].find(
    (candidate): candidate is JsonObject[] => Array.isArray(candidate) && candidate.every(isObject),
  );
  const rmses = findNumberArray(pm25, ['rmseByHorizon', 'rmse', 'pm25RmseByHorizon', 'modelRmse'], horizons.length);
  const baselines = findNumberArray(pm25, ['persistenceRmseByHorizon', 'persistenceRmse', 'baselineRmse', 'baselineRmseByHorizon'], horizons.length);

  return horizons.map((horizonHours, index) => {
    const item = listed?.find((candidate) => candidate.horizon === horizonHours || candidate.horizonHours === horizonHours);
    const rmse = finiteOrNull(item?.rmse) ?? rmses?.[index] ?? null;
    const baselineRmse = finiteOrNull(item?.persistenceRmse ?? item?.baselineRmse) ?? baselines?.[index] ?? null;
    const skill = rmse !== null && baselineRmse !== null && baselineRmse > 0 ? 1 - rmse / baselineRmse : null;
    return { horizonHours, rmse, baselineRmse, skill };
  });
}

/** Lists model versions, newest first, with their skill per horizon. */
export function listModelVersions(database: DustcastDatabase, limit = 12): ModelVersionSummary[] {
  const rows = database.sqlite
    .prepare(
      `SELECT version, status, created_at AS createdAt, promoted_at AS promotedAt, score, backend, horizons, metrics
         FROM models ORDER BY created_at DESC LIMIT ?`,
    )
    .all(limit) as (Omit<ModelVersionSummary, 'horizons'> & { horizons: string; metrics: string })[];
  return rows.map((row) => {
    let horizons: number[] = [];
    try {
      const parsed: unknown = JSON.parse(row.horizons);
      if (Array.isArray(parsed)) horizons = parsed.filter((value): value is number => typeof value === 'number');
    } catch {
      horizons = [];
    }
    return {
      version: row.version,
      status: row.status,
      createdAt: row.createdAt,
      promotedAt: row.promotedAt,
      score: row.score,
      backend: row.backend,
      horizons: extractHorizonSkill(row.metrics, horizons),
    };
  });
}
