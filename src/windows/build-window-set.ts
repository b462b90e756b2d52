import type { Settings } from '../config/settings.js';
import type { DustcastDatabase } from '../db/database.js';
import type { Logger } from '../logging/logger.js';
import { formatKst } from '../time/kst.js';
import { assembleRows, type AssembledRows } from './assemble-rows.js';
import type { NeighbourMode } from './default-features.js';
import { applyScaler, fitScaler } from './scaler.js';
import { chooseSplitBoundaries, rangeOfTimes, splitOf } from './split.js';
import type { Scaler, TargetName, TimeRange, WindowSet, WindowSpec } from './window-set.js';

const HOUR = 3600;

/** Options for a training window set; `features` empty means the defaults for the data. */
export interface TrainingWindowRequest {
  windowHours: number;
  horizons: number[];
  targets: TargetName[];
  maxGapHours: number;
  features: string[];
  neighbourFeatures: NeighbourMode;
  validationFraction: number;
  testFraction: number;
  stationIds?: number[];
  /** UTC epoch seconds, inclusive; the default is all stored hours. */
  from?: number;
  to?: number;
}

/** Reads the window settings, including DUSTCAST_TARGETS; callers add stations or a period. */
export function trainingRequestFromSettings(settings: Settings, overrides: Partial<TrainingWindowRequest> = {}): TrainingWindowRequest {
  return {
    windowHours: settings.DUSTCAST_WINDOW_HOURS,
    horizons: [...settings.DUSTCAST_HORIZONS].sort((a, b) => a - b),
    targets: [...settings.DUSTCAST_TARGETS],
    maxGapHours: settings.DUSTCAST_MAX_GAP_HOURS,
    features: settings.DUSTCAST_FEATURES,
    neighbourFeatures: settings.DUSTCAST_NEIGHBOUR_FEATURES,
    validationFraction: settings.DUSTCAST_VALIDATION_FRACTION,
    testFraction: settings.DUSTCAST_TEST_FRACTION,
    ...overrides,
  };
}

function validateSpecShape(windowHours: number, horizons: number[]): void {
  if (horizons.length === 0) throw new Error('no horizons given; set DUSTCAST_HORIZONS such as "1,3,6,12,24"');
  for (let index = 1; index < horizons.length; index += 1) {
    if (horizons[index] <= horizons[index - 1]) {
      throw new Error(`horizons ${horizons.join(',')} must be distinct and ascending; fix DUSTCAST_HORIZONS`);
    }
  }
  if (windowHours < 1) throw new Error(`window of ${windowHours} hours is invalid; DUSTCAST_WINDOW_HOURS must be at least 1`);
}

/** Marks rows whose hour is before `cut`; a row's hour follows from its block. */
function rowsBefore(rows: AssembledRows, cut: number): Uint8Array {
  const mask = new Uint8Array(rows.rowCount);
  for (const block of rows.blocks) {
    const hoursBefore = Math.max(0, Math.min(block.hours, Math.ceil((cut - block.startAt) / HOUR)));
    mask.fill(1, block.firstRow, block.firstRow + hoursBefore);
  }
  return mask;
}

/**
 * Builds the training, validation and test windows from the database. One global pair of
 * time cuts applies to every station, the test split is the most recent, and the feature and
 * target scalers are fitted only on hours before the validation cut. Features come back
 * normalised; targets stay in µg/m³.
 */
export function buildTrainingWindowSet(database: DustcastDatabase, request: TrainingWindowRequest, logger?: Logger): WindowSet {
  validateSpecShape(request.windowHours, request.horizons);
  const maxHorizon = request.horizons[request.horizons.length - 1];
  const rows = assembleRows(
    database,
    {
      windowHours: request.windowHours,
      horizons: request.horizons,
      targets: request.targets,
      maxGapHours: request.maxGapHours,
      featureNames: request.features.length > 0 ? request.features : null,
      neighbourMode: request.neighbourFeatures,
      stationIds: request.stationIds,
      readFrom: request.from ?? Number.MIN_SAFE_INTEGER,
      readTo: request.to ?? Number.MAX_SAFE_INTEGER,
      sampleFrom: Number.MIN_SAFE_INTEGER,
    },
    logger,
  );

  const boundaries = chooseSplitBoundaries(rows.sampleTimes, request.validationFraction, request.testFraction);
  const splitRows = { train: [] as number[], validation: [] as number[], test: [] as number[] };
  const splitTimes = { train: [] as number[], validation: [] as number[], test: [] as number[] };
  for (let index = 0; index < rows.sampleRows.length; index += 1) {
    const split = splitOf(rows.sampleTimes[index], maxHorizon, boundaries);
    if (split === null) continue;
    splitRows[split].push(rows.sampleRows[index]);
    splitTimes[split].push(rows.sampleTimes[index]);
  }
  if (splitRows.train.length === 0) {
    throw new Error(`no training windows fit before the validation cut; import a longer period or lower DUSTCAST_VALIDATION_FRACTION / DUSTCAST_TEST_FRACTION`);
  }

  const trainRows = rowsBefore(rows, boundaries.validationFrom);
  const targetCount = request.targets.length;
  const featureScaler = fitScaler(rows.features, rows.featureCount, rows.rowCount, (row) => trainRows[row] === 1);
  const targetScaler = fitScaler(rows.targetValues, targetCount, rows.rowCount, (row) => trainRows[row] === 1);
  applyScaler(rows.features, rows.featureCount, rows.rowCount, featureScaler);

  const ranges = {
    train: rangeOfTimes(Float64Array.from(splitTimes.train), boundaries.validationFrom),
    validation: rangeOfTimes(Float64Array.from(splitTimes.validation), boundaries.testFrom),
    test: rangeOfTimes(Float64Array.from(splitTimes.test), boundaries.testFrom),
  };
  const set = toWindowSet(rows, request, featureScaler, targetScaler, {
    train: Int32Array.from(splitRows.train),
    validation: Int32Array.from(splitRows.validation),
    test: Int32Array.from(splitRows.test),
  }, ranges);
  logger?.info(
    {
      stations: set.stationIds.length,
      skippedStations: rows.skipped,
      rows: set.rowCount,
      blocks: set.blocks.length,
      filledHours: rows.filledHours,
      features: set.spec.featureNames,
      train: set.samples.train.length,
      validation: set.samples.validation.length,
      test: set.samples.test.length,
    },
    'training windows built',
  );
  return set;
}

