import type { Settings } from '../../config/settings.js';
import type { DustcastDatabase } from '../../db/database.js';
import type { Logger } from '../../logging/logger.js';
import { HOUR_SECONDS } from '../../time/kst.js';
import { readDataGoKrKey, type DataGoKrKey } from '../data-go-kr-key.js';
import { httpOptionsFromSettings } from '../http/client-options.js';
import { fetchAllPages } from '../http/pagination.js';
import { buildQuery, joinUrl } from '../http/query.js';
import { SourceHttpClient } from '../http/source-http-client.js';
import { formatKstCompactDate, formatKstHour, startOfKstDay } from '../kst-calendar.js';
import { emptyFetch, rejectItem, type FetchedObservations, type FetchRequest, type HourRange, type ObservationSource } from '../source.js';
import { convertAsosItem } from './asos-items.js';

/** Rows per page; one page then covers a 30-day backfill chunk (720 hours). */
const PAGE_SIZE = 999;

/** Splits DUSTCAST_KMA_ASOS_STATIONS ("108,112") into station ids. */
export function listAsosStations(settings: Settings): string[] {
  return settings.DUSTCAST_KMA_ASOS_STATIONS.split(',')
    .map((code) => code.trim())
    .filter((code) => code !== '');
}

/**
 * KMA ASOS hourly observations (AsosHourlyInfoService getWthrDataList, dataCd=ASOS, dateCd=HR). The
 * service serves hours up to the end of yesterday in KST, so every request ends there at the latest.
 */
export class KmaAsosSource implements ObservationSource {
  readonly name = 'kma-asos' as const;
  readonly recordSource = 'kma-asos-api';
  readonly coversRequestedRange = true;
  readonly backfillChunkHours = 30 * 24;
  private readonly key: DataGoKrKey;
  private readonly client: SourceHttpClient;

  constructor(
    private readonly settings: Settings,
    private readonly logger: Logger,
  ) {
    this.key = readDataGoKrKey(settings.DATA_GO_KR_SERVICE_KEY, this.name);
    this.client = new SourceHttpClient(this.name, httpOptionsFromSettings(settings, this.key.secrets), logger);
  }

  hourlyTargets(): string[] {
    return listAsosStations(this.settings);
  }

  backfillTargets(_database: DustcastDatabase): string[] {
    return listAsosStations(this.settings);
  }

  servableHours(now: number): HourRange {
    return { from: 0, to: startOfKstDay(now) - HOUR_SECONDS };
  }

  async fetch(request: FetchRequest, signal?: AbortSignal): Promise<FetchedObservations> {
    const { from, to } = request.range;
    const label = `getWthrDataList stnIds=${request.target} ${formatKstCompactDate(from)}${formatKstHour(from)}-${formatKstCompactDate(to)}${formatKstHour(to)}`;
    const paged = await fetchAllPages({
      client: this.client,
      logger: this.logger,
      label,
      signal,
      pageUrl: (pageNo) =>
        `${joinUrl(this.settings.KMA_ASOS_BASE_URL, 'getWthrDataList')}?${buildQuery(
          {
            pageNo,
            numOfRows: PAGE_SIZE,
            dataType: 'JSON',
            dataCd: 'ASOS',
            dateCd: 'HR',
            startDt: formatKstCompactDate(from),
            startHh: formatKstHour(from),
            endDt: formatKstCompactDate(to),
            endHh: formatKstHour(to),
            stnIds: request.target,
          },
          this.key.queryParameter,
        )}`,
    });
    const fetched = emptyFetch();
    fetched.rowsRead = paged.items.length;
    fetched.httpStatus = paged.httpStatus;
    fetched.providerCode = paged.providerCode;
    fetched.requests = paged.pages;
    for (const item of paged.items) {
      try {
        fetched.weather.push(convertAsosItem(item, this.recordSource));
      } catch (error) {
        rejectItem(fetched, `stnId ${JSON.stringify(item.stnId ?? null)} tm ${JSON.stringify(item.tm ?? null)}: ${(error as Error).message}`);
      }
    }
    return fetched;
  }
}
