import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ObservationWriter } from '../src/db/observation-writer.js';
import { emptyAirRecord, emptyWeatherRecord } from '../src/sources/records.js';
import { kstToEpochSeconds } from '../src/time/kst.js';
import { buildModelWindowSet, buildTrainingWindowSet } from '../src/windows/build-window-set.js';
import { selectStations } from '../src/windows/station-selection.js';
import { createTemporaryDatabase, type TemporaryDatabase } from './windows-support/temporary-database.js';

const HOUR = 3600;
const startAt = kstToEpochSeconds(2025, 3, 1, 0);
const hours = 200;
const identity = (columns: number) => ({ means: new Float32Array(columns), stds: new Float32Array(columns).fill(1) });

describe('weather and source precedence', () => {
  let temporary: TemporaryDatabase;
  let mappedId: number;
  let nearId: number;
  let seoulKmaId: number;
  let suwonKmaId: number;

  beforeEach(() => {
    temporary = createTemporaryDatabase();
    const writer = new ObservationWriter(temporary.database);
    writer.transaction(() => {
      seoulKmaId = writer.ensureStation({ provider: 'kma', providerCode: '108', name: '서울', latitude: 37.5714, longitude: 126.9658 });
      suwonKmaId = writer.ensureStation({ provider: 'kma', providerCode: '119', name: '수원', latitude: 37.2723, longitude: 126.9853 });
      mappedId = writer.ensureStation({ provider: 'airkorea', providerCode: '중구', name: '중구', weatherStationCode: '108', latitude: 37.26, longitude: 127.03 });
      nearId = writer.ensureStation({ provider: 'airkorea', providerCode: '인계동', name: '인계동', latitude: 37.26, longitude: 127.03 });
      const fileAir = [];
      const apiAir = [];
      const asos = [];
      const nowcast = [];
      for (let hour = 0; hour < hours; hour += 1) {
        for (const stationId of [mappedId, nearId]) {
          const record = emptyAirRecord(stationId, startAt + hour * HOUR, 'airkorea-file');
          record.pm25 = 20 + (hour % 10);
          record.pm10 = 40 + (hour % 10);
          fileAir.push(record);
        }
        for (const [stationId, temperature] of [[seoulKmaId, 5], [suwonKmaId, 9]] as const) {
          const record = emptyWeatherRecord(stationId, startAt + hour * HOUR, 'kma-asos-file');
          record.temperature = temperature;
          record.humidity = 60;
          record.seaLevelPressure = 1015;
          record.precipitation = 0;
          record.windSpeed = 2;
          record.windDirection = 90;
          asos.push(record);
          const nowcastRecord = emptyWeatherRecord(stationId, startAt + hour * HOUR, 'kma-nowcast');
          nowcastRecord.temperature = -40;
          nowcastRecord.windSpeed = 9;
          nowcast.push(nowcastRecord);
        }
      }
      // The API pull of the first 50 hours arrives later with a different PM2.5 value.
      for (let hour = 0; hour < 50; hour += 1) {
        const record = emptyAirRecord(mappedId, startAt + hour * HOUR, 'airkorea-api');
        record.pm25 = 99;
        apiAir.push(record);
      }
      writer.writeAir(fileAir, 1_000);
      writer.writeAir(apiAir, 2_000);
      writer.writeWeather(nowcast, 3_000);
      writer.writeWeather(asos, 1_000);
    });
  });

  afterEach(() => temporary.remove());

  it('maps by code first, then by distance', () => {
    const stations = selectStations(temporary.database);
    expect(stations.map((station) => station.id)).toEqual([mappedId, nearId]);
    expect(stations[0].weatherStationId).toBe(seoulKmaId);
    expect(stations[1].weatherStationId).toBe(suwonKmaId);
  });

  it('adds weather to the default features', () => {
    const set = buildTrainingWindowSet(temporary.database, {
      windowHours: 6,
      horizons: [1],
      targets: ['pm25'],
      maxGapHours: 2,
      features: [],
      neighbourFeatures: 'off',
      validationFraction: 0.2,
      testFraction: 0.2,
    });
    expect(set.spec.featureNames).toEqual([
      'pm25', 'pm10', 'hour_sin', 'hour_cos', 'day_of_year_sin', 'day_of_year_cos',
      'temperature', 'humidity', 'pressure', 'precipitation', 'wind_u', 'wind_v', 'was_missing',
    ]);
  });

  it('prefers ASOS weather and the newest air value', () => {
    const featureNames = ['pm25', 'temperature', 'wind_u', 'wind_v', 'pressure'];
    const set = buildModelWindowSet(temporary.database, {
      spec: { windowHours: 6, horizons: [1], targets: ['pm25'], featureNames, maxGapHours: 2 },
      featureScaler: identity(featureNames.length),
      targetScaler: identity(1),
      from: startAt,
      to: startAt + (hours - 1) * HOUR,
    });
    const mappedBlock = set.blocks.find((block) => block.stationId === mappedId)!;
    const nearBlock = set.blocks.find((block) => block.stationId === nearId)!;
    const value = (row: number, name: string) => set.features[row * featureNames.length + featureNames.indexOf(name)];
    expect(value(mappedBlock.firstRow, 'pm25')).toBe(99);
    expect(value(mappedBlock.firstRow + 60, 'pm25')).toBe(20);
    expect(value(mappedBlock.firstRow, 'temperature')).toBe(5);
    expect(value(nearBlock.firstRow, 'temperature')).toBe(9);
    expect(value(mappedBlock.firstRow, 'wind_u')).toBeCloseTo(-2, 5);
    expect(value(mappedBlock.firstRow, 'wind_v')).toBeCloseTo(0, 5);
    expect(value(mappedBlock.firstRow, 'pressure')).toBe(1015);
  });

  it('skips a station with no weather when weather is requested', () => {
    temporary.database.sqlite.prepare('DELETE FROM weather_observations WHERE station_id = ?').run(suwonKmaId);
    const featureNames = ['pm25', 'temperature'];
    const set = buildModelWindowSet(temporary.database, {
      spec: { windowHours: 6, horizons: [1], targets: ['pm25'], featureNames, maxGapHours: 2 },
      featureScaler: identity(2),
      targetScaler: identity(1),
      from: startAt,
      to: startAt + (hours - 1) * HOUR,
    });
    expect(set.stationIds).toEqual([mappedId]);
  });

  it('rejects an unknown feature name', () => {
    expect(() =>
      buildModelWindowSet(temporary.database, {
        spec: { windowHours: 6, horizons: [1], targets: ['pm25'], featureNames: ['pm25', 'wind_direction'], maxGapHours: 2 },
        featureScaler: identity(2),
        targetScaler: identity(1),
        from: startAt,
        to: startAt + (hours - 1) * HOUR,
      }),
    ).toThrow(/unknown feature name\(s\) "wind_direction"/);
  });
});

