/**
 * What route administration offers (RouteManager implements it; the admin
 * HTTP API and the CLI speak it): the routes as the operator sees them, and
 * the operations on them.
 */
import type { ErrorNote } from '../../errors/index.js';
import type { RouteSpec } from '../../replication-protocol/index.js';
import type { ReshipResult, RewindOptions } from '../../shipper/index.js';
import type { RouteHealth, RouteIntent } from '../route-health/index.js';

/**
 * A route as the admin API shows it: its definition, what the operator asked,
 * and its health (state, reason, error, scan, destination; xdr/route-health).
 */
export interface RouteStatus extends RouteHealth {
  spec: RouteSpec;
  /** What the operator asked: running, paused or disabled (`state` says what happens). */
  intent: RouteIntent;
  /** What this region does for the route: ships it (source), applies it (destination), or neither. */
  role: 'source' | 'destination' | 'none';
  /** Unix ms of the last change to the route's definition or state. */
  updatedAtMs: number;
}

/** Live route administration (implemented by xdr/routes). Methods throw XdrError with XDR_ERR_ROUTE_* codes. */
export interface RouteAdmin {
  list(): RouteStatus[];
  get(name: string): RouteStatus | undefined;
  /**
   * Creates or replaces a route whose source is this region. `input` is the
   * camelCase RouteSpec without its name. `warnings`: why the destination will
   * not apply it, as far as it said (the route is saved anyway).
   */
  put(name: string, input: Record<string, unknown>): Promise<{ route: RouteStatus; created: boolean; warnings: ErrorNote[] }>;
  remove(name: string): Promise<void>;
  pause(name: string): Promise<RouteStatus>;
  resume(name: string): Promise<RouteStatus>;
  /** Re-ship every record changed after `sinceMs` (unix ms); see RewindOptions. */
  rewind(name: string, sinceMs: number, options?: RewindOptions): Promise<void>;
  /** Re-ship the current version of these records (hex digests) of namespace `ns` on a route this region ships. */
  reship(name: string, ns: string, digests: readonly string[]): Promise<ReshipResult>;
}
