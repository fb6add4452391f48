/**
 * Latency of HTTP requests per method and route (the route's pattern, so
 * `/v1/records/:ns/:set/:key` is one series however many keys are asked),
 * in the engine's log-linear histogram: recording is two Map lookups and a
 * bucket increment, no allocation. /metrics renders them as the histogram
 * xdrgate_http_request_duration_seconds.
 */
import { LatencyHistogram, type LatencyBuckets } from '../../engine/index.js';

/** Distinct (method, route) pairs kept; past it, requests count under route "other" (routes are registered, so this is a guard, not a limit met). */
const ROUTES_MAX = 256;
/** The route of a request no route matched (404s). */
export const UNMATCHED_ROUTE = 'unmatched';
const OTHER_ROUTE = 'other';

export interface HttpLatencyRow {
  method: string;
  route: string;
  buckets: LatencyBuckets;
}

export class HttpLatency {
  private readonly byMethod = new Map<string, Map<string, LatencyHistogram>>();
  private routes = 0;

  /** One answered request: its method, route pattern (undefined when none matched) and duration in ms. */
  record(method: string, route: string | undefined, durationMs: number): void {
    let byRoute = this.byMethod.get(method);
    if (byRoute === undefined) {
      byRoute = new Map();
      this.byMethod.set(method, byRoute);
    }
    const name = route ?? UNMATCHED_ROUTE;
    let h = byRoute.get(name);
    if (h === undefined) h = this.add(byRoute, this.routes < ROUTES_MAX ? name : OTHER_ROUTE);
    h.record(durationMs * 1e6);
  }

  private add(byRoute: Map<string, LatencyHistogram>, name: string): LatencyHistogram {
    const existing = byRoute.get(name);
    if (existing !== undefined) return existing;
    const h = new LatencyHistogram();
    byRoute.set(name, h);
    this.routes++;
    return h;
  }

  rows(): HttpLatencyRow[] {
    const out: HttpLatencyRow[] = [];
    for (const [method, byRoute] of this.byMethod) for (const [route, h] of byRoute) out.push({ method, route, buckets: h.buckets() });
    return out;
  }
}
