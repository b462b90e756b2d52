import type { DustcastDatabase } from '../db/database.js';
import type { EvaluationReport, HorizonEvaluation } from '../evaluation/report.js';

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

/**
 * Reads the PM2.5 RMSE of the model and of persistence per horizon from a models.metrics JSON
 * (the evaluation record the registry stores: `report.rows`, one per target and horizon). A
 * horizon without a row, or metrics that do not parse, show as blank rather than failing the page.
 */
export function extractHorizonSkill(metricsText: string, horizons: number[]): HorizonSkill[] {
  let rows: Partial<HorizonEvaluation>[] = [];
  try {
    const metrics = JSON.parse(metricsText) as { report?: Partial<EvaluationReport> };
    if (Array.isArray(metrics.report?.rows)) rows = metrics.report.rows;
  } catch {
    rows = [];
  }
  return horizons.map((horizonHours) => {
    const row = rows.find((candidate) => candidate.target === 'pm25' && candidate.horizonHours === horizonHours);
    const rmse = finiteOrNull(row?.model?.rmse);
    const baselineRmse = finiteOrNull(row?.persistence?.rmse);
    const skill = finiteOrNull(row?.skillVsPersistence);
    return { horizonHours, rmse, baselineRmse, skill };
  });
}

const finiteOrNull = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

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
