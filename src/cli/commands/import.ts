import { Option, type Command } from 'commander';
import { runJob } from '../../../jobs/definition.js';
import { ImportJobError, importJob, type ImportJobSummary } from '../../../jobs/import.js';
import { ENCODING_CHOICES } from '../../importers/encoding.js';
import { IMPORT_FORMATS } from '../../importers/formats.js';
import type { ImportSummary } from '../../importers/import-file.js';
import { formatKst } from '../../time/kst.js';
import { createCommandRuntime } from '../context.js';
import { formatTextTable } from '../text-table.js';

const COUNT_COLUMNS = ['read', 'inserted', 'updated', 'unchanged', 'duplicate', 'missing', 'rejected'] as const;

/** Formats one summary row per file as an aligned text table. */
export function formatImportTable(files: ImportSummary[]): string {
  const header = ['file', 'format', 'source', 'encoding', ...COUNT_COLUMNS, 'first hour (KST)', 'last hour (KST)', 'status'];
  const rows = files.map((file) => [
    file.file.split('/').pop() ?? file.file,
    file.mapping ? `mapping:${file.mapping}` : file.format,
    file.source,
    file.encoding,
    ...COUNT_COLUMNS.map((column) => String(file.counts[column])),
    file.rangeStart === null ? '-' : formatKst(file.rangeStart),
    file.rangeEnd === null ? '-' : formatKst(file.rangeEnd),
    file.status,
  ]);
  return formatTextTable(header, rows, new Set(COUNT_COLUMNS.map((_, index) => index + 4)));
}

interface ImportCommandOptions {
  format: string;
  mapping?: string;
  encoding: string;
  source?: string;
  keepZeroPm?: boolean;
}

export function registerImportCommand(program: Command): void {
  program
    .command('import')
    .description('Import observation files (the bundled sample when no file is given), one transaction per file')
    .argument('[files...]', 'CSV, JSON or XLSX files; .gz files are decompressed')
    .addOption(new Option('--format <format>', 'file format; auto detects it from the header or JSON keys').choices(['auto', ...IMPORT_FORMATS]).default('auto'))
    .option('--mapping <name-or-path>', 'column mapping for the mapping format: a name in mappings/ or a JSON file path')
    .addOption(new Option('--encoding <encoding>', 'text encoding; auto reads UTF-8 (with or without BOM), else CP949').choices([...ENCODING_CHOICES]).default('auto'))
    .option('--source <name>', 'source name stored with each row (default: one per format, such as airkorea-file)')
    .option('--keep-zero-pm', 'seoul-openapi: keep PM10/PM2.5 values of 0 instead of treating them as missing')
    .action(async (files: string[], options: ImportCommandOptions) => {
      const runtime = createCommandRuntime();
      let summary: ImportJobSummary;
      try {
        summary = await runJob(
          importJob,
          { files, format: options.format, mapping: options.mapping, encoding: options.encoding, source: options.source, keepZeroPm: options.keepZeroPm },
          runtime.context,
        );
      } catch (error) {
        if (!(error instanceof ImportJobError)) throw error;
        runtime.progress.stop();
        console.log(formatImportTable(error.summary.files));
        throw error;
      } finally {
        runtime.close();
      }
      console.log(formatImportTable(summary.files));
    });
}
