import type { z } from 'zod';
import type { Settings } from '../src/config/settings.js';
import type { DustcastDatabase } from '../src/db/database.js';
import type { Logger } from '../src/logging/logger.js';

/** A step of long work: the CLI draws it as a progress bar, the worker forwards it to the job. */
export interface ProgressUpdate {
  /** Short stage name, such as "import" or "epoch". */
  stage: string;
  current: number;
  total?: number;
  /** Extra numbers shown beside the bar, such as loss and validation loss. */
  details?: Record<string, number | string>;
}

/** Context every job handler receives besides its payload. */
export interface JobContext {
  database: DustcastDatabase;
  settings: Settings;
  logger: Logger;
  reportProgress(update: ProgressUpdate): void;
  /** Aborted when the process is shutting down; long handlers check it between steps. */
  signal: AbortSignal;
}

/**
 * One pipeline step: a name, a payload schema and a handler. The CLI and the queue worker call
 * the same handler; the summary it returns is JSON-serialisable.
 */
export interface JobDefinition<Schema extends z.ZodType = z.ZodType, Summary = unknown> {
  name: string;
  payload: Schema;
  handle(payload: z.output<Schema>, context: JobContext): Promise<Summary>;
}

/** Declares a job with its payload type inferred from the schema. */
export function defineJob<Schema extends z.ZodType, Summary>(definition: JobDefinition<Schema, Summary>): JobDefinition<Schema, Summary> {
  return definition;
}

/** A payload that failed validation; permanent, so the worker does not retry it. */
export class InvalidPayloadError extends Error {
  constructor(jobName: string, details: string) {
    super(`invalid payload for job "${jobName}": ${details}`);
    this.name = 'InvalidPayloadError';
  }
}

/** Validates `payload` against the job's schema and runs the handler. */
export async function runJob<Schema extends z.ZodType, Summary>(
  definition: JobDefinition<Schema, Summary>,
  payload: unknown,
  context: JobContext,
): Promise<Summary> {
  const parsed = definition.payload.safeParse(payload ?? {});
  if (!parsed.success) {
    const details = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(payload)'}: ${issue.message}`).join('; ');
    throw new InvalidPayloadError(definition.name, details);
  }
  return definition.handle(parsed.data, context);
}
