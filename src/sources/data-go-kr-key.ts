import { SourceConfigurationError } from './errors.js';
import { encodeServiceKey } from './http/query.js';

/** The data.go.kr key as sent (encoded once) and every form of it that must be kept out of messages. */
export interface DataGoKrKey {
  /** "serviceKey=..." ready to put first in a query string. */
  queryParameter: string;
  secrets: string[];
}

/** Reads DATA_GO_KR_SERVICE_KEY for a source; throws SourceConfigurationError when it is not set. */
export function readDataGoKrKey(key: string | undefined, source: string): DataGoKrKey {
  if (!key || key.trim() === '') {
    throw new SourceConfigurationError(
      `${source} needs DATA_GO_KR_SERVICE_KEY: set it in the environment or .env to the key data.go.kr shows (encoded or decoded form)`,
      { source },
    );
  }
  const encoded = encodeServiceKey(key);
  return { queryParameter: `serviceKey=${encoded}`, secrets: [key.trim(), encoded, decodeURIComponent(encoded)] };
}
