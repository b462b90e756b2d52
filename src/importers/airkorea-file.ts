import { POLLUTANTS, type AirObservationRecord } from '../sources/records.js';
import { ImportFileError } from './errors.js';
import { AIRKOREA_ITEM_FIELDS, convertAirKoreaItem, describeAirKoreaStation, type AirKoreaItem } from './airkorea-items.js';
import type { ImportSession } from './import-session.js';
import type { InputTable, LoadedInput } from './input-table.js';
import { indexColumns } from './csv-table.js';

/** Item fields read from a CSV row; the other API fields (grades, khai, sidoName) are not stored. */
const ITEM_FIELDS = ['stationName', 'dataTime', 'mangName', ...Object.values(AIRKOREA_ITEM_FIELDS).flatMap((fields) => [fields.value, fields.flag])];

/** Imports AirKorea realtime items from a JSON item array or a CSV with the API's field names. */
export function importAirKoreaFile(input: LoadedInput, session: ImportSession): void {
  const stationIds = new Map<string, number>();
  const importItem = (item: AirKoreaItem, line: number, lineKind: 'line' | 'item') => {
    session.rowRead();
    try {
      // Converting first lets an empty item be skipped even when its station name is empty too.
      const record = convertAirKoreaItem(item, 0, session.source);
      if (record === null || isEmpty(record)) {
        session.skipMissing();
        return;
      }
      const name = typeof item.stationName === 'string' ? item.stationName : '';
      let stationId = stationIds.get(name);
      if (stationId === undefined) {
        stationId = session.station(describeAirKoreaStation(item));
        stationIds.set(name, stationId);
      }
      record.stationId = stationId;
      session.writeAir(record);
    } catch (error) {
      throw session.rowError(error, line, lineKind);
    }
  };

  if (input.kind === 'json') {
    input.items.forEach((item, index) => importItem((item ?? {}) as AirKoreaItem, index + 1, 'item'));
    return;
  }
  const columns = requireColumns(session.file, input.table);
  // One item object is refilled for every row, since the conversion keeps no reference to it.
  const item: AirKoreaItem = {};
  input.table.forEachRow((row, line) => {
    for (const [field, column] of columns) {
      const cell = row[column];
      // The CSV writes the API's null as an empty field.
      item[field] = cell === '' || cell === undefined ? null : (cell as string);
    }
    importItem(item, line, 'line');
  });
}

/** True when a record has no value and no flag, which stores nothing useful. */
function isEmpty(record: AirObservationRecord): boolean {
  return POLLUTANTS.every((pollutant) => record[pollutant] === null && record[`${pollutant}Flag`] === null);
}

function requireColumns(file: string, table: InputTable): [string, number][] {
  const index = indexColumns(table.header);
  for (const required of ['stationName', 'dataTime']) {
    if (!index.has(required)) throw new ImportFileError(file, `missing column "${required}" for the airkorea format`);
  }
  return ITEM_FIELDS.filter((field) => index.has(field)).map((field) => [field, index.get(field)!]);
}
