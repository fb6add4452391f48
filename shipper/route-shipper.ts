/**
 * One route's shipping loop: change-log cursor → coalesce → current versions →
 * filter → encode → Kafka → commit. The cursor advances (durably, seq + lut)
 * only after Kafka acknowledged every message of the batch, so a crash or a
 * stop at any moment re-ships (at-least-once) and never skips.
 *
 * Two batches at most are in hand: one on the wire, the next being read and
 * encoded meanwhile (the broker round trip is hidden behind that work). The
 * next send starts only after the previous ack, so each record's versions
 * reach Kafka in order; commits run behind the sends (commit-queue.ts).
 *
 * Control calls (pause, resume, rewind, update, stop) only set flags and wake
 * the loop; the loop acts on them between batches, so a batch is never half
 * committed.
 *
 * Failures decide from their `retriable` flag: a retriable one is retried with
 * backoff (state `retrying`); one that is not (Kafka refuses the batch, the
 * change log is corrupted) stops the route in state `failed` with the error in
 * `last_error` and the log, until an operator resumes it: retrying it would spin
 * on the same failure forever.
 */
import { setImmediate as nextMacrotask } from 'node:timers/promises';
import type { Logger } from 'pino';
import { type ChangeCursor, type ChangeEvent, type EngineApi } from '../engine/index.js';
import { physicalMs, type Digest, type HlcTimestamp } from '../record/index.js';
import { errorNote, isRetriable } from '../errors/index.js';
import { backoffMs } from './backoff.js';
import { CommitQueue } from './commit-queue.js';
import { ShipError, isShipError } from './errors.js';
import { coalesce, type RouteRegions } from './filter.js';
import { resolveShipperOptions, type ResolvedShipperOptions, type ShipperOptions } from './options.js';
import { prepareChanges, type PrepareContext, type PreparedBatch } from './prepare.js';
import { RateLimiter, type MsClock } from './rate-limiter.js';
import { RecoveryScan, startScanReport } from './recovery-scan.js';
import { Reshipper, type ReshipResult } from './reship.js';
import { routeCursorName, routeTopic, type RouteSpec } from '../replication-protocol/index.js';
import { RouteSender } from './route-sender.js';
import { ShippedPosition } from './shipped-position.js';
import { LagTracker, emptyStats, type RouteShipStats, type ShipState } from './stats.js';
import type { ShipTransport } from './transport.js';
import { Wakeup } from './wakeup.js';

export type ShipperEngine = Pick<EngineApi, 'readVersion' | 'readStoredVersions' | 'scanVersionsSince' | 'changeLog' | 'now'>;

export interface RouteShipperOptions {
  route: RouteSpec;
  regions: RouteRegions;
  engine: ShipperEngine;
  transport: ShipTransport;
  logger: Logger;
  options?: ShipperOptions;
  /** Wall clock for delays, rate limiting and lag. @default Date.now */
  clock?: MsClock;
}

/** What a rewind re-ships beyond every record newer than its time. */
export interface RewindOptions {
  /** Also the records that originated at the destination (restoring a region that lost its data). @default false */
  includeOrigin?: boolean;
}

const systemClock: MsClock = { nowMs: () => Date.now() };

export class RouteShipper {
  private route: RouteSpec;
  readonly topic: string;
  private readonly regions: RouteRegions;
  private readonly engine: ShipperEngine;
  private readonly transport: ShipTransport;
  private readonly log: Logger;
  private readonly opts: ResolvedShipperOptions;
  private readonly clock: MsClock;
  private readonly limiter: RateLimiter;
  private readonly counters: RouteShipStats;
  private readonly sender: RouteSender;
  private readonly recovery: RecoveryScan;
  private cursor: ChangeCursor | null = null;
  private partitions = 0;
  private paused: boolean;
  private stopping = false;
  /** Set by a failure that is not retriable; cleared by resume(). */
  private failed = false;
  private pendingRewind: { sinceLut: HlcTimestamp; includeOrigin: boolean } | null = null;
  private readonly reshipper: Reshipper;
  /** Re-ship requests waiting for the loop (at most reshipQueueMax), oldest first. */
  private readonly pendingReships: Array<{ digests: readonly Digest[]; resolve: (r: ReshipResult) => void; reject: (err: unknown) => void }> = [];
  private readonly wakeup = new Wakeup();
  private loop: Promise<void> | null = null;
  private readonly lag: LagTracker;
  /**
   * The batch being sent (at most one: per-partition order and bounded memory).
   * The next batch is read, looked up and encoded while this one is on the wire.
   */
  private inflight: Promise<void> | null = null;
  private commits: CommitQueue | null = null;
  private readonly shipped: ShippedPosition;