/** Windows for a stored model: its spec and scalers, with every complete sample in `test`. */
export interface ModelWindowRequest {
  spec: WindowSpec;
  featureScaler: Scaler;
  targetScaler: Scaler;
  /** Last input hours from `from` to `to`, UTC epoch seconds inclusive; inputs may start earlier. */
  from: number;
  to: number;
  stationIds?: number[];
}

/**
 * Builds windows for a period with a model's feature list and saved scalers, for evaluating
 * that model on new data and for forecasting. Samples need complete targets inside the period,
 * so every target hour is at most `to`; forecasting uses latestWindowRows instead.
 */
export function buildModelWindowSet(database: DustcastDatabase, request: ModelWindowRequest, logger?: Logger): WindowSet {
  const { spec } = request;
  validateSpecShape(spec.windowHours, spec.horizons);
  if (request.to < request.from) {
    throw new Error(`period ends (${formatKst(request.to)} KST) before it starts (${formatKst(request.from)} KST); swap --from and --to`);
  }
  const rows = assembleRows(
    database,
    {
      windowHours: spec.windowHours,
      horizons: spec.horizons,
      targets: spec.targets,
      maxGapHours: spec.maxGapHours,
      featureNames: spec.featureNames,
      neighbourMode: 'auto',
      stationIds: request.stationIds,
      readFrom: request.from - (spec.windowHours - 1 + spec.maxGapHours) * HOUR,
      readTo: request.to,
      sampleFrom: request.from,
    },
    logger,
  );
  applyScaler(rows.features, rows.featureCount, rows.rowCount, request.featureScaler);
  const empty: TimeRange = { from: request.from, to: request.from - 1 };
  const set = toWindowSet(rows, spec, request.featureScaler, request.targetScaler, {
    train: new Int32Array(0),
    validation: new Int32Array(0),
    test: rows.sampleRows,
  }, { train: empty, validation: empty, test: rangeOfTimes(rows.sampleTimes, request.from) });
  logger?.info(
    { stations: set.stationIds.length, skippedStations: rows.skipped, rows: set.rowCount, samples: set.samples.test.length, from: request.from, to: request.to },
    'model windows built',
  );
  return set;
}

function toWindowSet(
  rows: AssembledRows,
  shape: { windowHours: number; horizons: number[]; targets: TargetName[]; maxGapHours: number },
  featureScaler: Scaler,
  targetScaler: Scaler,
  samples: WindowSet['samples'],
  ranges: WindowSet['ranges'],
): WindowSet {
  return {
    spec: {
      windowHours: shape.windowHours,
      horizons: [...shape.horizons],
      targets: [...shape.targets],
      featureNames: [...rows.featureNames],
      maxGapHours: shape.maxGapHours,
    },
    featureCount: rows.featureCount,
    rowCount: rows.rowCount,
    features: rows.features,
    targetValues: rows.targetValues,
    blocks: rows.blocks,
    samples,
    ranges,
    featureScaler,
    targetScaler,
    stationIds: rows.stationIds,
  };
}

/**
 * Returns, per station, the row of the newest hour whose window of `windowHours` usable hours
 * is complete: the last row of the station's last block. Forecasts are issued from these rows.
 */
export function latestWindowRows(set: Pick<WindowSet, 'blocks' | 'spec'>): Int32Array {
  const latestByStation = new Map<number, number>();
  const latestTime = new Map<number, number>();
  for (const block of set.blocks) {
    if (block.hours < set.spec.windowHours) continue;
    const endAt = block.startAt + (block.hours - 1) * HOUR;
    if ((latestTime.get(block.stationId) ?? -Infinity) < endAt) {
      latestTime.set(block.stationId, endAt);
      latestByStation.set(block.stationId, block.firstRow + block.hours - 1);
    }
  }
  return Int32Array.from([...latestByStation.entries()].sort((a, b) => a[0] - b[0]).map((entry) => entry[1]));
}
