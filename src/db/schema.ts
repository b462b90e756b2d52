import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

// Every instant is stored as integer seconds since the Unix epoch (UTC). Provider timestamps are
// parsed as Asia/Seoul before they reach these tables; the SQL views add KST text beside them.

/** Air-quality stations and KMA weather stations, one row per provider code. */
export const stations = sqliteTable(
  'stations',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** airkorea, seoul, kma, or the name of a custom CSV mapping. */
    provider: text('provider').notNull(),
    /** The provider's own id: the station name for AirKorea and Seoul, the ASOS number for KMA. */
    providerCode: text('provider_code').notNull(),
    name: text('name').notNull(),
    /** urban, roadside, background, city-average, asos, ... */
    kind: text('kind'),
    latitude: real('latitude'),
    longitude: real('longitude'),
    address: text('address'),
    /** KMA ASOS station id whose weather this station uses; null means the nearest one. */
    weatherStationCode: text('weather_station_code'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (table) => [uniqueIndex('stations_provider_code_unique').on(table.provider, table.providerCode)],
);

/** Hourly air-quality values; one row per station, hour and source. */
export const airObservations = sqliteTable(
  'air_observations',
  {
    stationId: integer('station_id')
      .notNull()
      .references(() => stations.id, { onDelete: 'cascade' }),
    /** Start of the hour the provider labels, as UTC epoch seconds. */
    observedAt: integer('observed_at').notNull(),
    /** airkorea-file, airkorea-api, seoul-api, kma-pm10, mapping name, ... */
    source: text('source').notNull(),
    /** µg/m³ */
    pm10: real('pm10'),
    /** µg/m³ */
    pm25: real('pm25'),
    /** ppm */
    o3: real('o3'),
    /** ppm */
    no2: real('no2'),
    /** ppm */
    co: real('co'),
    /** ppm */
    so2: real('so2'),
    /** Provider flag text (통신장애, 점검및교정, ...); a flagged value is stored as null. */
    pm10Flag: text('pm10_flag'),
    pm25Flag: text('pm25_flag'),
    o3Flag: text('o3_flag'),
    no2Flag: text('no2_flag'),
    coFlag: text('co_flag'),
    so2Flag: text('so2_flag'),
    firstIngestedAt: integer('first_ingested_at').notNull(),
    lastIngestedAt: integer('last_ingested_at').notNull(),
    /** How many times a stored value was replaced by a different one. */
    revisionCount: integer('revision_count').notNull().default(0),
  },
  (table) => [
    primaryKey({ columns: [table.stationId, table.observedAt, table.source] }),
    index('air_observations_observed_at').on(table.observedAt),
  ],
);

/** Hourly surface weather from KMA ASOS, the KMA nowcast or mapped CSVs. */
export const weatherObservations = sqliteTable(
  'weather_observations',
  {
    stationId: integer('station_id')
      .notNull()
      .references(() => stations.id, { onDelete: 'cascade' }),
    observedAt: integer('observed_at').notNull(),
    /** kma-asos-file, kma-asos-api, kma-nowcast, mapping name, ... */
    source: text('source').notNull(),
    /** °C */
    temperature: real('temperature'),
    /** mm in the hour; 0 when none fell */
    precipitation: real('precipitation'),
    /** m/s */
    windSpeed: real('wind_speed'),
    /** degrees from north, 0-360 */
    windDirection: real('wind_direction'),
    /** % */
    humidity: real('humidity'),
    /** hPa */
    vaporPressure: real('vapor_pressure'),
    /** °C */
    dewPoint: real('dew_point'),
    /** hPa */
    stationPressure: real('station_pressure'),
    /** hPa */
    seaLevelPressure: real('sea_level_pressure'),
    /** hours of sunshine in the hour, 0-1 */
    sunshine: real('sunshine'),
    /** MJ/m² in the hour */
    solarRadiation: real('solar_radiation'),
    /** cm */
    snowDepth: real('snow_depth'),
    /** °C */
    groundTemperature: real('ground_temperature'),
    /** KMA QC flags: 0 normal, 1 error, 9 missing; null when the export has none. */
    temperatureQc: integer('temperature_qc'),
    precipitationQc: integer('precipitation_qc'),
    windSpeedQc: integer('wind_speed_qc'),
    windDirectionQc: integer('wind_direction_qc'),
    humidityQc: integer('humidity_qc'),
    stationPressureQc: integer('station_pressure_qc'),
    seaLevelPressureQc: integer('sea_level_pressure_qc'),
    sunshineQc: integer('sunshine_qc'),
    groundTemperatureQc: integer('ground_temperature_qc'),
    firstIngestedAt: integer('first_ingested_at').notNull(),
    lastIngestedAt: integer('last_ingested_at').notNull(),
    revisionCount: integer('revision_count').notNull().default(0),
  },
  (table) => [
    primaryKey({ columns: [table.stationId, table.observedAt, table.source] }),
    index('weather_observations_observed_at').on(table.observedAt),
  ],
);

/** One file import or one API pull, with its row counts and outcome. */
export const ingestRuns = sqliteTable(
  'ingest_runs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** file or api */
    kind: text('kind').notNull(),
    source: text('source').notNull(),
    /** File path, or the station / sido the pull asked for. */
    target: text('target'),
    rangeStart: integer('range_start'),
    rangeEnd: integer('range_end'),
    startedAt: integer('started_at').notNull(),
    finishedAt: integer('finished_at'),
    /** running, succeeded, failed, deferred */
    status: text('status').notNull(),
    httpStatus: integer('http_status'),
    providerCode: text('provider_code'),
    rowsRead: integer('rows_read').notNull().default(0),
    rowsInserted: integer('rows_inserted').notNull().default(0),
    rowsUpdated: integer('rows_updated').notNull().default(0),
    /** Rows identical to what was stored (re-imports and overlapping pulls). */
    rowsUnchanged: integer('rows_unchanged').notNull().default(0),
    /** Rows repeated within the same file or response. */
    rowsDuplicate: integer('rows_duplicate').notNull().default(0),
    /** Rows with no time and no values, skipped. */
    rowsMissing: integer('rows_missing').notNull().default(0),
    rowsRejected: integer('rows_rejected').notNull().default(0),
    durationMs: integer('duration_ms'),
    /** Newest observation hour an API pull received; the next pull starts after it (minus an overlap). */
    latestObservedAt: integer('latest_observed_at'),
    errorClass: text('error_class'),
    errorMessage: text('error_message'),
  },
  (table) => [index('ingest_runs_source_started').on(table.source, table.startedAt)],
);

