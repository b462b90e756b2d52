import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importFile } from '../src/importers/import-file.js';
import { findStation, resolveWeatherStation, setWeatherStationCode } from '../src/importers/weather-mapping.js';
import { ObservationWriter } from '../src/db/observation-writer.js';
import { fixturePath } from './helpers/import-fixtures.js';
import { createTemporaryDatabase, type TemporaryDatabase } from './helpers/temporary-database.js';

describe('airkorea-stations import', () => {
  let temporary: TemporaryDatabase;

  beforeEach(() => {
    temporary = createTemporaryDatabase();
  });

  afterEach(() => temporary.remove());

  it('reads dmX as latitude', () => {
    const summary = importFile(temporary.database, fixturePath('airkorea-stations-slice.json'));
    expect(summary.format).toBe('airkorea-stations');
    expect(summary.counts).toEqual({ read: 3, inserted: 3, updated: 0, unchanged: 0, duplicate: 0, missing: 0, rejected: 0 });
    const gangnam = temporary.database.sqlite.prepare("SELECT latitude, longitude, kind, address FROM stations WHERE provider_code = '강남구'").get();
    expect(gangnam).toEqual({ latitude: 37.5175623, longitude: 127.0472893, kind: 'urban', address: '서울 강남구 학동로 426 강남구청 별관 1동' });
  });

  it('fills coordinates of known stations', () => {
    importFile(temporary.database, fixturePath('airkorea-urban25-slice.csv'));
    const summary = importFile(temporary.database, fixturePath('airkorea-stations-slice.json'));
    expect(summary.counts).toEqual({ read: 3, inserted: 0, updated: 3, unchanged: 0, duplicate: 0, missing: 0, rejected: 0 });
    const again = importFile(temporary.database, fixturePath('airkorea-stations-slice.json'));
    expect(again.counts.unchanged).toBe(3);
    const stations = temporary.database.sqlite.prepare("SELECT COUNT(*) FROM stations WHERE provider = 'airkorea'").pluck().get();
    expect(stations).toBe(25);
  });
});

describe('resolveWeatherStation', () => {
  let temporary: TemporaryDatabase;

  beforeEach(() => {
    temporary = createTemporaryDatabase();
  });

  afterEach(() => temporary.remove());

  it('defaults to the nearest KMA station', () => {
    importFile(temporary.database, fixturePath('airkorea-stations-slice.json'));
    const junggu = findStation(temporary.database, 'airkorea:중구');
    expect(resolveWeatherStation(temporary.database, junggu.id)).toBeNull();
    importFile(temporary.database, fixturePath('kma-surface-asos-108-2018-slice.csv'));
    importFile(temporary.database, fixturePath('kma-obs-asos-tim-131-slice.csv'));
    const seoul = findStation(temporary.database, 'kma:108');
    // Station 131 has no coordinates, so 108 is the only candidate with a distance.
    expect(resolveWeatherStation(temporary.database, junggu.id)).toBe(seoul.id);
  });

  it('prefers the stored setting', () => {
    importFile(temporary.database, fixturePath('airkorea-stations-slice.json'));
    importFile(temporary.database, fixturePath('kma-surface-asos-108-2018-slice.csv'));
    importFile(temporary.database, fixturePath('kma-obs-asos-tim-131-slice.csv'));
    const junggu = findStation(temporary.database, '중구');
    const cheongju = findStation(temporary.database, 'kma:131');
    setWeatherStationCode(temporary.database, junggu.id, '131');
    expect(resolveWeatherStation(temporary.database, junggu.id)).toBe(cheongju.id);
    setWeatherStationCode(temporary.database, junggu.id, '999');
    expect(resolveWeatherStation(temporary.database, junggu.id)).toBeNull();
    setWeatherStationCode(temporary.database, junggu.id, null);
    expect(resolveWeatherStation(temporary.database, junggu.id)).toBe(findStation(temporary.database, 'kma:108').id);
  });

  it('uses the mapping file setting', () => {
    importFile(temporary.database, fixturePath('seoul-citywide-slice.csv'));
    importFile(temporary.database, fixturePath('kma-surface-asos-108-2018-slice.csv'));
    const citywide = findStation(temporary.database, 'seoul-citywide:seoul');
    expect(citywide.weatherStationCode).toBe('108');
    expect(resolveWeatherStation(temporary.database, citywide.id)).toBe(findStation(temporary.database, 'kma:108').id);
  });

  it('keeps a changed setting on re-import', () => {
    importFile(temporary.database, fixturePath('seoul-citywide-slice.csv'));
    const citywide = findStation(temporary.database, 'seoul-citywide:seoul');
    setWeatherStationCode(temporary.database, citywide.id, null);
    importFile(temporary.database, fixturePath('seoul-citywide-slice.csv'));
    expect(findStation(temporary.database, 'seoul-citywide:seoul').weatherStationCode).toBeNull();
  });

  it('rejects invalid codes and stations', () => {
    importFile(temporary.database, fixturePath('airkorea-stations-slice.json'));
    const junggu = findStation(temporary.database, '중구');
    expect(() => setWeatherStationCode(temporary.database, junggu.id, 'seoul')).toThrow(/invalid KMA ASOS station number "seoul"/);
    expect(() => setWeatherStationCode(temporary.database, 9999, '108')).toThrow(/station id 9999 not found/);
    expect(() => findStation(temporary.database, '없는역')).toThrow(/station "없는역" not found/);
  });

  it('asks for provider on ambiguous codes', () => {
    const writer = new ObservationWriter(temporary.database);
    writer.ensureStation({ provider: 'airkorea', providerCode: '강남구', name: '강남구' });
    writer.ensureStation({ provider: 'seoul', providerCode: '강남구', name: '강남구' });
    expect(() => findStation(temporary.database, '강남구')).toThrow(/ambiguous.*airkorea:강남구.*seoul:강남구/);
    expect(findStation(temporary.database, 'seoul:강남구').provider).toBe('seoul');
  });
});
