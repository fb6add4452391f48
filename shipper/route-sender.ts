/**
 * The sending side of one route: prepared messages go to Kafka in bounded,
 * rate-limited chunks, each retried with backoff until acknowledged while its
 * failure is retriable, and an idle route sends heartbeats. A failure that is
 * not retriable (Kafka refuses the batch for a reason a retry does not fix) is
 * thrown to the route shipper, which stops the route in state `failed`. What was read and in which order is the route
 * shipper's business (route-shipper.ts); this only moves a batch it was handed
 * and counts the outcome.
 */
import type { Logger } from 'pino';
import { physicalMs } from '../record/index.js';
import { errorNote, isRetriable } from '../errors/index.js';
import { backoffMs } from './backoff.js';
import { ShipError } from './errors.js';
import type { ResolvedShipperOptions } from './options.js';
import { chunks, type PreparedBatch } from './prepare.js';
import type { MsClock, RateLimiter } from './rate-limiter.js';
import { ThroughputWindow, ewma, type RouteShipStats, type ShipState } from './stats.js';
import type { OutboundMessage, ShipTransport } from './transport.js';
import { encodeHeartbeat, type Heartbeat } from '../replication-protocol/index.js';

/** Window of the throughput figure. */
const THROUGHPUT_WINDOW_MS = 5000;

export interface RouteSenderOptions {
  routeName: string;
  topic: string;
  transport: ShipTransport;
  limiter: RateLimiter;
  opts: ResolvedShipperOptions;
  clock: MsClock;
  log: Logger;
  /** The route's statistics, shared with the route shipper (this side counts sends, retries and heartbeats). */
  counters: RouteShipStats;
  /** True once the route is stopping: a send still retrying gives up with SHIP_ERR_STOPPED. */
  isStopping: () => boolean;
  /** The route loop's sleep, cut short by control calls. */
  sleep: (ms: number) => Promise<void>;
}

export class RouteSender {
  /** Records acknowledged per second (the `throughput` figure). */
  readonly throughput = new ThroughputWindow(THROUGHPUT_WINDOW_MS);
  private lastSendMs = 0;

  constructor(private readonly o: RouteSenderOptions) {}

  /**
   * Sends prepared messages in bounded chunks, rate-limited, each retried until
   * acknowledged; then counts the batch, with the records its preparation left out.
   * Throws the first failure that is not retriable.
   */
  async ship(prepared: PreparedBatch): Promise<void> {
    const { opts, clock, counters } = this.o;
    for (const chunk of chunks(prepared.messages, opts.batchRecordsMax, opts.batchBytesMax)) {
      await this.o.sleep(this.o.limiter.take(chunk.length));
      counters.in_progress = chunk.length;
      await this.sendWithRetry(chunk);
      counters.in_progress = 0;
      const now = clock.nowMs();
      counters.success += chunk.length;
      this.throughput.add(now, chunk.length);
      let latencySum = 0;
      for (const m of chunk) latencySum += now - m.timestampMs;
      counters.latency_ms = Math.round(ewma(counters.latency_ms, latencySum / chunk.length, 0.2) * 10) / 10;
    }
    counters.filtered_out += prepared.filteredOut;
    counters.not_found += prepared.notFound;
    counters.abandoned += prepared.abandoned;
  }

  private async sendWithRetry(messages: OutboundMessage[]): Promise<void> {
    const { opts, log, counters } = this.o;
    // What the route was doing before sends failed (running, recovering): restored once Kafka accepts again.
    let before: ShipState | undefined;
    for (let attempt = 0; ; attempt++) {
      if (this.o.isStopping()) throw new ShipError('SHIP_ERR_STOPPED', `route ${this.o.routeName} stopped with ${messages.length} records unacknowledged; they are re-shipped on restart`);
      try {
        await this.o.transport.send(this.o.topic, messages);
        this.lastSendMs = this.o.clock.nowMs();
        if (attempt > 0) log.info({ attempts: attempt + 1 }, 'Kafka accepts again; shipping resumed');
        if (before !== undefined) counters.state = before;
        return;
      } catch (err) {
        counters.last_error = errorNote(err, this.o.clock.nowMs(), 'SHIP_ERR_SEND_FAILED');
        if (!isRetriable(err)) {
          counters.in_progress = 0;
          throw err;
        }
        counters.retries++;
        if (before === undefined) before = counters.state === 'retrying' ? 'running' : counters.state;
        counters.state = 'retrying';
        const delayMs = backoffMs(attempt, opts.retryBackoffMinMs, opts.retryBackoffMaxMs);
        // First failure and then every tenth: an outage must not flood the log.
        if (attempt % 10 === 0) log.warn({ err, attempt, delayMs, records: messages.length }, 'send to Kafka failed; retrying');
        await this.o.sleep(delayMs);
      }
    }
  }

  /** Ms until the next heartbeat is due (≤ 0: now); any acknowledged send counts as one. */
  heartbeatDueInMs(): number {
    return this.lastSendMs + this.o.opts.heartbeatIntervalMs - this.o.clock.nowMs();
  }

  async heartbeat(hb: Heartbeat): Promise<void> {
    const value = encodeHeartbeat(hb);
    try {
      await this.o.transport.send(this.o.topic, [{ key: Buffer.alloc(0), value, partition: 0, timestampMs: physicalMs(hb.hlc) }]);
      this.o.counters.heartbeats++;
    } catch (err) {
      // A lost heartbeat is itself the signal (the destination sees none): nothing is retried, so it
      // counts no retry and sets no last_error. At start Kafka often refuses the first ones (the
      // topic's leader or the coordinator still loading), which is expected, not an error.
      this.o.log.debug({ err }, 'heartbeat not sent');
    }
    this.lastSendMs = this.o.clock.nowMs();
  }
}
