import type { Settings } from '../../config/settings.js';
import type { DustcastDatabase } from '../../db/database.js';
import { convertSeoulOpenApiRow, describeSeoulStation } from '../../importers/seoul-openapi-rows.js';
import type { Logger } from '../../logging/logger.js';
import { floorToHour, HOUR_SECONDS } from '../../time/kst.js';
import { SourceConfigurationError } from '../errors.js';
import { httpOptionsFromSettings } from '../http/client-options.js';
import { joinUrl } from '../http/query.js';
import { SourceHttpClient } from '../http/source-http-client.js';
import { formatKstCompactMinute } from '../kst-calendar.js';
import { parseSeoulBody } from '../responses/seoul.js';
import { emptyFetch, rejectItem, type FetchedObservations, type FetchRequest, type HourRange, type ObservationSource } from '../source.js';

const SERVICE = 'TimeAverageAirQuality';
/** The API rejects requests for more than 1000 rows with ERROR-336. */
const MAX_ROWS_PER_REQUEST = 1000;
/** Target that requests every district at once. */
export const ALL_SEOUL_STATIONS = 'all';

/**
 * Seoul Open API TimeAverageAirQuality: every district's values for one hour per request
 * (`/{key}/json/TimeAverageAirQuality/{start}/{end}/{YYYYMMDDHHMM}[/{station}]`).
 */
export class SeoulSource implements ObservationSource {
  readonly name = 'seoul' as const;
  readonly recordSource = 'seoul-api';
  readonly coversRequestedRange = true;
  readonly backfillChunkHours = 24;
  private readonly encodedKey: string;
  private readonly client: SourceHttpClient;

  constructor(
    private readonly settings: Settings,
    logger: Logger,
  ) {
    const key = settings.SEOUL_OPEN_API_KEY?.trim();
    if (!key) {
      throw new SourceConfigurationError('seoul needs SEOUL_OPEN_API_KEY: set it in the environment or .env to the key from data.seoul.go.kr', {
        source: this.name,
      });
    }
    this.encodedKey = encodeURIComponent(key);
    this.client = new SourceHttpClient(this.name, httpOptionsFromSettings(settings, [key, this.encodedKey]), logger);
  }

  hourlyTargets(): string[] {
    return [ALL_SEOUL_STATIONS];
  }

  backfillTargets(_database: DustcastDatabase): string[] {
    return [ALL_SEOUL_STATIONS];
  }

  // NOTE: the hour is assumed complete one hour after it starts. An earlier request gets INFO-200
  // (no data), so it stores nothing and the next pull requests the hour again.
  servableHours(now: number): HourRange {
    return { from: 0, to: floorToHour(now) - HOUR_SECONDS };
  }

  async fetch(request: FetchRequest, signal?: AbortSignal): Promise<FetchedObservations> {
    const fetched = emptyFetch();
    for (let hour = request.range.from; hour <= request.range.to; hour += HOUR_SECONDS) {
      await this.fetchHour(hour, request.target, fetched, signal);
    }
    return fetched;
  }

  private async fetchHour(hour: number, target: string, fetched: FetchedObservations, signal?: AbortSignal): Promise<void> {
    const measuredAt = formatKstCompactMinute(hour);
    const stationPath = target === ALL_SEOUL_STATIONS ? '' : `/${encodeURIComponent(target)}`;
    let totalCount: number | null = null;
    for (let start = 1; totalCount === null || start <= totalCount; start += MAX_ROWS_PER_REQUEST) {
      const end = start + MAX_ROWS_PER_REQUEST - 1;
      const label = `${SERVICE} ${measuredAt}${stationPath ? ` ${target}` : ''} rows ${start}-${end}`;
      const result = await this.client.get(
        {
          url: joinUrl(this.settings.SEOUL_OPEN_API_BASE_URL, `${this.encodedKey}/json/${SERVICE}/${start}/${end}/${measuredAt}${stationPath}`),
          label,
          parse: (body, httpStatus) => parseSeoulBody(body, SERVICE, { source: this.name, label, httpStatus }),
        },
        signal,
      );
      fetched.requests += 1;
      fetched.httpStatus = result.httpStatus;
      fetched.providerCode = result.value.code;
      totalCount = result.value.totalCount ?? 0;
      fetched.rowsRead += result.value.rows.length;
      for (const row of result.value.rows) {
        try {
          // Older responses wrote 0.0 for a missing PM value; the file importer reads them the same way.
          const { stationId: _unused, ...record } = convertSeoulOpenApiRow(row, 0, this.recordSource, { zeroPmIsMissing: true });
          fetched.air.push({ station: describeSeoulStation(row), record });
        } catch (error) {
          rejectItem(fetched, `${measuredAt} station ${JSON.stringify(row.MSRSTE_NM ?? null)}: ${(error as Error).message}`);
        }
      }
      if (result.value.rows.length === 0) break;
    }
  }
}
