import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseCsvTable, indexColumns } from '../../src/importers/csv-table.js';
import { decodeText } from '../../src/importers/encoding.js';
import { parseAirKoreaDataTime } from '../../src/sources/values.js';
import { HOUR_SECONDS, epochSecondsToKstParts, kstToEpochSeconds } from '../../src/time/kst.js';

/**
 * The notebook's nine inputs, KMA ASOS column headers of station 108's hourly export. The
 * project's importer stores no ground temperature, so the benchmark reads the CSVs itself.
 */
const asosColumns = [
  '습도(%)',
  '현지기압(hPa)',
  '해면기압(hPa)',
  '증기압(hPa)',
  '기온(°C)',
  '이슬점온도(°C)',
  '지면온도(°C)',
  '풍향(16방위)',
  '풍속(m/s)',
] as const;

/** One benchmark workload: inputs per hour, window length and what is predicted. */
export interface WorkloadShape {
  windowHours: number;
  /** Hours after the window's last hour whose PM2.5 (and PM10 when `withPm10`) is predicted. */
  horizons: number[];
  withPm10: boolean;
  /** Adds past PM2.5 and hour of day (sin, cos) to the nine weather inputs. */
  withHistory: boolean;
}

/** Normalised windows of one split: inputs [count, windowHours, featureCount], targets [count, outputCount]. */
export interface WindowSplit {
  count: number;
  inputs: Float32Array;
  targets: Float32Array;
}

export interface NotebookWindows {
  windowHours: number;
  featureCount: number;
  outputCount: number;
  featureNames: string[];
  train: WindowSplit;
  validation: WindowSplit;
  test: WindowSplit;
  /** Target scaling fitted on the training split, to report RMSE in µg/m³. */
  targetMeans: number[];
  targetStds: number[];
  /** First and last hour of the joined series, UTC epoch seconds. */
  firstHour: number;
  lastHour: number;
}

interface HourlyTable {
  firstHour: number;
  hours: number;
  /** [hours, columns], NaN where missing. */
  values: Float32Array;
  columns: number;
}

/** Reads KMA station 108 weather for 2018 to 2021 into an hourly table of the nine inputs. */
function readAsos(folder: string): Map<number, Float32Array> {
  const byHour = new Map<number, Float32Array>();
  const files = readdirSync(folder).filter((name) => name.startsWith('SURFACE_ASOS_108_HR_')).sort();
  if (files.length === 0) throw new Error(`no SURFACE_ASOS_108_HR_*.csv file found in ${folder}`);
  for (const file of files) {
    const table = parseCsvTable(decodeText(readFileSync(join(folder, file)), 'cp949').text);
    const columns = indexColumns(table.header);
    const time = columns.get('일시');
    const indexes = asosColumns.map((name) => columns.get(name));
    if (time === undefined || indexes.some((index) => index === undefined)) {
      throw new Error(`${file} lacks one of the columns 일시, ${asosColumns.join(', ')}`);
    }
    for (const row of table.rows) {
      const match = /^(\d{4})-(\d{2})-(\d{2}) (\d{1,2}):00$/.exec(row[time] ?? '');
      if (!match) throw new Error(`${file}: invalid 일시 ${JSON.stringify(row[time])}`);
      const hour = kstToEpochSeconds(Number(match[1]), Number(match[2]), Number(match[3]), Number(match[4]));
      byHour.set(hour, Float32Array.from(indexes, (index) => parseCell(row[index as number])));
    }
  }
  return byHour;
}

/** Reads the Seoul city-wide hourly PM2.5 and PM10 (24:00 means the next day's 00:00 KST). */
function readSeoulAir(path: string): Map<number, [number, number]> {
  const table = parseCsvTable(readFileSync(path, 'utf8'));
  const columns = indexColumns(table.header);
  const time = columns.get('일시');
  const pm25 = columns.get('초미세먼지');
  const pm10 = columns.get('미세먼지');
  if (time === undefined || pm25 === undefined || pm10 === undefined) {
    throw new Error(`${path} lacks one of the columns 일시, 초미세먼지, 미세먼지`);
  }
  const byHour = new Map<number, [number, number]>();
  for (const row of table.rows) byHour.set(parseAirKoreaDataTime(row[time]), [parseCell(row[pm25]), parseCell(row[pm10])]);
  return byHour;
}

function parseCell(text: string | undefined): number {
  if (text === undefined || text.trim() === '' || text.trim() === '-') return Number.NaN;
  const value = Number(text);
  if (!Number.isFinite(value)) throw new Error(`invalid number ${JSON.stringify(text)}`);
  return value;
}

/** Joins weather and air on the hourly grid from the first to the last hour both have. */
function joinHourly(weather: Map<number, Float32Array>, air: Map<number, [number, number]>, shape: WorkloadShape): HourlyTable {
  const hoursWithBoth = [...weather.keys()].filter((hour) => air.has(hour)).sort((a, b) => a - b);
  const firstHour = hoursWithBoth[0];
  const hours = (hoursWithBoth[hoursWithBoth.length - 1] - firstHour) / HOUR_SECONDS + 1;
  const columns = asosColumns.length + (shape.withHistory ? 3 : 0) + 2;
  const values = new Float32Array(hours * columns).fill(Number.NaN);
  for (let index = 0; index < hours; index += 1) {
    const hour = firstHour + index * HOUR_SECONDS;
    const row = values.subarray(index * columns, (index + 1) * columns);
    const weatherRow = weather.get(hour);
    if (weatherRow) row.set(weatherRow);
    const airRow = air.get(hour);
    let column = asosColumns.length;
    if (shape.withHistory) {
      const hourOfDay = epochSecondsToKstParts(hour).hour;
      row[column] = airRow ? airRow[0] : Number.NaN;
      row[column + 1] = Math.sin((2 * Math.PI * hourOfDay) / 24);
      row[column + 2] = Math.cos((2 * Math.PI * hourOfDay) / 24);
      column += 3;
    }
    // The last two columns are the targets, PM2.5 and PM10.
    row[column] = airRow ? airRow[0] : Number.NaN;
    row[column + 1] = airRow ? airRow[1] : Number.NaN;
  }
  return { firstHour, hours, values, columns };
}