  constructor(o: RouteShipperOptions) {
    this.route = o.route;
    this.topic = routeTopic(o.route);
    this.regions = o.regions;
    this.engine = o.engine;
    this.transport = o.transport;
    this.opts = resolveShipperOptions(o.options);
    this.clock = o.clock ?? systemClock;
    this.log = o.logger.child({ module: 'shipper', route: o.route.name });
    this.limiter = new RateLimiter(o.route.maxRecordsPerSec, this.clock);
    this.counters = emptyStats(o.route.name);
    this.paused = !o.route.enabled;
    this.lag = new LagTracker(this.clock.nowMs());
    this.shipped = new ShippedPosition(o.route.name, this.opts.shippedWaitersMax);
    const isStopping = (): boolean => this.stopping;
    const sleep = (ms: number): Promise<void> => this.sleep(ms);
    this.sender = new RouteSender({ routeName: o.route.name, topic: this.topic, transport: o.transport, limiter: this.limiter, opts: this.opts, clock: this.clock, log: this.log, counters: this.counters, isStopping, sleep });
    this.recovery = new RecoveryScan({ engine: o.engine, sender: this.sender, route: () => this.route, prepareContext: () => this.prepareContext(), opts: this.opts, log: this.log, isStopping });
    this.reshipper = new Reshipper({ engine: o.engine, sender: this.sender, route: () => this.route, prepareContext: () => this.prepareContext(), opts: this.opts, log: this.log, isStopping });
  }

  get name(): string {
    return this.route.name;
  }

  /** Opens the route's cursor and starts shipping in the background. */
  async start(): Promise<void> {
    if (this.loop !== null) return;
    this.cursor = await this.engine.changeLog(this.route.namespace).cursor(routeCursorName(this.route.name));
    this.commits = new CommitQueue(this.cursor, this.log);
    this.shipped.advance(this.cursor.committedSeq());
    this.log.info({ topic: this.topic, committedSeq: this.cursor.committedSeq() }, 'route shipper started');
    this.loop = this.run();
  }

  /**
   * Resolves once every change up to `seq` of the route's namespace is in Kafka
   * (or was filtered out by the route); rejects with SHIP_ERR_STOPPED when the
   * route stops first, SHIP_ERR_WAITERS_FULL past shippedWaitersMax.
   */
  whenShipped(seq: number, signal?: AbortSignal): Promise<void> {
    return this.shipped.wait(seq, signal);
  }

  /** Whether the route ships at all now (not paused by an operator, disabled, or failed until resumed). */
  shipping(): boolean {
    return !this.paused && !this.failed && !this.stopping;
  }

  pause(): void {
    this.paused = true;
    this.wakeup.wake();
  }

  /**
   * Ships again after a pause, or after a failure that was not retriable (from
   * the committed position). Also the operator's acknowledgement of the last
   * scan's outcome: a failed rewind or one that skipped unreadable records
   * stops setting the route's state (its report stays in the stats).
   */
  resume(): void {
    this.paused = false;
    this.failed = false;
    const scan = this.counters.scan;
    if (scan !== null && scan.status !== 'running' && scan.acknowledged_at_ms === null) scan.acknowledged_at_ms = this.clock.nowMs();
    this.wakeup.wake();
  }

  /**
   * Re-ship every record whose lut is newer than `sinceLut` (not durable: a
   * restart forgets a pending rewind). With `includeOrigin`, also the records
   * that originated at the destination, which shipping never sends back
   * otherwise: what a destination that lost its data needs to get back.
   */
  rewind(sinceLut: HlcTimestamp, options: RewindOptions = {}): void {
    const pending = this.pendingRewind;
    this.pendingRewind = {
      sinceLut: pending === null ? sinceLut : Math.min(pending.sinceLut, sinceLut),
      includeOrigin: (pending?.includeOrigin ?? false) || (options.includeOrigin ?? false),
    };
    this.wakeup.wake();
  }

