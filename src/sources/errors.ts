import { redactText } from '../logging/redact.js';

/** Category of a failed request, which decides whether it is retried, deferred to a later day, or left for a person. */
export type SourceFailureKind = 'network' | 'timeout' | 'http' | 'response' | 'provider' | 'quota' | 'configuration' | 'request';

export interface SourceErrorDetails {
  source: string;
  kind: SourceFailureKind;
  httpStatus?: number | null;
  providerCode?: string | null;
}

/**
 * A failed call to a public API. The message is redacted when the error is built, and the error
 * never keeps the underlying axios error, whose config and request carry the key.
 */
export class SourceError extends Error {
  readonly source: string;
  readonly kind: SourceFailureKind;
  readonly httpStatus: number | null;
  readonly providerCode: string | null;
  /** True when the same request may succeed later, so a retry is worth it. */
  readonly retryable: boolean;

  constructor(message: string, details: SourceErrorDetails, retryable: boolean) {
    super(redactText(message));
    this.name = 'SourceError';
    this.source = details.source;
    this.kind = details.kind;
    this.httpStatus = details.httpStatus ?? null;
    this.providerCode = details.providerCode ?? null;
    this.retryable = retryable;
  }
}

/** A network error, timeout, 5xx, unreadable body or retryable provider code (01, 02, 04, 05, 99). */
export class TransientSourceError extends SourceError {
  constructor(message: string, details: SourceErrorDetails) {
    super(message, details, true);
    this.name = 'TransientSourceError';
  }
}

/**
 * The daily request quota is used up (data.go.kr code 22, Seoul INFO-300). Not retryable today:
 * the source is blocked until `blockedUntil` and the hours it could not pull are deferred.
 */
export class QuotaExceededError extends SourceError {
  constructor(
    message: string,
    details: SourceErrorDetails,
    /** UTC epoch seconds of the next KST midnight, when the provider resets the quota. */
    readonly blockedUntil: number,
  ) {
    super(message, details, false);
    this.name = 'QuotaExceededError';
  }
}

/**
 * A key or endpoint problem (missing, unregistered or expired key, wrong base URL) that no retry can
 * fix. The worker marks jobs failing with it as unrecoverable.
 */
export class SourceConfigurationError extends SourceError {
  constructor(message: string, details: Omit<SourceErrorDetails, 'kind'>) {
    super(message, { ...details, kind: 'configuration' }, false);
    this.name = 'SourceConfigurationError';
  }
}

/** A request the provider rejects as invalid (codes 10, 11, 12, Seoul ERROR-3xx); not retryable. */
export class InvalidSourceRequestError extends SourceError {
  constructor(message: string, details: Omit<SourceErrorDetails, 'kind'>) {
    super(message, { ...details, kind: 'request' }, false);
    this.name = 'InvalidSourceRequestError';
  }
}

/** A source was called before its quota block ends. */
export class SourceBlockedError extends SourceError {
  constructor(
    source: string,
    readonly blockedUntil: number,
    reason: string,
  ) {
    super(
      `${source} is blocked until ${new Date(blockedUntil * 1000).toISOString()} (${reason}); ` +
        'the hours it could not pull are recorded as deferred and are pulled after the block ends',
      { source, kind: 'quota' },
      false,
    );
    this.name = 'SourceBlockedError';
  }
}

/** True for errors that a later attempt of the same job may get past. */
export function isRetryableSourceError(error: unknown): boolean {
  return error instanceof SourceError && error.retryable;
}
