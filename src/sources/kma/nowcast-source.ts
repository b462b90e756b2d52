import type { Settings } from '../../config/settings.js';
import type { DustcastDatabase } from '../../db/database.js';
import type { Logger } from '../../logging/logger.js';
import { floorToHour, HOUR_SECONDS } from '../../time/kst.js';
import { readDataGoKrKey, type DataGoKrKey } from '../data-go-kr-key.js';
import { SourceConfigurationError } from '../errors.js';
import { httpOptionsFromSettings } from '../http/client-options.js';
import { fetchAllPages } from '../http/pagination.js';
import { buildQuery, joinUrl } from '../http/query.js';
import { SourceHttpClient } from '../http/source-http-client.js';
import { formatKstCompactDate, formatKstHour } from '../kst-calendar.js';
import { emptyFetch, rejectItem, type FetchedObservations, type FetchRequest, type HourRange, type ObservationSource } from '../source.js';
import { listAsosStations } from './asos-source.js';
import { latitudeLongitudeToGrid, type GridPoint } from './lambert-grid.js';
import { convertNowcastItems } from './nowcast-items.js';
import { findStationCoordinates, parseStationCoordinates, type Coordinates } from './station-coordinates.js';

/** KMA publishes the HH00 nowcast at about HH40. */
const PUBLICATION_DELAY_SECONDS = 40 * 60;
// NOTE: the service is taken to keep the last 24 hours; KMA's guide gives no exact window.
const SERVED_HOURS = 24;

/**
 * KMA ultra-short nowcast (VilageFcstInfoService_2.0 getUltraSrtNcst): observed values on the 5 km
 * forecast grid for one hour per request. It fills the hours ASOS does not have yet. Values are
 * stored under the ASOS station whose coordinates give the grid cell, with their own source.
 */
export class KmaNowcastSource implements ObservationSource {
  readonly name = 'kma-nowcast' as const;
  readonly recordSource = 'kma-nowcast';
  readonly coversRequestedRange = true;
  readonly backfillChunkHours = SERVED_HOURS;
  private readonly key: DataGoKrKey;
  private readonly client: SourceHttpClient;
  private readonly coordinates: Map<string, Coordinates>;

  constructor(
    private readonly settings: Settings,
    private readonly logger: Logger,
    private readonly database?: DustcastDatabase,
  ) {
    this.key = readDataGoKrKey(settings.DATA_GO_KR_SERVICE_KEY, this.name);
    this.client = new SourceHttpClient(this.name, httpOptionsFromSettings(settings, this.key.secrets), logger);
    this.coordinates = parseStationCoordinates(settings.DUSTCAST_KMA_STATION_COORDINATES);
  }

  hourlyTargets(): string[] {
    return listAsosStations(this.settings);
  }

  backfillTargets(_database: DustcastDatabase): string[] {
    return listAsosStations(this.settings);
  }

  servableHours(now: number): HourRange {
    const latest = floorToHour(now - PUBLICATION_DELAY_SECONDS);
    return { from: latest - (SERVED_HOURS - 1) * HOUR_SECONDS, to: latest };
  }

  /** Grid cell of a KMA station; throws SourceConfigurationError when its coordinates are unknown. */
  gridFor(stationCode: string): GridPoint {
    const coordinates = findStationCoordinates(stationCode, this.coordinates, this.database);
    if (!coordinates) {
      throw new SourceConfigurationError(
        `kma-nowcast has no coordinates for KMA station ${stationCode}: add "${stationCode}:latitude:longitude" to DUSTCAST_KMA_STATION_COORDINATES`,
        { source: this.name },
      );
    }
    return latitudeLongitudeToGrid(coordinates.latitude, coordinates.longitude);
  }

  async fetch(request: FetchRequest, signal?: AbortSignal): Promise<FetchedObservations> {
    const grid = this.gridFor(request.target);
    const fetched = emptyFetch();
    for (let hour = request.range.from; hour <= request.range.to; hour += HOUR_SECONDS) {
      const baseDate = formatKstCompactDate(hour);
      const baseTime = `${formatKstHour(hour)}00`;
      const paged = await fetchAllPages({
        client: this.client,
        logger: this.logger,
        label: `getUltraSrtNcst ${baseDate} ${baseTime} nx=${grid.nx} ny=${grid.ny}`,
        signal,
        pageUrl: (pageNo) =>
          `${joinUrl(this.settings.KMA_NOWCAST_BASE_URL, 'getUltraSrtNcst')}?${buildQuery(
            { pageNo, numOfRows: 100, dataType: 'JSON', base_date: baseDate, base_time: baseTime, nx: grid.nx, ny: grid.ny },
            this.key.queryParameter,
          )}`,
      });
      fetched.requests += paged.pages;
      fetched.rowsRead += paged.items.length;
      fetched.httpStatus = paged.httpStatus;
      fetched.providerCode = paged.providerCode;
      try {
        fetched.weather.push(...convertNowcastItems(paged.items, request.target, this.recordSource));
      } catch (error) {
        rejectItem(fetched, `${baseDate} ${baseTime}: ${(error as Error).message}`);
      }
    }
    return fetched;
  }
}
