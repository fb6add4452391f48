/**
 * The sending side of a route's loop: change-log cursor → coalesce → current
 * versions → filter → encode → Kafka → commit, one batch per step. The cursor
 * advances (durably, seq + lut) only after Kafka acknowledged every message of
 * the batch, so a crash or a stop at any moment re-ships (at-least-once) and
 * never skips.
 *
 * Two batches at most are in hand: one on the wire, the next being read and
 * encoded meanwhile (the broker round trip is hidden behind that work). The
 * next send starts only after the previous ack, so each record's versions
 * reach Kafka in order; commits run behind the sends (commit-queue.ts).
 */
import { setImmediate as nextMacrotask } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { ChangeCursor, ChangeEvent, EngineApi } from '../engine/index.js';
import { physicalMs } from '../record/index.js';
import { CommitQueue } from './commit-queue.js';
import { coalesce, type RouteRegions } from './filter.js';
import type { ResolvedShipperOptions } from './options.js';
import { prepareChanges, type PrepareContext, type PreparedBatch } from './prepare.js';
import type { MsClock, RateLimiter } from './rate-limiter.js';
import type { RouteRecovery } from './route-recovery.js';
import type { RouteSender } from './route-sender.js';
import type { ShippedPosition } from './shipped-position.js';
import type { LagTracker, ShipState } from './stats.js';
import type { RouteSpec } from '../replication-protocol/index.js';

/** What of the engine a route shipper uses. */
export type ShipperEngine = Pick<EngineApi, 'readVersion' | 'readStoredVersions' | 'scanVersionsSince' | 'changeLog' | 'now'>;

export interface BatchSendingDeps {
  cursor: ChangeCursor;
  engine: ShipperEngine;
  sender: RouteSender;
  limiter: RateLimiter;
  recovery: RouteRecovery;
  opts: ResolvedShipperOptions;
  clock: MsClock;
  log: Logger;
  lag: LagTracker;
  shipped: ShippedPosition;
  /** Duplicates folded and records filtered by set are counted once their batch is acknowledged. */
  counters: { hot_keys: number; filtered_out: number };
  regions: RouteRegions;
  route: () => RouteSpec;
  prepareContext: () => PrepareContext;
  /** A control call (stop, pause, rewind) waits: the batch being gathered is dropped, to be read again. */
  interrupted: () => boolean;
  /** The loop's sleep, cut short by control calls. */
  sleep: (ms: number) => Promise<void>;
  /** Aborted by any control call. */
  wakeupSignal: () => AbortSignal;
  setState: (state: ShipState) => void;
  /** Sends a heartbeat (the route is idle and one is due). */
  heartbeat: () => Promise<void>;
}

export class BatchSending {
  private readonly commits: CommitQueue;
  /**
   * The batch being sent (at most one: per-partition order and bounded memory).
   * The next batch is read, looked up and encoded while this one is on the wire.
   */
  private inflight: Promise<void> | null = null;

  constructor(private readonly d: BatchSendingDeps) {
    this.commits = new CommitQueue(d.cursor, d.log);
  }

  /** Reads, ships and commits one batch of the change log (or waits for one). */
  async step(): Promise<void> {
    const { cursor, opts } = this.d;
    // A batch just handed to the transport is still being encoded: kafkajs builds
    // the request in a chain of microtasks before it writes it to the socket, and
    // preparing the next batch now would run in between and hold that request
    // back by the whole preparation (~4 ms a 1000 records). One macrotask turn
    // lets the request go out first, so the preparation overlaps the broker's
    // round trip instead of delaying it.
    if (this.inflight !== null) await nextMacrotask();
    const cap = this.d.limiter.batchCap(opts.batchRecordsMax);
    const batch = await cursor.read(cap);
    if (batch.overflow) return this.d.recovery.overflowed(cursor, batch, this.d.shipped);
    let events = batch.events;
    if (events.length === 0) {
      this.d.setState('running');
      if (this.inflight !== null) {
        // A batch is on the wire: read again as soon as more changes are visible
        // or it is acknowledged, whichever comes first. Waiting for the ack and
        // then for the cursor commit's fsync here (as before) held every change
        // that arrived meanwhile for a send round trip plus an fsync.
        await this.waitForMoreOrAck(this.inflight);
        return;
      }
      this.d.lag.caughtUp(this.d.clock.nowMs());
      await this.idle();
      return;
    }
    this.d.setState('running');
    this.d.lag.batchRead(physicalMs(events[0]!.lut));
    events = await this.linger(events, cap);
    if (events.length === 0) return;
    const last = events[events.length - 1]!;
    const route = this.d.route();
    if (route.delayMs > 0) {
      await this.d.sleep(physicalMs(last.lut) + route.delayMs - this.d.clock.nowMs());
      if (this.d.interrupted()) return this.abandonBatch();
    }
    const c = coalesce(route, this.d.regions, events);
    const prepared = await prepareChanges(this.d.prepareContext(), this.d.engine, c.changes, opts.readConcurrencyMax);
    let maxLut = 0;
    for (const e of events) if (e.lut > maxLut) maxLut = e.lut;
    // The previous batch must be acknowledged before this one goes out (order per partition).
    await this.inflight;
    const sending = this.shipAndCommit(prepared, c.duplicates, c.filteredOut, last.seq, maxLut);
    this.inflight = sending;
    // A failure (only SHIP_ERR_STOPPED: sends retry forever) surfaces at the next await of inflight.
    sending.catch(() => undefined);
  }

