import { isMissingText } from '../sources/values.js';
import { indexColumns } from './csv-table.js';
import { ImportFileError } from './errors.js';
import type { ImportSession } from './import-session.js';
import type { LoadedInput } from './input-table.js';
import { convertSeoulOpenApiRow, describeSeoulStation, type SeoulConversionOptions, type SeoulOpenApiRow } from './seoul-openapi-rows.js';

const VALUE_FIELDS = ['PM10', 'PM25', 'O3', 'NO2', 'CO', 'SO2'];
const ROW_FIELDS = ['MSRDT', 'MSRSTE_NM', ...VALUE_FIELDS];

/**
 * Imports Seoul Open API TimeAverageAirQuality rows, from a JSON response or row array or from a
 * CSV with the API's field names in any column order.
 */
export function importSeoulOpenApiFile(input: LoadedInput, session: ImportSession, options: SeoulConversionOptions): void {
  const stationIds = new Map<string, number>();
  const importRow = (row: SeoulOpenApiRow, line: number, lineKind: 'line' | 'item') => {
    session.rowRead();
    if (isMissingText(row.MSRDT) && VALUE_FIELDS.every((field) => isMissingText(row[field]))) {
      session.skipMissing();
      return;
    }
    try {
      const name = typeof row.MSRSTE_NM === 'string' ? row.MSRSTE_NM : '';
      let stationId = stationIds.get(name);
      if (stationId === undefined) {
        stationId = session.station(describeSeoulStation(row));
        stationIds.set(name, stationId);
      }
      const record = convertSeoulOpenApiRow(row, stationId, session.source, options);
      const empty = record.pm10 === null && record.pm25 === null && record.o3 === null && record.no2 === null && record.co === null && record.so2 === null;
      if (empty) session.skipMissing();
      else session.writeAir(record);
    } catch (error) {
      throw session.rowError(error, line, lineKind);
    }
  };

  if (input.kind === 'json') {
    input.items.forEach((row, index) => importRow((row ?? {}) as SeoulOpenApiRow, index + 1, 'item'));
    return;
  }
  const index = indexColumns(input.table.header);
  for (const required of ['MSRDT', 'MSRSTE_NM']) {
    if (!index.has(required)) throw new ImportFileError(session.file, `missing column "${required}" for the seoul-openapi format`);
  }
  const columns = ROW_FIELDS.filter((field) => index.has(field)).map((field) => [field, index.get(field)!] as const);
  input.table.forEachRow((cells, line) => {
    const row: SeoulOpenApiRow = {};
    for (const [field, column] of columns) row[field] = cells[column] as string;
    importRow(row, line, 'line');
  });
}
