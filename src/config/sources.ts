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
};
