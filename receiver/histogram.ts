/**
 * Replication-lag histogram with 1 ms resolution up to a bound (exact p50/p99
 * for the lags that matter) and one overflow bucket above it. Fixed memory.
 */
export class LagHistogram {
  private readonly counts: Uint32Array;
  private overflow = 0;
  private total = 0;
  private sum = 0;
  private maxMs = 0;

  constructor(readonly boundMs = 60_000) {
    this.counts = new Uint32Array(boundMs + 1);
  }

  add(ms: number): void {
    const v = Math.max(0, Math.round(ms));
    if (v > this.boundMs) this.overflow++;
    else this.counts[v]!++;
    this.total++;
    this.sum += v;
    if (v > this.maxMs) this.maxMs = v;
  }

  get count(): number {
    return this.total;
  }

  /** The smallest lag (ms) at or below which `q` (0..1) of the samples fall; max when in the overflow bucket. */
  quantile(q: number): number {
    if (this.total === 0) return 0;
    const rank = Math.max(1, Math.ceil(q * this.total));
    let seen = 0;
    for (let ms = 0; ms <= this.boundMs; ms++) {
      seen += this.counts[ms]!;
      if (seen >= rank) return ms;
    }
    return this.maxMs;
  }

  /** Cumulative counts at the given upper bounds (Prometheus `le` buckets). */
  cumulative(boundsMs: readonly number[]): number[] {
    const out: number[] = [];
    let seen = 0;
    let ms = 0;
    for (const b of boundsMs) {
      for (; ms <= Math.min(b, this.boundMs); ms++) seen += this.counts[ms]!;
      out.push(seen);
    }
    return out;
  }

  snapshot(): { count: number; sum_ms: number; p50_ms: number; p90_ms: number; p99_ms: number; max_ms: number } {
    return { count: this.total, sum_ms: this.sum, p50_ms: this.quantile(0.5), p90_ms: this.quantile(0.9), p99_ms: this.quantile(0.99), max_ms: this.maxMs };
  }

  reset(): void {
    this.counts.fill(0);
    this.overflow = 0;
    this.total = 0;
    this.sum = 0;
    this.maxMs = 0;
  }
}
