import { setTimeout as sleep } from 'node:timers/promises';

/** Clock and sleep used by the limiter; tests pass their own to check spacing without waiting. */
export interface LimiterClock {
  nowMs(): number;
  sleepMs(milliseconds: number, signal?: AbortSignal): Promise<void>;
}

const systemClock: LimiterClock = {
  nowMs: () => Date.now(),
  sleepMs: (milliseconds, signal) => sleep(milliseconds, undefined, { signal }),
};

/**
 * Spaces request starts at least 1/`perSecond` seconds apart for one source. Callers that arrive
 * together are given consecutive slots, so a burst is spread out rather than sent at once.
 */
export class RateLimiter {
  private nextSlotMs = 0;
  private readonly intervalMs: number;

  constructor(
    perSecond: number,
    private readonly clock: LimiterClock = systemClock,
  ) {
    if (!(perSecond > 0)) throw new Error(`invalid rate limit ${perSecond}: expected requests per second above 0`);
    this.intervalMs = 1000 / perSecond;
  }

  /** Waits until the caller may send its request. */
  async acquire(signal?: AbortSignal): Promise<void> {
    const now = this.clock.nowMs();
    const slot = Math.max(now, this.nextSlotMs);
    this.nextSlotMs = slot + this.intervalMs;
    const waitMs = slot - now;
    if (waitMs > 0) await this.clock.sleepMs(waitMs, signal);
  }
}
