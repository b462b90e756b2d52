import type { Logger } from '../logging/logger.js';
import type { DustcastDatabase } from '../db/database.js';
import { formatKst } from '../time/kst.js';
import { buildStationColumns, type NeighbourTotals } from './feature-columns.js';
import { chooseDefaultFeatures, type NeighbourMode } from './default-features.js';
import { NEIGHBOUR_FEATURE, isWeatherFeature, validateFeatureNames } from './feature-catalog.js';
import { fillShortGaps } from './gap-fill.js';
import { ObservationReader, type AirSeries, type WeatherSeries } from './observation-reader.js';
import { selectStations } from './station-selection.js';
import type { SeriesBlock, TargetName } from './window-set.js';

const HOUR = 3600;

/** Request for the rows of a window set; featureNames null means the default list. */
export interface AssembleRequest {
  windowHours: number;
  horizons: number[];
  targets: TargetName[];
  maxGapHours: number;
  featureNames: string[] | null;
  neighbourMode: NeighbourMode;
  stationIds?: readonly number[];
  /** Hours read from the database, UTC epoch seconds, inclusive. */
  readFrom: number;
  readTo: number;
  /** Earliest last input hour a sample may have. */
  sampleFrom: number;
}

/** Unscaled rows of every usable hour, grouped in blocks, with candidate samples in time order. */
export interface AssembledRows {
  featureNames: string[];
  featureCount: number;
  rowCount: number;
  features: Float32Array;
  targetValues: Float32Array;
  blocks: SeriesBlock[];
  stationIds: number[];
  /** Last input rows of samples whose inputs and targets are complete, sorted by issue time. */
  sampleRows: Int32Array;
  /** Issue time (UTC epoch seconds) of each entry of sampleRows. */
  sampleTimes: Float64Array;
  filledHours: number;
  /** Stations left out, with the reason. */
  skipped: { stationId: number; reason: string }[];
}

// Epoch seconds beyond ±10^11 (about year 5138) stand for an open end of the period.
const OPEN_END = 1e11;

function describePeriod(from: number, to: number): string {
  const start = from > -OPEN_END ? `from ${formatKst(from)} KST` : '';
  const end = to < OPEN_END ? `to ${formatKst(to)} KST` : '';
  return start || end ? [start, end].filter(Boolean).join(' ') : 'in the database';
}

function hasValues(column: Float32Array): boolean {
  for (let index = 0; index < column.length; index += 1) if (!Number.isNaN(column[index])) return true;
  return false;
}

function buildNeighbourTotals(airs: AirSeries[], maxGapHours: number): { totals: NeighbourTotals; filled: Float32Array[] } {
  const startAt = Math.min(...airs.map((air) => air.startAt));
  const endAt = Math.max(...airs.map((air) => air.startAt + (air.hours - 1) * HOUR));
  const length = (endAt - startAt) / HOUR + 1;
  const sums = new Float64Array(length);
  const counts = new Int32Array(length);
  const filled = airs.map((air) => {
    const pm25 = air.columns.pm25.slice();
    fillShortGaps(pm25, maxGapHours, new Uint8Array(pm25.length));
    const offset = (air.startAt - startAt) / HOUR;
    for (let index = 0; index < pm25.length; index += 1) {
      if (Number.isNaN(pm25[index])) continue;
      sums[offset + index] += pm25[index];
      counts[offset + index] += 1;
    }
    return pm25;
  });
  return { totals: { startAt, sums, counts }, filled };
}

/**
 * Reads every selected station, builds its feature columns, keeps runs of usable hours of at
 * least `windowHours` as blocks, and lists the complete samples. Memory stays at the final
 * matrices plus one station's columns, because rows are written straight into arrays sized
 * for the upper bound.
 */
