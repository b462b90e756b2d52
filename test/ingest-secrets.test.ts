import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { runJob } from '../jobs/definition.js';
import { ingestJob } from '../jobs/ingest.js';
import { toQueueError } from '../src/queue/errors.js';
import { runBackfill } from '../src/sources/ingest/run-backfill.js';
import { IngestFailedError, runIngest } from '../src/sources/ingest/run-ingest.js';
import type { SourceName } from '../src/sources/source.js';
import { kstToEpochSeconds } from '../src/time/kst.js';
import { createIngestTestBed, DATA_GO_KR_KEY_DECODED, DATA_GO_KR_KEY_ENCODED, SEOUL_KEY, type IngestTestBed } from './helpers/ingest-environment.js';
import { dataGoKrErrors, ReplayServer } from './helpers/replay-server.js';

/** Every way a key could leak: as configured, encoded once, encoded twice, and the Seoul key. */
const keyForms = [DATA_GO_KR_KEY_DECODED, DATA_GO_KR_KEY_ENCODED, encodeURIComponent(DATA_GO_KR_KEY_ENCODED), SEOUL_KEY];

const server = new ReplayServer();

/** Returns a port nothing listens on, for connection-refused errors. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as { port: number }).port;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** Collects what a failing pull exposes: error text and stack, the job's queue error, and stored text columns. */
async function exposedText(bed: IngestTestBed, work: () => Promise<unknown>): Promise<string> {
  const parts: string[] = [];
  try {
    parts.push(JSON.stringify(await work()));
  } catch (error) {
    const failure = error as Error;
    parts.push(failure.message, failure.stack ?? '', JSON.stringify(error), JSON.stringify(toQueueError(error).message));
    if (error instanceof IngestFailedError) parts.push(JSON.stringify(error.summary));
  }
  for (const table of ['ingest_runs', 'source_blocks', 'deferred_hours', 'backfills', 'stations']) {
    parts.push(JSON.stringify(bed.database.sqlite.prepare(`SELECT * FROM ${table}`).all()));
  }
  parts.push(await bed.logLines());
  return parts.join('\n');
}

beforeAll(async () => {
  await server.start();
  server
    .route('/getCtprvnRltmMesureDnsty', () => dataGoKrErrors.xml('30', 'SERVICE_KEY_IS_NOT_REGISTERED_ERROR'))
    .route('/getWthrDataList', () => ({ status: 500, body: '<html><head><title>500</title></head></html>', contentType: 'text/html' }))
    .route('/getUltraSrtNcst', () => ({ body: '{}', delayMs: 1_500 }))
    .route('', () => ({ body: JSON.stringify({ RESULT: { CODE: 'ERROR-500', MESSAGE: '서버 오류입니다.' } }) }));
});
afterAll(async () => {
  await server.close();
});

describe.each([
  ['decoded', DATA_GO_KR_KEY_DECODED],
  ['encoded', DATA_GO_KR_KEY_ENCODED],
])('key in %s form', (_form, key) => {
  const now = kstToEpochSeconds(2026, 3, 16, 8, 50);

  it('never reaches logs, errors or rows', async () => {
    const bed = createIngestTestBed(server.baseUrl, { DATA_GO_KR_SERVICE_KEY: key, DUSTCAST_HTTP_TIMEOUT_MS: 200, DUSTCAST_INGEST_LOOKBACK_HOURS: 1 });
    try {
      const sources: SourceName[] = ['airkorea', 'kma-asos', 'kma-nowcast', 'seoul'];
      const text = await exposedText(bed, () => runIngest(bed.environment(now), { sources }));
      expect(text).toContain('code 30');
      expect(text).toContain('timed out');
      expect(text).toContain('ERROR-500');
      for (const form of keyForms) expect(text).not.toContain(form);
    } finally {
      bed.dispose();
    }
  });

  it('never reaches a network error', async () => {
    const port = await closedPort();
    const bed = createIngestTestBed(`http://127.0.0.1:${port}`, { DATA_GO_KR_SERVICE_KEY: key, DUSTCAST_HTTP_RETRIES: 1 });
    try {
      const text = await exposedText(bed, () =>
        runBackfill(bed.environment(now), { source: 'kma-asos', from: kstToEpochSeconds(2026, 3, 1), to: kstToEpochSeconds(2026, 3, 1, 5) }),
      );
      expect(text).toContain('ECONNREFUSED');
      for (const form of keyForms) expect(text).not.toContain(form);
    } finally {
      bed.dispose();
    }
  });

  it('never reaches the job payload or summary', async () => {
    const bed = createIngestTestBed(server.baseUrl, { DATA_GO_KR_SERVICE_KEY: key, DUSTCAST_INGEST_SOURCES: 'airkorea' });
    try {
      const payload = { refreshStations: false };
      const context = { database: bed.database, settings: bed.settings, logger: bed.logger, reportProgress: () => {}, signal: new AbortController().signal };
      const text = await exposedText(bed, () => runJob(ingestJob, payload, context));
      for (const form of keyForms) expect(`${JSON.stringify(payload)}\n${text}`).not.toContain(form);
    } finally {
      bed.dispose();
    }
  });
});
