/**
 * Per-namespace operation statistics: success / not-found / error counters and a
 * latency histogram per operation type (Aerospike's client_read_success and
 * friends, and `show latencies`), plus live object counts per set.
 */
import { LatencyHistogram, type LatencyBuckets, type LatencySnapshot } from './latency-histogram.js';

export const OP_TYPES = ['read', 'write', 'delete', 'touch', 'operate', 'batch', 'scan', 'query', 'apply'] as const;
export type OpType = (typeof OP_TYPES)[number];
export type OpOutcome = 'success' | 'not-found' | 'error';

export interface OpTypeSnapshot {
  success: number;
  notFound: number;
  error: number;
  /** Errors by code (EngineError codes; 'other' for anything else). */
  errorsByCode: Record<string, number>;
  latency: LatencySnapshot;
  /** The lifetime histogram's cumulative buckets (powers of two, /metrics' histograms); engines that keep no histogram leave it out. */
  buckets?: LatencyBuckets;
  /** The same over the recent window only (the last RECENT_WINDOW_MS to twice that): what alerts and the console read. */
  recent: LatencySnapshot;
}

export interface OpsStatsSnapshot {
  ops: Record<OpType, OpTypeSnapshot>;
  /** Live (not deleted, not expired-and-collected) records per set; '' is the null set. */
  setObjects: Record<string, number>;
}

/**
 * Latency over a recent window: two histograms, the current one and the one
 * before, rotated every RECENT_WINDOW_MS; a snapshot merges both, so it covers
 * the last 10 to 20 s. The lifetime histogram beside it barely moves after a
 * while; a P99 alert must see what happens now.
 */
export const RECENT_WINDOW_MS = 10_000;

/** Distinct error codes tracked per op type; a bound so odd codes cannot grow the map without limit. */
const ERROR_CODES_MAX = 64;

class OpTypeStats {
  success = 0;
  notFound = 0;
  error = 0;
  readonly errorsByCode = new Map<string, number>();
  readonly latency = new LatencyHistogram();
  private current = new LatencyHistogram();
  private previous = new LatencyHistogram();
  private windowStartMs = 0;

  record(durationNs: number, nowMs: number): void {
    this.latency.record(durationNs);
    this.rotate(nowMs);
    this.current.record(durationNs);
  }

  /** Moves the window on: the current histogram becomes the previous one (both emptied after an idle window). */
  private rotate(nowMs: number): void {
    const elapsed = nowMs - this.windowStartMs;
    if (elapsed < RECENT_WINDOW_MS && elapsed >= 0) return;
    const spare = this.previous;
    spare.reset();
    if (elapsed < 2 * RECENT_WINDOW_MS && elapsed >= 0) {
      this.previous = this.current;
      this.current = spare;
    } else {
      this.previous.reset();
      this.current.reset();
    }
    this.windowStartMs = nowMs;
  }

  snapshot(nowMs: number): OpTypeSnapshot {
    this.rotate(nowMs);
    const recent = new LatencyHistogram();
    recent.merge(this.previous);
    recent.merge(this.current);
    return {
      success: this.success,
      notFound: this.notFound,
      error: this.error,
      errorsByCode: Object.fromEntries(this.errorsByCode),
      latency: this.latency.snapshot(),
      buckets: this.latency.buckets(),
      recent: recent.snapshot(),
    };
  }
}

export class OpsStats {
  private readonly byType = new Map<OpType, OpTypeStats>(OP_TYPES.map((t) => [t, new OpTypeStats()]));
  private readonly sets = new Map<string, number>();

  /** @param nowMs the clock of the recent-latency window (monotonic ms). */
  constructor(private readonly nowMs: () => number = () => performance.now()) {}

  /** Counts one finished operation and its duration (nanoseconds, from the caller's monotonic clock). */
  record(op: OpType, outcome: OpOutcome, durationNs: number, errorCode?: string): void {
    const stats = this.byType.get(op)!;
    stats.record(durationNs, this.nowMs());
    if (outcome === 'success') stats.success++;
    else if (outcome === 'not-found') stats.notFound++;
    else {
      stats.error++;
      let code = errorCode ?? 'other';
      if (!stats.errorsByCode.has(code) && stats.errorsByCode.size >= ERROR_CODES_MAX) code = 'other';
      stats.errorsByCode.set(code, (stats.errorsByCode.get(code) ?? 0) + 1);
    }
  }

  latency(op: OpType): LatencyHistogram {
    return this.byType.get(op)!.latency;
  }

  /**
   * Keeps per-set object counts in step with a stored change: `before` / `after`
   * is the record's set when it was / is live, null when it was absent, a
   * tombstone or expired.
   */
  onObjectChange(before: string | null, after: string | null): void {
    if (before === after) return;
    if (before !== null) {
      const n = (this.sets.get(before) ?? 0) - 1;
      if (n <= 0) this.sets.delete(before);
      else this.sets.set(before, n);
    }
    if (after !== null) this.sets.set(after, (this.sets.get(after) ?? 0) + 1);
  }

  setObjects(set: string): number {
    return this.sets.get(set) ?? 0;
  }

  /** Replaces the per-set counts (after a restart rebuilt them from the index). */
  resetSetObjects(counts: Iterable<[string, number]>): void {
    this.sets.clear();
    for (const [set, n] of counts) if (n > 0) this.sets.set(set, n);
  }

  snapshot(): OpsStatsSnapshot {
    const ops = {} as Record<OpType, OpTypeSnapshot>;
    const now = this.nowMs();
    for (const [type, stats] of this.byType) ops[type] = stats.snapshot(now);
    return { ops, setObjects: Object.fromEntries([...this.sets].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) };
  }
}
