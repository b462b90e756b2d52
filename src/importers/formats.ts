import { indexColumns } from './csv-table.js';
import type { LoadedInput } from './input-table.js';
import { KMA_PORTAL_COLUMNS, KMA_PORTAL_KEY_COLUMNS } from './kma-asos-values.js';
import { KMA_PM10_COLUMN_PREFIX } from './kma-pm10-file.js';
import { mappingColumns, type ColumnMapping } from './mapping-definition.js';

/** File formats `dustcast import --format` accepts. */
export const IMPORT_FORMATS = ['airkorea', 'airkorea-stations', 'kma-asos', 'kma-pm10', 'seoul-openapi', 'mapping'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** Source name stored with each observation when --source is not given. */
export const DEFAULT_SOURCES: Record<Exclude<ImportFormat, 'mapping'>, string> = {
  airkorea: 'airkorea-file',
  'airkorea-stations': 'airkorea-stations',
  'kma-asos': 'kma-asos-file',
  'kma-pm10': 'kma-pm10',
  'seoul-openapi': 'seoul-api',
};

export interface DetectedFormat {
  format: ImportFormat;
  mapping?: ColumnMapping;
}

function keysOf(items: unknown[]): Set<string> {
  const keys = new Set<string>();
  for (const item of items.slice(0, 20)) {
    if (item !== null && typeof item === 'object') for (const key of Object.keys(item)) keys.add(key);
  }
  return keys;
}

/**
 * Detects a file's format from its JSON item keys or its header row. Mappings are tried last,
 * in name order, and match when the header has every column they read. Returns null when
 * nothing matches.
 */
export function detectFormat(input: LoadedInput, loadMappings: () => ColumnMapping[]): DetectedFormat | null {
  if (input.kind === 'json') {
    const keys = keysOf(input.items);
    if (keys.has('dataTime') && keys.has('stationName')) return { format: 'airkorea' };
    if (keys.has('dmX') && keys.has('dmY') && keys.has('stationName')) return { format: 'airkorea-stations' };
    if (keys.has('MSRDT') && keys.has('MSRSTE_NM')) return { format: 'seoul-openapi' };
    return null;
  }
  const header = input.table.header;
  const columns = indexColumns(header);
  if (columns.has('dataTime') && columns.has('stationName')) return { format: 'airkorea' };
  if (columns.has('MSRDT') && columns.has('MSRSTE_NM')) return { format: 'seoul-openapi' };
  if (columns.has(KMA_PORTAL_KEY_COLUMNS.stationCode) && columns.has(KMA_PORTAL_KEY_COLUMNS.time)) {
    if (columns.has(KMA_PORTAL_COLUMNS.temperature!)) return { format: 'kma-asos' };
    if (header.some((name) => name.trim().startsWith(KMA_PM10_COLUMN_PREFIX))) return { format: 'kma-pm10' };
  }
  // Mappings are read only when no built-in format matches.
  for (const mapping of loadMappings()) {
    if (mappingColumns(mapping).every((column) => columns.has(column))) return { format: 'mapping', mapping };
  }
  return null;
}
