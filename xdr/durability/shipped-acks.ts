/**
 * Acknowledging writes of namespaces whose durability is `shipped`: a client
 * write is refused before it is applied when no route ships its namespace, and
 * once applied it is acknowledged only when every route of the namespace that
 * ships now has put it in the source region's Kafka (acks=all). A route an
 * operator paused is not waited for: pausing every route of such a namespace
 * makes its writes fail (XDR_ERR_NOT_SHIPPED) instead of quietly losing the
 * guarantee.
 */
import { DurabilityError } from './errors.js';

/** What acknowledging needs from the replication pipeline. */
export interface ShippingPort {
  /** Names of the routes from this region that ship namespace `ns` now (not paused). */
  shippingRoutes(ns: string): string[];
  /** Resolves once every route of `ns` that ships now has shipped every change up to `seq`. */
  whenShipped(ns: string, seq: number, signal: AbortSignal): Promise<void>;
}

export interface ShippedNamespace {
  name: string;
  ackTimeoutMs: number;
}

export class ShippedAcks {
  private readonly timeouts: ReadonlyMap<string, number>;

  constructor(
    private readonly port: ShippingPort,
    namespaces: readonly ShippedNamespace[],
  ) {
    this.timeouts = new Map(namespaces.map((n) => [n.name, n.ackTimeoutMs]));
  }

  /** Whether writes of `ns` wait for shipping. */
  applies(ns: string): boolean {
    return this.timeouts.has(ns);
  }

  /** Throws XDR_ERR_NOT_SHIPPED, before anything is written, when nothing would ship a write of `ns`. */
  checkBeforeWrite(ns: string): void {
    if (!this.timeouts.has(ns) || this.port.shippingRoutes(ns).length > 0) return;
    throw new DurabilityError('XDR_ERR_NOT_SHIPPED', `namespace ${ns} acknowledges writes once they are shipped (durability: shipped), and no route from this region ships it now; resume or add a route, or set durability: buffered`, { ns });
  }

  /** Resolves once the change at `seq` (or any later one) of `ns` is in Kafka on every shipping route. */
  async waitShipped(ns: string, seq: number): Promise<void> {
    const timeoutMs = this.timeouts.get(ns);
    if (timeoutMs === undefined) return;
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      await this.port.whenShipped(ns, seq, signal);
    } catch (err) {
      if (!signal.aborted) throw err;
      throw new DurabilityError('XDR_ERR_SHIP_ACK_TIMEOUT', `the write was applied in this region but is not in Kafka after ${timeoutMs} ms (routes ${this.port.shippingRoutes(ns).join(', ')}); it ships once Kafka answers — check xdrgate lag — and a crash of this gateway before then loses it`, { ns, seq, timeoutMs });
    }
  }
}
