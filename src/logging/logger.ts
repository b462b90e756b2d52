import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';
import type { Settings } from '../config/settings.js';
import { redactText } from './redact.js';

export type { Logger } from 'pino';

/** Field paths whose values pino replaces before a line is written. */
const redactedPaths = [
  'serviceKey',
  '*.serviceKey',
  'key',
  '*.key',
  'password',
  '*.password',
  'authorization',
  '*.authorization',
  'headers.authorization',
  'config.headers',
  'DATA_GO_KR_SERVICE_KEY',
  'SEOUL_OPEN_API_KEY',
  'DUSTCAST_DASHBOARD_PASSWORD',
];

/**
 * Creates the process logger: JSON lines for machines, colourised lines on a terminal.
 * Error messages and stacks pass through redactText so a key inside a URL is never written.
 */
export function createLogger(
  settings: Pick<Settings, 'DUSTCAST_LOG_LEVEL' | 'DUSTCAST_LOG_FORMAT'>,
  destination: NodeJS.WritableStream = process.stderr,
): Logger {
  const format =
    settings.DUSTCAST_LOG_FORMAT === 'auto'
      ? (destination as NodeJS.WriteStream).isTTY
        ? 'pretty'
        : 'json'
      : settings.DUSTCAST_LOG_FORMAT;
  const options: pino.LoggerOptions = {
    level: settings.DUSTCAST_LOG_LEVEL,
    base: { pid: process.pid },
    redact: { paths: redactedPaths, censor: '[redacted]' },
    // Last line of defence: a registered key anywhere in a line (a URL field, a message) is replaced.
    hooks: { streamWrite: (line) => redactText(line) },
    serializers: {
      err: (error: unknown) => {
        const serialized = pino.stdSerializers.err(error as Error);
        if (serialized.message) serialized.message = redactText(serialized.message);
        if (serialized.stack) serialized.stack = redactText(serialized.stack);
        return serialized;
      },
    },
  };
  if (format === 'pretty') {
    return pino(options, pretty({ destination: destination as never, sync: true, translateTime: 'SYS:HH:MM:ss' }));
  }
  return pino(options, destination as pino.DestinationStream);
}

/** Creates a logger that writes nothing, for tests and library callers that pass none. */
export function createSilentLogger(): Logger {
  return pino({ level: 'silent' });
}
