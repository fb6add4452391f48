/**
 * How far a route has shipped: the newest change-log seq such that Kafka
 * acknowledged (or the route's filters dropped) every change up to it. Writers
 * of a namespace whose durability is `shipped` wait here before their write is
 * acknowledged, so an acknowledged write is in the source region's Kafka.
 *
 * Waiters are kept in seq order and bounded: a write that cannot wait is told
 * so at once (SHIP_ERR_WAITERS_FULL) rather than growing memory without limit.
 */
import { ShipError } from './errors.js';

interface Waiter {
  seq: number;
  resolve: () => void;
  reject: (err: unknown) => void;
}

export class ShippedPosition {
  private shipped = 0;
  /** Sorted by seq ascending (writes mostly arrive in seq order, so inserts are appends). */
  private readonly waiters: Waiter[] = [];
  private closed: ShipError | null = null;

  constructor(
    private readonly routeName: string,
    private readonly waitersMax: number,
  ) {}

  get seq(): number {
    return this.shipped;
  }

  get waiting(): number {
    return this.waiters.length;
  }

  /** Everything up to `seq` is shipped; positions only grow. */
  advance(seq: number): void {
    if (seq <= this.shipped) return;
    this.shipped = seq;
    let n = 0;
    while (n < this.waiters.length && this.waiters[n]!.seq <= seq) n++;
    if (n === 0) return;
    for (const w of this.waiters.splice(0, n)) w.resolve();
  }

  /** Resolves once `seq` is shipped; rejects when the route stops first, or `signal` aborts. */
  wait(seq: number, signal?: AbortSignal): Promise<void> {
    if (seq <= this.shipped) return Promise.resolve();
    if (this.closed !== null) return Promise.reject(this.closed);
    if (this.waiters.length >= this.waitersMax) {
      return Promise.reject(new ShipError('SHIP_ERR_WAITERS_FULL', `route ${this.routeName}: ${this.waitersMax} writes already wait for it to ship; retry shortly (raise shippedWaitersMax if this load is expected)`, { route: this.routeName, waitersMax: this.waitersMax }));
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { seq, resolve, reject };
      let at = this.waiters.length;
      while (at > 0 && this.waiters[at - 1]!.seq > seq) at--;
      this.waiters.splice(at, 0, waiter);
      if (signal === undefined) return;
      const onAbort = (): void => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(signal.reason);
      };
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      const settle = waiter.resolve;
      waiter.resolve = () => {
        signal.removeEventListener('abort', onAbort);
        settle();
      };
      const fail = waiter.reject;
      waiter.reject = (err) => {
        signal.removeEventListener('abort', onAbort);
        fail(err);
      };
    });
  }

  /** The route stopped: every waiter is told, and later waits fail at once. */
  close(): void {
    this.closed = new ShipError('SHIP_ERR_STOPPED', `route ${this.routeName} stopped before the write was shipped`, { route: this.routeName });
    for (const w of this.waiters.splice(0)) w.reject(this.closed);
  }
}
