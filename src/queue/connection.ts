import { Redis } from 'ioredis';
import type { Logger } from '../logging/logger.js';
import { redactText } from '../logging/redact.js';

/** Reconnect delay after the nth failed attempt: 100 ms growing to a 5 s ceiling. */
function reconnectDelayMs(attempt: number): number {
  return Math.min(100 * 2 ** Math.min(attempt, 6), 5_000);
}

function describeUrl(url: string): string {
  // A password in redis://user:password@host must not reach the log.
  return redactText(url.replace(/\/\/([^:@/]*):([^@/]*)@/, '//$1:[redacted]@'));
}

/**
 * Opens the connection a BullMQ Worker uses. `maxRetriesPerRequest: null` is required by
 * BullMQ: its blocking commands must wait through a Redis restart instead of failing.
 */
export function createWorkerConnection(url: string, logger: Logger, name = 'dustcast-worker'): Redis {
  const connection = new Redis(url, {
    maxRetriesPerRequest: null,
    connectionName: name,
    retryStrategy: reconnectDelayMs,
  });
  watchConnection(connection, url, logger, name);
  return connection;
}

/**
 * Opens a connection for producers (schedulers, the dashboard, the CLI). With the offline queue
 * off, an enqueue while Redis is down fails at once instead of waiting in memory.
 */
export function createProducerConnection(url: string, logger: Logger, name = 'dustcast-producer'): Redis {
  const connection = new Redis(url, {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    connectionName: name,
    retryStrategy: reconnectDelayMs,
  });
  watchConnection(connection, url, logger, name);
  return connection;
}

/** Waits until the connection is ready, or rejects naming the URL after `timeoutMs`. */
export async function waitUntilReady(connection: Redis, url: string, timeoutMs = 10_000): Promise<void> {
  if (connection.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`Redis at ${describeUrl(url)} is not reachable after ${timeoutMs} ms; check REDIS_URL and that redis-server runs`));
    }, timeoutMs);
    const onReady = () => {
      cleanup();
      resolve();
    };
    const cleanup = () => {
      clearTimeout(timer);
      connection.off('ready', onReady);
    };
    connection.on('ready', onReady);
  });
}

/** Logs a failed connection once per outage rather than on every reconnect attempt. */
function watchConnection(connection: Redis, url: string, logger: Logger, name: string): void {
  let down = false;
  let failedAttempts = 0;
  connection.on('error', (error: Error) => {
    failedAttempts += 1;
    if (!down) {
      down = true;
      logger.warn({ err: error, redis: describeUrl(url), connection: name }, 'Redis connection failed; reconnecting');
    }
  });
  connection.on('ready', () => {
    if (down) {
      logger.info({ redis: describeUrl(url), connection: name, failedAttempts }, 'Redis connection restored');
    }
    down = false;
    failedAttempts = 0;
  });
}
