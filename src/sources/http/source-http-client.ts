import axios, { type AxiosInstance } from 'axios';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../../logging/logger.js';
import { redactText, registerSecret } from '../../logging/redact.js';
import { SourceConfigurationError, SourceError, TransientSourceError } from '../errors.js';
import { retryDelayMs } from './backoff.js';
import { RateLimiter } from './rate-limiter.js';

/** axios codes for a request that cannot be sent as configured (such as a base URL without http://). */
const invalidRequestCodes = new Set(['ERR_BAD_REQUEST', 'ERR_INVALID_URL', 'ERR_BAD_OPTION', 'ERR_BAD_OPTION_VALUE', 'ERR_NOT_SUPPORT']);

/** Limits for one source's requests, read from the DUSTCAST_HTTP_* settings. */
export interface HttpClientOptions {
  timeoutMs: number;
  /** Retries after the first attempt, so the maximum number of attempts is retries + 1. */
  retries: number;
  retryBaseMs: number;
  retryMaxMs: number;
  requestsPerSecond: number;
  /** Keys that must never reach a message; both their raw and encoded forms are removed. */
  secrets: string[];
  /** Replaces Math.random for the retry jitter in tests. */
  random?: () => number;
}

/** One GET request: the full URL (key included) and how to classify its body. */
export interface HttpRequest<T> {
  url: string;
  /** Names the request in logs and errors without the key, such as "getMsrstnList page 2". */
  label: string;
  /** Reads the body; throws a SourceError when the body reports a failure. */
  parse(body: string, httpStatus: number): T;
}

export interface HttpResult<T> {
  value: T;
  httpStatus: number;
  attempts: number;
}

/**
 * The HTTP layer of one source: a timeout per request, a rate limit, and retries with exponential
 * backoff and jitter for network errors, timeouts, 5xx and bodies that report a retryable failure.
 * Every error it throws is a SourceError with a redacted message.
 */
export class SourceHttpClient {
  private readonly limiter: RateLimiter;
  private readonly http: AxiosInstance;

  constructor(
    readonly source: string,
    private readonly options: HttpClientOptions,
    private readonly logger: Logger,
  ) {
    for (const secret of options.secrets) registerSecret(secret);
    this.limiter = new RateLimiter(options.requestsPerSecond);
    this.http = axios.create({
      timeout: options.timeoutMs,
      responseType: 'text',
      // Bodies are classified by their content, so axios must neither parse them nor reject by status.
      transformResponse: [(data: unknown) => data],
      validateStatus: () => true,
      maxRedirects: 3,
    });
  }

  async get<T>(request: HttpRequest<T>, signal?: AbortSignal): Promise<HttpResult<T>> {
    const maxAttempts = this.options.retries + 1;
    for (let attempt = 1; ; attempt += 1) {
      try {
        const { body, httpStatus } = await this.send(request, signal);
        return { value: request.parse(body, httpStatus), httpStatus, attempts: attempt };
      } catch (error) {
        const failure = this.toSourceError(error, request);
        if (!failure.retryable || attempt >= maxAttempts || signal?.aborted) {
          if (failure.retryable) failure.message = `${failure.message} (gave up after ${attempt} attempts)`;
          throw failure;
        }
        const delayMs = retryDelayMs(attempt, { baseMs: this.options.retryBaseMs, maxMs: this.options.retryMaxMs }, this.options.random);
        this.logger.warn(
          { source: this.source, request: request.label, attempt, maxAttempts, delayMs, err: failure },
          'request failed, retrying',
        );
        await sleep(delayMs, undefined, { signal });
      }
    }
  }

  private async send(request: HttpRequest<unknown>, signal?: AbortSignal): Promise<{ body: string; httpStatus: number }> {
    await this.limiter.acquire(signal);
    const response = await this.http.get<string>(request.url, { signal });
    const body = typeof response.data === 'string' ? response.data : String(response.data ?? '');
    return { body, httpStatus: response.status };
  }

  /** Converts anything thrown by axios or a parser into a SourceError; never keeps the axios error. */
  private toSourceError(error: unknown, request: HttpRequest<unknown>): SourceError {
    if (error instanceof SourceError) {
      error.message = this.redact(error.message);
      return error;
    }
    const details = { source: this.source };
    if (axios.isAxiosError(error)) {
      if (error.code === 'ERR_CANCELED') {
        return new SourceError(`${this.source}: ${request.label} was cancelled because the job is stopping`, { ...details, kind: 'network' }, false);
      }
      if (error.code === 'ECONNABORTED' || error.code === 'ETIMEDOUT') {
        return new TransientSourceError(
          `${this.source}: ${request.label} timed out after ${this.options.timeoutMs} ms; raise DUSTCAST_HTTP_TIMEOUT_MS if the provider is slow`,
          { ...details, kind: 'timeout' },
        );
      }
      if (error.code !== undefined && invalidRequestCodes.has(error.code)) {
        return new SourceConfigurationError(
          `${this.source}: ${request.label} could not be sent (${error.code}: ${this.redact(error.message)}); check the base URL setting for this source`,
          details,
        );
      }
      return new TransientSourceError(
        `${this.source}: ${request.label} failed with network error ${error.code ?? 'unknown'}: ${this.redact(error.message)}`,
        { ...details, kind: 'network' },
      );
    }
    const message = error instanceof Error ? error.message : String(error);
    return new SourceError(`${this.source}: ${request.label} failed: ${this.redact(message)}`, { ...details, kind: 'response' }, false);
  }

  private redact(text: string): string {
    let result = redactText(text);
    for (const secret of this.options.secrets) {
      if (secret) result = result.split(secret).join('[redacted]');
    }
    return result;
  }
}