  /**
   * Re-ships the current version of each digest (tombstones too, and versions
   * that originated at the destination: reship.ts). Resolves once Kafka
   * acknowledged them. Refused with SHIP_ERR_PAUSED on a paused route,
   * SHIP_ERR_BUSY when reshipQueueMax requests are already waiting, and
   * SHIP_ERR_INVALID_OPTIONS past reshipDigestsMax digests.
   */
  reship(digests: readonly Digest[]): Promise<ReshipResult> {
    const name = this.route.name;
    if (this.stopping) return Promise.reject(new ShipError('SHIP_ERR_STOPPED', `route ${name} is stopping`, { route: name }));
    if (this.paused) return Promise.reject(new ShipError('SHIP_ERR_PAUSED', `route ${name} is paused or disabled; resume it before re-shipping`, { route: name }));
    if (this.failed) return Promise.reject(this.failedError());
    if (digests.length > this.opts.reshipDigestsMax) {
      return Promise.reject(new ShipError('SHIP_ERR_INVALID_OPTIONS', `route ${name}: ${digests.length} digests in one re-ship; at most ${this.opts.reshipDigestsMax}`, { route: name }));
    }
    if (this.pendingReships.length >= this.opts.reshipQueueMax) {
      return Promise.reject(new ShipError('SHIP_ERR_BUSY', `route ${name}: ${this.pendingReships.length} re-ship requests already wait; retry later`, { route: name }));
    }
    return new Promise((resolve, reject) => {
      this.pendingReships.push({ digests, resolve, reject });
      this.wakeup.wake();
    });
  }

  /** Why a failed route refuses re-ships: like a paused one, it ships nothing until resumed. */
  private failedError(): ShipError {
    const name = this.route.name;
    const cause = this.counters.last_error;
    return new ShipError('SHIP_ERR_PAUSED', `route ${name} failed${cause === null ? '' : ` (${cause.code}: ${cause.message})`}; fix that and resume it before re-shipping`, { route: name });
  }

  /** Fails every waiting re-ship request (the route paused, failed or stopped). */
  private failReships(err: ShipError): void {
    for (const r of this.pendingReships.splice(0)) r.reject(err);
  }

  /**
   * Takes new settings of the same route (filters, rate, delays, forward,
   * resolver, enabled). A new namespace, topic, source or destination is a new
   * route: the caller stops this one and starts another.
   */
  update(route: RouteSpec): void {
    const fixed = ['namespace', 'source', 'destination'] as const;
    for (const f of fixed) {
      if (route[f] !== this.route[f]) throw new ShipError('SHIP_ERR_INVALID_OPTIONS', `route ${route.name}: ${f} cannot change on a running shipper; remove the route and add it again`, { route: route.name, field: f });
    }
    if (routeTopic(route) !== this.topic) throw new ShipError('SHIP_ERR_INVALID_OPTIONS', `route ${route.name}: the topic cannot change on a running shipper`, { route: route.name, field: 'topic' });
    this.route = route;
    this.limiter.setRate(route.maxRecordsPerSec);
    this.paused = !route.enabled;
    this.wakeup.wake();
  }

