import type { Settings } from '../../config/settings.js';
import type { DustcastDatabase } from '../../db/database.js';
import { convertAirKoreaItem, describeAirKoreaStation, type AirKoreaItem } from '../../importers/airkorea-items.js';
import type { Logger } from '../../logging/logger.js';
import { floorToHour, HOUR_SECONDS } from '../../time/kst.js';
import { readDataGoKrKey, type DataGoKrKey } from '../data-go-kr-key.js';
import { httpOptionsFromSettings } from '../http/client-options.js';
import { fetchAllPages } from '../http/pagination.js';
import { buildQuery, joinUrl } from '../http/query.js';
import { SourceHttpClient } from '../http/source-http-client.js';
import type { StationDescriptor } from '../records.js';
import { emptyFetch, rejectItem, type FetchedObservations, type FetchPurpose, type FetchRequest, type HourRange, type ObservationSource } from '../source.js';
import { describeListedStation } from './station-list.js';

const DAY_SECONDS = 24 * HOUR_SECONDS;
/** AirKorea publishes an hour's values about 15 minutes after the hour. */
const PUBLICATION_DELAY_SECONDS = 15 * 60;
// NOTE: the 3MONTH data term is taken as 90 days; AirKorea does not state its exact length.
const THREE_MONTHS_SECONDS = 90 * DAY_SECONDS;
/** API version requested; ver 1.3 and later return the PM2.5 values and the per-pollutant flags. */
const API_VERSION = '1.3';

/**
 * AirKorea (data.go.kr ArpltnInforInqireSvc). The hourly pull requests one sido with
 * getCtprvnRltmMesureDnsty, which returns each station's newest hour. A backfill requests each
 * station with getMsrstnAcctoRltmMesureDnsty and the shortest data term (DAILY, MONTH, 3MONTH)
 * that reaches back to the first requested hour.
 */
export class AirKoreaSource implements ObservationSource {
  readonly name = 'airkorea' as const;
  readonly recordSource = 'airkorea-api';
  readonly coversRequestedRange = false;
  readonly backfillChunkHours = 90 * 24;
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
    return [this.settings.DUSTCAST_AIRKOREA_SIDO];
  }

  /** Lists every AirKorea station already stored, so a backfill without --station covers them all. */
  backfillTargets(database: DustcastDatabase): string[] {
    const rows = database.sqlite.prepare("SELECT provider_code AS code FROM stations WHERE provider = 'airkorea' ORDER BY provider_code").all() as {
      code: string;
    }[];
    return rows.map((row) => row.code);
  }

  servableHours(now: number, purpose: FetchPurpose): HourRange {
    const latest = floorToHour(now - PUBLICATION_DELAY_SECONDS);
    if (purpose === 'hourly') return { from: latest, to: latest };
    return { from: floorToHour(now - THREE_MONTHS_SECONDS) + HOUR_SECONDS, to: latest };
  }

  async fetch(request: FetchRequest, signal?: AbortSignal): Promise<FetchedObservations> {
    if (request.purpose === 'hourly') return this.fetchSido(request.target, signal);
    return this.fetchStation(request.target, request.range, request.now, signal);
  }

  /** Fetches the station list (MsrstnInfoInqireSvc getMsrstnList) with coordinates and addresses. */
  async fetchStationList(signal?: AbortSignal): Promise<{ stations: StationDescriptor[]; rowsRead: number; httpStatus: number; providerCode: string }> {
    const paged = await fetchAllPages({
      client: this.client,
      logger: this.logger,
      label: 'getMsrstnList',
      signal,
      pageUrl: (pageNo) =>
        `${joinUrl(this.settings.AIRKOREA_BASE_URL, 'MsrstnInfoInqireSvc/getMsrstnList')}?${buildQuery(
          { returnType: 'json', numOfRows: this.settings.DUSTCAST_AIRKOREA_PAGE_SIZE, pageNo },
          this.key.queryParameter,
        )}`,
    });
    const stations = paged.items.map((item) => describeListedStation(item));
    return { stations, rowsRead: paged.items.length, httpStatus: paged.httpStatus, providerCode: paged.providerCode };
  }

  private async fetchSido(sidoName: string, signal?: AbortSignal): Promise<FetchedObservations> {
    const paged = await fetchAllPages({
      client: this.client,
      logger: this.logger,
      label: `getCtprvnRltmMesureDnsty sidoName=${sidoName}`,
      signal,
      pageUrl: (pageNo) =>
        `${joinUrl(this.settings.AIRKOREA_BASE_URL, 'ArpltnInforInqireSvc/getCtprvnRltmMesureDnsty')}?${buildQuery(
          { returnType: 'json', numOfRows: this.settings.DUSTCAST_AIRKOREA_PAGE_SIZE, pageNo, sidoName, ver: API_VERSION },
          this.key.queryParameter,
        )}`,
    });
    return this.convert(paged.items, paged, undefined);
  }

  private async fetchStation(stationName: string, range: HourRange, now: number, signal?: AbortSignal): Promise<FetchedObservations> {
    const dataTerm = chooseDataTerm(now - range.from);
    const paged = await fetchAllPages({
      client: this.client,
      logger: this.logger,
      label: `getMsrstnAcctoRltmMesureDnsty stationName=${stationName} dataTerm=${dataTerm}`,
      signal,
      pageUrl: (pageNo) =>
        `${joinUrl(this.settings.AIRKOREA_BASE_URL, 'ArpltnInforInqireSvc/getMsrstnAcctoRltmMesureDnsty')}?${buildQuery(
          { returnType: 'json', numOfRows: this.settings.DUSTCAST_AIRKOREA_PAGE_SIZE, pageNo, stationName, dataTerm, ver: API_VERSION },
          this.key.queryParameter,
        )}`,
    });
    // Items of the per-station call do not always repeat the station name.
    const items = paged.items.map((item) => (item.stationName ? item : { ...item, stationName }));
    return this.convert(items, paged, range);
  }

  /** Converts items, skipping all-null ones and rejecting unreadable ones; `range` drops hours outside it. */
  private convert(items: AirKoreaItem[], paged: { pages: number; httpStatus: number; providerCode: string }, range: HourRange | undefined): FetchedObservations {
    const fetched = emptyFetch();
    fetched.rowsRead = items.length;
    fetched.httpStatus = paged.httpStatus;
    fetched.providerCode = paged.providerCode;
    fetched.requests = paged.pages;
    for (const item of items) {
      try {
        const station = describeAirKoreaStation(item);
        const converted = convertAirKoreaItem(item, 0, this.recordSource);
        if (converted === null) {
          fetched.rowsMissing += 1;
          continue;
        }
        if (range && (converted.observedAt < range.from || converted.observedAt > range.to)) continue;
        const { stationId: _unused, ...record } = converted;
        fetched.air.push({ station, record });
      } catch (error) {
        rejectItem(fetched, `station ${JSON.stringify(item.stationName ?? null)}: ${(error as Error).message}`);
      }
    }
    return fetched;
  }
}

/** Chooses the shortest AirKorea data term that reaches `secondsBack` into the past. */
export function chooseDataTerm(secondsBack: number): 'DAILY' | 'MONTH' | '3MONTH' {
  if (secondsBack <= DAY_SECONDS) return 'DAILY';
  if (secondsBack <= 30 * DAY_SECONDS) return 'MONTH';
  return '3MONTH';
}