/**
 * Builds the training benchmark's windows from the real files: KMA ASOS station 108 hourly
 * weather for 2018 to 2021 and the Seoul city-wide hourly PM2.5 and PM10 for the same hours.
 * Only windows whose inputs and targets are all observed are kept, then split 70/15/15 in time
 * order. Inputs and targets are standardised with means and deviations of the training split.
 */
export function buildNotebookWindows(dataFolder: string, shape: WorkloadShape): NotebookWindows {
  const weather = readAsos(join(dataFolder, 'kma-asos', 'zerobbang_star_project'));
  const air = readSeoulAir(join(dataFolder, 'seoul-air', 'SeojinSeojin_aai2009', 'seoul-air.csv'));
  const table = joinHourly(weather, air, shape);
  const featureCount = asosColumns.length + (shape.withHistory ? 3 : 0);
  const targetCount = shape.withPm10 ? 2 : 1;
  const outputCount = shape.horizons.length * targetCount;
  const maxHorizon = Math.max(...shape.horizons);

  const lastRows: number[] = [];
  for (let last = shape.windowHours - 1; last + maxHorizon < table.hours; last += 1) {
    if (windowIsComplete(table, last, shape, featureCount, targetCount)) lastRows.push(last);
  }
  const trainEnd = Math.floor(lastRows.length * 0.7);
  const validationEnd = Math.floor(lastRows.length * 0.85);
  const featureScale = fitColumns(table, lastRows.slice(0, trainEnd), 0, featureCount);
  // Targets are fitted at the first horizon's hours, which every kept window has observed.
  const firstTargetRows = lastRows.slice(0, trainEnd).map((last) => last + shape.horizons[0]);
  const targetScale = fitColumns(table, firstTargetRows, table.columns - 2, targetCount);

  const extract = (rows: number[]): WindowSplit => {
    const inputs = new Float32Array(rows.length * shape.windowHours * featureCount);
    const targets = new Float32Array(rows.length * outputCount);
    rows.forEach((last, sample) => {
      for (let offset = 0; offset < shape.windowHours; offset += 1) {
        const source = (last - shape.windowHours + 1 + offset) * table.columns;
        const target = (sample * shape.windowHours + offset) * featureCount;
        for (let column = 0; column < featureCount; column += 1) {
          inputs[target + column] = (table.values[source + column] - featureScale.means[column]) / featureScale.stds[column];
        }
      }
      shape.horizons.forEach((horizon, horizonIndex) => {
        for (let targetIndex = 0; targetIndex < targetCount; targetIndex += 1) {
          const value = table.values[(last + horizon) * table.columns + table.columns - 2 + targetIndex];
          targets[sample * outputCount + horizonIndex * targetCount + targetIndex] =
            (value - targetScale.means[targetIndex]) / targetScale.stds[targetIndex];
        }
      });
    });
    return { count: rows.length, inputs, targets };
  };

  const featureNames = [...asosColumns, ...(shape.withHistory ? ['pm25', 'hour_sin', 'hour_cos'] : [])];
  return {
    windowHours: shape.windowHours,
    featureCount,
    outputCount,
    featureNames,
    train: extract(lastRows.slice(0, trainEnd)),
    validation: extract(lastRows.slice(trainEnd, validationEnd)),
    test: extract(lastRows.slice(validationEnd)),
    targetMeans: targetScale.means,
    targetStds: targetScale.stds,
    firstHour: table.firstHour,
    lastHour: table.firstHour + (table.hours - 1) * HOUR_SECONDS,
  };
}

function windowIsComplete(table: HourlyTable, last: number, shape: WorkloadShape, featureCount: number, targetCount: number): boolean {
  for (let row = last - shape.windowHours + 1; row <= last; row += 1) {
    for (let column = 0; column < featureCount; column += 1) {
      if (Number.isNaN(table.values[row * table.columns + column])) return false;
    }
  }
  for (const horizon of shape.horizons) {
    for (let targetIndex = 0; targetIndex < targetCount; targetIndex += 1) {
      if (Number.isNaN(table.values[(last + horizon) * table.columns + table.columns - 2 + targetIndex])) return false;
    }
  }
  return true;
}

/** Mean and standard deviation of `count` columns from `first`, over the given rows. */
function fitColumns(table: HourlyTable, rows: number[], first: number, count: number): { means: number[]; stds: number[] } {
  const means: number[] = [];
  const stds: number[] = [];
  for (let column = first; column < first + count; column += 1) {
    let sum = 0;
    let squares = 0;
    for (const row of rows) {
      const value = table.values[row * table.columns + column];
      sum += value;
      squares += value * value;
    }
    const mean = sum / rows.length;
    means.push(mean);
    stds.push(Math.sqrt(Math.max(squares / rows.length - mean * mean, 1e-12)));
  }
  return { means, stds };
}
