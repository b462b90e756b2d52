import { convertKmaAsosValues, parseKmaDateTime, type KmaAsosRawValues } from '../../importers/kma-asos-values.js';
import { describeKmaStation } from '../../importers/kma-stations.js';
import type { StationDescriptor, WeatherField, WeatherObservationRecord, WeatherQcField } from '../records.js';
import type { JsonObject } from '../responses/body-shapes.js';

/** getWthrDataList field name for each stored weather field and QC flag. */
const ASOS_API_FIELDS: Partial<Record<WeatherField | WeatherQcField, string>> = {
  temperature: 'ta',
  temperatureQc: 'taQcflg',
  precipitation: 'rn',
  precipitationQc: 'rnQcflg',
  windSpeed: 'ws',
  windSpeedQc: 'wsQcflg',
  windDirection: 'wd',
  windDirectionQc: 'wdQcflg',
  humidity: 'hm',
  humidityQc: 'hmQcflg',
  vaporPressure: 'pv',
  dewPoint: 'td',
  stationPressure: 'pa',
  stationPressureQc: 'paQcflg',
  seaLevelPressure: 'ps',
  seaLevelPressureQc: 'psQcflg',
  sunshine: 'ss',
  sunshineQc: 'ssQcflg',
  solarRadiation: 'icsr',
  snowDepth: 'dsnw',
  groundTemperature: 'ts',
  groundTemperatureQc: 'tsQcflg',
};

/**
 * Converts one getWthrDataList item with the file importer's rules (an empty rn is no rain unless
 * rnQcflg is 9). Throws naming the field for an unreadable tm or value.
 */
export function convertAsosItem(item: JsonObject, source: string): { station: StationDescriptor; record: Omit<WeatherObservationRecord, 'stationId'> } {
  const stationCode = String(item.stnId ?? '').trim();
  if (stationCode === '') throw new Error('field "stnId" is missing');
  let observedAt: number;
  try {
    observedAt = parseKmaDateTime(String(item.tm ?? ''));
  } catch (error) {
    throw new Error(`field "tm" has invalid value ${JSON.stringify(item.tm ?? null)}: ${(error as Error).message}`);
  }
  const raw: KmaAsosRawValues = {};
  for (const [field, apiField] of Object.entries(ASOS_API_FIELDS)) raw[field as WeatherField] = item[apiField as string];
  const { stationId: _unused, ...record } = convertKmaAsosValues(raw, 0, observedAt, source);
  const name = typeof item.stnNm === 'string' ? item.stnNm : null;
  return { station: describeKmaStation(stationCode, name), record };
}
