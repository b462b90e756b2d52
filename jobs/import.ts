import { existsSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { ENCODING_CHOICES } from '../src/importers/encoding.js';
import { IMPORT_FORMATS } from '../src/importers/formats.js';
import { ImportFailedError, importFile, type ImportSummary } from '../src/importers/import-file.js';
import { defineJob } from './definition.js';

/** File names of the bundled sample in data/sample, in import order: stations first, for coordinates. */
const SAMPLE_FILES = ['airkorea_stations_seoul.json', 'seoul_realtime_urban25_2025-04-21_2026-01-16.csv.gz'];

/** data/sample sits at the package root, one level above jobs/ and two above dist/jobs/. */
function findSampleFolder(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const candidate of [resolve(here, '../data/sample'), resolve(here, '../../data/sample')]) {
    if (existsSync(resolve(candidate, SAMPLE_FILES[0]))) return candidate;
  }
  throw new Error(`bundled sample not found in data/sample next to ${here}; reinstall the package or pass files to import`);
}

/** Returns the absolute paths of the bundled sample files, in the order they must be imported. */
export function bundledSampleFiles(): string[] {
  const folder = findSampleFolder();
  return SAMPLE_FILES.map((file) => resolve(folder, file));
}

export interface ImportJobSummary {
  files: ImportSummary[];
  succeeded: number;
  failed: number;
}

/** Some files of an import job failed; each was rolled back, and `summary` lists every file. */
export class ImportJobError extends Error {
  constructor(readonly summary: ImportJobSummary) {
    const failures = summary.files.filter((file) => file.status === 'failed');
    super(`${failures.length} of ${summary.files.length} files failed to import:\n${failures.map((file) => `  - ${file.error}`).join('\n')}`);
    this.name = 'ImportJobError';
  }
}

/**
 * Imports files (the bundled sample when `files` is empty), one transaction per file. Every
 * file is attempted; when any fails, the job throws ImportJobError after the rest are done.
 */
export const importJob = defineJob({
  name: 'import',
  payload: z.object({
    files: z.array(z.string().min(1)).default([]),
    format: z.enum(['auto', ...IMPORT_FORMATS]).optional(),
    /** Mapping name in mappings/ or a path to a mapping file. */
    mapping: z.string().min(1).optional(),
    encoding: z.enum(ENCODING_CHOICES).optional(),
    source: z.string().min(1).optional(),
    /** Seoul Open API rows: keep a PM value of 0 instead of treating it as missing. */
    keepZeroPm: z.boolean().optional(),
  }),
  async handle(payload, context): Promise<ImportJobSummary> {
    const files = payload.files.length > 0 ? payload.files : bundledSampleFiles();
    const summary: ImportJobSummary = { files: [], succeeded: 0, failed: 0 };
    for (const file of files) {
      if (context.signal.aborted) throw context.signal.reason instanceof Error ? context.signal.reason : new Error('import aborted');
      const name = basename(file);
      try {
        const result = importFile(context.database, file, {
          format: payload.format,
          mapping: payload.mapping,
          encoding: payload.encoding,
          source: payload.source,
          zeroPmIsMissing: payload.keepZeroPm === true ? false : undefined,
          logger: context.logger,
          onProgress: (current, total) => context.reportProgress({ stage: 'import', current, total, details: { file: name } }),
        });
        summary.files.push(result);
        summary.succeeded += 1;
      } catch (error) {
        if (!(error instanceof ImportFailedError)) throw error;
        summary.files.push(error.summary);
        summary.failed += 1;
      }
      // Yield between files so an abort signal or other queued work can run.
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (summary.failed > 0) throw new ImportJobError(summary);
    return summary;
  },
});