export function assembleRows(database: DustcastDatabase, request: AssembleRequest, logger?: Logger): AssembledRows {
  const reader = new ObservationReader(database);
  const skipped: { stationId: number; reason: string }[] = [];
  const stations = [];
  const airs: AirSeries[] = [];
  for (const station of selectStations(database, request.stationIds)) {
    const air = reader.readAir(station.id, request.readFrom, request.readTo);
    const missingTarget = air ? request.targets.find((target) => !hasValues(air.columns[target])) : undefined;
    if (!air || missingTarget) {
      skipped.push({ stationId: station.id, reason: air ? `no ${missingTarget} values in the period` : 'no air observations in the period' });
      continue;
    }
    stations.push(station);
    airs.push(air);
  }
  if (stations.length === 0) {
    throw new Error(
      `no station has ${request.targets.join(' and ')} observations ${describePeriod(request.readFrom, request.readTo)}; ` +
        'import air-quality data for that period first',
    );
  }

  const weatherCache = new Map<number, WeatherSeries | null>();
  const weathers = stations.map((station) => {
    if (station.weatherStationId === null) return null;
    if (!weatherCache.has(station.weatherStationId)) {
      weatherCache.set(station.weatherStationId, reader.readWeather(station.weatherStationId, request.readFrom, request.readTo));
    }
    return weatherCache.get(station.weatherStationId) ?? null;
  });

  const featureNames =
    request.featureNames && request.featureNames.length > 0
      ? request.featureNames
      : chooseDefaultFeatures({ airByStation: airs, weatherByStation: weathers, neighbourMode: request.neighbourMode, maxGapHours: request.maxGapHours });
  validateFeatureNames(featureNames);
  const usesNeighbours = featureNames.includes(NEIGHBOUR_FEATURE);
  if (usesNeighbours && stations.length < 2) {
    throw new Error(
      `feature ${NEIGHBOUR_FEATURE} needs at least two stations with data in the period but ${stations.length} has; ` +
        'import more stations, or drop the feature (DUSTCAST_NEIGHBOUR_FEATURES=off) and retrain',
    );
  }
  const neighbour = usesNeighbours ? buildNeighbourTotals(airs, request.maxGapHours) : null;
  const usesWeather = featureNames.some(isWeatherFeature);

  const featureCount = featureNames.length;
  const targetCount = request.targets.length;
  const upperRows = airs.reduce((total, air) => total + air.hours, 0);
  const features = new Float32Array(upperRows * featureCount);
  const targetValues = new Float32Array(upperRows * targetCount);
  const candidateRows = new Int32Array(upperRows);
  const candidateHours = new Int32Array(upperRows);
  const gridStart = Math.min(...airs.map((air) => air.startAt));
  const maxHorizon = Math.max(...request.horizons);
  const blocks: SeriesBlock[] = [];
  const stationIds: number[] = [];
  let rowCount = 0;
  let candidateCount = 0;
  let filledHours = 0;

  for (let stationIndex = 0; stationIndex < stations.length; stationIndex += 1) {
    const station = stations[stationIndex];
    const air = airs[stationIndex];
    if (usesWeather && !weathers[stationIndex]) {
      skipped.push({ stationId: station.id, reason: 'weather features requested but no KMA station with weather data is mapped or near' });
      continue;
    }
    const columns = buildStationColumns({
      air,
      filledPm25: neighbour ? neighbour.filled[stationIndex] : air.columns.pm25,
      weather: weathers[stationIndex],
      neighbours: neighbour ? neighbour.totals : null,
      featureNames,
      targets: request.targets,
      maxGapHours: request.maxGapHours,
    });
    filledHours += columns.filledHours;
    const blockCountBefore = blocks.length;
    let runStart = -1;
    for (let hour = 0; hour <= columns.hours; hour += 1) {
      const usable = hour < columns.hours && columns.usable[hour] === 1;
      if (usable && runStart < 0) runStart = hour;
      if (usable || runStart < 0) continue;
      const runHours = hour - runStart;
      if (runHours >= request.windowHours) {
        const firstRow = rowCount;
        blocks.push({ stationId: station.id, startAt: columns.startAt + runStart * HOUR, hours: runHours, firstRow });
        for (let offset = 0; offset < runHours; offset += 1) {
          const source = runStart + offset;
          const base = (firstRow + offset) * featureCount;
          for (let feature = 0; feature < featureCount; feature += 1) features[base + feature] = columns.features[feature][source];
          for (let target = 0; target < targetCount; target += 1) {
            targetValues[(firstRow + offset) * targetCount + target] = columns.targets[target][source];
          }
        }
        rowCount += runHours;
        for (let offset = request.windowHours - 1; offset + maxHorizon < runHours; offset += 1) {
          const issuedAt = columns.startAt + (runStart + offset) * HOUR;
          if (issuedAt < request.sampleFrom) continue;
          const row = firstRow + offset;
          let complete = true;
          for (const horizon of request.horizons) {
            for (let target = 0; target < targetCount; target += 1) {
              if (Number.isNaN(targetValues[(row + horizon) * targetCount + target])) complete = false;
            }
          }
          // NOTE: one unobserved target hour drops the whole sample, so scores cover only issue
          // hours where every horizon was measured.
          if (!complete) continue;
          candidateRows[candidateCount] = row;
          candidateHours[candidateCount] = (issuedAt - gridStart) / HOUR;
          candidateCount += 1;
        }
      }
      runStart = -1;
    }
    if (blocks.length > blockCountBefore) stationIds.push(station.id);
    else skipped.push({ stationId: station.id, reason: `no run of ${request.windowHours} usable hours` });
  }

  const sorted = sortByHour(candidateRows, candidateHours, candidateCount);
  const sampleTimes = new Float64Array(candidateCount);
  for (let index = 0; index < candidateCount; index += 1) sampleTimes[index] = gridStart + sorted.hours[index] * HOUR;
  logger?.debug({ stations: stationIds.length, rows: rowCount, blocks: blocks.length, filledHours, samples: candidateCount }, 'window rows assembled');
  return {
    featureNames,
    featureCount,
    rowCount,
    features: features.subarray(0, rowCount * featureCount),
    targetValues: targetValues.subarray(0, rowCount * targetCount),
    blocks,
    stationIds,
    sampleRows: sorted.rows,
    sampleTimes,
    filledHours,
    skipped,
  };
}

/** Counting sort by hour index, stable, so samples of one hour keep row (station) order. */
function sortByHour(rows: Int32Array, hours: Int32Array, count: number): { rows: Int32Array; hours: Int32Array } {
  let maxHour = 0;
  for (let index = 0; index < count; index += 1) if (hours[index] > maxHour) maxHour = hours[index];
  const starts = new Int32Array(maxHour + 2);
  for (let index = 0; index < count; index += 1) starts[hours[index] + 1] += 1;
  for (let hour = 1; hour < starts.length; hour += 1) starts[hour] += starts[hour - 1];
  const sortedRows = new Int32Array(count);
  const sortedHours = new Int32Array(count);
  for (let index = 0; index < count; index += 1) {
    const slot = starts[hours[index]];
    starts[hours[index]] += 1;
    sortedRows[slot] = rows[index];
    sortedHours[slot] = hours[index];
  }
  return { rows: sortedRows, hours: sortedHours };
}
