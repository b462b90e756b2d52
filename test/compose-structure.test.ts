import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { settingsSchema } from '../src/config/settings.js';

// No Docker engine runs here, so these tests check the files' structure instead of running them.
const root = fileURLToPath(new URL('../', import.meta.url));
const compose = parse(readFileSync(`${root}docker-compose.yml`, 'utf8')) as {
  services: Record<string, Record<string, any>>;
  volumes: Record<string, unknown>;
};
const dockerfile = readFileSync(`${root}Dockerfile`, 'utf8');
const dockerignore = readFileSync(`${root}.dockerignore`, 'utf8').split('\n').map((line) => line.trim());
const worker = compose.services.worker;
const redis = compose.services.redis;

/** Named volume mounted at `target`, or undefined. */
function volumeAt(service: Record<string, any>, target: string): string | undefined {
  const entry = (service.volumes as string[]).find((volume) => volume.split(':')[1] === target);
  return entry?.split(':')[0];
}

describe('compose redis', () => {
  it('persists with AOF', () => {
    const command = (redis.command as string[]).join(' ');
    expect(command).toContain('--appendonly yes');
    expect(volumeAt(redis, '/data')).toBe('redis-data');
  });

  it('never evicts keys', () => {
    expect((redis.command as string[]).join(' ')).toContain('--maxmemory-policy noeviction');
  });

  it('has a health check', () => {
    expect(redis.healthcheck.test).toEqual(['CMD', 'redis-cli', 'ping']);
  });
});

describe('compose worker', () => {
  it('builds this repository', () => {
    expect(worker.build).toBe('.');
    expect(worker.command).toEqual(['worker']);
  });

  it('connects to the redis service', () => {
    expect(worker.environment.REDIS_URL).toBe('redis://redis:6379');
    expect(worker.depends_on.redis.condition).toBe('service_healthy');
  });

  it('keeps SQLite and models on volumes', () => {
    const databaseVolume = volumeAt(worker, '/data');
    const modelVolume = volumeAt(worker, '/models');
    expect(worker.environment.DUSTCAST_DATABASE_PATH).toMatch(/^\/data\//);
    expect(worker.environment.DUSTCAST_MODEL_DIRECTORY).toBe('/models');
    expect(databaseVolume).toBeDefined();
    expect(modelVolume).toBeDefined();
    expect(Object.keys(compose.volumes)).toEqual(expect.arrayContaining([databaseVolume, modelVolume, 'redis-data']));
  });

  it('publishes the dashboard on loopback', () => {
    expect(worker.ports).toEqual([`127.0.0.1:${worker.environment.DUSTCAST_DASHBOARD_PORT}:3000`]);
    expect(worker.environment.DUSTCAST_DASHBOARD_HOST).toBe('0.0.0.0');
  });

  it('waits longer than the shutdown deadline', () => {
    const graceSeconds = Number(/^(\d+)s$/.exec(worker.stop_grace_period)?.[1]);
    expect(graceSeconds * 1000).toBeGreaterThan(Number(worker.environment.DUSTCAST_SHUTDOWN_TIMEOUT_MS));
    expect(worker.init).toBe(true);
  });

  it('sets only known settings', () => {
    const known = new Set(Object.keys(settingsSchema.shape));
    const unknown = Object.keys(worker.environment).filter((name) => !known.has(name));
    expect(unknown).toEqual([]);
  });

  it('takes keys from the environment', () => {
    expect(worker.environment.DATA_GO_KR_SERVICE_KEY).toBe('${DATA_GO_KR_SERVICE_KEY:-}');
    expect(worker.environment.SEOUL_OPEN_API_KEY).toBe('${SEOUL_OPEN_API_KEY:-}');
  });
});

describe('dockerfile', () => {
  it('uses Node 20 images', () => {
    const bases = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((match) => match[1]);
    expect(bases.length).toBeGreaterThan(0);
    for (const base of bases) expect(base).toMatch(/^node:20[-.]/);
  });

  it('installs optional dependencies', () => {
    // tfjs-node is an optional dependency; the image must not skip it.
    expect(dockerfile).toMatch(/RUN npm ci\b/);
    expect(dockerfile).not.toMatch(/--omit[= ]optional|--no-optional/);
  });

  it('runs the worker as an unprivileged user', () => {
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toContain('ENTRYPOINT ["node", "bin/dustcast.js"]');
    expect(dockerfile).toContain('CMD ["worker"]');
  });

  it('ships the migrations', () => {
    expect(dockerfile).toMatch(/COPY --from=build \/app\/migrations/);
  });
});

describe('dockerignore', () => {
  for (const entry of ['node_modules', 'dist', 'var', '.env', '*.sqlite']) {
    it(`excludes ${entry}`, () => {
      expect(dockerignore).toContain(entry);
    });
  }
});