describe('neighbour feature', () => {
  let temporary: TemporaryDatabase;

  beforeEach(() => {
    temporary = createTemporaryDatabase();
    const writer = new ObservationWriter(temporary.database);
    writer.transaction(() => {
      const stationIds = ['강남구', '서초구', '송파구'].map((name) => writer.ensureStation({ provider: 'airkorea', providerCode: name, name }));
      const records = [];
      for (let hour = 0; hour < 48; hour += 1) {
        for (const [index, stationId] of stationIds.entries()) {
          // Station 3 misses hour 10, so the others' mean there uses two stations and its own value is filled.
          if (index === 2 && hour === 10) continue;
          const record = emptyAirRecord(stationId, startAt + hour * HOUR, 'airkorea-file');
          record.pm25 = 10 * (index + 1) + hour;
          record.pm10 = 50;
          records.push(record);
        }
      }
      writer.writeAir(records);
    });
  });

  afterEach(() => temporary.remove());

  it('averages the other stations', () => {
    const featureNames = ['pm25', 'neighbour_pm25'];
    const set = buildModelWindowSet(temporary.database, {
      spec: { windowHours: 6, horizons: [1], targets: ['pm25'], featureNames, maxGapHours: 2 },
      featureScaler: identity(2),
      targetScaler: identity(1),
      from: startAt,
      to: startAt + 47 * HOUR,
    });
    const [first, second, third] = set.blocks;
    const neighbour = (block: typeof first, hour: number) => set.features[(block.firstRow + hour) * 2 + 1];
    // At hour 5 the PM2.5 values are 15, 25 and 35.
    expect(neighbour(first, 5)).toBeCloseTo((25 + 35) / 2, 5);
    expect(neighbour(second, 5)).toBeCloseTo((15 + 35) / 2, 5);
    expect(neighbour(third, 5)).toBeCloseTo((15 + 25) / 2, 5);
    // Station 3's hour 10 is interpolated (40), and the interpolated value enters the others' mean.
    expect(neighbour(first, 10)).toBeCloseTo((30 + 40) / 2, 5);
    expect(neighbour(third, 10)).toBeCloseTo((20 + 30) / 2, 5);
  });

  it('rejects a single station', () => {
    const featureNames = ['pm25', 'neighbour_pm25'];
    const stationId = (temporary.database.sqlite.prepare('SELECT MIN(id) AS id FROM stations').get() as { id: number }).id;
    expect(() =>
      buildModelWindowSet(temporary.database, {
        spec: { windowHours: 6, horizons: [1], targets: ['pm25'], featureNames, maxGapHours: 2 },
        featureScaler: identity(2),
        targetScaler: identity(1),
        from: startAt,
        to: startAt + 47 * HOUR,
        stationIds: [stationId],
      }),
    ).toThrow(/neighbour_pm25 needs at least two stations with data in the period but 1 has/);
  });
});
