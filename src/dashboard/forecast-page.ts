import { formatKst } from '../time/kst.js';
import type { StationSeries, StationSummary } from './forecast-data.js';
import { gradeOf, pm25Grades } from './grades.js';
import type { HealthReport } from './health.js';
import type { ModelVersionSummary } from './model-skill.js';

/** A failed job as the page lists it. */
export interface FailedJobSummary {
  queue: string;
  name: string;
  id: string;
  failedAt: number | null;
  reason: string;
}

export interface ForecastPageModel {
  stations: StationSummary[];
  series: StationSeries | null;
  models: ModelVersionSummary[];
  health: HealthReport;
  failures: FailedJobSummary[];
  days: number;
  /** The ?station= value that matched no station, shown instead of the chart. */
  unknownStation?: string;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/** JSON for a script element; "<" is escaped so the data cannot close the element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

function renderHealth(health: HealthReport): string {
  const pill = (ok: boolean, text: string) => `<span class="pill ${ok ? 'ok' : 'bad'}">${escapeHtml(text)}</span>`;
  const lastIngest = health.lastIngest.length > 0 ? Math.max(...health.lastIngest.map((entry) => entry.finishedAt)) : null;
  return [
    pill(health.redis.ok, health.redis.ok ? 'Redis ok' : 'Redis down'),
    pill(health.sqlite.ok, health.sqlite.ok ? 'SQLite ok' : 'SQLite error'),
    pill(health.champion !== null, health.champion ? `Champion ${health.champion.version}` : 'No champion model'),
    pill(lastIngest !== null, lastIngest !== null ? `Last API pull ${formatKst(lastIngest)} KST` : 'No API pull yet'),
  ].join('');
}

function renderStations(stations: StationSummary[], selectedId: number | undefined, days: number): string {
  if (stations.length === 0) return '<p class="empty">No PM2.5 observations yet. Run <code>dustcast import</code> or wait for the hourly ingest.</p>';
  return stations
    .map((station) => {
      const grade = station.latestPm25 === null ? null : gradeOf(station.latestPm25);
      const value = station.latestPm25 === null ? '–' : `${Math.round(station.latestPm25)}`;
      const selected = station.id === selectedId ? ' selected' : '';
      return `<a class="station${selected}" href="/?station=${station.id}&amp;days=${days}">
        <span class="dot" style="background:${grade?.color ?? '#aaa'}"></span>
        <span class="station-name">${escapeHtml(station.name)}</span>
        <span class="station-value">${value}</span></a>`;
    })
    .join('');
}

function renderSkillCell(skill: number | null, rmse: number | null): string {
  if (skill === null) return `<td class="skill none">${rmse === null ? '–' : rmse.toFixed(1)}</td>`;
  const strength = Math.min(Math.abs(skill) / 0.5, 1);
  const color = skill >= 0 ? `rgba(32,160,90,${0.15 + 0.6 * strength})` : `rgba(224,65,47,${0.15 + 0.6 * strength})`;
  return `<td class="skill" style="background:${color}" title="RMSE ${rmse?.toFixed(2)} µg/m³">${skill >= 0 ? '+' : ''}${(skill * 100).toFixed(0)}%</td>`;
}

function renderModels(models: ModelVersionSummary[]): string {
  if (models.length === 0) return '<p class="empty">No model trained yet.</p>';
  const horizons = [...new Set(models.flatMap((model) => model.horizons.map((horizon) => horizon.horizonHours)))].sort((a, b) => a - b);
  const header = horizons.map((horizon) => `<th>+${horizon} h</th>`).join('');
  const rows = models
    .map((model) => {
      const cells = horizons
        .map((horizon) => {
          const skill = model.horizons.find((candidate) => candidate.horizonHours === horizon);
          return renderSkillCell(skill?.skill ?? null, skill?.rmse ?? null);
        })
        .join('');
      return `<tr><td><code>${escapeHtml(model.version)}</code></td><td><span class="status ${escapeHtml(model.status)}">${escapeHtml(model.status)}</span></td>
        <td>${formatKst(model.createdAt)}</td><td>${model.score.toFixed(2)}</td>${cells}</tr>`;
    })
    .join('');
  return `<table class="models"><thead><tr><th>Version</th><th>Status</th><th>Trained (KST)</th><th>RMSE</th>${header}</tr></thead><tbody>${rows}</tbody></table>
    <p class="hint">Skill per horizon: 1 − model RMSE / persistence RMSE on the test windows. Green beats persistence, red loses to it.</p>`;
}

function renderFailures(failures: FailedJobSummary[]): string {
  if (failures.length === 0) return '<p class="empty ok-text">No failed jobs.</p>';
  return `<ul class="failures">${failures
    .map(
      (failure) => `<li><span class="pill bad">${escapeHtml(failure.queue)}</span> <strong>${escapeHtml(failure.name)}</strong>
        <code>${escapeHtml(failure.id)}</code> ${failure.failedAt ? formatKst(Math.floor(failure.failedAt / 1000)) + ' KST' : ''}
        <div class="reason">${escapeHtml(failure.reason)}</div></li>`,
    )
    .join('')}</ul>`;
}

/** Renders the forecast page: stations, the PM2.5 chart with grade bands, models and failures. */
export function renderForecastPage(model: ForecastPageModel): string {
  const series = model.series;
  const grades = pm25Grades.map((grade) => ({ label: grade.label, from: grade.from, to: Number.isFinite(grade.to) ? grade.to : null, color: grade.color }));
  const title = series ? `${series.station.name}: PM2.5, last ${model.days} days` : 'PM2.5';
  const chartArea = series
    ? `<div class="chart-box"><canvas id="pm25-chart" aria-label="${escapeHtml(title)}"></canvas></div>
       <p class="hint">${series.latestForecast ? `Latest forecast issued ${formatKst(series.latestForecast.issuedAt)} KST by ${escapeHtml(series.championVersion ?? '')}.` : 'No forecast from the champion yet.'}</p>`
    : model.unknownStation !== undefined
      ? `<p class="notice">Station id "${escapeHtml(model.unknownStation)}" not found or has no PM2.5 observations; pick a station from the list.</p>`
      : '<p class="empty">Pick a station.</p>';
  const legend = pm25Grades
    .map((grade) => `<span class="grade"><span class="dot" style="background:${grade.color}"></span>${grade.label} ${grade.from}${Number.isFinite(grade.to) ? `–${grade.to}` : '+'}</span>`)
    .join('');
  return `<!doctype html>
<html lang="ko"><head><meta charset="utf-8"><title>Dustcast · ${escapeHtml(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/assets/dashboard.css"></head>
<body>
<header><h1>Dustcast</h1><nav>${renderHealth(model.health)}<a class="button" href="/queues">Queues</a></nav></header>
<main>
  <aside><h2>Stations</h2>${renderStations(model.stations, series?.station.id, model.days)}</aside>
  <section>
    <div class="card"><h2>${escapeHtml(title)}</h2><div class="legend">${legend}</div>${chartArea}</div>
    <div class="card"><h2>Model versions</h2>${renderModels(model.models)}</div>
    <div class="card"><h2>Failed jobs</h2>${renderFailures(model.failures)}</div>
  </section>
</main>
<script type="application/json" id="chart-data">${scriptJson({ series, grades })}</script>
<script src="/assets/chart.umd.js"></script>
<script src="/assets/forecast-page.js"></script>
</body></html>`;
}

export const dashboardStyles = `
* { box-sizing: border-box; }
body { margin: 0; font-family: system-ui, 'Noto Sans KR', 'NanumGothic', 'Apple SD Gothic Neo', sans-serif; background: #f3f5f8; color: #1f2933; }
header { display: flex; align-items: center; justify-content: space-between; padding: 12px 24px; background: #1f2933; color: #fff; }
header h1 { margin: 0; font-size: 22px; letter-spacing: 0.5px; }
nav { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
.pill { display: inline-block; padding: 3px 10px; border-radius: 999px; font-size: 13px; font-weight: 600; }
.pill.ok { background: #d3f2e0; color: #116b3a; }
.pill.bad { background: #fbd9d4; color: #9b2415; }
.button { color: #fff; background: #3d6bd8; padding: 6px 14px; border-radius: 6px; text-decoration: none; font-weight: 600; }
main { display: grid; grid-template-columns: 240px 1fr; gap: 16px; padding: 16px 24px; }
aside { background: #fff; border-radius: 10px; padding: 12px; align-self: start; box-shadow: 0 1px 3px rgba(0,0,0,.08); }
aside h2, .card h2 { margin: 4px 0 12px; font-size: 16px; }
.station { display: flex; align-items: center; gap: 8px; padding: 7px 8px; border-radius: 6px; color: inherit; text-decoration: none; }
.station:hover { background: #eef2f7; }
.station.selected { background: #e1e9fb; font-weight: 600; }
.station-name { flex: 1; }
.station-value { font-variant-numeric: tabular-nums; color: #52606d; }
.dot { display: inline-block; width: 12px; height: 12px; border-radius: 50%; }
.card { background: #fff; border-radius: 10px; padding: 14px 18px; margin-bottom: 16px; box-shadow: 0 1px 3px rgba(0,0,0,.08); }
.chart-box { position: relative; height: 420px; }
.legend { display: flex; gap: 16px; margin-bottom: 8px; font-size: 13px; }
.grade { display: inline-flex; align-items: center; gap: 5px; }
.hint { color: #616e7c; font-size: 13px; margin: 8px 0 0; }
.empty { color: #616e7c; }
.notice { color: #b42318; }
.ok-text { color: #116b3a; }
table.models { border-collapse: collapse; width: 100%; font-size: 14px; }
table.models th, table.models td { padding: 6px 10px; border-bottom: 1px solid #e4e7eb; text-align: left; }
td.skill { text-align: center; font-weight: 600; font-variant-numeric: tabular-nums; }
.status { padding: 2px 8px; border-radius: 4px; font-size: 12px; font-weight: 700; background: #e4e7eb; }
.status.champion { background: #fde68a; color: #7a4d00; }
.status.rejected { background: #fbd9d4; color: #9b2415; }
ul.failures { list-style: none; padding: 0; margin: 0; }
ul.failures li { padding: 8px 0; border-bottom: 1px solid #e4e7eb; }
.reason { font-family: ui-monospace, monospace; font-size: 13px; color: #9b2415; margin-top: 4px; white-space: pre-wrap; }
`;
