/**
 * Builds small WindowSets from the real Seoul urban realtime CSV for model and registry tests,
 * without the database: PM2.5 and PM10 of a few stations.
 */
import { parse } from 'csv-parse/sync';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAirKoreaDataTime, parseMeasurement } from '../../src/sources/values.js';
import type { SeriesBlock, TargetName, WindowSet } from '../../src/windows/window-set.js';

const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const seoulFolder = join(repositoryRoot, '../shared/data/seoul-air/riverKangg_finedust');

/** Path of the urban realtime CSV, or undefined when the shared data folder is absent. */
export function seoulUrbanCsvPath(): string | undefined {
  if (!existsSync(seoulFolder)) return undefined;
  const name = readdirSync(seoulFolder).find((file) => file.startsWith('seoul_realtime_urban25_') && file.endsWith('.csv'));
  return name ? join(seoulFolder, name) : undefined;
}

export const seoulDataMissingMessage = `real Seoul data not found under ${seoulFolder}; these tests need the shared data folder`;

type HourlyValues = Map<number, { pm25: number | null; pm10: number | null }>;
let cachedSeries: Map<string, HourlyValues> | undefined;

function readSeries(): Map<string, HourlyValues> {
  if (cachedSeries) return cachedSeries;
  const path = seoulUrbanCsvPath();
  if (!path) throw new Error(seoulDataMissingMessage);
  const rows = parse(readFileSync(path), { columns: true }) as Array<Record<string, string>>;
  const series = new Map<string, HourlyValues>();
  for (const row of rows) {
    const station = row.stationName;
    if (!series.has(station)) series.set(station, new Map());
    const observedAt = parseAirKoreaDataTime(row.dataTime);
    const pm25 = row.pm25Flag ? null : parseMeasurement(row.pm25Value);
    const pm10 = row.pm10Flag ? null : parseMeasurement(row.pm10Value);
    series.get(station)!.set(observedAt, { pm25, pm10 });
  }
  cachedSeries = series;
  return series;
}

export interface SeoulWindowSetOptions {
  stations: string[];
  windowHours: number;
  horizons: number[];
  targets?: TargetName[];
  /** Keep only the first this many hours of each station. */
  maxHours?: number;
  /** Fractions of the sample count, in time order. */
  validationFraction?: number;
  testFraction?: number;
}

/**
 * Builds a WindowSet with features pm25, pm10, hour_sin, hour_cos (hour of day in KST) and a
 * was-missing mask. Gaps of up to 2 h are filled linearly (their targets are NaN); longer gaps
 * start a new block. Splits follow one global time cut.
 */
