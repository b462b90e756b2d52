import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledSampleFiles } from '../jobs/import.js';
import { retrainFlowSteps } from '../jobs/index.js';
import { listModelVersions } from '../src/dashboard/model-skill.js';
import { importFile } from '../src/importers/import-file.js';
import { createSilentLogger } from '../src/logging/logger.js';
import { RetrainFlow } from '../src/queue/retrain-flow.js';
import { startWorkerService, type WorkerService } from '../src/queue/worker-service.js';
import { createQueueTestFolder, waitFor, type QueueTestFolder } from './helpers/queue-fixture.js';
import { startTestRedis, type TestRedis } from './helpers/redis-server.js';

// The production catalog end to end: real window building, a tiny GRU fitted in the sandboxed
// child, the promotion rule and forecasts, all on the bundled AirKorea sample.
let redis: TestRedis;
let folder: QueueTestFolder;
let service: WorkerService;

beforeAll(async () => {
  redis = await startTestRedis();
  folder = createQueueTestFolder(redis.url, {
    DUSTCAST_TF_BACKEND: 'cpu',
    DUSTCAST_EPOCHS: 1,
    DUSTCAST_GRU_LAYERS: 1,
    DUSTCAST_GRU_UNITS: 4,
    DUSTCAST_BATCH_SIZE: 512,
    DUSTCAST_WINDOW_HOURS: 6,
  });
  service = await startWorkerService({ settings: folder.settings, logger: createSilentLogger() });
  for (const file of bundledSampleFiles()) importFile(service.database, file);
});

afterAll(async () => {
  await service?.close('test finished');
  folder?.remove();
  await redis?.dispose();
});

describe('production retrain flow', () => {
  it('promotes a model and forecasts', async () => {
    const flowId = 'retrain-2026011603';
    expect(await service.retrainFlow!.add(flowId)).toBe(true);
    const rootId = RetrainFlow.stepJobId(flowId, retrainFlowSteps.forecast);
    const finalState = async () => (await service.queues.get('forecast').getJob(rootId))?.getState();
    await waitFor('retrain flow to finish', async () => ['completed', 'failed'].includes((await finalState()) ?? ''), 240_000);

    const root = await service.queues.get('forecast').getJob(rootId);
    const train = await service.queues.get('training').getJob(RetrainFlow.stepJobId(flowId, retrainFlowSteps.train));
    expect(train?.failedReason ?? null).toBeNull();
    expect(root?.failedReason ?? null).toBeNull();
    expect(await finalState()).toBe('completed');
    const champion = service.database.sqlite.prepare(`SELECT version FROM models WHERE status = 'champion'`).get() as { version: string } | undefined;
    const forecasts = service.database.sqlite.prepare(`SELECT COUNT(*) AS count, MIN(model_version) AS version FROM forecasts`).get() as { count: number; version: string };
    expect(champion?.version).toBe((train?.returnvalue as { version: string }).version);
    expect(forecasts.count).toBeGreaterThan(0);
    expect(forecasts.version).toBe(champion?.version);
    // The dashboard reads the per-horizon skill from the metrics the real registry stored.
    const listed = listModelVersions(service.database).find((model) => model.version === champion?.version);
    expect(listed?.horizons.map((horizon) => horizon.horizonHours)).toEqual(folder.settings.DUSTCAST_HORIZONS);
    for (const horizon of listed?.horizons ?? []) expect(horizon.rmse).toBeGreaterThan(0);
  }, 300_000);
});
