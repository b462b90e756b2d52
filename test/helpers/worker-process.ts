import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Settings } from '../../src/config/settings.js';
import { settingsToEnvironment } from '../../src/queue/settings-environment.js';
import { waitFor } from './queue-fixture.js';

const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));

/** A `dustcast worker` process started from the TypeScript sources through tsx. */
export interface WorkerProcess {
  child: ChildProcess;
  /** JSON log lines the worker wrote to stderr so far. */
  logs: Record<string, unknown>[];
  /** Resolves with the exit code (or signal) once the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Waits until a log line with this message appears. */
  waitForLog(message: string, timeoutMs?: number): Promise<void>;
}

/** Spawns the real CLI worker with `settings` as its environment and JSON logs on stderr. */
export function spawnWorkerProcess(settings: Settings): WorkerProcess {
  const environment = {
    ...process.env,
    ...settingsToEnvironment(settings),
    DUSTCAST_LOG_LEVEL: 'info',
    DUSTCAST_LOG_FORMAT: 'json',
  };
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'worker', '--no-dashboard'], {
    cwd: repositoryRoot,
    env: environment,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  let buffered = '';
  const collect = (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      try {
        logs.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        logs.push({ msg: line, unparsed: true });
      }
    }
  };
  child.stderr?.on('data', collect);
  child.stdout?.on('data', collect);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  return {
    child,
    logs,
    exited,
    waitForLog: (message, timeoutMs = 30_000) =>
      waitFor(`worker log "${message}" (last lines: ${JSON.stringify(logs.slice(-3))})`, () => logs.some((line) => line.msg === message), timeoutMs),
  };
}