  /** Sends a prepared batch, then schedules the cursor commit and counts it (once: after the ack). */
  private async shipAndCommit(prepared: PreparedBatch, duplicates: number, setFiltered: number, seq: number, maxLut: number): Promise<void> {
    await this.d.sender.ship(prepared);
    this.commits.schedule(seq, maxLut);
    this.d.shipped.advance(seq);
    this.d.counters.hot_keys += duplicates;
    this.d.counters.filtered_out += setFiltered;
    this.d.lag.batchAcked(physicalMs(maxLut));
  }

  /** Waits until the in-flight batch is acknowledged and every acknowledged position is committed. */
  async settle(): Promise<void> {
    const inflight = this.inflight;
    this.inflight = null;
    try {
      await inflight;
    } finally {
      await this.commits.flush();
    }
  }

  /** Drops the batches in hand after a failure: they are read again from the committed position. */
  async dropInHand(): Promise<void> {
    await this.settle().catch(() => undefined);
    this.d.cursor.rewindToCommitted();
    this.d.lag.batchesDropped();
  }

  /** Waits until the cursor sees more changes, `inflight` settles, or a control call wakes the loop. */
  private async waitForMoreOrAck(inflight: Promise<void>): Promise<void> {
    let settled = false;
    const acked = inflight.then(
      () => {
        settled = true;
      },
      () => {
        settled = true;
      },
    );
    const done = new AbortController();
    try {
      await Promise.race([acked, this.d.cursor.waitForMore(this.d.opts.heartbeatIntervalMs, AbortSignal.any([done.signal, this.d.wakeupSignal()]))]);
    } finally {
      // Removes the cursor waiter (its timer and listeners) when the ack came first.
      done.abort();
    }
    if (settled && this.inflight === inflight) {
      this.inflight = null;
      // Surfaces a failed send (SHIP_ERR_STOPPED) to the loop, as settle() does.
      await inflight;
    }
  }

  /** hot-key-ms: give repeated changes of one record time to arrive and fold into one message. */
  private async linger(events: ChangeEvent[], cap: number): Promise<ChangeEvent[]> {
    const hotKeyMs = this.d.route().hotKeyMs;
    if (hotKeyMs <= 0 || events.length >= cap) return events;
    await this.d.sleep(Math.min(hotKeyMs, physicalMs(events[0]!.lut) + hotKeyMs - this.d.clock.nowMs()));
    if (this.d.interrupted()) {
      await this.abandonBatch();
      return [];
    }
    const more = await this.d.cursor.read(cap - events.length);
    if (more.overflow) {
      // The next read reports the overflow again and recovers; nothing was shipped yet.
      await this.abandonBatch();
      return [];
    }
    return events.concat(more.events);
  }

  private async abandonBatch(): Promise<void> {
    await this.settle();
    this.d.cursor.rewindToCommitted();
    this.d.lag.batchesDropped();
  }

  /** Nothing to ship: send a heartbeat when due, then wait for changes (or the next heartbeat). */
  private async idle(): Promise<void> {
    const dueInMs = this.d.sender.heartbeatDueInMs();
    if (dueInMs <= 0) return this.d.heartbeat();
    await this.d.cursor.waitForMore(dueInMs, this.d.wakeupSignal());
  }
}
