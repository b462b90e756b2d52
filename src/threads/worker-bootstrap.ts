/**
 * Starts a worker module that sits next to its caller: the compiled .js under dist, or the .ts
 * source when running under tsx or vitest. A worker ignores `--import tsx` in its execArgv
 * (Node 20), so the source form registers tsx's loader inside the worker first.
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Starts `name` (without extension) from the folder of `callerUrl` (the caller's
 * import.meta.url). `onLoadFailure` is script text run in the worker with `error` bound when the
 * module fails to load, for callers that block on the worker and would never see its error event.
 */
export function startModuleWorker(callerUrl: string, name: string, options: WorkerOptions = {}, onLoadFailure?: string): Worker {
  const fromSources = callerUrl.endsWith('.ts');
  const moduleUrl = new URL(`./${name}${fromSources ? '.ts' : '.js'}`, callerUrl).href;
  // Vitest's module runner has no import.meta.resolve; the bare name then resolves from the cwd.
  const loaderUrl = typeof import.meta.resolve === 'function' ? import.meta.resolve('tsx/esm/api') : 'tsx/esm/api';
  const load = fromSources
    ? `import(${JSON.stringify(loaderUrl)}).then((api) => { api.register(); return import(${JSON.stringify(moduleUrl)}); })`
    : `import(${JSON.stringify(moduleUrl)})`;
  const bootstrap = onLoadFailure === undefined ? `${load};` : `${load}.catch((error) => { ${onLoadFailure} });`;
  return new Worker(bootstrap, { ...options, eval: true });
}
