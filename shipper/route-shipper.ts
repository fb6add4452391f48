/**
 * One route's shipping loop and its control surface. Each turn of the loop does
 * one thing: ship a batch of the change log (batch-sending.ts: cursor → Kafka →
 * commit, at-least-once, order per record), run a rewind by scan
 * (route-recovery.ts, which also recovers from a change-log overflow), or run a
 * waiting re-ship request (reship-requests.ts).
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
import type { Logger } from 'pino';
import { type ChangeCursor } from '../engine/index.js';
import { type Digest, type HlcTimestamp } from '../record/index.js';
import { errorNote, isRetriable } from '../errors/index.js';
import { backoffMs } from './backoff.js';
import { BatchSending, type ShipperEngine } from './batch-sending.js';
import { ShipError, isShipError } from './errors.js';
import { type RouteRegions } from './filter.js';
import { resolveShipperOptions, type ResolvedShipperOptions, type ShipperOptions } from './options.js';
import { type PrepareContext } from './prepare.js';
import { RateLimiter, type MsClock } from './rate-limiter.js';
import { RecoveryScan } from './recovery-scan.js';
import { Reshipper, type ReshipResult } from './reship.js';
import { ReshipRequests } from './reship-requests.js';
import { routeCursorName, routeTopic, type RouteSpec } from '../replication-protocol/index.js';
import { RouteRecovery } from './route-recovery.js';
import { RouteSender } from './route-sender.js';
import { ShippedPosition } from './shipped-position.js';
import { LagTracker, emptyStats, type RouteShipStats, type ShipState } from './stats.js';
import type { ShipTransport } from './transport.js';
import { Wakeup } from './wakeup.js';

export type { ShipperEngine };
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
  private readonly recovery: RouteRecovery;
  private cursor: ChangeCursor | null = null;
  private partitions = 0;
  private paused: boolean;
  private stopping = false;
  /** Set by a failure that is not retriable; cleared by resume(). */
  private failed = false;
  private pendingRewind: { sinceLut: HlcTimestamp; includeOrigin: boolean } | null = null;
  private readonly reships: ReshipRequests;
  private readonly wakeup = new Wakeup();
  private loop: Promise<void> | null = null;
  private readonly lag: LagTracker;
  /** The sending side, from start() on (it needs the route's cursor). */
  private sending: BatchSending | null = null;
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
    const scan = new RecoveryScan({ engine: o.engine, sender: this.sender, route: () => this.route, prepareContext: () => this.prepareContext(), opts: this.opts, log: this.log, isStopping });
    this.recovery = new RouteRecovery({ scan, counters: this.counters, clock: this.clock, log: this.log, settle: () => this.settle(), setState: (state) => this.setState(state) });
    const reshipper = new Reshipper({ engine: o.engine, sender: this.sender, route: () => this.route, prepareContext: () => this.prepareContext(), opts: this.opts, log: this.log, isStopping });
    this.reships = new ReshipRequests(() => this.route.name, this.opts, reshipper, this.counters);
  }

  get name(): string {
    return this.route.name;
  }

  /** Opens the route's cursor and starts shipping in the background. */
  async start(): Promise<void> {
    if (this.loop !== null) return;
    this.cursor = await this.engine.changeLog(this.route.namespace).cursor(routeCursorName(this.route.name));
    this.sending = new BatchSending({
      cursor: this.cursor,
      engine: this.engine,
      sender: this.sender,
      limiter: this.limiter,
      recovery: this.recovery,
      opts: this.opts,
      clock: this.clock,
      log: this.log,
      lag: this.lag,
      shipped: this.shipped,
      counters: this.counters,
      regions: this.regions,
      route: () => this.route,
      prepareContext: () => this.prepareContext(),
      interrupted: () => this.stopping || this.paused || this.pendingRewind !== null,
      sleep: (ms) => this.sleep(ms),
      wakeupSignal: () => this.wakeup.signal,
      setState: (state) => this.setState(state),
      heartbeat: () => this.sender.heartbeat({ route: this.route.name, region: this.regions.sourceId, hlc: this.engine.now(), backlog: this.stats().in_queue }),
    });
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
    let refusal: ShipError | null = null;
    if (this.stopping) refusal = new ShipError('SHIP_ERR_STOPPED', `route ${name} is stopping`, { route: name });
    else if (this.paused) refusal = new ShipError('SHIP_ERR_PAUSED', `route ${name} is paused or disabled; resume it before re-shipping`, { route: name });
    else if (this.failed) refusal = this.failedError();
    return this.reships.add(digests, refusal, () => this.wakeup.wake());
  }

  /** Why a failed route refuses re-ships: like a paused one, it ships nothing until resumed. */
  private failedError(): ShipError {
    const name = this.route.name;
    const cause = this.counters.last_error;
    return new ShipError('SHIP_ERR_PAUSED', `route ${name} failed${cause === null ? '' : ` (${cause.code}: ${cause.message})`}; fix that and resume it before re-shipping`, { route: name });
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
          this.reships.failAll(new ShipError('SHIP_ERR_PAUSED', `route ${this.route.name} was paused before the re-ship ran`, { route: this.route.name }));
          // Lag counts from the oldest unshipped change: a paused route with nothing
          // waiting is caught up, or a pause of an hour and then one write would read as an hour of lag.
          if (this.cursor !== null && this.engine.changeLog(this.route.namespace).headSeq() <= this.cursor.committedSeq()) this.lag.caughtUp(this.clock.nowMs());
          await this.sleep(this.opts.heartbeatIntervalMs);
          continue;
        }
        if (this.failed) {
          this.setState('failed');
          this.reships.failAll(this.failedError());
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
          await this.recovery.recover(sinceLut, 'rewind', includeOrigin).catch((err: unknown) => {
            if (isShipError(err, 'SHIP_ERR_STOPPED')) throw err;
          });
          continue;
        }
        if (this.reships.waiting > 0) {
          await this.reships.runNext(() => this.settle());
          continue;
        }
        await this.sending!.step();
        failures = 0;
      } catch (err) {
        if (this.stopping && isShipError(err, 'SHIP_ERR_STOPPED')) break;
        // An engine or Kafka failure outside the send retry (metadata, reads):
        // forget the half-done batch and try again after a backoff.
        await this.sending?.dropInHand();
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
    await this.sending?.dropInHand();
    this.reships.failAll(new ShipError('SHIP_ERR_STOPPED', `route ${this.route.name} stopped before the re-ship ran`, { route: this.route.name }));
    this.setState('stopped');
    this.log.info({ committedSeq: this.cursor?.committedSeq() }, 'route shipper stopped');
  }

  private prepareContext(): PrepareContext {
    return { route: this.route, regions: this.regions, partitions: this.partitions, recordBytesMax: this.opts.recordBytesMax, logger: this.log, nowMs: this.clock.nowMs() };
  }

  /** Waits until the in-flight batch is acknowledged and every acknowledged position is committed. */
  private settle(): Promise<void> {
    return this.sending?.settle() ?? Promise.resolve();
  }
}
