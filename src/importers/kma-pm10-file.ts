import { emptyAirRecord } from '../sources/records.js';
import { parseMeasurement } from '../sources/values.js';
import { FieldError, ImportFileError } from './errors.js';
import type { ImportSession } from './import-session.js';
import type { LoadedInput } from './input-table.js';
import { KMA_PORTAL_KEY_COLUMNS, parseKmaDateTime } from './kma-asos-values.js';
import { describeKmaStation } from './kma-stations.js';

/** Header prefix of the value column, "1시간평균 미세먼지농도(㎍/㎥)" in the portal export. */
export const KMA_PM10_COLUMN_PREFIX = '1시간평균 미세먼지농도';

/**
 * Imports KMA's hourly PM10 from the yellow-dust network (ENV_YDST_*_HR_*). An hour with an
 * empty value is counted missing and skipped, like an absent hour. Values above 700 µg/m³ occur
 * in dust storms and are kept.
 */
export function importKmaPm10File(input: LoadedInput, session: ImportSession): void {
  if (input.kind !== 'table') throw new ImportFileError(session.file, 'the kma-pm10 format reads CSV, not JSON');
  const header = input.table.header.map((name) => name.trim());
  const codeColumn = header.indexOf(KMA_PORTAL_KEY_COLUMNS.stationCode);
  const timeColumn = header.indexOf(KMA_PORTAL_KEY_COLUMNS.time);
  const valueColumn = header.findIndex((name) => name.startsWith(KMA_PM10_COLUMN_PREFIX));
  if (codeColumn < 0 || timeColumn < 0 || valueColumn < 0) {
    throw new ImportFileError(session.file, `the kma-pm10 format needs the columns 지점, 일시 and ${KMA_PM10_COLUMN_PREFIX}(㎍/㎥)`);
  }
  const valueField = header[valueColumn];
  const stationIds = new Map<string, number>();
  input.table.forEachRow((row, line) => {
    session.rowRead();
    try {
      let value: number | null;
      try {
        value = parseMeasurement(row[valueColumn]);
      } catch (error) {
        throw new FieldError(valueField, row[valueColumn], (error as Error).message);
      }
      if (value === null) {
        session.skipMissing();
        return;
      }
      const code = String(row[codeColumn] ?? '').trim();
      if (!/^\d+$/.test(code)) throw new FieldError('지점', row[codeColumn], 'expected an ASOS station number such as 108');
      let stationId = stationIds.get(code);
      if (stationId === undefined) {
        stationId = session.station(describeKmaStation(code));
        stationIds.set(code, stationId);
      }
      let observedAt: number;
      try {
        observedAt = parseKmaDateTime(String(row[timeColumn] ?? ''));
      } catch (error) {
        throw new FieldError('일시', row[timeColumn], (error as Error).message);
      }
      if (value < 0) throw new FieldError(valueField, row[valueColumn], 'a concentration must not be negative');
      const record = emptyAirRecord(stationId, observedAt, session.source);
      record.pm10 = value;
      session.writeAir(record);
    } catch (error) {
      throw session.rowError(error, line);
    }
  });
}
