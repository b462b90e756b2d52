/**
 * Measures window building on about 2.2 M station-hours: the 25 real Seoul urban series
 * (AirKorea realtime, 2025-04 to 2026-01) tiled back in time to 10 years per station.
 *
 *   npx tsx bench/windows/build-windows.ts [database path]
 *
 * The database is built once and reused when the path exists. The build is then timed in a
 * fresh child process, so its peak RSS counts only the window build.
 */
import { parse } from 'csv-parse/sync';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../../src/db/database.js';
import { parseAirKoreaDataTime, parseMeasurement } from '../../src/sources/values.js';
import { buildTrainingWindowSet } from '../../src/windows/build-window-set.js';

const HOUR = 3600;
const YEARS = 10;
const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const sourcePath = resolve(repositoryRoot, '../shared/data/seoul-air/riverKangg_finedust/seoul_realtime_urban25_2025-04-21_2026-01-16.csv');

function prepare(path: string): void {
  if (!existsSync(sourcePath)) throw new Error(`real data not found at ${sourcePath}; the bench needs the shared data folder`);
  const rows = parse(readFileSync(sourcePath), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
  const byStation = new Map<string, Map<number, number[]>>();
  for (const row of rows) {
    const values = ['pm10', 'pm25', 'o3', 'no2', 'co', 'so2'].map((name) => parseMeasurement(row[`${name}Value`]) ?? Number.NaN);
    let hours = byStation.get(row.stationName);
    if (!hours) byStation.set(row.stationName, (hours = new Map()));
    hours.set(parseAirKoreaDataTime(row.dataTime), values);
  }

  const database = openDatabase(path);
  const insertStation = database.sqlite.prepare(
    "INSERT INTO stations (provider, provider_code, name, kind, created_at, updated_at) VALUES ('airkorea', ?, ?, 'urban', 0, 0) RETURNING id",
  );
  const insertAir = database.sqlite.prepare(
    `INSERT INTO air_observations (station_id, observed_at, source, pm10, pm25, o3, no2, co, so2, first_ingested_at, last_ingested_at)
     VALUES (?, ?, 'airkorea-file', ?, ?, ?, ?, ?, ?, 0, 0)`,
  );

  let written = 0;
  database.sqlite.transaction(() => {
    for (const [name, hours] of byStation) {
      const { id } = insertStation.get(name, name) as { id: number };
      const times = [...hours.keys()].sort((a, b) => a - b);
      const first = times[0];
      const span = times[times.length - 1] - first + HOUR;
      const earliest = times[times.length - 1] - YEARS * 8760 * HOUR;
      // Copies of the real series, each shifted one span further back, until 10 years are covered.
      for (let shift = 0; first - shift * span + span > earliest; shift += 1) {
        for (const time of times) {
          const shifted = time - shift * span;
          if (shifted < earliest) continue;
          const values = hours.get(time)!.map((value) => (Number.isNaN(value) ? null : value));
          insertAir.run(id, shifted, ...values);
          written += 1;
        }
      }
    }
  })();

  const grid = database.sqlite
    .prepare('SELECT SUM((last - first) / 3600 + 1) AS hours FROM (SELECT MIN(observed_at) AS first, MAX(observed_at) AS last FROM air_observations GROUP BY station_id)')
    .get() as { hours: number };
  database.close();
  console.log(JSON.stringify({ step: 'prepare', rowsWritten: written, stationHours: grid.hours }));
}

function measure(path: string): void {
  const database = openDatabase(path);
  const rssBefore = process.memoryUsage().rss;
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const set = buildTrainingWindowSet(database, {
    windowHours: 24,
    horizons: [1, 3, 6, 12, 24],
    targets: ['pm25', 'pm10'],
    maxGapHours: 2,
    features: [],
    neighbourFeatures: 'auto',
    validationFraction: 0.15,
    testFraction: 0.15,
  });
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  database.close();
  console.log(
    JSON.stringify({
      step: 'measure',
      buildSeconds: Number(seconds.toFixed(2)),
      // CPU time is steadier than wall time on a shared machine.
      cpuSeconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(2)),
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      rssBeforeBuildMb: Math.round(rssBefore / 1024 / 1024),
      rows: set.rowCount,
      features: set.featureCount,
      blocks: set.blocks.length,
      samples: { train: set.samples.train.length, validation: set.samples.validation.length, test: set.samples.test.length },
      featureMatrixMb: Math.round(set.features.byteLength / 1024 / 1024),
    }),
  );
}

const [mode, argument] = process.argv.slice(2);
if (mode === '--measure') {
  measure(argument);
} else {
  const path = mode ?? join(tmpdir(), 'dustcast-bench-windows.sqlite');
  if (!existsSync(path)) prepare(path);
  const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--measure', path], { stdio: 'inherit' });
  process.exitCode = child.status ?? 1;
}
