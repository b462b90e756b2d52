import type { Settings } from '../../config/settings.js';
import type { HttpClientOptions } from './source-http-client.js';

/** Reads the HTTP limits every source shares from settings; `secrets` are the source's own keys. */
export function httpOptionsFromSettings(settings: Settings, secrets: string[]): HttpClientOptions {
  return {
    timeoutMs: settings.DUSTCAST_HTTP_TIMEOUT_MS,
    retries: settings.DUSTCAST_HTTP_RETRIES,
    retryBaseMs: settings.DUSTCAST_HTTP_RETRY_BASE_MS,
    retryMaxMs: settings.DUSTCAST_HTTP_RETRY_MAX_MS,
    requestsPerSecond: settings.DUSTCAST_RATE_LIMIT_PER_SECOND,
    secrets: secrets.filter((secret) => secret.length > 0),
  };
}
