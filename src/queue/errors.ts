import { UnrecoverableError } from 'bullmq';
import { ZodError } from 'zod';
import { InvalidPayloadError } from '../../jobs/definition.js';
import { SettingsError } from '../config/settings.js';
import { redactText } from '../logging/redact.js';

/**
 * Decides whether a retry could help. Invalid payloads and settings are permanent, and so is
 * any error that marks itself with `permanent: true` or `retryable: false` (the job modules
 * use these for a rejected key or a bad request). Everything else is retried.
 */
export function isPermanentError(error: unknown): boolean {
  if (error instanceof InvalidPayloadError || error instanceof SettingsError || error instanceof ZodError) return true;
  if (error instanceof UnrecoverableError) return true;
  if (typeof error !== 'object' || error === null) return false;
  const marks = error as { permanent?: unknown; retryable?: unknown };
  return marks.permanent === true || marks.retryable === false;
}

/**
 * Converts a handler's error into what BullMQ should see: an UnrecoverableError (fail now, no
 * retry) for permanent errors, otherwise an Error that BullMQ retries with backoff. The message
 * is redacted, because BullMQ stores it in Redis and the dashboard shows it.
 */
export function toQueueError(error: unknown): Error {
  const name = error instanceof Error ? error.name : 'Error';
  const message = redactText(error instanceof Error ? error.message : String(error));
  // The class name shows the dashboard reader the kind of failure; plain Error adds nothing.
  const text = name === 'Error' ? message : `${name}: ${message}`;
  const converted = isPermanentError(error) ? new UnrecoverableError(text) : new Error(text);
  if (error instanceof Error && error.stack) {
    converted.stack = `${text}\n${redactText(error.stack.split('\n').slice(1).join('\n'))}`;
  }
  return converted;
}