/** Hours a source could not be asked for (quota), to be pulled later rather than counted missing. */
export const deferredHours = sqliteTable(
  'deferred_hours',
  {
    source: text('source').notNull(),
    /** Station or sido the hour belongs to. */
    target: text('target').notNull(),
    hourAt: integer('hour_at').notNull(),
    reason: text('reason').notNull(),
    deferredAt: integer('deferred_at').notNull(),
  },
  (table) => [primaryKey({ columns: [table.source, table.target, table.hourAt] })],
);

/** A source that may not be called before an instant (quota exceeded until KST midnight). */
export const sourceBlocks = sqliteTable('source_blocks', {
  source: text('source').primaryKey(),
  blockedUntil: integer('blocked_until').notNull(),
  providerCode: text('provider_code').notNull(),
  message: text('message').notNull(),
  createdAt: integer('created_at').notNull(),
});

/** A resumable backfill: the chunk cursor survives crashes and quota stops. */
export const backfills = sqliteTable(
  'backfills',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    source: text('source').notNull(),
    /** Station name or sido; empty string for all. */
    target: text('target').notNull(),
    rangeStart: integer('range_start').notNull(),
    rangeEnd: integer('range_end').notNull(),
    /** The next hour still to be pulled. */
    cursorAt: integer('cursor_at').notNull(),
    /** running, paused, completed, failed */
    status: text('status').notNull(),
    rowsWritten: integer('rows_written').notNull().default(0),
    lastError: text('last_error'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (table) => [uniqueIndex('backfills_request_unique').on(table.source, table.target, table.rangeStart, table.rangeEnd)],
);

/** Trained model versions; at most one row is the champion. */
export const models = sqliteTable(
  'models',
  {
    version: text('version').primaryKey(),
    createdAt: integer('created_at').notNull(),
    /** candidate, champion, retired, rejected */
    status: text('status').notNull(),
    artifactPath: text('artifact_path').notNull(),
    /** JSON array of feature names in input order. */
    features: text('features').notNull(),
    /** JSON array of horizons in hours. */
    horizons: text('horizons').notNull(),
    /** JSON array of targets, such as ["pm25","pm10"]. */
    targets: text('targets').notNull(),
    /** JSON array of station ids the model was trained on. */
    stationIds: text('station_ids').notNull(),
    trainFrom: integer('train_from').notNull(),
    trainTo: integer('train_to').notNull(),
    testFrom: integer('test_from').notNull(),
    testTo: integer('test_to').notNull(),
    /** JSON evaluation report on the test windows. */
    metrics: text('metrics').notNull(),
    /** Mean PM2.5 RMSE over horizons on the test windows; the promotion rule compares it. */
    score: real('score').notNull(),
    backend: text('backend').notNull(),
    weightsSha256: text('weights_sha256').notNull(),
    promotedAt: integer('promoted_at'),
  },
  (table) => [
    uniqueIndex('models_single_champion')
      .on(table.status)
      .where(sql`status = 'champion'`),
  ],
);

/** Forecast values; re-forecasting the same station and issued hour replaces its rows. */
export const forecasts = sqliteTable(
  'forecasts',
  {
    stationId: integer('station_id')
      .notNull()
      .references(() => stations.id, { onDelete: 'cascade' }),
    /** The last observed hour the forecast was made from. */
    issuedAt: integer('issued_at').notNull(),
    targetAt: integer('target_at').notNull(),
    horizonHours: integer('horizon_hours').notNull(),
    /** µg/m³; null when the model was not trained for that target. */
    pm25: real('pm25'),
    pm10: real('pm10'),
    modelVersion: text('model_version')
      .notNull()
      .references(() => models.version),
    createdAt: integer('created_at').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.stationId, table.issuedAt, table.horizonHours] }),
    index('forecasts_target_at').on(table.targetAt),
    index('forecasts_model_version').on(table.modelVersion),
  ],
);
