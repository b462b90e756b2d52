import { nextKstMidnight } from '../kst-calendar.js';
import {
  InvalidSourceRequestError,
  QuotaExceededError,
  SourceConfigurationError,
  type SourceError,
  TransientSourceError,
} from '../errors.js';

/** Source, request label and HTTP status of a response, which the error message names. */
export interface ProviderContext {
  source: string;
  label: string;
  httpStatus: number;
  /** The instant the response arrived, for the quota block's end; defaults to now. */
  nowSeconds?: number;
}

const retryableDataGoKrCodes = new Set(['01', '02', '04', '05', '99']);

/** Fix a person must apply for each permanent data.go.kr code. */
const dataGoKrFixes: Record<string, string> = {
  '10': 'a request parameter is invalid: check the station name, sido name or dates being requested',
  '11': 'a mandatory request parameter is missing: this is a bug in the request builder, report it',
  '12': 'the operation does not exist at this address: check the base URL setting for this source',
  '20': 'the key is not approved for this API: apply for this service on data.go.kr with the same account',
  '21': 'the key is temporarily disabled: check its status on data.go.kr',
  '30':
    'the service key is not registered: check DATA_GO_KR_SERVICE_KEY. Give the key exactly as the portal shows it, ' +
    'encoded or decoded (an already encoded key that was encoded again is rejected), and note that a new key can take about an hour to activate',
  '31': 'the key has expired: extend its usage period on data.go.kr',
  '32': 'this IP address is not registered for the key: register it on data.go.kr',
  '33': 'the request was not signed as the service requires: check the key and the base URL',
};

/**
 * Converts a data.go.kr result code other than 00 and 03 into an error. 01, 02, 04, 05 and 99 are
 * retryable, 22 is a quota stop until the next KST midnight, and 10-12, 20-21 and 30-33 are
 * request or configuration errors that no retry fixes. Unknown codes are treated as permanent.
 */
export function dataGoKrCodeError(code: string, message: string, context: ProviderContext): SourceError {
  const details = { source: context.source, httpStatus: context.httpStatus, providerCode: code };
  const prefix = `${context.source}: ${context.label} returned code ${code} (${message})`;
  if (retryableDataGoKrCodes.has(code)) {
    return new TransientSourceError(`${prefix}: a temporary provider failure`, { ...details, kind: 'provider' });
  }
  if (code === '22') {
    const blockedUntil = nextKstMidnight(context.nowSeconds ?? Math.floor(Date.now() / 1000));
    return new QuotaExceededError(
      `${prefix}: the daily request quota is used up; no more calls until the quota resets at KST midnight`,
      { ...details, kind: 'quota' },
      blockedUntil,
    );
  }
  const fix = dataGoKrFixes[code];
  if (fix === undefined) {
    return new InvalidSourceRequestError(`${prefix}: unknown result code; check the request on data.go.kr`, details);
  }
  if (code.startsWith('1')) return new InvalidSourceRequestError(`${prefix}: ${fix}`, details);
  return new SourceConfigurationError(`${prefix}: ${fix}`, details);
}

const seoulFixes: Record<string, string> = {
  'INFO-100': 'the key is not valid: check SEOUL_OPEN_API_KEY against the key shown on data.seoul.go.kr',
  'INFO-400': 'the key has no permission for this service: apply for TimeAverageAirQuality on data.seoul.go.kr',
  'ERROR-300': 'a mandatory request value is missing: this is a bug in the request builder, report it',
  'ERROR-301': 'the file type is missing or invalid: this is a bug in the request builder, report it',
  'ERROR-310': 'the service was not found: check SEOUL_OPEN_API_BASE_URL',
  'ERROR-331': 'the start row is invalid',
  'ERROR-332': 'the end row is invalid',
  'ERROR-333': 'the row range is not a number',
  'ERROR-334': 'the start row is after the end row',
  'ERROR-335': 'the sample key returns at most 5 rows: set a real SEOUL_OPEN_API_KEY',
  'ERROR-336': 'at most 1000 rows may be requested at once',
};

const retryableSeoulCodes = new Set(['ERROR-500', 'ERROR-600']);

/**
 * Converts a Seoul Open API RESULT code other than INFO-000 and INFO-200 into an error: ERROR-500
 * and ERROR-600 (server and database errors) are retryable, INFO-300 is the daily call limit, and
 * the rest are key or request errors. ERROR-601 (an SQL error) is treated as permanent.
 */
export function seoulCodeError(code: string, message: string, context: ProviderContext): SourceError {
  const details = { source: context.source, httpStatus: context.httpStatus, providerCode: code };
  const prefix = `${context.source}: ${context.label} returned ${code} (${message})`;
  if (retryableSeoulCodes.has(code)) return new TransientSourceError(`${prefix}: a temporary provider failure`, { ...details, kind: 'provider' });
  if (code === 'INFO-300') {
    const blockedUntil = nextKstMidnight(context.nowSeconds ?? Math.floor(Date.now() / 1000));
    return new QuotaExceededError(`${prefix}: the daily call limit is used up; no more calls until KST midnight`, { ...details, kind: 'quota' }, blockedUntil);
  }
  const fix = seoulFixes[code] ?? 'unknown result code; check the request on data.seoul.go.kr';
  if (code === 'INFO-100' || code === 'INFO-400' || code === 'ERROR-310' || code === 'ERROR-335') {
    return new SourceConfigurationError(`${prefix}: ${fix}`, details);
  }
  return new InvalidSourceRequestError(`${prefix}: ${fix}`, details);
}
