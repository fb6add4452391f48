/**
 * A route's re-ship requests (anti-entropy, `verify --repair`): admitted within
 * their limits, queued for the route's loop, run one at a time after the batch
 * in flight is acknowledged (so each record's versions reach Kafka in order),
 * and failed together when the route pauses, fails or stops.
 */
import type { Digest } from '../record/index.js';
import { ShipError, isShipError } from './errors.js';
import type { ResolvedShipperOptions } from './options.js';
import type { Reshipper, ReshipResult } from './reship.js';
import type { RouteShipStats } from './stats.js';

interface Request {
  digests: readonly Digest[];
  resolve: (r: ReshipResult) => void;
  reject: (err: unknown) => void;
}

/** Why the route cannot take a request now; null when it can. */
export type ReshipRefusal = ShipError | null;

export class ReshipRequests {
  /** Waiting requests, oldest first (at most reshipQueueMax). */
  private readonly pending: Request[] = [];

  constructor(
    private readonly routeName: () => string,
    private readonly opts: ResolvedShipperOptions,
    private readonly reshipper: Reshipper,
    private readonly counters: RouteShipStats,
  ) {}

  get waiting(): number {
    return this.pending.length;
  }

  /**
   * Queues a request, or refuses it: with `refusal` (the route is stopping,
   * paused or failed), SHIP_ERR_INVALID_OPTIONS past reshipDigestsMax digests,
   * SHIP_ERR_BUSY when reshipQueueMax requests already wait. `wake` tells the
   * loop there is work.
   */
  add(digests: readonly Digest[], refusal: ReshipRefusal, wake: () => void): Promise<ReshipResult> {
    const name = this.routeName();
    if (refusal !== null) return Promise.reject(refusal);
    if (digests.length > this.opts.reshipDigestsMax) {
      return Promise.reject(new ShipError('SHIP_ERR_INVALID_OPTIONS', `route ${name}: ${digests.length} digests in one re-ship; at most ${this.opts.reshipDigestsMax}`, { route: name }));
    }
    if (this.pending.length >= this.opts.reshipQueueMax) {
      return Promise.reject(new ShipError('SHIP_ERR_BUSY', `route ${name}: ${this.pending.length} re-ship requests already wait; retry later`, { route: name }));
    }
    return new Promise((resolve, reject) => {
      this.pending.push({ digests, resolve, reject });
      wake();
    });
  }

  /** Fails every waiting request. */
  failAll(err: ShipError): void {
    for (const r of this.pending.splice(0)) r.reject(err);
  }

  /**
   * Runs the oldest waiting request after `settle` (the in-flight batch
   * acknowledged). A failure other than a stop stays with the request's caller;
   * a stop is rethrown to the loop.
   */
  async runNext(settle: () => Promise<void>): Promise<void> {
    await settle();
    const r = this.pending.shift();
    if (r === undefined) return;
    try {
      const result = await this.reshipper.ship(r.digests);
      this.counters.reshipped += result.shipped;
      r.resolve(result);
    } catch (err) {
      r.reject(err);
      if (isShipError(err, 'SHIP_ERR_STOPPED')) throw err;
    }
  }
}