export function buildSeoulWindowSet(options: SeoulWindowSetOptions): WindowSet {
  const series = readSeries();
  const targets = options.targets ?? ['pm25'];
  const featureNames = ['pm25', 'pm10', 'hour_sin', 'hour_cos', 'pm_was_missing'];
  const maxGapHours = 2;
  const featureCount = featureNames.length;
  const rawFeatures: number[] = [];
  const targetValues: number[] = [];
  const blocks: SeriesBlock[] = [];
  const stationIds: number[] = [];
  let row = 0;
  options.stations.forEach((station, stationIndex) => {
    const hourly = series.get(station);
    if (!hourly) throw new Error(`station ${station} is not in the Seoul CSV`);
    const stationId = stationIndex + 1;
    stationIds.push(stationId);
    const times = [...hourly.keys()].sort((left, right) => left - right).slice(0, options.maxHours);
    let block: SeriesBlock | undefined;
    let previous: { time: number; pm25: number; pm10: number } | undefined;
    const pushRow = (time: number, pm25: number, pm10: number, filled: boolean) => {
      const hour = ((time / 3600 + 9) % 24 + 24) % 24;
      rawFeatures.push(pm25, pm10, Math.sin((2 * Math.PI * hour) / 24), Math.cos((2 * Math.PI * hour) / 24), filled ? 1 : 0);
      for (const target of targets) {
        const observed = target === 'pm25' ? pm25 : pm10;
        targetValues.push(filled ? Number.NaN : observed);
      }
      block!.hours += 1;
      row += 1;
    };
    for (const time of times) {
      const values = hourly.get(time)!;
      if (values.pm25 === null || values.pm10 === null) continue;
      const gapHours = previous ? (time - previous.time) / 3600 - 1 : Number.POSITIVE_INFINITY;
      if (!block || gapHours > maxGapHours) {
        block = { stationId, startAt: time, hours: 0, firstRow: row };
        blocks.push(block);
      } else {
        for (let step = 1; step <= gapHours; step += 1) {
          const weight = step / (gapHours + 1);
          const pm25 = previous!.pm25 + (values.pm25 - previous!.pm25) * weight;
          const pm10 = previous!.pm10 + (values.pm10 - previous!.pm10) * weight;
          pushRow(previous!.time + step * 3600, pm25, pm10, true);
        }
      }
      pushRow(time, values.pm25, values.pm10, false);
      previous = { time, pm25: values.pm25, pm10: values.pm10 };
    }
  });
  const maxHorizon = Math.max(...options.horizons);
  const candidates: Array<{ row: number; time: number }> = [];
  for (const block of blocks) {
    for (let offset = options.windowHours - 1; offset + maxHorizon < block.hours; offset += 1) {
      candidates.push({ row: block.firstRow + offset, time: block.startAt + offset * 3600 });
    }
  }
  const times = [...new Set(candidates.map((candidate) => candidate.time))].sort((left, right) => left - right);
  const validationFraction = options.validationFraction ?? 0.15;
  const testFraction = options.testFraction ?? 0.15;
  const validationStart = times[Math.floor(times.length * (1 - validationFraction - testFraction))];
  const testStart = times[Math.floor(times.length * (1 - testFraction))];
  // A sample belongs to a split only if its last target hour stays inside that split.
  const gapSeconds = maxHorizon * 3600;
  const splitRows = { train: [] as number[], validation: [] as number[], test: [] as number[] };
  for (const candidate of candidates) {
    if (candidate.time + gapSeconds < validationStart) splitRows.train.push(candidate.row);
    else if (candidate.time >= validationStart && candidate.time + gapSeconds < testStart) splitRows.validation.push(candidate.row);
    else if (candidate.time >= testStart) splitRows.test.push(candidate.row);
  }
  const rowCount = row;
  const features = Float32Array.from(rawFeatures);
  const featureScaler = fitScaler(features, featureCount, splitRows.train, options.windowHours);
  for (let index = 0; index < rowCount; index += 1) {
    for (let column = 0; column < featureCount; column += 1) {
      const offset = index * featureCount + column;
      features[offset] = (features[offset] - featureScaler.means[column]) / featureScaler.stds[column];
    }
  }
  const targetArray = Float32Array.from(targetValues);
  const targetScaler = fitScaler(targetArray, targets.length, splitRows.train, 1);
  const timeByRow = new Map(candidates.map((candidate) => [candidate.row, candidate.time]));
  const rangeOf = (rows: number[]) => {
    const rowTimes = rows.map((sampleRow) => timeByRow.get(sampleRow)!);
    return { from: Math.min(...rowTimes), to: Math.max(...rowTimes) };
  };
  return {
    spec: { windowHours: options.windowHours, horizons: options.horizons, targets, featureNames, maxGapHours },
    featureCount,
    rowCount,
    features,
    targetValues: targetArray,
    blocks,
    samples: {
      train: Int32Array.from(splitRows.train),
      validation: Int32Array.from(splitRows.validation),
      test: Int32Array.from(splitRows.test),
    },
    ranges: { train: rangeOf(splitRows.train), validation: rangeOf(splitRows.validation), test: rangeOf(splitRows.test) },
    featureScaler,
    targetScaler,
    stationIds,
  };
}

/** Mean and standard deviation per column over the rows that training windows read, NaN skipped. */
function fitScaler(values: Float32Array, columns: number, sampleRows: number[], windowHours: number) {
  const used = new Set<number>();
  for (const sampleRow of sampleRows) {
    for (let offset = 0; offset < windowHours; offset += 1) used.add(sampleRow - offset);
  }
  const means = new Float32Array(columns);
  const stds = new Float32Array(columns);
  for (let column = 0; column < columns; column += 1) {
    let sum = 0;
    let squares = 0;
    let count = 0;
    for (const index of used) {
      const value = values[index * columns + column];
      if (Number.isNaN(value)) continue;
      sum += value;
      squares += value * value;
      count += 1;
    }
    const mean = sum / count;
    means[column] = mean;
    stds[column] = Math.sqrt(Math.max(squares / count - mean * mean, 0)) || 1;
  }
  return { means, stds };
}