  /** Stops after the current send (an unacknowledged batch is re-shipped on the next start). */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wakeup.wake();
    await this.loop;
    this.shipped.close();
    this.counters.state = 'stopped';
  }

  stats(): RouteShipStats {
    const now = this.clock.nowMs();
    const s = { ...this.counters, scan: this.counters.scan === null ? null : { ...this.counters.scan, unreadable_digests: [...this.counters.scan.unreadable_digests] } };
    if (this.cursor !== null) {
      s.committed_seq = this.cursor.committedSeq();
      s.in_queue = Math.max(0, this.engine.changeLog(this.route.namespace).headSeq() - s.committed_seq);
    }
    s.lag_ms = this.lag.lagMs(now, s.in_queue);
    s.lag = Math.floor(s.lag_ms / 1000);
    s.throughput = this.sender.throughput.perSecond(now);
    return s;
  }

  private setState(state: ShipState): void {
    if (this.counters.state !== state) this.counters.state = state;
  }

  /** Sleeps up to `ms`, cut short by any control call (not at all once stopping). */
  private async sleep(ms: number): Promise<void> {
    if (this.stopping) return;
    await this.wakeup.sleep(ms);
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      try {
        if (this.paused) {
          this.setState('paused');
          this.failReships(new ShipError('SHIP_ERR_PAUSED', `route ${this.route.name} was paused before the re-ship ran`, { route: this.route.name }));
          // Lag counts from the oldest unshipped change: a paused route with nothing
          // waiting is caught up, or a pause of an hour and then one write would read as an hour of lag.
          if (this.cursor !== null && this.engine.changeLog(this.route.namespace).headSeq() <= this.cursor.committedSeq()) this.lag.caughtUp(this.clock.nowMs());
          await this.sleep(this.opts.heartbeatIntervalMs);
          continue;
        }
        if (this.failed) {
          this.setState('failed');
          this.failReships(this.failedError());
          await this.sleep(this.opts.heartbeatIntervalMs);
          continue;
        }
        if (this.partitions === 0) {
          this.partitions = await this.transport.partitionCount(this.topic);
          continue;
        }
        if (this.pendingRewind !== null) {
          const { sinceLut, includeOrigin } = this.pendingRewind;
          this.pendingRewind = null;
          // A rewind that fails is not retried on its own (it would re-ship
          // everything up to the failure again and again): its report says where it
          // stopped and why, the route's state shows it, and shipping goes on.
          await this.recover(sinceLut, 'rewind', includeOrigin).catch((err: unknown) => {
            if (isShipError(err, 'SHIP_ERR_STOPPED')) throw err;
          });
          continue;
        }
        if (this.pendingReships.length > 0) {
          await this.reshipNext();
          continue;
        }
        await this.step();
        failures = 0;
      } catch (err) {
        if (this.stopping && isShipError(err, 'SHIP_ERR_STOPPED')) break;
        // An engine or Kafka failure outside the send retry (metadata, reads):
        // forget the half-done batch and try again after a backoff.
        await this.settle().catch(() => undefined);
        this.cursor?.rewindToCommitted();
        this.lag.batchesDropped();
        this.counters.last_error = errorNote(err, this.clock.nowMs(), 'SHIP_ERR_STEP_FAILED');
        if (!isRetriable(err)) {
          this.failed = true;
          this.setState('failed');
          this.log.error({ err }, 'shipping failed with an error a retry does not fix; the route ships nothing until it is resumed');
          continue;
        }
        this.counters.retries++;
        this.setState('retrying');
        const delayMs = backoffMs(failures++, this.opts.retryBackoffMinMs, this.opts.retryBackoffMaxMs);
        this.log.warn({ err, delayMs }, 'shipping step failed; retrying');
        await this.sleep(delayMs);
      }
    }
    await this.settle().catch(() => undefined);
    this.cursor?.rewindToCommitted();
    this.failReships(new ShipError('SHIP_ERR_STOPPED', `route ${this.route.name} stopped before the re-ship ran`, { route: this.route.name }));
    this.setState('stopped');
    this.log.info({ committedSeq: this.cursor?.committedSeq() }, 'route shipper stopped');
  }

  private prepareContext(): PrepareContext {
    return { route: this.route, regions: this.regions, partitions: this.partitions, recordBytesMax: this.opts.recordBytesMax, logger: this.log, nowMs: this.clock.nowMs() };
  }

  /** Reads, ships and commits one batch of the change log (or waits for one). */
  private async step(): Promise<void> {
    const cursor = this.cursor!;
    // A batch just handed to the transport is still being encoded: kafkajs builds
    // the request in a chain of microtasks before it writes it to the socket, and
    // preparing the next batch now would run in between and hold that request
    // back by the whole preparation (~4 ms a 1000 records). One macrotask turn
    // lets the request go out first, so the preparation overlaps the broker's
    // round trip instead of delaying it.
    if (this.inflight !== null) await nextMacrotask();
    const cap = this.limiter.batchCap(this.opts.batchRecordsMax);
    const batch = await cursor.read(cap);
    if (batch.overflow) {
      await this.settle();
      this.log.warn({ resumeFromLut: batch.resumeFromLut, resumeSeq: batch.resumeSeq }, 'change log overflowed this route; recovering by a scan');
      const maxLut = await this.recover(batch.resumeFromLut, 'overflow');
      await cursor.seek(batch.resumeSeq);
      await cursor.commit(batch.resumeSeq, Math.max(maxLut, batch.resumeFromLut));
      this.shipped.advance(batch.resumeSeq);
      return;
    }
    let events = batch.events;
    if (events.length === 0) {
      this.setState('running');
      if (this.inflight !== null) {
        // A batch is on the wire: read again as soon as more changes are visible
        // or it is acknowledged, whichever comes first. Waiting for the ack and
        // then for the cursor commit's fsync here (as before) held every change
        // that arrived meanwhile for a send round trip plus an fsync.
        await this.waitForMoreOrAck(cursor, this.inflight);
        return;
      }
      this.lag.caughtUp(this.clock.nowMs());
      await this.idle();
      return;
    }
    this.setState('running');
    this.lag.batchRead(physicalMs(events[0]!.lut));
    events = await this.linger(cursor, events, cap);
    if (events.length === 0) return;
    const last = events[events.length - 1]!;
    if (this.route.delayMs > 0) {
      await this.sleep(physicalMs(last.lut) + this.route.delayMs - this.clock.nowMs());
      if (this.interrupted()) return this.abandonBatch(cursor);
    }
    const c = coalesce(this.route, this.regions, events);
    const prepared = await prepareChanges(this.prepareContext(), this.engine, c.changes, this.opts.readConcurrencyMax);
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
    await this.sender.ship(prepared);
    this.commits!.schedule(seq, maxLut);
    this.shipped.advance(seq);
    this.counters.hot_keys += duplicates;
    this.counters.filtered_out += setFiltered;
    this.lag.batchAcked(physicalMs(maxLut));
  }

  /** Waits until the in-flight batch is acknowledged and every acknowledged position is committed. */
  private async settle(): Promise<void> {
    const inflight = this.inflight;
    this.inflight = null;
    try {
      await inflight;
    } finally {
      await this.commits?.flush();
    }
  }

  /** Waits until the cursor sees more changes, `inflight` settles, or a control call wakes the loop. */
  private async waitForMoreOrAck(cursor: ChangeCursor, inflight: Promise<void>): Promise<void> {
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
      await Promise.race([acked, cursor.waitForMore(this.opts.heartbeatIntervalMs, AbortSignal.any([done.signal, this.wakeup.signal]))]);
    } finally {
      // Removes the cursor waiter (its timer and listeners) when the ack came first.
      done.abort();
    }
    if (settled && this.inflight === inflight) {
      this.inflight = null;
      // Surfaces a failed send (SHIP_ERR_STOPPED) to run(), as settle() does.
      await inflight;
    }
  }

  /** hot-key-ms: give repeated changes of one record time to arrive and fold into one message. */
  private async linger(cursor: ChangeCursor, events: ChangeEvent[], cap: number): Promise<ChangeEvent[]> {
    if (this.route.hotKeyMs <= 0 || events.length >= cap) return events;
    await this.sleep(Math.min(this.route.hotKeyMs, physicalMs(events[0]!.lut) + this.route.hotKeyMs - this.clock.nowMs()));
    if (this.interrupted()) {
      await this.abandonBatch(cursor);
      return [];
    }
    const more = await cursor.read(cap - events.length);
    if (more.overflow) {
      // The next read reports the overflow again and recovers; nothing was shipped yet.
      await this.abandonBatch(cursor);
      return [];
    }
    return events.concat(more.events);
  }

  private interrupted(): boolean {
    return this.stopping || this.paused || this.pendingRewind !== null;
  }

  private async abandonBatch(cursor: ChangeCursor): Promise<void> {
    await this.settle();
    cursor.rewindToCommitted();
    this.lag.batchesDropped();
  }

  /**
   * Settles the in-flight batch, then scans versions newer than `sinceLut` and
   * ships them (overflow recovery, rewind), keeping the scan's report in the
   * stats. Returns the max lut scanned; a failure is in the report and rethrown.
   */
  private async recover(sinceLut: HlcTimestamp, why: 'overflow' | 'rewind', includeOrigin = false): Promise<number> {
    await this.settle();
    this.setState('recovering');
    this.counters.recoveries++;
    const report = startScanReport(why, sinceLut, includeOrigin, this.clock.nowMs());
    this.counters.scan = report;
    try {
      const maxLut = await this.recovery.ship(sinceLut, report);
      report.status = 'completed';
      return maxLut;
    } catch (err) {
      report.status = 'failed';
      report.error = errorNote(err, this.clock.nowMs(), 'SHIP_ERR_SCAN_FAILED');
      this.counters.last_error = report.error;
      if (!isShipError(err, 'SHIP_ERR_STOPPED')) this.log.error({ err, why, scanned: report.scanned, shipped: report.shipped, total: report.total }, 'recovery scan stopped before its end');
      throw err;
    } finally {
      report.ended_at_ms = this.clock.nowMs();
      if (this.counters.state === 'recovering') this.setState('running');
    }
  }

  /**
   * Runs the oldest waiting re-ship after the in-flight batch is acknowledged
   * (so each record's versions reach Kafka in order). A failure other than a
   * stop stays with the request's caller; the loop goes on.
   */
  private async reshipNext(): Promise<void> {
    await this.settle();
    const r = this.pendingReships.shift()!;
    try {
      const result = await this.reshipper.ship(r.digests);
      this.counters.reshipped += result.shipped;
      r.resolve(result);
    } catch (err) {
      r.reject(err);
      if (isShipError(err, 'SHIP_ERR_STOPPED')) throw err;
    }
  }

  /** Nothing to ship: send a heartbeat when due, then wait for changes (or the next heartbeat). */
  private async idle(): Promise<void> {
    const dueInMs = this.sender.heartbeatDueInMs();
    if (dueInMs <= 0) {
      const hlc = this.engine.now();
      const backlog = this.stats().in_queue;
      await this.sender.heartbeat({ route: this.route.name, region: this.regions.sourceId, hlc, backlog });
      return;
    }
    await this.cursor!.waitForMore(dueInMs, this.wakeup.signal);
  }
}
