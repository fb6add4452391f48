/**
 * Per-route receiver counters (labelled with the route's resolver) and the
 * replication-lag histogram: apply time − source lut (physical ms).
 */
import type { ErrorNote } from '../errors/index.js';
import { LagHistogram } from './histogram.js';
import { RecentLag, type RecentLagSnapshot } from './recent-lag.js';
import type { ConsumerStatus } from './transport.js';

export interface RouteRecvStats {
  route: string;
  resolver: string;
  /** Incoming versions stored as they came. */
  applied: number;
  /** Incoming versions older than the local one (dropped). */
  rejected_older: number;
  /** Incoming versions identical to the local one (duplicates: at-least-once delivery). */
  rejected_identical: number;
  /** Merges of local and incoming stored. */
  merged: number;
  /** Incoming versions that replaced or merged with a local version another region wrote (a cross-region conflict the incoming side won). */
  conflicts_won: number;
  /** Incoming versions dropped because a newer local version another region wrote stood (a cross-region conflict the incoming side lost). */
  conflicts_lost: number;
  /** Messages sent to the dead-letter topic. */
  dead_lettered: number;
  /** Custom resolver failures (the local record was kept). */
  resolver_errors: number;
  /** Retries of a message whose apply or dead-lettering failed for now. */
  retries: number;
  heartbeats: number;
  /** Source change-log backlog reported by the newest heartbeat. */
  source_backlog: number;
  /** Ms since the newest heartbeat or record arrived (−1 when none yet): grows when the route is stalled. */
  last_seen_age_ms: number;
  /** Messages in the route's topic not consumed yet (sum over partitions, as of each partition's last batch). */
  offset_lag: number;
  /** Ms since the newest version was applied or merged (−1 when none yet). */
  last_applied_age_ms: number;
  /**
   * The newest applying error: a dead letter (RECV_ERR_*), a resolver error
   * (CONFLICT_ERR_*) or an engine refusal being retried (ENGINE_ERR_*, e.g.
   * ENGINE_ERR_STOP_WRITES); null when none happened since the gateway started.
   */
  last_error: ErrorNote | null;
  /** The consumer of the route's source Kafka (null before it was created or when the transport cannot tell). */
  consumer: ConsumerStatus | null;
  /** apply time − source lut, over applied and merged versions. */
  lag: { count: number; sum_ms: number; p50_ms: number; p90_ms: number; p99_ms: number; max_ms: number };
  /** The same over the last 10 s (at most the last 2048 applies): how lag moves now. */
  lag_recent: RecentLagSnapshot;
  /**
   * The source's clock minus this one, as the newest heartbeat showed it (its
   * hybrid timestamp minus the local time it arrived; transit makes it read
   * low by the delivery time). Absent before the first heartbeat.
   */
  clock_offset_ms?: number;
}

export class RouteRecvCounters {
  applied = 0;
  rejected_older = 0;
  rejected_identical = 0;
  merged = 0;
  conflicts_won = 0;
  conflicts_lost = 0;
  dead_lettered = 0;
  resolver_errors = 0;
  retries = 0;
  heartbeats = 0;
  source_backlog = 0;
  lastSeenMs = -1;
  lastAppliedMs = -1;
  lastError: ErrorNote | null = null;
  clockOffsetMs: number | null = null;
  readonly offsetLagByPartition = new Map<number, number>();
  readonly lag = new LagHistogram();
  readonly recentLag = new RecentLag();

  constructor(
    readonly route: string,
    public resolver: string,
  ) {}

  snapshot(nowMs: number, consumer: ConsumerStatus | null = null): RouteRecvStats {
    let offsetLag = 0;
    for (const v of this.offsetLagByPartition.values()) offsetLag += v;
    return {
      route: this.route,
      resolver: this.resolver,
      applied: this.applied,
      rejected_older: this.rejected_older,
      rejected_identical: this.rejected_identical,
      merged: this.merged,
      conflicts_won: this.conflicts_won,
      conflicts_lost: this.conflicts_lost,
      dead_lettered: this.dead_lettered,
      resolver_errors: this.resolver_errors,
      retries: this.retries,
      heartbeats: this.heartbeats,
      source_backlog: this.source_backlog,
      last_seen_age_ms: this.lastSeenMs < 0 ? -1 : Math.max(0, nowMs - this.lastSeenMs),
      offset_lag: offsetLag,
      last_applied_age_ms: this.lastAppliedMs < 0 ? -1 : Math.max(0, nowMs - this.lastAppliedMs),
      last_error: this.lastError,
      consumer,
      lag: this.lag.snapshot(),
      lag_recent: this.recentLag.snapshot(nowMs),
      ...(this.clockOffsetMs !== null ? { clock_offset_ms: this.clockOffsetMs } : {}),
    };
  }
}
