/**
 * Per-route shipping statistics under Aerospike XDR's names, so operators who
 * know `asinfo -v get-stats:context=xdr` read them without a glossary.
 */
import type { ErrorNote } from '../errors/index.js';

/**
 * States of a route's shipping loop. The state operators read (xdr/route-health)
 * is built from these and adds what the shipper cannot know alone (the route
 * disabled, the destination not applying it, a scan that ended badly).
 * `failed`: a send or a shipping step failed with an error that says a retry
 * cannot succeed (not retriable); the route ships nothing until an operator
 * resumes it, and `last_error` says why.
 */
export const SHIP_STATES = ['starting', 'running', 'paused', 'retrying', 'recovering', 'failed', 'stopped'] as const;
export type ShipState = (typeof SHIP_STATES)[number];

/** Unreadable digests a scan report keeps (each one is also logged). */
export const SCAN_UNREADABLE_DIGESTS_MAX = 10;

/**
 * The newest overflow recovery or rewind of a route: how far it got and how it
 * ended. A scan that failed, or that skipped unreadable records, sets the
 * route's state until the operator acts (a new rewind, resume, removal).
 */
export interface ScanReport {
  why: 'overflow' | 'rewind';
  status: 'running' | 'completed' | 'failed';
  include_origin: boolean;
  /** Physical ms of the lut the scan started from (0: everything). */
  since_ms: number;
  started_at_ms: number;
  ended_at_ms: number | null;
  /** Records newer than since_ms when the scan began; null when the engine does not tell. */
  total: number | null;
  /** Versions read so far. */
  scanned: number;
  /** Versions acknowledged by Kafka. */
  shipped: number;
  /** Versions the set filter or the origin rules left out. */
  filtered_out: number;
  /** Versions given up on (too large, unencodable) or gone when read. */
  abandoned: number;
  /** Records that failed their checks when read (corrupted storage): skipped, logged with their digest. */
  unreadable: number;
  /** Hex digests of the first SCAN_UNREADABLE_DIGESTS_MAX unreadable records. */
  unreadable_digests: string[];
  /** Why a failed scan stopped. */
  error: ErrorNote | null;
  /** When the operator acknowledged the outcome (resume): from then on it no longer sets the route's state. */
  acknowledged_at_ms: number | null;
}

export interface RouteShipStats {
  route: string;
  state: ShipState;
  /** Seconds between now and the oldest change not yet acknowledged (Aerospike's `lag`, whole seconds). */
  lag: number;
  /** Ms between now and the oldest change not yet acknowledged by Kafka (0 when caught up). Grows while stalled. */
  lag_ms: number;
  /** Change-log entries not yet shipped: head seq − committed seq. */
  in_queue: number;
  /** Records in the batch being sent now. */
  in_progress: number;
  /** Records acknowledged by Kafka. */
  success: number;
  /** Records given up on (too large, unencodable); logged with their digest. */
  abandoned: number;
  /** Changes whose record was gone when read (expired or evicted without a tombstone). */
  not_found: number;
  /** Changes not shipped by the set filter or the origin/forward rules. */
  filtered_out: number;
  /** Failed send attempts and shipping steps (each retried when its error is retriable). */
  retries: number;
  /** Change-log overflow recoveries and rewinds (each a scan by lut). */
  recoveries: number;
  /** Records re-shipped on request (anti-entropy, verify --repair), acknowledged by Kafka. */
  reshipped: number;
  /** Changes coalesced into a later change of the same record. */
  hot_keys: number;
  /** Records shipped per second, over the last few seconds. */
  throughput: number;
  /** Mean ms from a change's lut to Kafka's ack, over recent batches. */
  latency_ms: number;
  /** Heartbeats sent. */
  heartbeats: number;
  /** Last committed change-log seq. */
  committed_seq: number;
  /** The newest failure of a send or a shipping step (kept after recovery; `state` says whether it still fails). */
  last_error: ErrorNote | null;
  /** The newest overflow recovery or rewind (null when none ran since the shipper started). */
  scan: ScanReport | null;
}

/** Exponentially weighted mean; `weight` is the share of the newest sample. */
export function ewma(previous: number, sample: number, weight: number): number {
  return previous === 0 ? sample : previous + weight * (sample - previous);
}

export function emptyStats(route: string): RouteShipStats {
  return {
    route,
    state: 'starting',
    lag: 0,
    lag_ms: 0,
    in_queue: 0,
    in_progress: 0,
    success: 0,
    abandoned: 0,
    not_found: 0,
    filtered_out: 0,
    retries: 0,
    recoveries: 0,
    reshipped: 0,
    hot_keys: 0,
    throughput: 0,
    latency_ms: 0,
    heartbeats: 0,
    committed_seq: 0,
    last_error: null,
    scan: null,
  };
}

/** Records acknowledged per second over the last `windowMs` (the `throughput` figure). */
export class ThroughputWindow {
  /** [ms, records] per acknowledged send, oldest first; bounded. */
  private acked: Array<[number, number]> = [];

  constructor(private readonly windowMs: number) {}

  add(nowMs: number, records: number): void {
    this.acked.push([nowMs, records]);
    if (this.acked.length > 10_000) this.acked.splice(0, this.acked.length - 10_000);
  }

  perSecond(nowMs: number): number {
    this.acked = this.acked.filter(([t]) => nowMs - t <= this.windowMs);
    return Math.round((this.acked.reduce((sum, [, n]) => sum + n, 0) * 1000) / this.windowMs);
  }
}

/**
 * The `lag` figure: ms since the oldest change read but not yet acknowledged by
 * Kafka; with none in hand but changes still queued, since the route was last
 * caught up or last shipped. A caught-up route has no lag.
 */
export class LagTracker {
  /** Physical ms of the first change of each batch read but not yet acknowledged (at most two: one sending, one prepared). */
  private pendingFirstMs: number[] = [];
  private lastShippedMs = 0;
  private caughtUpAtMs: number;

  constructor(nowMs: number) {
    this.caughtUpAtMs = nowMs;
  }

  /** Nothing waited to be shipped at `nowMs`. */
  caughtUp(nowMs: number): void {
    this.caughtUpAtMs = nowMs;
  }

  /** A batch was read whose first change has physical time `firstMs`. */
  batchRead(firstMs: number): void {
    this.pendingFirstMs.push(firstMs);
  }

  /** The oldest batch in hand was acknowledged; its newest change has physical time `lastMs`. */
  batchAcked(lastMs: number): void {
    this.lastShippedMs = lastMs;
    this.pendingFirstMs.shift();
  }

  /** The batches in hand were dropped unshipped (they are read again). */
  batchesDropped(): void {
    this.pendingFirstMs = [];
  }

  lagMs(nowMs: number, inQueue: number): number {
    const oldest = this.pendingFirstMs[0];
    const since = oldest ?? Math.max(this.caughtUpAtMs, this.lastShippedMs);
    return inQueue === 0 && oldest === undefined ? 0 : Math.max(0, nowMs - since);
  }
}

