import { KST_OFFSET_SECONDS } from '../time/kst.js';
import { blockOfRow, timeOfRow, type TargetName, type WindowSet } from '../windows/window-set.js';

/**
 * Mean target value per KST hour of day, per station and over all stations, fitted on the
 * training split. Plain JSON, so it is stored with a model and reused by `dustcast evaluate`.
 */
export interface HourOfDayClimatology {
  format: 1;
  targets: TargetName[];
  /** Per station id: [target][kstHour] mean in µg/m³, null where no training hour had a value. */
  stations: Record<string, (number | null)[][]>;
  /** [target][kstHour] mean over every station. */
  overall: (number | null)[][];
}

export function kstHourOf(epochSeconds: number): number {
  return Math.floor((epochSeconds + KST_OFFSET_SECONDS) / 3600) % 24;
}

function meansOf(sums: Float64Array, counts: Float64Array): (number | null)[] {
  return Array.from(sums, (sum, hour) => (counts[hour] > 0 ? sum / counts[hour] : null));
}

/**
 * Fits the climatology on the target hours of `trainingRows` (the training samples' last input
 * rows): each observed value at a row `horizon` hours after one of them counts once.
 */
export function fitHourOfDayClimatology(set: WindowSet, trainingRows: Int32Array): HourOfDayClimatology {
  const targetCount = set.spec.targets.length;
  const isTargetRow = new Uint8Array(set.rowCount);
  for (const row of trainingRows) for (const horizon of set.spec.horizons) isTargetRow[row + horizon] = 1;
  const perStation = new Map<number, { sums: Float64Array[]; counts: Float64Array[] }>();
  const overall = { sums: [] as Float64Array[], counts: [] as Float64Array[] };
  for (let target = 0; target < targetCount; target += 1) {
    overall.sums.push(new Float64Array(24));
    overall.counts.push(new Float64Array(24));
  }
  for (let row = 0; row < set.rowCount; row += 1) {
    if (isTargetRow[row] === 0) continue;
    const stationId = blockOfRow(set, row).stationId;
    let station = perStation.get(stationId);
    if (!station) {
      station = { sums: [], counts: [] };
      for (let target = 0; target < targetCount; target += 1) {
        station.sums.push(new Float64Array(24));
        station.counts.push(new Float64Array(24));
      }
      perStation.set(stationId, station);
    }
    const hour = kstHourOf(timeOfRow(set, row));
    for (let target = 0; target < targetCount; target += 1) {
      const value = set.targetValues[row * targetCount + target];
      if (Number.isNaN(value)) continue;
      station.sums[target][hour] += value;
      station.counts[target][hour] += 1;
      overall.sums[target][hour] += value;
      overall.counts[target][hour] += 1;
    }
  }
  const stations: HourOfDayClimatology['stations'] = {};
  for (const [stationId, station] of perStation) {
    stations[String(stationId)] = station.sums.map((sums, target) => meansOf(sums, station.counts[target]));
  }
  return {
    format: 1,
    targets: [...set.spec.targets],
    stations,
    overall: overall.sums.map((sums, target) => meansOf(sums, overall.counts[target])),
  };
}

/**
 * Returns the climatology value for a station, target and target instant: the station's own
 * hour mean, else the all-station hour mean, else NaN.
 */
export function climatologyValue(climatology: HourOfDayClimatology, stationId: number, target: TargetName, targetAt: number): number {
  const targetIndex = climatology.targets.indexOf(target);
  if (targetIndex < 0) return Number.NaN;
  const hour = kstHourOf(targetAt);
  const own = climatology.stations[String(stationId)]?.[targetIndex]?.[hour];
  if (own !== null && own !== undefined) return own;
  return climatology.overall[targetIndex][hour] ?? Number.NaN;
}
