/**
 * End-to-end lag of the most recent applies: the last `capacity` samples within
 * `windowMs`, kept in fixed rings, so the dashboard shows how lag moves now
 * (the LagHistogram beside it covers the whole life of the gateway, whose
 * quantiles barely move after a while). Quantiles are exact over the samples
 * kept; at high rates the window is the last `capacity` applies.
 */
export interface RecentLagSnapshot {
  /** Samples the quantiles cover. */
  count: number;
  p50_ms: number;
  p90_ms: number;
  p99_ms: number;
  max_ms: number;
}

export class RecentLag {
  private readonly values: Float64Array;
  private readonly times: Float64Array;
  private next = 0;
  private size = 0;

  constructor(
    readonly windowMs = 10_000,
    readonly capacity = 2048,
  ) {
    this.values = new Float64Array(capacity);
    this.times = new Float64Array(capacity);
  }

  add(lagMs: number, nowMs: number): void {
    this.values[this.next] = Math.max(0, Math.round(lagMs));
    this.times[this.next] = nowMs;
    this.next = (this.next + 1) % this.capacity;
    if (this.size < this.capacity) this.size++;
  }

  snapshot(nowMs: number): RecentLagSnapshot {
    const kept: number[] = [];
    for (let i = 0; i < this.size; i++) if (nowMs - this.times[i]! <= this.windowMs) kept.push(this.values[i]!);
    if (kept.length === 0) return { count: 0, p50_ms: 0, p90_ms: 0, p99_ms: 0, max_ms: 0 };
    kept.sort((a, b) => a - b);
    const at = (q: number) => kept[Math.min(kept.length - 1, Math.max(0, Math.ceil(q * kept.length) - 1))]!;
    return { count: kept.length, p50_ms: at(0.5), p90_ms: at(0.9), p99_ms: at(0.99), max_ms: kept[kept.length - 1]! };
  }

  reset(): void {
    this.next = 0;
    this.size = 0;
  }
}
