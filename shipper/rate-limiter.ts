/**
 * Token bucket for maxRecordsPerSec: a burst of at most one second's worth,
 * refilled continuously. Time comes from the injected clock so tests control it.
 */
export interface MsClock {
  nowMs(): number;
}

export class RateLimiter {
  private tokens: number;
  private lastMs: number;

  constructor(
    /** Records per second; 0 = unlimited. */
    private ratePerSec: number,
    private readonly clock: MsClock,
  ) {
    this.tokens = ratePerSec;
    this.lastMs = clock.nowMs();
  }

  setRate(ratePerSec: number): void {
    this.ratePerSec = ratePerSec;
    this.tokens = Math.min(this.tokens, ratePerSec);
  }

  /** The largest batch worth asking for (a bucket never holds more than one second). */
  batchCap(max: number): number {
    return this.ratePerSec === 0 ? max : Math.max(1, Math.min(max, Math.floor(this.ratePerSec)));
  }

  /** Takes `count` tokens; returns how many ms to wait before they are available (0 = go now). */
  take(count: number): number {
    if (this.ratePerSec === 0) return 0;
    const now = this.clock.nowMs();
    this.tokens = Math.min(this.ratePerSec, this.tokens + ((now - this.lastMs) * this.ratePerSec) / 1000);
    this.lastMs = now;
    this.tokens -= count;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens * 1000) / this.ratePerSec);
  }
}
