/** Retry delays in milliseconds: the first retry waits about `baseMs`, and each later one doubles it. */
export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
}

/**
 * Returns the wait before retry number `attempt` (1 for the first retry). The delay is drawn
 * uniformly from the upper half of the exponential step ("equal jitter"), so clients that failed
 * together do not retry together, and each wait is still at least half the step.
 */
export function retryDelayMs(attempt: number, options: BackoffOptions, random: () => number = Math.random): number {
  const step = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + random() * (step / 2));
}
