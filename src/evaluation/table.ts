import { formatKst } from '../time/kst.js';
import type { EvaluationReport } from './report.js';

function number(value: number | null, digits = 2): string {
  return value === null ? '-' : value.toFixed(digits);
}

function percent(value: number | null): string {
  return value === null ? '-' : `${(value * 100).toFixed(1)}%`;
}

/**
 * Formats a report as a fixed-width text table for the terminal. Each target and horizon gets
 * one line with RMSE and MAE of the model and both baselines and the two skills. PM2.5 lines
 * add the grade accuracy of the model and of persistence.
 */
export function formatEvaluationTable(report: EvaluationReport): string {
  const header = ['target', 'h', 'n', 'RMSE', 'MAE', 'RMSE pers', 'MAE pers', 'RMSE clim', 'MAE clim', 'skill pers', 'skill clim', 'grade', 'grade pers'];
  const lines = report.rows.map((row) => [
    row.target,
    String(row.horizonHours),
    String(row.sampleCount),
    number(row.model.rmse),
    number(row.model.mae),
    number(row.persistence.rmse),
    number(row.persistence.mae),
    number(row.climatology.rmse),
    number(row.climatology.mae),
    number(row.skillVsPersistence, 3),
    number(row.skillVsClimatology, 3),
    percent(row.gradeAccuracy?.model ?? null),
    percent(row.gradeAccuracy?.persistence ?? null),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => line[column].length)));
  const render = (cells: string[]) => cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ');
  const period =
    report.sampleCount > 0 ? `${formatKst(report.period.from)} to ${formatKst(report.period.to)} KST` : 'no samples';
  return [
    `Evaluation on ${report.sampleCount} samples, issued ${period}; errors in µg/m³, skill = 1 - RMSE / RMSE of the baseline`,
    render(header),
    render(widths.map((width) => '-'.repeat(width))),
    ...lines.map(render),
    `mean PM2.5 RMSE over horizons: ${number(report.meanPm25Rmse)}`,
    'pers = persistence (last observed value), clim = hour-of-day climatology of the training split;',
    'grade = share of PM2.5 forecasts in the right Korean grade (좋음 0-15, 보통 16-35, 나쁨 36-75, 매우나쁨 76+ µg/m³)',
    ...baselineWarnings(report),
  ].join('\n');
}

/** Lists, per target, the horizons where the model is no better than the better baseline. */
function baselineWarnings(report: EvaluationReport): string[] {
  const warnings: string[] = [];
  for (const target of report.targets) {
    const rows = report.rows.filter((row) => row.target === target);
    const worse = rows.filter((row) => {
      const best = Math.min(row.persistence.rmse ?? Infinity, row.climatology.rmse ?? Infinity);
      return row.model.rmse !== null && Number.isFinite(best) && row.model.rmse >= best;
    });
    if (worse.length > 0) {
      warnings.push(`warning: ${target} forecasts are no better than the better baseline at ${worse.map((row) => `${row.horizonHours} h`).join(', ')}`);
    }
  }
  return warnings;
}
