import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { POLLUTANTS, WEATHER_FIELDS } from '../sources/records.js';

/**
 * Column mapping for a CSV that no built-in format reads: where the time is, which column is
 * which stored field, the scale to stored units, and the station the rows belong to. Mapping
 * files are JSON in the top-level mappings/ folder.
 */

/** Parses "Asia/Seoul", "UTC" or a fixed offset such as "+09:00" into minutes east of UTC. */
export function parseTimeZoneOffset(zone: string): number | null {
  if (zone === 'Asia/Seoul' || zone === 'KST') return 540;
  if (zone === 'UTC' || zone === 'Z') return 0;
  const match = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
  if (!match) return null;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return match[1] === '-' ? -minutes : minutes;
}

const timeZoneSchema = z
  .string()
  .default('Asia/Seoul')
  .refine((zone) => parseTimeZoneOffset(zone) !== null, {
    message: 'use "Asia/Seoul", "UTC" or a fixed offset such as "+09:00"; zones with daylight saving are not supported',
  });

/** Format tokens YYYY, MM/M, DD/D, HH/H and mm; every other character must appear as written. */
const timeFormatSchema = z.string().refine((format) => /YYYY/.test(format) && /M/.test(format) && /D/.test(format), {
  message: 'a time format needs YYYY, MM and DD tokens, such as "YYYY-MM-DD HH:mm"',
});

const fieldMappingSchema = z.object({
  column: z.string(),
  /** Multiplies the value into the stored unit (for example 0.001 turns ppb into ppm). */
  scale: z.number().positive().default(1),
  note: z.string().optional(),
});

export const mappingSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'use lower-case letters, digits and dashes'),
    description: z.string().optional(),
    /** air rows go to air_observations, weather rows to weather_observations. */
    kind: z.enum(['air', 'weather']),
    /** Source name stored with each row; defaults to the mapping name. */
    source: z.string().min(1).optional(),
    station: z.object({
      provider: z.string().min(1),
      code: z.string().min(1),
      name: z.string().min(1),
      kind: z.string().optional(),
      latitude: z.number().min(-90).max(90).optional(),
      longitude: z.number().min(-180).max(180).optional(),
      address: z.string().optional(),
      /** KMA ASOS station number whose weather this station uses. */
      weatherStationCode: z.string().regex(/^\d+$/).optional(),
    }),
    time: z.union([
      z.object({ column: z.string(), format: timeFormatSchema, timeZone: timeZoneSchema }),
      z.object({ dateColumn: z.string(), dateFormat: timeFormatSchema, hourColumn: z.string(), timeZone: timeZoneSchema }),
    ]),
    fields: z.record(z.string(), fieldMappingSchema),
  })
  .superRefine((mapping, context) => {
    const allowed: readonly string[] = mapping.kind === 'air' ? POLLUTANTS : WEATHER_FIELDS;
    for (const field of Object.keys(mapping.fields)) {
      if (!allowed.includes(field)) {
        context.addIssue({ code: 'custom', path: ['fields', field], message: `unknown ${mapping.kind} field; use one of ${allowed.join(', ')}` });
      }
    }
    if (Object.keys(mapping.fields).length === 0) context.addIssue({ code: 'custom', path: ['fields'], message: 'map at least one field' });
  });

export type ColumnMapping = z.infer<typeof mappingSchema>;

/** An invalid or missing mapping file, naming the file and each problem. */
export class MappingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MappingError';
  }
}

/** mappings/ sits at the package root, two levels above src/importers and three above dist/src/importers. */
export function findMappingsFolder(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const candidate of [resolve(here, '../../mappings'), resolve(here, '../../../mappings')]) {
    if (existsSync(candidate)) return candidate;
  }
  throw new MappingError(`mappings folder not found next to ${here}; reinstall the package or run from the repository root`);
}

/** Reads and validates one mapping file. */
export function readMappingFile(path: string): ColumnMapping {
  let document: unknown;
  try {
    document = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new MappingError(`failed to read mapping ${path}: ${(error as Error).message}`);
  }
  const parsed = mappingSchema.safeParse(document);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(mapping)'}: ${issue.message}`);
    throw new MappingError(`invalid mapping ${path}:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
  return parsed.data;
}

/** Loads a mapping by file path, or by name from the mappings folder (mappings/NAME.json). */
export function loadMapping(nameOrPath: string): ColumnMapping {
  if (existsSync(nameOrPath)) return readMappingFile(nameOrPath);
  const folder = findMappingsFolder();
  const path = resolve(folder, `${nameOrPath}.json`);
  if (!existsSync(path)) {
    const known = listMappingFiles(folder).map((file) => file.replace(/\.json$/, ''));
    throw new MappingError(`mapping "${nameOrPath}" not found as a file or in ${folder}; known mappings: ${known.join(', ') || 'none'}`);
  }
  return readMappingFile(path);
}

function listMappingFiles(folder: string): string[] {
  return readdirSync(folder)
    .filter((file) => file.endsWith('.json'))
    .sort();
}

/** Loads every mapping in the mappings folder, for format detection. */
export function loadAllMappings(): ColumnMapping[] {
  const folder = findMappingsFolder();
  return listMappingFiles(folder).map((file) => readMappingFile(resolve(folder, file)));
}

/** Columns a mapping reads; a file matches the mapping when its header has all of them. */
export function mappingColumns(mapping: ColumnMapping): string[] {
  const timeColumns = 'column' in mapping.time ? [mapping.time.column] : [mapping.time.dateColumn, mapping.time.hourColumn];
  return [...timeColumns, ...Object.values(mapping.fields).map((field) => field.column)];
}
