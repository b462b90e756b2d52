/**
 * Measures one hourly cycle for the whole country, end to end. It pulls the nationwide AirKorea
 * realtime response and stores it, then forecasts every horizon for every station and writes
 * the rows. The response is the real 전국 sample of 2026-03-16 08:00 KST, 7 pages of 100
 * items, served from 127.0.0.1.
 *
 *   npx tsx bench/cycle/hourly-cycle.ts [rounds]
 *
 * Setup, which is not timed: one pull stores the sample, and its rows are copied to the 239
 * hours before it, so each station has the history a 24 h window needs and the window builder
 * has ten days to fit its scalers on. The forecast model has
 * the default architecture but untrained weights, because the cycle's cost does not depend on
 * the weight values. Each round deletes the sample hour and clears its fetch run's newest hour, then times the pull
 * and the forecast. Prints one JSON line.
 */
import { loadavg } from 'node:os';
import type { ForecastModel } from '../../src/forecast/forecast-model.js';
import { issueForecasts } from '../../src/forecast/issue-forecasts.js';
import { selectBackend } from '../../src/model/backend.js';
import { buildGruModel, disposeModel, gruOptionsFromSettings } from '../../src/model/gru.js';
import { predict } from '../../src/model/predict.js';
import { runIngest } from '../../src/sources/ingest/run-ingest.js';
import { kstToEpochSeconds } from '../../src/time/kst.js';
import { buildTrainingWindowSet, trainingRequestFromSettings } from '../../src/windows/build-window-set.js';
import { outputCount } from '../../src/windows/window-set.js';
import { createIngestTestBed } from '../../test/helpers/ingest-environment.js';
import { pagesFrom, ReplayServer } from '../../test/helpers/replay-server.js';
import { median } from '../report/statistics.js';

const SIDO_PATH = '/ArpltnInforInqireSvc/getCtprvnRltmMesureDnsty';
const SAMPLE_HOUR = kstToEpochSeconds(2026, 3, 16, 8);
/** 08:20 KST, when the 08:00 values are published. */
const PULL_AT = kstToEpochSeconds(2026, 3, 16, 8, 20);
const HISTORY_HOURS = 239;
const rounds = Number(process.argv[2] ?? 3);

const server = new ReplayServer();
await server.start();
server.route(SIDO_PATH, pagesFrom('airkorea/sido-all-2026-03-16T08', 1));
const bed = createIngestTestBed(server.baseUrl, { DUSTCAST_AIRKOREA_SIDO: '전국', DUSTCAST_LOG_LEVEL: 'warn' });
const { database, settings } = bed;
const sources = { sources: ['airkorea' as const] };

try {
  await runIngest(bed.environment(PULL_AT), sources);
  const columns = (database.sqlite.prepare('PRAGMA table_info(air_observations)').all() as Array<{ name: string }>)
    .map((column) => column.name)
    .filter((name) => name !== 'id' && name !== 'observed_at');
  const copyBack = database.sqlite.prepare(
    `INSERT INTO air_observations (observed_at, ${columns.join(', ')}) SELECT observed_at - ?, ${columns.join(', ')} FROM air_observations WHERE observed_at = ?`,
  );
  database.sqlite.transaction(() => {
    for (let hour = 1; hour <= HISTORY_HOURS; hour += 1) copyBack.run(hour * 3600, SAMPLE_HOUR);
  })();

  const windowSet = buildTrainingWindowSet(database, trainingRequestFromSettings(settings));
  const architecture = gruOptionsFromSettings(settings, {
    windowHours: windowSet.spec.windowHours,
    featureCount: windowSet.featureCount,
    outputCount: outputCount(windowSet.spec),
  });
  const backend = await selectBackend(settings.DUSTCAST_TF_BACKEND, { logger: bed.logger, probe: architecture });
  const model = buildGruModel(architecture);
  const forecastModel: ForecastModel = {
    version: 'bench-untrained',
    spec: windowSet.spec,
    featureScaler: windowSet.featureScaler,
    targetScaler: windowSet.targetScaler,
    stationIds: windowSet.stationIds,
    predict: (set, rows) => predict(model, set, rows),
  };

  // Forecast rows reference their model version, so the untrained model gets a registry row.
  database.sqlite
    .prepare(
      `INSERT INTO models (version, created_at, status, artifact_path, features, horizons, targets, station_ids,
         train_from, train_to, test_from, test_to, metrics, score, backend, weights_sha256)
       VALUES (?, 0, 'candidate', '', ?, ?, ?, ?, 0, 0, 0, 0, '{}', 0, ?, '')`,
    )
    .run(
      forecastModel.version,
      JSON.stringify(windowSet.spec.featureNames),
      JSON.stringify(windowSet.spec.horizons),
      JSON.stringify(windowSet.spec.targets),
      JSON.stringify(windowSet.stationIds),
      backend.name,
    );

  const results: Array<{ ingestSeconds: number; forecastSeconds: number; totalSeconds: number; stored: number; stations: number; rows: number }> = [];
  for (let round = 1; round <= rounds; round += 1) {
    database.sqlite.prepare('DELETE FROM air_observations WHERE observed_at = ?').run(SAMPLE_HOUR);
    // Runs keep their rows (observations reference them); without a latest hour they plan a fresh pull.
    database.sqlite.prepare("UPDATE ingest_runs SET latest_observed_at = NULL WHERE kind = 'api'").run();
    const started = performance.now();
    const ingest = await runIngest(bed.environment(PULL_AT), sources);
    const ingested = performance.now();
    const forecasts = issueForecasts(database, forecastModel, { asOf: SAMPLE_HOUR });
    const finished = performance.now();
    results.push({
      ingestSeconds: (ingested - started) / 1000,
      forecastSeconds: (finished - ingested) / 1000,
      totalSeconds: (finished - started) / 1000,
      stored: ingest.sources[0].inserted + ingest.sources[0].updated,
      stations: forecasts.stations,
      rows: forecasts.rowsWritten,
    });
  }
  disposeModel(model);
  console.log(
    JSON.stringify({
      backend: backend.name,
      loadAverage: loadavg()[0],
      features: windowSet.spec.featureNames,
      rounds: results,
      medianTotalSeconds: median(results.map((result) => result.totalSeconds)),
      medianIngestSeconds: median(results.map((result) => result.ingestSeconds)),
      medianForecastSeconds: median(results.map((result) => result.forecastSeconds)),
    }),
  );
} finally {
  bed.dispose();
  await server.close();
}
