import { z } from 'zod';

/** Public API keys, endpoints and limits; keys are never logged. */
export const sourceSettings = {
  /** data.go.kr service key, in the encoded (%2B) or decoded (+) form the portal shows. */
  DATA_GO_KR_SERVICE_KEY: z.string().optional(),
  SEOUL_OPEN_API_KEY: z.string().optional(),
  AIRKOREA_BASE_URL: z.string().url().default('https://apis.data.go.kr/B552584'),
  KMA_ASOS_BASE_URL: z.string().url().default('https://apis.data.go.kr/1360000/AsosHourlyInfoService'),
  KMA_NOWCAST_BASE_URL: z.string().url().default('https://apis.data.go.kr/1360000/VilageFcstInfoService_2.0'),
  SEOUL_OPEN_API_BASE_URL: z.string().url().default('http://openapi.seoul.go.kr:8088'),
  /** sidoName for the hourly AirKorea pull: 서울, or 전국 for every station. */
  DUSTCAST_AIRKOREA_SIDO: z.string().min(1).default('서울'),
  /** Comma-separated KMA ASOS station ids to pull, such as "108". */
  DUSTCAST_KMA_ASOS_STATIONS: z.string().default('108'),
  /** Comma-separated sources that `dustcast ingest` pulls. */
  DUSTCAST_INGEST_SOURCES: z.string().default('airkorea,kma-asos,kma-nowcast'),
  DUSTCAST_HTTP_TIMEOUT_MS: z.coerce.number().int().min(100).default(20_000),
  DUSTCAST_HTTP_RETRIES: z.coerce.number().int().min(0).max(20).default(4),
  /** Requests per second allowed per source. */
  DUSTCAST_RATE_LIMIT_PER_SECOND: z.coerce.number().positive().default(5),
  /** First retry delay in ms; each further retry doubles it (with jitter) up to the maximum. */
  DUSTCAST_HTTP_RETRY_BASE_MS: z.coerce.number().int().min(0).default(1_000),
  DUSTCAST_HTTP_RETRY_MAX_MS: z.coerce.number().int().min(0).default(30_000),
  /** Received hours each pull requests again, ending with the newest one, because realtime values are revised. */
  DUSTCAST_INGEST_OVERLAP_HOURS: z.coerce.number().int().min(0).max(72).default(3),
  /** Hours a source's first pull reaches back when nothing is stored for it yet. */
  DUSTCAST_INGEST_LOOKBACK_HOURS: z.coerce.number().int().min(1).max(24 * 31).default(24),
  /** Rows per page (numOfRows) for AirKorea requests. */
  DUSTCAST_AIRKOREA_PAGE_SIZE: z.coerce.number().int().min(1).max(1000).default(100),
  /**
   * KMA ASOS station coordinates for the nowcast grid, as "id:latitude:longitude" pairs separated by
   * commas, such as "108:37.5714:126.9658"; unlisted stations use the stations table.
   */
  DUSTCAST_KMA_STATION_COORDINATES: z.string().default(''),
};
